"""Admin for the 3 L's and training records, limited by the same rules as the pages.

Subject areas, the capability goal, courses and cohorts belong to a collaborative: its
members see them, its faculty and leads change them. Enrolments are people's records: the
person, their programme manager and the coordinators see them; only superusers change
them here (the roster page is where attendance and completion are recorded).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from qicollab.accounts.roles import Roles, roles_for
from qicollab.accounts.scoped_admin import ScopedInline, ScopedModelAdmin, default_choices
from qicollab.capability.models import (
    CapabilityGoal,
    Cohort,
    CohortSession,
    Course,
    Enrolment,
    SubjectArea,
)


class _CollaborativePartAdmin(ScopedModelAdmin):
    view_perm = "capability.view_aggregates"
    change_perm = "capability.manage_framework"
    add_perm = "capability.manage_framework"
    collaborative_path = "collaborative"
    readonly_fields = ("created_at", "updated_at")

    def perm_object(self, obj: Any) -> Any:
        for part in self.collaborative_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(**{f"{self.collaborative_path}_id__in": roles.visible_collab_ids})

    def scoped_choices(
        self, request: HttpRequest, db_field: models.Field[Any, Any], qs: QuerySet[Any]
    ) -> QuerySet[Any]:
        r = roles_for(request.user)
        if db_field.name == "collaborative":
            return qs.filter(pk__in=r.coordinator_collab_ids)
        if db_field.name == "course":
            return qs.filter(collaborative_id__in=r.coordinator_collab_ids)
        return default_choices(request, qs)


@admin.register(SubjectArea)
class SubjectAreaAdmin(_CollaborativePartAdmin):
    list_display = ("name", "collaborative", "order", "is_active")
    list_filter = (("collaborative", admin.RelatedOnlyFieldListFilter), "is_active")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(CapabilityGoal)
class CapabilityGoalAdmin(_CollaborativePartAdmin):
    list_display = ("collaborative", "rule", "min_level", "baseline_on", "target_on")


class _TrainingAdmin(_CollaborativePartAdmin):
    view_perm = "capability.view_training"
    change_perm = "capability.manage_training"
    add_perm = "capability.manage_training"


@admin.register(Course)
class CourseAdmin(_TrainingAdmin):
    list_display = ("title", "collaborative", "category", "level", "is_active")
    list_filter = (("collaborative", admin.RelatedOnlyFieldListFilter), "category", "level")
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title",)


class CohortSessionInline(ScopedInline):
    model = CohortSession
    fields = ("held_on", "title")
    allow_delete = True


@admin.register(Cohort)
class CohortAdmin(_TrainingAdmin):
    collaborative_path = "course__collaborative"
    list_display = ("name", "course", "starts_on", "ends_on", "capacity")
    list_select_related = ("course",)
    inlines = (CohortSessionInline,)
    search_fields = ("name", "course__title")


@admin.register(Enrolment)
class EnrolmentAdmin(ScopedModelAdmin):
    view_perm = "capability.view_enrolment"
    list_display = ("person", "cohort", "status", "completed_on")
    list_filter = ("status",)
    list_select_related = ("person", "cohort__course")
    search_fields = ("person__full_name", "cohort__course__title")

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(
            Q(person_id=roles.person_id)
            | Q(organisation_id__in=roles.managed_org_ids)
            | Q(cohort__course__collaborative_id__in=roles.coordinator_collab_ids)
        )
