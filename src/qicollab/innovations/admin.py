"""Admin for innovations and adoptions, scoped like the pages: coordinators and the teams."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from qicollab.accounts.roles import Roles
from qicollab.accounts.scoped_admin import ScopedInline, ScopedModelAdmin
from qicollab.innovations.models import Adoption, Innovation, PackageIdea, PackageMeasure
from qicollab.innovations.selectors import visible_innovations


class PackageIdeaInline(ScopedInline):
    model = PackageIdea
    fields = ("text", "description", "primary_driver", "secondary_driver", "order")
    allow_delete = True


class PackageMeasureInline(ScopedInline):
    model = PackageMeasure
    fields = ("name", "measure_type", "value_type", "frequency", "chart_type", "direction")
    allow_delete = True


@admin.register(Innovation)
class InnovationAdmin(ScopedModelAdmin):
    """Innovations the person may see; changed by those the pages let change them."""

    view_perm = "innovations.view_innovation"
    change_perm = "innovations.change_innovation"
    delete_perm = "innovations.change_innovation"
    list_display = ("title", "organisation", "collaborative", "stage", "sharing")
    list_filter = ("stage", "sharing")
    search_fields = ("title",)
    readonly_fields = ("collaborative", "organisation", "project", "created_at", "updated_at")
    exclude = ("evidence_measures", "harvested_at", "storyboard", "created_by")
    inlines = (PackageIdeaInline, PackageMeasureInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Made through the pages and services (from a project, a storyboard, an adoption).
        return False

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(pk__in=visible_innovations(viewer=request.user).values("pk"))


@admin.register(Adoption)
class AdoptionAdmin(ScopedModelAdmin):
    """Adoptions of innovations the person may see; changed by the adopting organisation."""

    view_perm = "innovations.view_adoption"
    change_perm = "innovations.change_adoption"
    delete_perm = "innovations.change_adoption"
    list_display = ("innovation", "organisation", "status", "status_date")
    list_filter = ("status",)
    readonly_fields = ("innovation", "organisation", "project", "created_at", "updated_at")
    exclude = ("created_by",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Made through the pages and services (from a project, a storyboard, an adoption).
        return False

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(innovation__in=visible_innovations(viewer=request.user))
