"""Writes to people: profiles, invitations and API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from qicollab.accounts.emails import EmailNotSent, absolute_url, send_email
from qicollab.accounts.models import (
    ApiToken,
    CalendarFeedToken,
    Invitation,
    InvitationKind,
    Person,
    hash_token,
)
from qicollab.accounts.roles import forget_roles
from qicollab.core.services import ServiceError, apply_fields, attribute, save_as
from qicollab.organisations import services as org_services
from qicollab.organisations.models import (
    Affiliation,
    AffiliationRole,
    Collaborative,
    Organisation,
)


class InvitationError(ServiceError):
    """An invitation that breaks a business rule; the message is shown to the person.

    ``field`` names the form field the message belongs to, if any.
    """


class ApiTokenError(ServiceError):
    """A token request that breaks a rule; the message is shown to the person."""


@transaction.atomic
def person_update(*, actor: Person, person: Person, data: dict[str, Any]) -> Person:
    """Update a person's profile fields."""
    if apply_fields(person, data):
        attribute(person, actor)
        person.save()
    return person


# --- Invitations ---------------------------------------------------------------------


def _open_invitations() -> Any:
    return Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.INVITATION_VALID_DAYS)


def _person_with_email(email: str) -> Person | None:
    return Person.objects.filter(email__iexact=email).first()


def _check_staff_invitation(
    *, organisation: Organisation, email: str, exclude_pk: int | None = None
) -> None:
    if Affiliation.objects.filter(
        organisation=organisation, person__email__iexact=email, ended_on__isnull=True
    ).exists():
        raise InvitationError(f"{email} already belongs to {organisation}.", field="email")
    waiting = _open_invitations().filter(
        kind=InvitationKind.STAFF, organisation=organisation, email__iexact=email
    )
    if exclude_pk:
        waiting = waiting.exclude(pk=exclude_pk)
    if waiting.exists():
        raise InvitationError(
            f"An invitation to {email} is already waiting to be accepted. "
            "You can send it again from the list of invitations.",
            field="email",
        )


def _send_invitation(invitation: Invitation, token: str) -> None:
    template = (
        "invitation_staff" if invitation.kind == InvitationKind.STAFF else "invitation_organisation"
    )
    send_email(
        to=invitation.email,
        template=template,
        context={
            "invitation": invitation,
            "link": absolute_url(reverse("accounts:invitation_accept", args=[token])),
            "inviter": invitation.invited_by,
            "role": AffiliationRole(invitation.role).label
            if invitation.role in AffiliationRole.values
            else "",
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
    )


@transaction.atomic
def invitation_create(
    *,
    actor: Person,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: str,
    collaborative: Collaborative | None = None,
) -> Invitation:
    """Invite a person by email to join ``organisation`` with ``role``, and email them a link.

    Only the token's hash is stored; the link in the email is the only copy of the token.
    If the email cannot be sent nothing is saved (raises ``EmailNotSent``), so no one waits
    for an invitation that never arrived.
    """
    email = email.strip().lower()
    if role not in AffiliationRole.values:
        raise InvitationError("Choose a role from the list.", field="role")
    _check_staff_invitation(organisation=organisation, email=email)
    token = _new_token()
    invitation = Invitation(
        kind=InvitationKind.STAFF,
        email=email,
        full_name=full_name.strip(),
        organisation=organisation,
        collaborative=collaborative,
        role=role,
        invited_by=actor,
        token_hash=hash_token(token),
        sent_at=timezone.now(),
        expires_at=_expiry(),
    )
    save_as(invitation, actor)
    _send_invitation(invitation, token)
    return invitation


def _matching_organisation(details: dict[str, Any]) -> Organisation | None:
    """The organisation these details describe, if it is already on qicollab."""
    if details.get("ods_code"):
        return Organisation.objects.filter(ods_code=details["ods_code"]).first()
    return Organisation.objects.filter(name__iexact=details["name"]).first()


def _check_organisation_invitation(
    *,
    collaborative: Collaborative,
    email: str,
    details: dict[str, Any],
    exclude_pk: int | None = None,
) -> Organisation | None:
    existing = _matching_organisation(details)
    if existing is None:
        clash = Organisation.objects.filter(name__iexact=details["name"]).first()
        if clash is not None:
            code = f" (ODS code {clash.ods_code})" if clash.ods_code else ""
            raise InvitationError(
                f"An organisation called {clash.name} is already on qicollab{code}. "
                "Check the name and ODS code.",
                field="name",
            )
    elif collaborative.memberships.current().filter(organisation=existing).exists():
        raise InvitationError(
            f"{existing.name} is already a member of {collaborative}.", field="name"
        )
    waiting = _open_invitations().filter(
        kind=InvitationKind.ORGANISATION, collaborative=collaborative
    )
    if exclude_pk:
        waiting = waiting.exclude(pk=exclude_pk)
    same_org = (
        Q(organisation_details__ods_code=details["ods_code"])
        if details.get("ods_code")
        else Q(organisation_details__name__iexact=details["name"])
    )
    if waiting.filter(same_org | Q(email__iexact=email)).exists():
        raise InvitationError(
            "An invitation for this organisation or this email address is already waiting to "
            "be accepted. You can send it again from the list below."
        )
    return existing


@transaction.atomic
def organisation_invitation_create(
    *,
    actor: Person,
    collaborative: Collaborative,
    email: str,
    full_name: str,
    details: dict[str, Any],
) -> Invitation:
    """Invite an organisation into ``collaborative`` through its programme manager.

    ``details`` holds ``name``, ``org_type``, ``ods_code`` and ``region``. If the
    organisation is already on qicollab (same ODS code, or same name when there is no code)
    the invitation is linked to it, so its programme managers see it; otherwise it is
    created when the invitation is accepted.
    """
    email = email.strip().lower()
    details = {
        "name": details["name"].strip(),
        "org_type": details["org_type"],
        "ods_code": (details.get("ods_code") or "").strip().upper(),
        "region": details["region"],
    }
    existing = _check_organisation_invitation(
        collaborative=collaborative, email=email, details=details
    )
    token = _new_token()
    invitation = Invitation(
        kind=InvitationKind.ORGANISATION,
        email=email,
        full_name=full_name.strip(),
        organisation=existing,
        organisation_details=details,
        collaborative=collaborative,
        role=AffiliationRole.PROGRAMME_MANAGER,
        invited_by=actor,
        token_hash=hash_token(token),
        sent_at=timezone.now(),
        expires_at=_expiry(),
    )
    save_as(invitation, actor)
    _send_invitation(invitation, token)
    return invitation


@transaction.atomic
def invitation_resend(*, actor: Person, invitation: Invitation) -> Invitation:
    """Email a fresh link (the old one stops working) and restart the expiry clock.

    Works for waiting, expired and withdrawn invitations; an accepted one is done.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError(f"{invitation.email} has already accepted this invitation.")
    if invitation.kind == InvitationKind.STAFF:
        assert invitation.organisation is not None
        _check_staff_invitation(
            organisation=invitation.organisation, email=invitation.email, exclude_pk=invitation.pk
        )
    else:
        assert invitation.collaborative is not None
        invitation.organisation = _check_organisation_invitation(
            collaborative=invitation.collaborative,
            email=invitation.email,
            details=invitation.organisation_details,
            exclude_pk=invitation.pk,
        )
    token = _new_token()
    invitation.token_hash = hash_token(token)
    invitation.revoked_at = None
    invitation.sent_at = timezone.now()
    invitation.expires_at = _expiry()
    save_as(invitation, actor)
    _send_invitation(invitation, token)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Person, invitation: Invitation) -> Invitation:
    """Withdraw an invitation: its link stops working at once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError(f"{invitation.email} has already accepted this invitation.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        save_as(invitation, actor)
    return invitation


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why this invitation cannot be accepted now, or ``None`` if it can."""
    if invitation is None:
        return "invalid"
    if invitation.accepted_at:
        return "accepted"
    if invitation.revoked_at:
        return "withdrawn"
    if invitation.expires_at <= timezone.now():
        return "expired"
    return None


def _apply_organisation_invitation(*, invitation: Invitation, person: Person) -> Organisation:
    assert invitation.collaborative is not None
    details = invitation.organisation_details
    organisation = invitation.organisation or _matching_organisation(details)
    if organisation is None:
        if Organisation.objects.filter(name__iexact=details["name"]).exists():
            raise InvitationError(
                f"An organisation called {details['name']} joined qicollab after this invitation "
                "was sent, with different details. "
                "Ask the collaborative lead to send a new invitation."
            )
        organisation = org_services.organisation_create(
            actor=person,
            data={k: details[k] for k in ("name", "org_type", "ods_code", "region")},
        )
    membership = (
        invitation.collaborative.memberships.current().filter(organisation=organisation).first()
    )
    if membership is None:
        org_services.membership_add(
            actor=person,
            collaborative=invitation.collaborative,
            organisation=organisation,
            programme_manager=person,
        )
    else:
        # Joined some other way since the invitation was sent: the invitee still becomes its
        # programme manager, and its link person if it had none.
        if membership.programme_manager_id is None:
            org_services.membership_set_programme_manager(
                actor=person, membership=membership, person=person
            )
        else:
            org_services.affiliation_set(
                actor=person,
                person=person,
                organisation=organisation,
                role=AffiliationRole.PROGRAMME_MANAGER,
            )
    return organisation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, person: Person) -> Organisation:
    """Accept for ``person`` and return the organisation they joined.

    The invitation row is locked and re-checked inside the transaction, so two clicks (or
    two browsers) cannot both accept it.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation)
    if problem:
        raise InvitationError(
            {
                "accepted": "This invitation has already been accepted.",
                "withdrawn": "This invitation has been withdrawn.",
                "expired": "This invitation has expired.",
            }[problem]
        )
    if person.email.lower() != invitation.email.lower():
        raise InvitationError("This invitation was sent to a different email address.")
    if not person.is_active:
        raise InvitationError("This account has been closed.")
    if invitation.kind == InvitationKind.STAFF:
        assert invitation.organisation is not None
        organisation = invitation.organisation
        org_services.affiliation_set(
            actor=person, person=person, organisation=organisation, role=invitation.role
        )
    else:
        organisation = _apply_organisation_invitation(invitation=invitation, person=person)
        invitation.organisation = organisation
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    save_as(invitation, person)
    forget_roles(person)
    return organisation


@transaction.atomic
def invitation_accept_as_new_person(
    *, invitation: Invitation, full_name: str, password: str
) -> tuple[Person, Organisation]:
    """Create the invited person's account and accept, all or nothing."""
    if _person_with_email(invitation.email):
        raise InvitationError(
            "An account with this email address already exists. Log in to accept."
        )
    person = Person(email=invitation.email.lower(), full_name=full_name.strip())
    person.set_password(password)
    save_as(person, None)
    organisation = invitation_accept(invitation=invitation, person=person)
    return person, organisation


# --- API tokens ----------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, actor: Person, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; returns it with the full key, which is never stored."""
    name = name.strip()
    if not name:
        raise ApiTokenError("Enter a name for the token.")
    if actor.api_tokens.filter(name__iexact=name, revoked_at__isnull=True).exists():
        raise ApiTokenError(
            f"You already have a token called '{name}'. Give this one a different name, "
            "or revoke the old one first."
        )
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        person=actor,
        name=name,
        key_prefix=key[:12],
        key_hash=hash_token(key),
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Person, token: ApiToken) -> ApiToken:
    """Stop a token working at once. People revoke only their own tokens."""
    if token.person_id != actor.pk:
        raise PermissionDenied("Not your token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# --- calendar feed links ----------------------------------------------------------------


@transaction.atomic
def calendar_token_reset(*, actor: Person) -> tuple[CalendarFeedToken, str]:
    """Give the person a new calendar link, revoking any old one; returns it with the key.

    Only the key's hash is stored, so the link can be shown once; losing it means a reset.
    """
    # Lock the person's row so two resets at once cannot both leave an active link.
    Person.objects.select_for_update().filter(pk=actor.pk).first()
    actor.calendar_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    key = CalendarFeedToken.generate_key()
    token = CalendarFeedToken.objects.create(
        person=actor, key_prefix=key[:10], key_hash=hash_token(key)
    )
    return token, key


@transaction.atomic
def calendar_token_revoke(*, actor: Person) -> int:
    """Stop the person's calendar link working; returns how many links were revoked (0 or 1)."""
    return actor.calendar_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def calendar_token_used(*, token: CalendarFeedToken) -> None:
    """Record use at most once an hour: calendar apps poll, and a poll should not write."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 3600:
        CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=now)


__all__ = [
    "ApiTokenError",
    "EmailNotSent",
    "InvitationError",
    "api_token_create",
    "api_token_revoke",
    "calendar_token_reset",
    "calendar_token_revoke",
    "calendar_token_used",
    "invitation_accept",
    "invitation_accept_as_new_person",
    "invitation_create",
    "invitation_problem",
    "invitation_resend",
    "invitation_revoke",
    "organisation_invitation_create",
    "person_update",
    "save_as",
]
