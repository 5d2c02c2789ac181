"""A goal's periods, series and status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from qicollab.collaborative import goals, metrics
from qicollab.collaborative.goals import Status, periods, status_of
from qicollab.collaborative.models import ProgrammeGoal
from tests.collaborative.conftest import make_project


def test_quarters_from_baseline_to_today() -> None:
    ps = periods(date(2025, 2, 14), date(2025, 8, 3), "quarter")
    assert ps == [
        (date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 4, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 8, 3)),  # the current quarter ends today
    ]


def test_months_cross_the_year() -> None:
    ps = periods(date(2024, 11, 30), date(2025, 1, 10), "month")
    assert [p[0] for p in ps] == [date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1)]
    assert ps[1][1] == date(2024, 12, 31)


def test_baseline_in_the_future_has_no_periods() -> None:
    assert periods(date(2030, 1, 1), date(2025, 1, 1), "quarter") == []


def _status(
    values: list[float],
    *,
    target: float = 100,
    direction: str = "increase",
    today: date = date(2025, 7, 1),
) -> tuple[Status, float | None]:
    return status_of(
        values,
        target=target,
        direction=direction,
        first_start=date(2025, 1, 1),
        latest_end=date(2025, 7, 1),
        deadline=date(2026, 1, 1),
        today=today,
    )


def test_status_rule() -> None:
    assert _status([])[0] is Status.NO_DATA
    assert _status([40, 100])[0] is Status.ACHIEVED
    # Halfway through (181 of 365 days) the line from 40 to 100 is at about 70.
    status, expected = _status([40, 75])
    assert status is Status.ON_TRACK and expected == pytest.approx(40 + 60 * 181 / 365)
    assert _status([40, 60])[0] is Status.NOT_ON_TRACK
    assert _status([40, 99], today=date(2026, 2, 1))[0] is Status.NOT_ON_TRACK  # deadline passed
    # Lower is better.
    assert _status([20, 5], target=5, direction="decrease")[0] is Status.ACHIEVED
    assert _status([20, 18], target=5, direction="decrease")[0] is Status.NOT_ON_TRACK
    assert _status([20, 10], target=5, direction="decrease")[0] is Status.ON_TRACK


@pytest.mark.django_db
def test_goal_series_counts_each_quarter(world: Any) -> None:
    for d in (date(2025, 1, 5), date(2025, 2, 5), date(2025, 5, 5)):
        make_project(world, start_date=d)
    goal = ProgrammeGoal.objects.create(
        collaborative=world.collab,
        slug="g",
        statement="Start projects",
        metric_key="projects_started",
        baseline_date=date(2025, 1, 1),
        target_value=Decimal("2"),
        deadline=date(2025, 12, 31),
    )
    s = goals.goal_series(goal, today=date(2025, 8, 1))
    assert [p.value.value for p in s.points] == [2.0, 1.0, 0.0]
    assert [p.label for p in s.points] == [
        "Jan to Mar 2025",
        "Apr to Jun 2025",
        "Jul to Aug 2025 (so far)",
    ]
    # Judged on April to June (1), not the running quarter: below the line from 2 to 2.
    assert s.status is Status.NOT_ON_TRACK and s.expected == 2.0
    assert [p.complete for p in s.points] == [True, True, False]
    # Once the Apr-Jun value reaches the target the goal is achieved, whatever July says so far.
    make_project(world, start_date=date(2025, 6, 1))
    assert goals.goal_series(goal, today=date(2025, 8, 1)).status is Status.ACHIEVED
    assert goals.goal_series(goal, today=date(2025, 9, 30)).points[-1].complete


@pytest.mark.django_db
def test_unknown_metric_and_no_data_source_are_said_plainly(world: Any, monkeypatch: Any) -> None:
    # A metric with no data source (as people_trained was before training records existed).
    monkeypatch.setitem(
        metrics.REGISTRY,
        "no_source",
        metrics.Metric(
            "no_source",
            "No source",
            "",
            lambda c, s, e, p: metrics.MetricValue(0.0, None, None, metrics.NO_DATA_SOURCE),
        ),
    )
    unknown = ProgrammeGoal.objects.create(
        collaborative=world.collab,
        slug="u",
        statement="x",
        metric_key="gone",
        baseline_date=date(2025, 1, 1),
        target_value=1,
        deadline=date(2026, 1, 1),
    )
    s = goals.goal_series(unknown, today=date(2025, 6, 1))
    assert s.status is Status.NO_DATA and "gone" in s.problem
    trained = ProgrammeGoal.objects.create(
        collaborative=world.collab,
        slug="t",
        statement="Train people",
        metric_key="no_source",
        baseline_date=date(2025, 1, 1),
        target_value=1,
        deadline=date(2026, 1, 1),
    )
    s = goals.goal_series(trained, today=date(2025, 6, 1))
    assert s.status is Status.NO_DATA and "reads zero" in s.problem
    assert [p.value.value for p in s.points] == [0.0, 0.0]


@pytest.mark.django_db
def test_nothing_to_count_is_no_data_not_failure(world: Any) -> None:
    goal = ProgrammeGoal.objects.create(
        collaborative=world.collab,
        slug="s",
        statement="60% of projects at 3.5 or more",
        metric_key="projects_at_score_pct",
        unit="%",
        baseline_date=date(2025, 1, 1),
        target_value=60,
        deadline=date(2026, 1, 1),
    )
    s = goals.goal_series(goal, today=date(2025, 6, 1))
    assert s.status is Status.NO_DATA and "no project has a score yet" in s.problem


def test_financial_years_start_in_april() -> None:
    ps = periods(date(2024, 2, 1), date(2025, 5, 1), "year")
    assert ps == [
        (date(2023, 4, 1), date(2024, 3, 31)),
        (date(2024, 4, 1), date(2025, 3, 31)),
        (date(2025, 4, 1), date(2025, 5, 1)),
    ]
    assert goals.Point(*ps[1], value=None, complete=True).label == "2024/25"  # type: ignore[arg-type]
