"""Admin for huddle data, scoped like the pages: an organisation's programme managers (its
safety leads) see its units' huddles, actions and harm events, and its harm categories.
Collaborative coordinators, who see counts only, get no admin rows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from qicollab.accounts.roles import Roles
from qicollab.accounts.scoped_admin import ScopedModelAdmin
from qicollab.huddles.models import HarmCategory, HarmEvent, Huddle, HuddleAction


class _UnitScoped(ScopedModelAdmin):
    view_perm = "huddles.view_huddle"
    change_perm = "huddles.change_huddle"
    add_perm = None  # recorded through the pages and the API, whose services check the rules
    delete_perm = "huddles.change_huddle"

    def perm_object(self, obj: Any) -> Any:
        return obj

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(unit__organisation_id__in=roles.managed_org_ids)


@admin.register(Huddle)
class HuddleAdmin(_UnitScoped):
    list_display = ("unit", "held_on", "shift", "started_at")
    list_filter = ("shift",)
    date_hierarchy = "held_on"
    raw_id_fields = ("facilitator", "recorded_by")
    list_select_related = ("unit",)


@admin.register(HuddleAction)
class HuddleActionAdmin(_UnitScoped):
    list_display = ("text", "unit", "owner", "due_on", "closed_on")
    raw_id_fields = ("raised_at", "closed_at")
    list_select_related = ("unit",)


@admin.register(HarmEvent)
class HarmEventAdmin(_UnitScoped):
    list_display = ("unit", "category", "occurred_on", "severity", "incident_ref")
    list_filter = ("severity",)
    date_hierarchy = "occurred_on"
    raw_id_fields = ("recorded_by",)
    list_select_related = ("unit", "category")


@admin.register(HarmCategory)
class HarmCategoryAdmin(ScopedModelAdmin):
    """Rename, reorder or hide categories and set their milestones (days)."""

    list_display = ("name", "organisation", "order", "active", "milestones")
    list_filter = ("active",)
    view_perm = "huddles.change_harmcategory"
    change_perm = "huddles.change_harmcategory"
    add_perm = "huddles.change_harmcategory"
    delete_perm = None  # events keep their category; hide it instead

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(organisation_id__in=roles.managed_org_ids)
