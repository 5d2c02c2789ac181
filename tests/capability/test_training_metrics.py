"""People trained: distinct completions by category and kind of person, checked by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from qicollab.capability import metrics
from qicollab.capability.models import EnrolmentStatus
from qicollab.insights import metrics as goal_metrics
from tests import factories as f

pytestmark = pytest.mark.django_db


def complete(cohort: Any, person: Any, on: date) -> Any:
    return f.EnrolmentFactory(
        cohort=cohort, person=person, status=EnrolmentStatus.COMPLETED, completed_on=on
    )


@pytest.fixture
def trained(world: Any) -> dict[str, Any]:
    """staff_a completes QI twice and human factors; partner_a completes QI; viewer_a
    completes QI late; staff_b withdraws; pm_o completes in another collaborative."""
    p = world.people
    qi = f.CohortFactory(course=f.CourseFactory(collaborative=world.collab, category="qi"))
    qi2 = f.CohortFactory(course=f.CourseFactory(collaborative=world.collab, category="qi"))
    hf = f.CohortFactory(
        course=f.CourseFactory(collaborative=world.collab, category="human_factors")
    )
    other = f.CohortFactory(course=f.CourseFactory(collaborative=world.other_collab))
    complete(qi, p["staff_a"], date(2025, 2, 1))
    complete(qi2, p["staff_a"], date(2025, 3, 1))
    complete(hf, p["staff_a"], date(2025, 3, 31))
    complete(qi, p["partner_a"], date(2025, 1, 1))
    complete(qi, p["viewer_a"], date(2025, 4, 1))  # after Q1
    f.EnrolmentFactory(
        cohort=qi, person=p["staff_b"], status="withdrawn", withdrawn_on=date(2025, 2, 1)
    )
    f.EnrolmentFactory(cohort=hf, person=p["pm_a"])  # still enrolled
    complete(other, p["pm_o"], date(2025, 2, 1))
    p["staff_a"].profession = "nursing"
    p["staff_a"].save()
    return {"qi": qi, "hf": hf}


def test_by_category_counts_distinct_people_in_the_window(world: Any, trained: Any) -> None:
    q1 = metrics.people_trained_by_category(
        [world.collab.pk], since=date(2025, 1, 1), until=date(2025, 3, 31)
    )
    assert q1["qi"] == 2  # staff_a once despite two QI courses, partner_a
    assert q1["human_factors"] == 1
    assert q1["measurement"] == 0 and set(q1) >= {"cultural_awareness", "other"}
    everything = metrics.people_trained_by_category([world.collab.pk])
    assert everything["qi"] == 3  # viewer_a too
    both = metrics.people_trained_by_category([world.collab.pk, world.other_collab.pk])
    assert both["qi"] == 4
    assert metrics.people_trained_by_category([]) == dict.fromkeys(both, 0)


def test_by_kind_derives_the_kind_from_person_and_affiliation(world: Any, trained: Any) -> None:
    kinds = metrics.people_trained_by_kind([world.collab.pk])
    # staff_a (staff affiliation), partner_a (partner + lived experience), viewer_a (other)
    assert kinds == {"staff": 1, "lived_experience": 1, "other": 1}
    q1_qi = metrics.people_trained_by_kind(
        [world.collab.pk], since=date(2025, 1, 1), until=date(2025, 3, 31), category="qi"
    )
    assert q1_qi == {"staff": 1, "lived_experience": 1, "other": 0}
    # A staff member recorded later as having lived experience counts as a partner.
    world.people["staff_a"].lived_experience = "patient"
    world.people["staff_a"].save()
    assert metrics.people_trained_by_kind([world.collab.pk])["lived_experience"] == 2


def test_staff_by_profession(world: Any, trained: Any) -> None:
    from qicollab.capability.selectors import staff_trained_by_profession

    assert staff_trained_by_profession([world.collab.pk]) == {"Nursing": 1}


def run(world: Any, **params: Any) -> goal_metrics.MetricValue:
    m = goal_metrics.get("people_trained")
    return m.compute(world.collab, date(2025, 1, 1), date(2025, 3, 31), params)


def test_people_trained_goal_metric(world: Any, trained: Any) -> None:
    v = run(world)
    assert (v.value, v.numerator) == (2.0, 2)  # staff_a, partner_a in Q1
    assert "Staff: 1" in v.detail and "Lived-experience partners and patients: 1" in v.detail
    assert run(world, category="human_factors").value == 1.0
    assert run(world, kind="lived_experience").value == 1.0
    assert run(world, category="qi", kind="other").value == 0.0
    bad = run(world, category="juggling")
    assert bad.value == 0.0 and "unknown training category" in bad.detail
    assert "unknown kind" in run(world, kind="robots").detail
