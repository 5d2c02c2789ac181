"""Who may do what with safety-culture surveys.

Results belong to the team: only the wave's team leader, its facilitator and the people the
leader shared them with see them. The organisation's programme managers run the wave
(units, dates, links and codes, response counts) but do not see results unless they are one
of those people. Collaborative coordinators and the national programme see participation
figures only (:func:`can_view_participation`).
"""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for
from qicollab.culture.models import ResultShare, Wave
from qicollab.organisations.models import Collaborative


def _results_people(user: Any, wave: Wave) -> bool:
    if user.pk is None:
        return False
    if user.pk in (wave.team_leader_id, wave.facilitator_id):
        return True
    return ResultShare.objects.filter(wave=wave, person_id=user.pk).exists()


@rules.predicate
def can_view_wave(user: Any, wave: Wave | None) -> bool:
    """The wave's existence: its organisation's people, its leader, facilitator and shares."""
    r = roles_for(user)
    if not r.is_authenticated:
        return False
    if wave is None:
        return bool(r.own_org_ids)
    return r.is_superuser or wave.organisation_id in r.own_org_ids or _results_people(user, wave)


@rules.predicate
def can_manage_wave(user: Any, wave: Wave | None) -> bool:
    """Set up and run waves: the organisation's programme managers."""
    r = roles_for(user)
    if wave is None:
        return r.is_superuser or bool(r.managed_org_ids)
    return r.is_superuser or wave.organisation_id in r.managed_org_ids


@rules.predicate
def can_view_results(user: Any, wave: Wave | None) -> bool:
    """Never the collaborative, the national programme or a superuser as such."""
    if wave is None or not getattr(user, "is_authenticated", False):
        return False
    return _results_people(user, wave)


@rules.predicate
def can_lead(user: Any, wave: Wave | None) -> bool:
    return wave is not None and getattr(user, "pk", None) == wave.team_leader_id


@rules.predicate
def can_record_debrief(user: Any, wave: Wave | None) -> bool:
    return wave is not None and getattr(user, "pk", None) in (
        wave.team_leader_id,
        wave.facilitator_id,
    )


@rules.predicate
def can_view_participation(user: Any, collaborative: Collaborative | None) -> bool:
    """Participation figures: coordinators, national admins and member programme managers."""
    r = roles_for(user)
    if collaborative is None:
        return r.is_national_admin or bool(r.coordinator_collab_ids) or bool(r.managed_org_ids)
    if r.is_superuser or collaborative.pk in r.coordinator_collab_ids:
        return True
    members = r.collab_org_ids.get(collaborative.pk, frozenset())
    return bool(members & r.managed_org_ids)


rules.add_perm("culture.view_wave", can_view_wave)
rules.add_perm("culture.add_wave", can_manage_wave)
rules.add_perm("culture.manage_wave", can_manage_wave)
rules.add_perm("culture.view_results", can_view_results)
rules.add_perm("culture.share_results", can_lead)
rules.add_perm("culture.record_debrief", can_record_debrief)
rules.add_perm("culture.view_participation", can_view_participation)
rules.add_perm("culture.view_instrument", rules.is_authenticated)
rules.add_perm("culture.load_instrument", rules.is_superuser)
