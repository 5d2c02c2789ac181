"""Admin for projects, limited by the same rules as the pages (see ``accounts.scoped_admin``).

Projects are started on the pages (so the person starting one becomes its lead); the admin
lets operators correct records. Team rows cannot be deleted here except by superusers, so
the "at least one project lead" rule of the services cannot be bypassed by accident.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from qicollab.accounts.roles import Roles, roles_for
from qicollab.accounts.scoped_admin import ScopedInline, ScopedModelAdmin, default_choices
from qicollab.projects.models import (
    ChangeIdea,
    CollaborativeScaleChoice,
    CoProduction,
    PdsaCycle,
    PrimaryDriver,
    ProgressReport,
    Project,
    ProjectMember,
    ScaleDefinition,
    ScaleLevel,
    SecondaryDriver,
    Tag,
)
from qicollab.projects.selectors import visible_projects

_PER_COLLABORATIVE = {"workstream", "themes", "tags"}


def _visible(request: HttpRequest) -> QuerySet[Project]:
    return visible_projects(viewer=request.user)


class _ProjectChoices:
    """Workstreams, themes and tags of the operator's collaboratives; projects they can see."""

    def scoped_choices(
        self, request: HttpRequest, db_field: models.Field[Any, Any], qs: QuerySet[Any]
    ) -> QuerySet[Any]:
        if db_field.name in _PER_COLLABORATIVE:
            return qs.filter(collaborative_id__in=roles_for(request.user).visible_collab_ids)
        if qs.model is Project:
            return qs.filter(pk__in=_visible(request).values("pk"))
        return default_choices(request, qs)


class ProjectMemberInline(_ProjectChoices, ScopedInline):
    model = ProjectMember
    fields = ("person", "role")


class CoProductionInline(_ProjectChoices, ScopedInline):
    model = CoProduction
    fields = ("stage", "level", "description", "partners_involved")
    allow_delete = True


@admin.register(Project)
class ProjectAdmin(_ProjectChoices, ScopedModelAdmin):
    view_perm = "projects.view_project"
    change_perm = "projects.manage_project"
    list_display = (
        "title",
        "lead_organisation",
        "collaborative",
        "status",
        "sharing",
        "updated_at",
    )
    list_filter = ("status", "sharing", ("collaborative", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("lead_organisation", "collaborative")
    search_fields = ("title", "summary")
    readonly_fields = ("slug", "created_by", "created_at", "updated_at")
    filter_horizontal = ("partner_organisations", "themes", "tags")
    inlines = (ProjectMemberInline, CoProductionInline)

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(pk__in=_visible(request).values("pk"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            fields.append("collaborative")  # its workstream, themes and tags belong there
        return fields


class _ProjectPartAdmin(_ProjectChoices, ScopedModelAdmin):
    """Parts of a project: readers of the project see them, its team changes them."""

    view_perm = "projects.view_project"
    change_perm = "projects.change_project"
    list_select_related: Any = ("project",)
    list_filter: Any = (("project", admin.RelatedOnlyFieldListFilter),)
    readonly_fields: Any = ("created_at", "updated_at")

    def perm_object(self, obj: Any) -> Any:
        return obj.project

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(project__in=_visible(request).values("pk"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            fields.append("project")
        return fields


@admin.register(PrimaryDriver)
class PrimaryDriverAdmin(_ProjectPartAdmin):
    list_display = ("text", "project", "order")
    search_fields = ("text",)


@admin.register(SecondaryDriver)
class SecondaryDriverAdmin(_ProjectPartAdmin):
    list_display = ("text", "project", "order")
    search_fields = ("text",)
    filter_horizontal = ("primaries",)


@admin.register(ChangeIdea)
class ChangeIdeaAdmin(_ProjectPartAdmin):
    list_display = ("text", "project", "order")
    search_fields = ("text",)
    filter_horizontal = ("secondaries",)


@admin.register(PdsaCycle)
class PdsaCycleAdmin(_ProjectPartAdmin):
    list_display = ("title", "project", "cycle_number", "status", "act_decision")
    list_filter = ("status", "act_decision", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "objective", "learning")
    filter_horizontal = ("change_ideas",)


@admin.register(ProgressReport)
class ProgressReportAdmin(_ProjectPartAdmin):
    list_display = ("project", "month", "rater_type", "score", "rater")
    list_filter = ("rater_type", ("project", admin.RelatedOnlyFieldListFilter))
    readonly_fields = ("scale", "rater", "created_at", "updated_at")


@admin.register(Tag)
class TagAdmin(_ProjectChoices, ScopedModelAdmin):
    view_perm = "organisations.view_collaborative_internals"
    change_perm = "organisations.change_collaborative"
    delete_perm = "organisations.change_collaborative"
    list_display = ("name", "collaborative")
    search_fields = ("name",)
    readonly_fields = ("slug",)

    def perm_object(self, obj: Any) -> Any:
        return obj.collaborative

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(collaborative_id__in=roles.visible_collab_ids)


class ScaleLevelInline(ScopedInline):
    model = ScaleLevel
    fields = ("value", "label", "definition", "wording_confirmed")


@admin.register(ScaleDefinition)
class ScaleDefinitionAdmin(ScopedModelAdmin):
    """Scales are shared by every collaborative: superusers only (new wording = new version)."""

    list_display = ("name", "code", "version", "is_active")
    inlines = (ScaleLevelInline,)


@admin.register(CollaborativeScaleChoice)
class CollaborativeScaleChoiceAdmin(ScopedModelAdmin):
    """Which scale a collaborative rates on: chosen by its leads and national admins."""

    view_perm = "organisations.view_collaborative_internals"
    change_perm = "organisations.change_collaborative"
    add_perm = "organisations.change_collaborative"
    list_display = ("collaborative", "scale")

    def perm_object(self, obj: Any) -> Any:
        return obj.collaborative

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(collaborative_id__in=roles.visible_collab_ids)

    def scoped_choices(
        self, request: HttpRequest, db_field: models.Field[Any, Any], qs: QuerySet[Any]
    ) -> QuerySet[Any]:
        if db_field.name == "collaborative":
            return qs.filter(pk__in=roles_for(request.user).managing_collab_ids)
        if db_field.name == "scale":
            return qs.filter(is_active=True)
        return default_choices(request, qs)
