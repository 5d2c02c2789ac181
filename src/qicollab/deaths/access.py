"""Who is on which mortality-review team: read once per request, like the Roles snapshot.

A person sees an organisation's case records only while they are on its mortality-review
team *and* still belong to the organisation, so leaving the trust ends access at once.
"""

from __future__ import annotations

from typing import Any

from qicollab.accounts.roles import roles_for
from qicollab.deaths.choices import TeamRole

_CACHE_ATTR = "_qicollab_mortality_teams"


def team_roles(user: Any) -> dict[int, str]:
    """organisation id -> the person's team role there (reviewer or lead)."""
    r = roles_for(user)
    if not r.is_authenticated:
        return {}
    cached: dict[int, str] | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from qicollab.deaths.models import MortalityTeamMember

    teams = {
        org_id: role
        for org_id, role in MortalityTeamMember.objects.filter(person_id=user.pk).values_list(
            "organisation_id", "role"
        )
        if org_id in r.own_org_ids
    }
    setattr(user, _CACHE_ATTR, teams)
    return teams


def forget_team_roles(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def team_org_ids(user: Any) -> frozenset[int]:
    return frozenset(team_roles(user))


def lead_org_ids(user: Any) -> frozenset[int]:
    return frozenset(o for o, role in team_roles(user).items() if role == TeamRole.LEAD)
