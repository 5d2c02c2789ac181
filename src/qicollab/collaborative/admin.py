"""Admin for workstreams and cross-cutting themes: changed by the collaborative's leads."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from qicollab.accounts.roles import Roles, roles_for
from qicollab.accounts.scoped_admin import ScopedInline, ScopedModelAdmin, default_choices
from qicollab.collaborative.models import Theme, ThemePrinciple, Workstream


class _CollaborativePartAdmin(ScopedModelAdmin):
    """Parts of a collaborative: members see them, leads and national admins change them."""

    view_perm = "organisations.view_collaborative_internals"
    change_perm = "organisations.change_collaborative"
    add_perm = "organisations.change_collaborative"
    delete_perm = "organisations.change_collaborative"

    # Only collaboratives present in the (scoped) rows: a plain filter would list them all.
    list_filter = (("collaborative", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("collaborative",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")

    def perm_object(self, obj: Any) -> Any:
        return obj.collaborative

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(collaborative_id__in=roles.visible_collab_ids)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            fields.append("collaborative")  # a part does not move between collaboratives
        return fields

    def scoped_choices(
        self, request: HttpRequest, db_field: models.Field[Any, Any], qs: QuerySet[Any]
    ) -> QuerySet[Any]:
        if db_field.name == "collaborative":
            return qs.filter(pk__in=roles_for(request.user).managing_collab_ids)
        return default_choices(request, qs)


@admin.register(Workstream)
class WorkstreamAdmin(_CollaborativePartAdmin):
    list_display = ("name", "collaborative", "order")
    search_fields = ("name", "subtitle")
    filter_horizontal = ("leads",)


class ThemePrincipleInline(ScopedInline):
    model = ThemePrinciple
    fields = ("text", "order")
    allow_delete = True
    verbose_name = "principle"


@admin.register(Theme)
class ThemeAdmin(_CollaborativePartAdmin):
    list_display = ("name", "collaborative", "order")
    search_fields = ("name",)
    inlines = (ThemePrincipleInline,)
