"""Display logic for people, invitations and API tokens: status tags and table rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qicollab.accounts.models import ApiToken, Invitation, InvitationKind, Person, Profession
from qicollab.organisations.models import AffiliationRole

# NHS.UK tag colours: waiting is in progress, accepted is done, the rest need no action.
STATUS_COLOURS = {"Waiting": "blue", "Accepted": "green", "Withdrawn": "grey", "Expired": "orange"}


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    status: str
    colour: str
    role: str
    what: str
    can_manage: bool

    @property
    def can_withdraw(self) -> bool:
        return self.can_manage and self.status == "Waiting"

    @property
    def can_resend(self) -> bool:
        return self.can_manage and self.status != "Accepted"


def invitation_rows(invitations: Any, *, viewer: Any) -> list[InvitationRow]:
    """Rows for the invitations table, with the actions this viewer may take on each."""
    rows = []
    for inv in invitations:
        if inv.kind == InvitationKind.STAFF:
            perm, obj = "organisations.invite_to_organisation", inv.organisation
            what = f"Join {inv.organisation}"
        else:
            perm, obj = "organisations.manage_collaborative_members", inv.collaborative
            what = f"Bring {inv.target_name} into {inv.collaborative}"
        role = AffiliationRole(inv.role).label if inv.role in AffiliationRole.values else inv.role
        rows.append(
            InvitationRow(
                invitation=inv,
                status=inv.status,
                colour=STATUS_COLOURS[inv.status],
                role=role,
                what=what,
                can_manage=viewer.has_perm(perm, obj),
            )
        )
    return rows


def token_status(token: ApiToken) -> tuple[str, str]:
    """(text, tag colour) for an API token."""
    return ("Active", "green") if token.is_active else ("Revoked", "grey")


# --- People ------------------------------------------------------------------------------


def shown_profession(person: Any, *, lived_visible: bool | None = None) -> str:
    """The profession code a viewer may see.

    "Lived-experience partner" as a profession says what the private lived-experience flag
    says, so it is shown only to viewers who may see that flag
    (``accounts.view_lived_experience``); to anyone else the profession is not recorded.
    ``lived_visible`` defaults to the ``lived_experience_visible`` annotation of
    :func:`qicollab.accounts.selectors.person_list`, and to hiding it when absent.
    """
    if lived_visible is None:
        lived_visible = bool(getattr(person, "lived_experience_visible", False))
    code = str(person.profession or "")
    if code == Profession.LIVED_EXPERIENCE and not lived_visible:
        return ""
    return code


def shown_profession_label(person: Any, *, lived_visible: bool | None = None) -> str:
    """The label of :func:`shown_profession` ("" when none may be shown)."""
    code = shown_profession(person, lived_visible=lived_visible)
    return str(Profession(code).label) if code in Profession.values else ""


@dataclass(frozen=True)
class PersonRow:
    """A row of the people directory."""

    person: Person
    profession: str


def person_rows(people: Any) -> list[PersonRow]:
    """Directory rows; each person must carry the ``lived_experience_visible`` annotation."""
    return [PersonRow(person=p, profession=shown_profession_label(p)) for p in people]
