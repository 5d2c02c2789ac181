"""Invitations: programme managers invite staff, collaborative leads invite organisations.

The accept page is reached from an emailed link, often by someone with no account yet. It
never fails with a server error: an unknown, used, withdrawn or expired link gets a page
that says what happened and what to do.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from qicollab.accounts import selectors, services
from qicollab.accounts.forms import (
    ROLE_HINTS,
    AcceptInvitationForm,
    InvitationForm,
    OrganisationInvitationForm,
)
from qicollab.accounts.models import Invitation, InvitationKind, Person
from qicollab.accounts.presenters import invitation_rows
from qicollab.core.forms import add_service_error
from qicollab.core.http import found, paginate, pagination_context, require, safe_next
from qicollab.organisations import selectors as org_selectors
from qicollab.organisations.models import AffiliationRole, Collaborative, Organisation

ORGS = ("Organisations", "/organisations/")
COLLABS = ("Collaboratives", "/collaboratives/")
EMAIL_FAILED = (
    "We could not send the invitation email, so nothing has been saved. "
    "Try again in a few minutes. If it keeps happening, tell your qicollab administrator."
)


def _org_crumbs(org: Organisation, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [ORGS, (org.name, org.get_absolute_url()), *extra]


def _list_url(org: Organisation) -> str:
    return reverse("accounts:invitation_list", args=[org.slug])


@login_required
def invitation_list(request: HttpRequest, slug: str) -> HttpResponse:
    org = found(org_selectors.organisation_get(viewer=request.user, slug=slug))
    require(request.user, "organisations.invite_to_organisation", org)
    page = paginate(request, selectors.invitation_list(organisation=org), 50)
    return render(
        request,
        "accounts/invitation_list.jinja",
        {
            "page_title": f"Invitations: {org.name}",
            "active_nav": "organisations",
            "breadcrumbs": _org_crumbs(org, ("Invitations", _list_url(org))),
            "org": org,
            "rows": invitation_rows(page.object_list, viewer=request.user),
            "page": page,
            "pagination": pagination_context(request, page),
        },
    )


@login_required
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    org = found(org_selectors.organisation_get(viewer=request.user, slug=slug))
    require(request.user, "organisations.invite_to_organisation", org)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
            )
        except services.InvitationError as exc:
            add_service_error(form, exc)
        except services.EmailNotSent:
            form.add_error(None, EMAIL_FAILED)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. The link works until "
                f"{invitation.expires_at:%d %B %Y}.",
            )
            return redirect(_list_url(org))
    return render(
        request,
        "accounts/invitation_form.jinja",
        {
            "page_title": f"Invite someone to {org.name}",
            "active_nav": "organisations",
            "breadcrumbs": _org_crumbs(org, ("Invitations", _list_url(org)), ("Invite", "")),
            "org": org,
            "form": form,
            "role_hints": {str(k): v for k, v in ROLE_HINTS.items()},
        },
    )


@login_required
def organisation_invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    collab = found(org_selectors.collaborative_get(viewer=request.user, slug=slug))
    require(request.user, "organisations.manage_collaborative_members", collab)
    form = OrganisationInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.organisation_invitation_create(
                actor=request.user,  # type: ignore[arg-type]
                collaborative=collab,
                email=data["email"],
                full_name=data["full_name"],
                details=form.details(),
            )
        except services.InvitationError as exc:
            add_service_error(form, exc)
        except services.EmailNotSent:
            form.add_error(None, EMAIL_FAILED)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email} to bring {invitation.target_name} into "
                f"{collab.display_name}.",
            )
            return redirect(reverse("accounts:organisation_invitation_create", args=[collab.slug]))
    page = paginate(request, selectors.collaborative_invitation_list(collaborative=collab), 50)
    return render(
        request,
        "accounts/organisation_invitation_form.jinja",
        {
            "page_title": f"Invite an organisation to {collab.display_name}",
            "active_nav": "collaboratives",
            "breadcrumbs": [
                COLLABS,
                (collab.name, collab.get_absolute_url()),
                ("Invite an organisation", ""),
            ],
            "collab": collab,
            "form": form,
            "rows": invitation_rows(page.object_list, viewer=request.user),
            "page": page,
            "pagination": pagination_context(request, page),
        },
    )


def _managed_invitation(request: HttpRequest, pk: int) -> Invitation:
    """The invitation, if the viewer can see it (else 404) and manage it (else 403)."""
    invitation = found(selectors.invitation_get(viewer=request.user, pk=pk))
    if invitation.kind == InvitationKind.STAFF:
        require(request.user, "organisations.invite_to_organisation", invitation.organisation)
    else:
        require(
            request.user, "organisations.manage_collaborative_members", invitation.collaborative
        )
    return invitation


def _back(request: HttpRequest, invitation: Invitation) -> str:
    if invitation.kind == InvitationKind.STAFF and invitation.organisation is not None:
        default = _list_url(invitation.organisation)
    else:
        assert invitation.collaborative is not None
        default = reverse(
            "accounts:organisation_invitation_create", args=[invitation.collaborative.slug]
        )
    return safe_next(request, default)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _managed_invitation(request, pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)  # type: ignore[arg-type]
    except services.InvitationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"The invitation to {invitation.email} has been withdrawn. Its link no longer works.",
        )
    return redirect(_back(request, invitation))


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _managed_invitation(request, pk)
    try:
        invitation = services.invitation_resend(actor=request.user, invitation=invitation)  # type: ignore[arg-type]
    except services.InvitationError as exc:
        messages.error(request, str(exc))
    except services.EmailNotSent:
        messages.error(request, EMAIL_FAILED)
    else:
        messages.success(
            request,
            f"A new invitation has been sent to {invitation.email}; the old link no longer "
            f"works. The new one works until {invitation.expires_at:%d %B %Y}.",
        )
    return redirect(_back(request, invitation))


# --- Accepting --------------------------------------------------------------------------

UNAVAILABLE = {
    "invalid": (
        404,
        "This invitation link does not work",
        "The link may have been copied wrongly, or a newer invitation has replaced it. "
        "Check you used the link from the latest email, or ask the person who invited you "
        "to send it again.",
    ),
    "accepted": (
        410,
        "This invitation has already been accepted",
        "Each invitation can be used once. If it was you, log in to continue.",
    ),
    "withdrawn": (
        410,
        "This invitation has been withdrawn",
        "The person who invited you has withdrawn it. Ask them if you still need to join.",
    ),
    "expired": (
        410,
        "This invitation has expired",
        "Invitations work for a limited time. Ask the person who invited you to send it again.",
    ),
}


def _what(invitation: Invitation) -> dict[str, Any]:
    """What accepting will do, in words, for the accept pages."""
    if invitation.kind == InvitationKind.STAFF:
        role = (
            AffiliationRole(invitation.role).label
            if invitation.role in AffiliationRole.values
            else ""
        )
        return {"summary": f"join {invitation.target_name} on qicollab", "role": role}
    collab: Collaborative | None = invitation.collaborative
    return {
        "summary": f"bring {invitation.target_name} into {collab} as its programme manager",
        "role": AffiliationRole.PROGRAMME_MANAGER.label,
    }


def _accepted(request: HttpRequest, invitation: Invitation, org: Organisation) -> HttpResponse:
    if invitation.kind == InvitationKind.STAFF:
        role = (
            AffiliationRole(invitation.role).label.lower()
            if invitation.role in AffiliationRole.values
            else ""
        )
        messages.success(request, f"Welcome to {org.name}. You have joined as a {role}.")
    else:
        messages.success(
            request,
            f"{org.name} has joined {invitation.collaborative}. You are its programme manager: "
            "you can now invite your colleagues.",
        )
    return redirect(org.get_absolute_url())


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token=token)
    problem = services.invitation_problem(invitation)
    if problem or invitation is None:
        status, title, body = UNAVAILABLE[problem or "invalid"]
        return render(
            request,
            "accounts/invitation_unavailable.jinja",
            {"page_title": title, "title": title, "body": body, "problem": problem},
            status=status,
        )
    context: dict[str, Any] = {
        "page_title": "Accept your invitation",
        "invitation": invitation,
        "what": _what(invitation),
    }
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            context["page_title"] = "This invitation is for someone else"
            return render(request, "accounts/invitation_wrong_person.jinja", context, status=403)
        if request.method == "POST":
            try:
                org = services.invitation_accept(invitation=invitation, person=user)
            except services.InvitationError as exc:
                context["error"] = str(exc)
            else:
                return _accepted(request, invitation, org)
        return render(request, "accounts/invitation_accept.jinja", context)

    existing = Person.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        context["closed"] = not existing.is_active
        context["login_url"] = reverse("accounts:login") + "?" + urlencode({"next": request.path})
        return render(request, "accounts/invitation_login.jinja", context)

    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            person, org = services.invitation_accept_as_new_person(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["new_password1"],
            )
        except services.InvitationError as exc:
            form.add_error(None, str(exc))
        except IntegrityError:
            # Someone created the account in another tab at the same moment.
            form.add_error(
                None, "An account with this email address already exists. Log in to accept."
            )
        else:
            auth_login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            return _accepted(request, invitation, org)
    context["form"] = form
    return render(request, "accounts/invitation_register.jinja", context)
