"""Who may see a self-assessment: the person, their organisation's programme manager, faculty.

Everyone else sees aggregates only (``capability.view_aggregates``).
"""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for
from qicollab.capability.models import Cohort, Enrolment, SelfAssessment
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


# --- Training records -----------------------------------------------------------------
#
# Courses are visible to everyone in the collaborative; faculty and leads (coordinators)
# run them. A person's record (enrolment, attendance, completion, certificate) is seen by
# the person, their organisation's programme manager and the coordinators, as with
# self-assessments; a cohort's facilitator also keeps its roster.


@rules.predicate
def can_manage_training(user: Any, collab: Collaborative | None) -> bool:
    r = roles_for(user)
    if collab is None:
        return r.is_superuser or bool(r.coordinator_collab_ids)
    return r.is_superuser or collab.pk in r.coordinator_collab_ids


@rules.predicate
def can_run_cohort(user: Any, cohort: Cohort | None) -> bool:
    """See the roster and mark attendance and completion: coordinators and the facilitator."""
    r = roles_for(user)
    if cohort is None:
        return r.is_superuser or bool(r.coordinator_collab_ids)
    return (
        r.is_superuser
        or cohort.course.collaborative_id in r.coordinator_collab_ids
        or (r.person_id is not None and cohort.facilitator_id == r.person_id)
    )


@rules.predicate
def can_view_enrolment(user: Any, e: Enrolment | None) -> bool:
    r = roles_for(user)
    if e is None:
        return r.is_authenticated
    return (
        r.is_superuser
        or e.person_id == r.person_id
        or (e.organisation_id is not None and e.organisation_id in r.managed_org_ids)
        or e.cohort.course.collaborative_id in r.coordinator_collab_ids
        or (r.person_id is not None and e.cohort.facilitator_id == r.person_id)
    )


@rules.predicate
def can_view_training_records(user: Any, collab: Collaborative | None) -> bool:
    """Other people's records: programme managers (their organisation's) and coordinators."""
    r = roles_for(user)
    if r.is_superuser:
        return True
    if collab is None:
        return bool(r.coordinator_collab_ids or r.managed_org_ids)
    return collab.pk in r.coordinator_collab_ids or bool(
        r.managed_org_ids & r.collab_org_ids.get(collab.pk, frozenset())
    )


rules.add_perm("capability.view_training", can_view_aggregates)
rules.add_perm("capability.manage_training", can_manage_training)
rules.add_perm("capability.run_cohort", can_run_cohort)
rules.add_perm("capability.view_enrolment", can_view_enrolment)
rules.add_perm("capability.view_training_records", can_view_training_records)
rules.add_perm("capability.view_assessment", can_view_assessment)
rules.add_perm("capability.assess_in", can_assess_in)
rules.add_perm("capability.view_aggregates", can_view_aggregates)
rules.add_perm("capability.manage_framework", can_manage_framework)
