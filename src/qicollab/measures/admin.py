"""Admin for the measure library, scoped by roles: curators change, members look.

Saving goes through the library services, so an edit in the admin makes a new version just
as the page does (versions themselves are read-only).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from qicollab.accounts.roles import Roles, roles_for
from qicollab.accounts.scoped_admin import ScopedInline, ScopedModelAdmin, default_choices
from qicollab.measures.library import services
from qicollab.measures.models import DEFINITION_FIELDS, LibraryMeasure, LibraryMeasureVersion


class LibraryMeasureVersionInline(ScopedInline):
    model = LibraryMeasureVersion
    extra = 0
    can_delete = False
    fields = ("number", "change_note", "created_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LibraryMeasure)
class LibraryMeasureAdmin(ScopedModelAdmin):
    view_perm = "measures.view_librarymeasure"
    change_perm = "measures.change_librarymeasure"
    add_perm = "measures.add_librarymeasure"
    delete_perm = None  # projects record the definition they follow: superusers only

    list_display = ("name", "collaborative", "version", "value_type", "chart_type")
    list_filter = (("collaborative", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("collaborative",)
    search_fields = ("name",)
    readonly_fields = ("version", "created_at", "updated_at")
    inlines = (LibraryMeasureVersionInline,)

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(collaborative_id__in=roles.visible_collab_ids)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("collaborative")  # a definition does not move between libraries
        return fields

    def scoped_choices(
        self, request: HttpRequest, db_field: models.Field[Any, Any], qs: QuerySet[Any]
    ) -> QuerySet[Any]:
        if db_field.name == "collaborative":
            return qs.filter(pk__in=roles_for(request.user).coordinator_collab_ids)
        return default_choices(request, qs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k in services.LIBRARY_FIELDS}
        if change:
            fresh = LibraryMeasure.objects.get(pk=obj.pk)
            changed = [k for k in DEFINITION_FIELDS if getattr(fresh, k) != data.get(k)]
            note = "Changed in the admin: " + ", ".join(changed) if changed else ""
            services.library_measure_update(
                actor=request.user,  # type: ignore[arg-type]
                library_measure=fresh,
                data=data,
                change_note=note,
            )
            obj.refresh_from_db()
        else:
            created = services.library_measure_create(
                actor=request.user,  # type: ignore[arg-type]
                collaborative=form.cleaned_data["collaborative"],
                data=data,
            )
            obj.pk = created.pk
            obj.refresh_from_db()
