"""Who may see a self-assessment: the person, their organisation's programme manager, faculty.

Everyone else sees aggregates only (``capability.view_aggregates``).
"""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for
from qicollab.capability.models import SelfAssessment
from qicollab.organisations.models import Collaborative


@rules.predicate
def can_view_assessment(user: Any, a: SelfAssessment | None) -> bool:
    r = roles_for(user)
    if a is None:
        return r.is_authenticated
    return (
        r.is_superuser
        or a.person_id == r.person_id
        or (a.organisation_id is not None and a.organisation_id in r.managed_org_ids)
        or a.collaborative_id in r.coordinator_collab_ids
    )


@rules.predicate
def can_assess_in(user: Any, collab: Collaborative | None) -> bool:
    """Members of the collaborative's organisations, and its faculty, assess themselves."""
    r = roles_for(user)
    if collab is None:
        return bool(r.member_collab_ids or r.coordinator_collab_ids)
    return collab.pk in r.member_collab_ids or collab.pk in r.coordinator_collab_ids


@rules.predicate
def can_view_aggregates(user: Any, collab: Collaborative | None) -> bool:
    r = roles_for(user)
    if collab is None:
        return bool(r.visible_collab_ids)
    return r.is_superuser or collab.pk in r.visible_collab_ids


@rules.predicate
def can_manage_framework(user: Any, collab: Collaborative | None) -> bool:
    r = roles_for(user)
    if collab is None:
        return bool(r.coordinator_collab_ids)
    return r.is_superuser or collab.pk in r.coordinator_collab_ids


rules.add_perm("capability.view_assessment", can_view_assessment)
rules.add_perm("capability.assess_in", can_assess_in)
rules.add_perm("capability.view_aggregates", can_view_aggregates)
rules.add_perm("capability.manage_framework", can_manage_framework)
