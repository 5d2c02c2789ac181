from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qicollab.capability import selectors
from qicollab.capability.models import CapabilityGoal, SelfAssessment, SubjectArea
from qicollab.capability.services import Answer, self_assessment_create, subject_areas_seed


def all_at(subjects: list[SubjectArea], level: int) -> dict[int, Answer]:
    return {s.pk: Answer(level) for s in subjects}


def test_seed_adds_the_ten_default_subjects_once(world: Any) -> None:
    lead = world.people["collab_lead"]
    assert subject_areas_seed(actor=lead, collaborative=world.collab) == 10
    assert subject_areas_seed(actor=lead, collaborative=world.collab) == 0
    names = set(SubjectArea.objects.values_list("name", flat=True))
    assert {"Model for Improvement", "Safety culture", "Human factors and SBAR"} <= names
    with pytest.raises(PermissionDenied):
        subject_areas_seed(actor=world.people["staff_a"], collaborative=world.collab)


def test_assessment_records_a_level_per_subject_and_the_organisation(
    world: Any, subjects: list[SubjectArea]
) -> None:
    staff = world.people["staff_a"]
    answers = all_at(subjects, 1)
    answers[subjects[0].pk] = Answer(3, "  Led two projects  ")
    a = self_assessment_create(actor=staff, collaborative=world.collab, answers=answers)
    assert a.organisation == world.trust_a
    items = {i.subject_id: i for i in a.items.all()}
    assert len(items) == 10
    assert items[subjects[0].pk].level == 3
    assert items[subjects[0].pk].evidence == "Led two projects"


def test_missing_subjects_are_refused_by_name(world: Any, subjects: list[SubjectArea]) -> None:
    answers = all_at(subjects, 2)
    del answers[subjects[1].pk]
    del answers[subjects[4].pk]
    with pytest.raises(ValidationError) as exc:
        self_assessment_create(
            actor=world.people["staff_a"], collaborative=world.collab, answers=answers
        )
    msg = exc.value.messages[0]
    assert subjects[1].name in msg and subjects[4].name in msg
    assert subjects[0].name not in msg
    assert not SelfAssessment.objects.exists()


def test_bad_level_and_foreign_subject_are_refused(world: Any, subjects: list[SubjectArea]) -> None:
    staff = world.people["staff_a"]
    answers = all_at(subjects, 2)
    answers[subjects[0].pk] = Answer(4)
    with pytest.raises(ValidationError, match="Learn, Live or Lead"):
        self_assessment_create(actor=staff, collaborative=world.collab, answers=answers)
    answers = all_at(subjects, 2)
    answers[999999] = Answer(1)
    with pytest.raises(ValidationError, match="not part of this collaborative"):
        self_assessment_create(actor=staff, collaborative=world.collab, answers=answers)


def test_outsider_and_other_collaborative_member_cannot_assess(
    world: Any, subjects: list[SubjectArea]
) -> None:
    for who in ("outsider", "pm_o"):
        with pytest.raises(PermissionDenied):
            self_assessment_create(
                actor=world.people[who], collaborative=world.collab, answers=all_at(subjects, 1)
            )


def test_aggregates_count_latest_levels_movement_and_change(
    world: Any, subjects: list[SubjectArea]
) -> None:
    p = world.people
    s0 = subjects[0]
    day1, day2 = dt.date(2025, 1, 10), dt.date(2025, 6, 10)
    self_assessment_create(
        actor=p["staff_a"],
        collaborative=world.collab,
        answers=all_at(subjects, 1),
        assessed_on=day1,
    )
    later = all_at(subjects, 1)
    later[s0.pk] = Answer(2)
    self_assessment_create(
        actor=p["staff_a"], collaborative=world.collab, answers=later, assessed_on=day2
    )
    self_assessment_create(
        actor=p["staff_b"],
        collaborative=world.collab,
        answers=all_at(subjects, 1),
        assessed_on=day2,
    )
    CapabilityGoal.objects.create(
        collaborative=world.collab, baseline_on=dt.date(2025, 2, 1), target_on=dt.date(2026, 3, 31)
    )
    agg = selectors.capability_aggregates(collaborative=world.collab)
    assert agg.members_assessed == 2
    row = next(r for r in agg.rows if r.subject == s0)
    assert row.at_level == {1: 1, 2: 1, 3: 0}
    assert row.moved_up == 1
    assert not row.mostly_learning  # 1 of 2 at Learn is not most
    other = next(r for r in agg.rows if r.subject == subjects[1])
    assert other.mostly_learning and other.moved_up == 0
    assert agg.change is not None
    assert (agg.change.baseline, agg.change.current, agg.change.percent) == (1, 2, 100.0)
    # By organisation: trust B only has staff_b
    agg_b = selectors.capability_aggregates(collaborative=world.collab, organisation=world.trust_b)
    assert agg_b.members_assessed == 1
    # the moved-up definition counts staff_a only
    CapabilityGoal.objects.filter(collaborative=world.collab).update(rule="moved_up")
    assert selectors.members_counting(collaborative=world.collab, on=day2) == 1
    assert selectors.members_counting(collaborative=world.collab, on=day1) == 0
