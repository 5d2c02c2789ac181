"""Permissions for learning from deaths.

* Case records: only the organisation's mortality-review team (no exception for platform
  superusers, programme managers or faculty).
* The quarterly dashboard (aggregates): the team, the organisation's programme manager, and
  the leads, faculty and national admins of its collaboratives.
* Team, settings and the access log: the organisation's programme manager (settings also
  the team's leads).
* The learning library: every member of the collaborative, its faculty and leads.

Predicates accept an :class:`Organisation`, or any object with ``organisation_id``.
"""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for
from qicollab.deaths.access import lead_org_ids, team_org_ids
from qicollab.organisations.models import Collaborative


def _org_id(obj: Any) -> int | None:
    if obj is None:
        return None
    return getattr(obj, "organisation_id", None) or getattr(obj, "pk", None)


@rules.predicate
def is_on_team(user: Any, obj: Any) -> bool:
    teams = team_org_ids(user)
    if obj is None:
        return bool(teams)
    return _org_id(obj) in teams


@rules.predicate
def is_team_lead(user: Any, obj: Any) -> bool:
    leads = lead_org_ids(user)
    if obj is None:
        return bool(leads)
    return _org_id(obj) in leads


@rules.predicate
def is_org_programme_manager(user: Any, obj: Any) -> bool:
    managed = roles_for(user).managed_org_ids
    if obj is None:
        return bool(managed)
    return _org_id(obj) in managed


@rules.predicate
def coordinates_org(user: Any, obj: Any) -> bool:
    r = roles_for(user)
    if obj is None:
        return bool(r.coordinated_org_ids)
    return _org_id(obj) in r.coordinated_org_ids


@rules.predicate
def can_view_library(user: Any, collab: Collaborative | None) -> bool:
    r = roles_for(user)
    if collab is None:
        return bool(r.visible_collab_ids)
    return collab.pk in r.visible_collab_ids


@rules.predicate
def can_view_collaborative_figures(user: Any, collab: Collaborative | None) -> bool:
    """Faculty, leads and national admins see every member's aggregates and sharing."""
    r = roles_for(user)
    if collab is None:
        return bool(r.coordinator_collab_ids)
    return collab.pk in r.coordinator_collab_ids


rules.add_perm("deaths.view_case", is_on_team)
rules.add_perm("deaths.change_case", is_on_team)
rules.add_perm("deaths.delete_case", is_team_lead)
rules.add_perm("deaths.approve_summary", is_team_lead)
rules.add_perm("deaths.view_dashboard", is_on_team | is_org_programme_manager | coordinates_org)
rules.add_perm("deaths.manage_team", is_org_programme_manager)
rules.add_perm("deaths.view_access_log", is_org_programme_manager)
rules.add_perm("deaths.change_settings", is_org_programme_manager | is_team_lead)
rules.add_perm("deaths.view_library", can_view_library)
rules.add_perm("deaths.view_collaborative_figures", can_view_collaborative_figures)
# Asked by the header on every page: the checks answered from the roles snapshot come
# first, so that only someone outside every collaborative costs the team lookup's query.
rules.add_perm(
    "deaths.view_any",
    can_view_library | is_org_programme_manager | coordinates_org | is_on_team,
)
