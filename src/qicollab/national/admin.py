"""Admin for designations, scoped like the pages: leads and national admins see their
collaboratives' designations; programme managers those of their organisations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from qicollab.accounts.roles import Roles
from qicollab.accounts.scoped_admin import ScopedModelAdmin
from qicollab.national.models import Designation


@admin.register(Designation)
class DesignationAdmin(ScopedModelAdmin):
    list_display = ("person", "kind", "organisation", "collaborative", "designated_on")
    list_filter = ("kind", "collaborative")
    search_fields = ("person__full_name", "person__email", "organisation__name")
    raw_id_fields = ("person",)
    date_hierarchy = "designated_on"
    view_perm = "national.change_designation"
    change_perm = "national.change_designation"
    add_perm = "national.add_designation"
    delete_perm = "national.change_designation"

    def perm_object(self, obj: Any) -> Any:
        return obj

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(
            Q(collaborative_id__in=roles.managing_collab_ids)
            | Q(organisation_id__in=roles.managed_org_ids)
        )
