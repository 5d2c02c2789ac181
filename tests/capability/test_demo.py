"""The capability demo step: growth between learning sessions, training completions with
lived-experience partners, a moving 3 L's goal, and a second run that makes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from qicollab.capability import metrics, selectors
from qicollab.capability.models import Enrolment, SelfAssessment
from qicollab.demo import content as c
from qicollab.demo import run_demo
from qicollab.insights import goals
from qicollab.organisations.models import Collaborative


@pytest.fixture(scope="module")
def _seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Seed once for the module; each test then runs (and rolls back) inside this transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        run_demo(only=["capability", "goals"])
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_seeded: None, db: Any) -> Collaborative:
    return Collaborative.objects.get(slug=c.MH_COLLABORATIVE.slug)


def test_assessments_across_trusts_at_four_sessions_with_growth(demo: Collaborative) -> None:
    dates = sorted(set(SelfAssessment.objects.values_list("assessed_on", flat=True)))
    assert len(dates) == 4
    orgs = set(SelfAssessment.objects.values_list("organisation_id", flat=True))
    assert len(orgs) >= 8
    first = selectors.members_counting(collaborative=demo, on=dates[0])
    last = selectors.members_counting(collaborative=demo, on=dates[-1])
    assert last > first > 10
    agg = selectors.capability_aggregates(collaborative=demo)
    assert sum(r.moved_up for r in agg.rows) > 0


def test_training_includes_lived_experience_partners(demo: Collaborative) -> None:
    by_kind = metrics.people_trained_by_kind([demo.pk])
    assert by_kind["staff"] > 20 and by_kind["lived_experience"] >= 3
    by_cat = metrics.people_trained_by_category([demo.pk])
    assert all(by_cat[k] > 0 for k in ("qi", "cultural_awareness", "human_factors"))
    statuses = set(Enrolment.objects.values_list("status", flat=True))
    assert statuses == {"enrolled", "completed", "withdrawn"}


def test_learn_live_lead_goal_moves(demo: Collaborative) -> None:
    goal = demo.programme_goals.get(slug="learn-live-lead")
    values = [p.value.value for p in goals.goal_series(goal).points]
    assert len(set(values)) > 1 and values[-1] > values[0]
    trained = goals.goal_series(demo.programme_goals.get(slug="people-trained"))
    assert trained.points[-1].value.value > 0


def test_second_run_creates_nothing(
    demo: Collaborative, django_assert_max_num_queries: Any
) -> None:
    results = run_demo(only=["capability"])
    step = next(r for r in results if r.step.key == "capability")
    assert (step.stats.created, step.stats.updated) == (0, 0)
    refreshed = run_demo(only=["capability"], refresh=True)
    step = next(r for r in refreshed if r.step.key == "capability")
    assert (step.stats.created, step.stats.updated) == (0, 0)
