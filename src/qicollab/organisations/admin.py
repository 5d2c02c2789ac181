"""Admin for organisations, collaboratives, programmes and affiliations, scoped by roles."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from qicollab.accounts.roles import Roles, roles_for
from qicollab.accounts.scoped_admin import ScopedInline, ScopedModelAdmin, default_choices
from qicollab.organisations.models import (
    Affiliation,
    Collaborative,
    CollaborativeMembership,
    CollaborativeRole,
    NationalProgramme,
    Organisation,
    Unit,
    UnitMember,
)


def _changeable_org_ids(roles: Roles) -> frozenset[int]:
    """Organisations whose details (and people) this person may change."""
    return roles.managed_org_ids | roles.orgs_in(roles.admin_collab_ids)


@admin.register(Organisation)
class OrganisationAdmin(ScopedModelAdmin):
    view_perm = "organisations.view_organisation"
    change_perm = "organisations.change_organisation"
    add_perm = "organisations.add_organisation"
    # delete_perm stays None: only superusers delete organisations.

    list_display = ("name", "org_type", "ods_code", "region")
    list_filter = ("org_type", "region")
    search_fields = ("name", "short_name", "ods_code")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        # The pages' selector, so the admin and the pages cannot disagree.
        from qicollab.organisations.selectors import organisation_list

        return qs.filter(pk__in=organisation_list(viewer=request.user).values("pk"))


class MembershipInline(ScopedInline):
    model = CollaborativeMembership
    fields = ("organisation", "programme_manager", "joined_on", "left_on")
    verbose_name = "member organisation"
    verbose_name_plural = "member organisations (end a membership by giving the date it left)"

    def scoped_choices(
        self, request: HttpRequest, db_field: models.Field[Any, Any], qs: QuerySet[Any]
    ) -> QuerySet[Any]:
        if db_field.name == "organisation":
            # Leads bring in organisations from anywhere, as on the "add a member" page.
            return qs
        return default_choices(request, qs)


class CollaborativeRoleInline(ScopedInline):
    model = CollaborativeRole
    fields = ("person", "role", "title")
    allow_delete = True
    verbose_name = "lead or faculty member"
    verbose_name_plural = "leads and faculty"


@admin.register(Collaborative)
class CollaborativeAdmin(ScopedModelAdmin):
    # The admin shows members, programme managers and roles: the collaborative's
    # internals, so the public page's openness does not extend here.
    view_perm = "organisations.view_collaborative_internals"
    change_perm = "organisations.change_collaborative"
    add_perm = "organisations.add_collaborative"

    list_display = ("name", "kind", "programme", "lead_organisation", "is_public")
    list_filter = ("kind", "is_public", "region")
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("sponsors",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (MembershipInline, CollaborativeRoleInline)

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(pk__in=roles.visible_collab_ids)

    def scoped_choices(
        self, request: HttpRequest, db_field: models.Field[Any, Any], qs: QuerySet[Any]
    ) -> QuerySet[Any]:
        if db_field.name in ("lead_organisation", "sponsors"):
            # The hosting AHSN is often not a member, so not among the organisations a
            # national administrator can open; its name is public on the collaborative's page.
            return qs
        return default_choices(request, qs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            # Moving a collaborative between national programmes hands it to other
            # administrators: an operator decision, not a lead's.
            fields.append("programme")
        return fields

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == "programme" and not request.user.is_superuser:
            # A national administrator adding a collaborative files it under their programme,
            # or they could not see it afterwards.
            field.required = True
        return field


@admin.register(NationalProgramme)
class NationalProgrammeAdmin(ScopedModelAdmin):
    # Programme administrators can see their programme; adding an administrator grants
    # national powers, so only superusers change programmes.
    list_display = ("name",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("admins",)
    readonly_fields = ("created_at", "updated_at")

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(admins=request.user.pk)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if super().has_view_permission(request, obj):
            return True
        if not self.may(request, "organisations.add_collaborative"):
            return False  # not a national administrator of anything
        return obj is None or obj.admins.filter(pk=request.user.pk).exists()


@admin.register(Affiliation)
class AffiliationAdmin(ScopedModelAdmin):
    """People's roles in organisations. Programme managers change or end them here.

    New affiliations come through invitations, which the person accepts; attaching
    someone to an organisation without their say is for superusers only.
    """

    view_perm = "organisations.view_organisation_people"
    change_perm = "organisations.change_organisation"

    list_display = ("person", "organisation", "role", "started_on", "ended_on")
    list_filter = ("role",)
    search_fields = ("person__full_name", "person__email", "organisation__name")
    list_select_related = ("person", "organisation")
    readonly_fields = ("created_at", "updated_at")

    def perm_object(self, obj: Any) -> Any:
        return obj.organisation

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(organisation_id__in=roles.own_org_ids | roles.coordinated_org_ids)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            fields += ["person", "organisation"]
        return fields

    def scoped_choices(
        self, request: HttpRequest, db_field: models.Field[Any, Any], qs: QuerySet[Any]
    ) -> QuerySet[Any]:
        if db_field.name == "organisation":
            return qs.filter(pk__in=_changeable_org_ids(roles_for(request.user)))
        return default_choices(request, qs)


class UnitMemberInline(ScopedInline):
    model = UnitMember
    extra = 0
    allow_delete = True  # leaving a ward is removing the row; history keeps the record
    fields = ("person", "role")
    autocomplete_fields = ("person",)


@admin.register(Unit)
class UnitAdmin(ScopedModelAdmin):
    """Wards, teams and services of an organisation; its programme managers keep them."""

    view_perm = "organisations.view_organisation_people"
    change_perm = "organisations.change_organisation"

    list_display = ("name", "organisation", "kind", "opened_on", "closed_on")
    list_filter = ("kind",)
    search_fields = ("name", "organisation__name")
    list_select_related = ("organisation",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = (UnitMemberInline,)

    def perm_object(self, obj: Any) -> Any:
        return obj.organisation

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(organisation_id__in=roles.own_org_ids | roles.coordinated_org_ids)

    def scoped_choices(
        self, request: HttpRequest, db_field: models.Field[Any, Any], qs: QuerySet[Any]
    ) -> QuerySet[Any]:
        if db_field.name == "organisation":
            return qs.filter(pk__in=_changeable_org_ids(roles_for(request.user)))
        return default_choices(request, qs)
