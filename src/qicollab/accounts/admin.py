"""Admin for people, invitations and API tokens, scoped by roles.

People log in with their email address, so the user admin is rebuilt around it. No
password hash is shown anywhere: the change page only says whether a password is set.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, SetUnusablePasswordMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from qicollab.accounts import selectors, services
from qicollab.accounts.models import (
    ApiToken,
    Invitation,
    InvitationKind,
    LivedExperience,
    Person,
    Profession,
)
from qicollab.accounts.roles import Roles, roles_for
from qicollab.accounts.rules import can_see_lived_experience
from qicollab.accounts.scoped_admin import ScopedModelAdmin, is_operator


class PersonCreationForm(SetUnusablePasswordMixin, BaseUserCreationForm):  # type: ignore[type-arg]
    """Add a person by email; the password may be left unusable for single sign-on."""

    usable_password = SetUnusablePasswordMixin.create_usable_password_field(
        "Whether they can log in with a password. Choose 'Disabled' for people who log "
        "in with their organisation's single sign-on, or who will be sent a reset link."
    )

    class Meta:
        model = Person
        fields = ("email", "full_name")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].required = False
        self.fields["password2"].required = False

    def clean_email(self) -> str:
        email: str = (self.cleaned_data.get("email") or "").strip().lower()
        if email and Person.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("A person with this email address already exists.")
        return email


class PersonChangeForm(forms.ModelForm):  # type: ignore[type-arg]
    """Every field but the password, which has its own page."""

    class Meta:
        model = Person
        fields = (
            "email",
            "full_name",
            "job_title",
            "profession",
            "lived_experience",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        )

    def clean_email(self) -> str:
        email: str = (self.cleaned_data.get("email") or "").strip().lower()
        clash = Person.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if email and clash.exists():
            raise forms.ValidationError("A person with this email address already exists.")
        return email


def _sees_any_lived_experience(request: HttpRequest) -> bool:
    """Whether the operator may know anyone's lived experience but their own."""
    r = roles_for(request.user)
    return bool(r.is_superuser or r.managing_collab_ids)


class ProfessionFilter(admin.SimpleListFilter):
    """Profession, where "Lived-experience partner" only finds people whose flag the
    operator may see (``accounts.view_lived_experience``), and is offered only to those
    who may see anyone's."""

    title = "profession"
    parameter_name = "profession"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        private = not _sees_any_lived_experience(request)
        return [
            (str(value), str(label))
            for value, label in Profession.choices
            if not (private and value == Profession.LIVED_EXPERIENCE)
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        queryset = queryset.filter(profession=value)
        if value == Profession.LIVED_EXPERIENCE:
            queryset = queryset.filter(selectors.lived_experience_visible_q(viewer=request.user))
        return queryset


class LivedExperienceFilter(admin.SimpleListFilter):
    """Lived experience, for operators who may see it; only ever finds people they may."""

    title = "lived experience"
    parameter_name = "lived_experience"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(v), str(label)) for v, label in LivedExperience.choices if v]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(lived_experience=value).filter(
            selectors.lived_experience_visible_q(viewer=request.user)
        )


@admin.register(Person)
class PersonAdmin(ScopedModelAdmin, UserAdmin):  # type: ignore[type-arg]
    view_perm = "accounts.view_person"
    change_perm = "accounts.change_person"
    # add_perm and delete_perm stay None: people join by invitation; only superusers
    # add or delete them here (deactivating keeps their history).

    form = PersonChangeForm
    add_form = PersonCreationForm
    list_display = ("full_name", "email", "job_title", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser", ProfessionFilter)
    search_fields = ("full_name", "email", "job_title")
    ordering = ("full_name",)
    filter_horizontal = ("groups", "user_permissions")
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    _profile = ("full_name", "job_title", "profession", "lived_experience")
    _dates = ("last_login", "date_joined")

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(pk__in=selectors.person_list(viewer=request.user).values("pk"))

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # Raw ?lived_experience=… or ?profession=… lookups would filter by the private flag
        # past the rule; those questions go through the two filters above only.
        offered = {
            f.parameter_name
            for f in self.get_list_filter(request)
            if isinstance(f, type) and issubclass(f, admin.SimpleListFilter)
        }
        if lookup not in offered and lookup.split("__")[0] in ("lived_experience", "profession"):
            return False
        return bool(super().lookup_allowed(lookup, value, request))

    def get_list_filter(self, request: HttpRequest) -> Any:
        # Lived experience is private: only operators who may see some are offered it.
        if _sees_any_lived_experience(request):
            return (*self.list_filter, LivedExperienceFilter)
        return self.list_filter

    def _profile_fields(self, request: HttpRequest, obj: Person) -> tuple[str, ...]:
        """The profile fields this operator may see of ``obj`` (the one lived-experience rule)."""
        if can_see_lived_experience(request.user, obj):
            return self._profile
        hidden = {"lived_experience"}
        if obj.profession == Profession.LIVED_EXPERIENCE:
            hidden.add("profession")
        return tuple(f for f in self._profile if f not in hidden)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.add_fieldsets
        access: tuple[str, ...]
        if request.user.is_superuser:
            login = ("email", "password_with_link")
            access = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")
        else:
            login = ("email", "password_status")
            access = ("is_active", "is_staff", "is_superuser")
        return (
            (None, {"fields": login}),
            ("Profile", {"fields": self._profile_fields(request, obj)}),
            ("Access", {"fields": access}),
            ("Dates", {"fields": self._dates}),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["password_status", "password_with_link", *self._dates]
        if obj is not None and not request.user.is_superuser:
            # People may correct their own profile here, never their own access or login.
            fields += ["email", "is_active", "is_staff", "is_superuser"]
        return fields

    @admin.display(description="Password")
    def password_status(self, obj: Person) -> str:
        if obj.has_usable_password():
            return "Set"
        return "Not set: they cannot log in with a password"

    @admin.display(description="Password")
    def password_with_link(self, obj: Person) -> str:
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html(
            '{} (<a href="{}">set a new password</a>)', self.password_status(obj), url
        )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # No old password is asked for here, so a hijacked session must not be able to
        # use it: people change their own password on the profile pages.
        if not request.user.is_superuser:
            raise PermissionDenied
        response: HttpResponse = super().user_change_password(request, id, form_url)
        return response


class InvitationStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("open", "Waiting"), ("accepted", "Accepted"), ("withdrawn", "Withdrawn")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "open":
            return queryset.filter(
                accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
            )
        if value == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if value == "withdrawn":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Invitation)
class InvitationAdmin(ScopedModelAdmin):
    """Invitations are sent from the organisation's page (which emails the link);
    here they can be reviewed and withdrawn. Nothing about the token is shown."""

    list_display = (
        "email",
        "target_name",
        "collaborative",
        "kind",
        "status",
        "created_at",
        "expires_at",
    )
    list_filter = (InvitationStatusFilter, "kind")
    search_fields = ("email", "full_name", "organisation__name", "collaborative__name")
    list_select_related = ("organisation", "collaborative", "invited_by")
    actions = ("withdraw",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in Invitation._meta.fields if f.name not in ("id", "token_hash")]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.get_fields(request, obj)

    def _may_manage(self, request: HttpRequest, obj: Any) -> bool:
        """As on the pages: programme managers manage invitations to join their organisation,
        collaborative leads those that bring an organisation into their collaborative."""
        if obj is None:
            return self.may(request, "organisations.invite_to_organisation") or self.may(
                request, "organisations.manage_collaborative_members"
            )
        if obj.kind == InvitationKind.STAFF:
            return obj.organisation_id is not None and self.may(
                request, "organisations.invite_to_organisation", obj.organisation
            )
        return obj.collaborative_id is not None and self.may(
            request, "organisations.manage_collaborative_members", obj.collaborative
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sent from the pages, which email the link; nobody else sees the token

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request, obj)

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        orgs = roles.managed_org_ids | roles.orgs_in(roles.admin_collab_ids)
        return qs.filter(
            Q(kind=InvitationKind.STAFF, organisation_id__in=orgs)
            | Q(kind=InvitationKind.ORGANISATION, collaborative_id__in=roles.managing_collab_ids)
        )

    @admin.action(description="Withdraw the selected invitations", permissions=["change"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        done = skipped = 0
        for invitation in queryset:
            if not invitation.is_open or not self.has_change_permission(request, invitation):
                skipped += 1
                continue
            try:
                services.invitation_revoke(actor=request.user, invitation=invitation)  # type: ignore[arg-type]
            except services.InvitationError:
                skipped += 1
            else:
                done += 1
        self.message_user(request, f"Withdrew {done} invitation(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} invitation(s) were already accepted, withdrawn or expired, "
                "or are not yours to withdraw, and were left as they were.",
                messages.WARNING,
            )


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedModelAdmin):
    """A person's API tokens: listed and revoked, never created or read back here."""

    list_display = ("name", "person", "key_prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "person__full_name", "person__email", "key_prefix")
    list_select_related = ("person",)
    fields = ("name", "person", "key_prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke",)

    def scope_queryset(
        self, request: HttpRequest, qs: QuerySet[Any], roles: Roles
    ) -> QuerySet[Any]:
        return qs.filter(person_id=request.user.pk)

    def _own(self, request: HttpRequest, obj: Any) -> bool:
        if not is_operator(request.user):
            return False
        return bool(request.user.is_superuser) or obj is None or obj.person_id == request.user.pk

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # created on the tokens page, the only place the key is ever shown

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._own(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._own(request, obj)

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        done = 0
        for token in queryset.filter(revoked_at__isnull=True):
            if not self.has_change_permission(request, token):
                continue
            if token.person_id == request.user.pk:
                services.api_token_revoke(actor=request.user, token=token)
            else:
                # The service lets people revoke only their own tokens; a superuser
                # stopping someone else's (a leaked key, say) is the operator's override.
                token.revoked_at = timezone.now()
                token.save(update_fields=["revoked_at"])
            done += 1
        self.message_user(request, f"Revoked {done} token(s).", messages.SUCCESS)
