"""Writes for the 3 L's: subject areas and self-assessments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qicollab.accounts.roles import roles_for
from qicollab.capability.defaults import DEFAULT_SUBJECTS
from qicollab.capability.models import AssessmentItem, Level, SelfAssessment, SubjectArea
from qicollab.organisations.models import Collaborative


@dataclass(frozen=True)
class Answer:
    level: int
    evidence: str = ""


def subject_areas_seed(*, actor: Any, collaborative: Collaborative) -> int:
    """Add any of the default subject areas the collaborative does not have yet."""
    if not actor.has_perm("capability.manage_framework", collaborative):
        raise PermissionDenied
    made = 0
    with transaction.atomic():
        for order, (slug, name, learn, live, lead) in enumerate(DEFAULT_SUBJECTS):
            _, created = SubjectArea.objects.get_or_create(
                collaborative=collaborative,
                slug=slug,
                defaults={
                    "name": name,
                    "order": order,
                    "learn_descriptor": learn,
                    "live_descriptor": live,
                    "lead_descriptor": lead,
                },
            )
            made += created
    return made


def _member_org_id(person: Any, collaborative: Collaborative) -> int | None:
    """The person's organisation in this collaborative (lowest id if they have several)."""
    r = roles_for(person)
    orgs = sorted(r.own_org_ids & r.collab_org_ids.get(collaborative.pk, frozenset()))
    return orgs[0] if orgs else None


def self_assessment_create(
    *,
    actor: Any,
    collaborative: Collaborative,
    answers: Mapping[int, Answer],
    assessed_on: dt.date | None = None,
    note: str = "",
) -> SelfAssessment:
    """Record a complete assessment: one level for every active subject area.

    A missing subject is refused with a message naming it, so the set stays comparable
    from one learning session to the next.
    """
    if not actor.has_perm("capability.assess_in", collaborative):
        raise PermissionDenied
    subjects = list(SubjectArea.objects.filter(collaborative=collaborative, is_active=True))
    if not subjects:
        raise ValidationError("This collaborative has no subject areas to assess yet.")
    by_id = {s.pk: s for s in subjects}
    missing = [s.name for s in subjects if s.pk not in answers]
    if missing:
        raise ValidationError(
            "Choose a level for every subject area. Missing: " + ", ".join(missing) + "."
        )
    unknown = set(answers) - set(by_id)
    if unknown:
        raise ValidationError("One of the subject areas is not part of this collaborative.")
    for sid, ans in answers.items():
        if ans.level not in Level.values:
            raise ValidationError(f"Choose Learn, Live or Lead for {by_id[sid].name}.")
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise ValidationError("The assessment date cannot be in the future.")
    with transaction.atomic():
        assessment = SelfAssessment.objects.create(
            person=actor,
            collaborative=collaborative,
            organisation_id=_member_org_id(actor, collaborative),
            assessed_on=assessed_on,
            note=note[:200],
        )
        AssessmentItem.objects.bulk_create(
            AssessmentItem(
                assessment=assessment,
                subject=by_id[sid],
                level=ans.level,
                evidence=ans.evidence.strip(),
            )
            for sid, ans in answers.items()
        )
    return assessment
