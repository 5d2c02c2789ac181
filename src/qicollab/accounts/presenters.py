"""Display logic for invitations and API tokens: status tags and table rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qicollab.accounts.models import ApiToken, Invitation, InvitationKind
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
