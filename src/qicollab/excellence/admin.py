"""Admin of Learning from Excellence, scoped like the pages.

LfE leads see their organisations' reports, themes and inquiries; programme managers their
organisations' LfE leads. Superusers see everything. Reports are changed through the pages
(the recipients' consent must not be set by anyone else), so reports are read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from qicollab.accounts.roles import Roles
from qicollab.accounts.scoped_admin import ScopedModelAdmin
from qicollab.excellence.access import lead_org_ids
from qicollab.excellence.models import AppreciativeInquiry, ExcellenceReport, LfeLead, Theme


class _LeadScoped(ScopedModelAdmin):
    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(organisation_id__in=lead_org_ids(request.user))


@admin.register(ExcellenceReport)
class ExcellenceReportAdmin(_LeadScoped):
    list_display = ("pk", "organisation", "happened_on", "unit", "anonymous")
    list_filter = ("organisation", "work_kind")
    date_hierarchy = "happened_on"
    view_perm = "excellence.view_excellencereport"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Theme)
class ThemeAdmin(_LeadScoped):
    list_display = ("name", "organisation", "project")
    search_fields = ("name",)
    raw_id_fields = ("project",)
    view_perm = "excellence.change_theme"
    change_perm = "excellence.change_theme"


@admin.register(AppreciativeInquiry)
class AppreciativeInquiryAdmin(_LeadScoped):
    list_display = ("held_on", "organisation", "theme")
    view_perm = "excellence.change_theme"
    change_perm = "excellence.change_theme"


@admin.register(LfeLead)
class LfeLeadAdmin(ScopedModelAdmin):
    list_display = ("person", "organisation", "title")
    raw_id_fields = ("person",)
    view_perm = "excellence.change_lfelead"
    change_perm = "excellence.change_lfelead"
    add_perm = "excellence.change_lfelead"
    delete_perm = "excellence.change_lfelead"

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(organisation_id__in=roles.managed_org_ids)
