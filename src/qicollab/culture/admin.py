"""Admin for safety-culture instruments and waves, scoped by roles.

There is deliberately no admin for responses or single-use codes: nobody browses anonymous
answers one by one, not even an operator. Instruments change only by loading a new version
of their file (``culture_load_instrument``), so their structure is read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from qicollab.accounts.roles import Roles
from qicollab.accounts.scoped_admin import ScopedModelAdmin
from qicollab.culture.models import CultureAction, Instrument, Wave


@admin.register(Instrument)
class InstrumentAdmin(ScopedModelAdmin):
    view_perm = "culture.view_instrument"
    # change/add/delete: superusers only, and only the description and licence wording.
    list_display = ("name", "version", "kind", "redistributable")
    list_filter = ("kind", "redistributable")
    search_fields = ("name", "code")
    readonly_fields = ("code", "version", "kind", "scale", "definition", "created_at", "updated_at")

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        from qicollab.culture.selectors import instrument_list

        return qs.filter(pk__in=instrument_list(viewer=request.user).values("pk"))


@admin.register(Wave)
class WaveAdmin(ScopedModelAdmin):
    """Waves of the organisations a person manages: dates and titles, never results."""

    view_perm = "culture.manage_wave"
    change_perm = "culture.manage_wave"
    list_display = ("title", "organisation", "opens_on", "closes_on", "number")
    list_select_related = ("organisation",)
    search_fields = ("title", "organisation__name")
    fields = ("title", "opens_on", "closes_on", "closed_early_on", "min_group")
    readonly_fields = ("min_group",)

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(organisation_id__in=roles.managed_org_ids)


@admin.register(CultureAction)
class CultureActionAdmin(ScopedModelAdmin):
    """Debrief actions, for the organisation's programme managers to follow up."""

    view_perm = "culture.manage_wave"
    list_display = ("title", "owner", "due_on", "status")
    list_filter = ("status",)
    readonly_fields = ("debrief", "project")

    def perm_object(self, obj: Any) -> Any:
        return obj.debrief.wave_unit.wave

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(debrief__wave_unit__wave__organisation_id__in=roles.managed_org_ids)
