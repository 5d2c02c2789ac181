"""A goal's periods, series and status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from qicollab.collaborative.models import ProgrammeGoal
from qicollab.insights import goals, metrics
from qicollab.insights.goals import Status, periods, status_of
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


# --- what the pages show beside the status ------------------------------------------------


def _yearly_goal(world: Any, **kw: Any) -> ProgrammeGoal:
    return ProgrammeGoal.objects.create(
        collaborative=world.collab,
        slug=kw.pop("slug", "y"),
        statement="Start two projects a year",
        metric_key="projects_started",
        period="year",
        baseline_date=date(2023, 4, 1),
        target_value=Decimal("2"),
        deadline=date(2027, 3, 31),
        **kw,
    )


@pytest.mark.django_db
def test_the_status_is_shown_with_the_value_and_period_it_was_judged_on(
    world: Any, login: Any
) -> None:
    """ "Achieved" beside "Latest 1 (so far)" against a target of 2 contradicted itself."""
    from django.urls import reverse

    for d in (date(2024, 5, 1), date(2024, 9, 1), date(2025, 6, 1)):
        make_project(world, start_date=d)
    goal = _yearly_goal(world)
    s = goals.goal_series(goal, today=date(2025, 11, 1))
    assert s.status is Status.ACHIEVED
    assert s.judged is not None and s.judged.label == "2024/25" and s.judged.value.value == 2
    assert s.running is not None and s.running.label == "2025/26 (so far)"
    assert s.running.value.value == 1

    from qicollab.insights.views import goals as goals_mod

    assert goals_mod is goals  # the pages read the same series
    c = login(world.people["collab_lead"])
    detail = c.get(reverse("insights:goal_detail", args=[world.collab.slug, goal.slug]))
    text = detail.content.decode()
    # Today is later than 2025-11-01 for the page: the judged period is the latest complete one.
    page = goals.goal_series(goal)
    assert "Status judged on" in text and page.judged is not None
    assert page.judged.label in text
    if page.running is not None:
        assert "Running period, not yet judged" in text and page.running.label in text
    api = c.get(f"/api/collaboratives/{world.collab.slug}/dashboard").json()
    (row,) = [g for g in api["goals"] if g["slug"] == goal.slug]
    assert row["judged_period"] == page.judged.label
    assert row["judged_value"] == page.judged.value.value


@pytest.mark.django_db
def test_a_dashboard_never_shows_a_running_figure_as_the_judged_one(world: Any, login: Any) -> None:
    from django.urls import reverse

    from qicollab.insights.presenters import fmt

    for d in (date(2024, 5, 1), date(2024, 9, 1)):
        make_project(world, start_date=d)
    goal = _yearly_goal(world)
    s = goals.goal_series(goal)
    assert s.judged is not None and s.running is not None  # today is inside a later year
    html = (
        login(world.people["collab_lead"])
        .get(reverse("insights:dashboard", args=[world.collab.slug]))
        .content.decode()
    )
    judged = fmt(s.judged.value.value, goal.unit)
    assert f'{judged}<br><span class="nhsuk-body-s">{s.judged.label}</span>' in html
    running = fmt(s.running.value.value, goal.unit)
    assert f"Running period, not yet judged: {running} in {s.running.label}" in html


@pytest.mark.django_db
def test_a_goal_chart_with_too_few_points_is_not_judged(world: Any) -> None:
    """Three annual points were captioned "Random variation only"; and named as quarters."""
    from qicollab.insights import presenters

    make_project(world, start_date=date(2024, 5, 1))
    goal = _yearly_goal(world)
    s = goals.goal_series(goal, today=date(2025, 11, 1))
    assert len(s.points) == 3
    chart = presenters.goal_chart(s, render=False)
    assert chart.summary.startswith("Too few points to judge: 3 years measured")
    assert "Random variation" not in chart.summary
    assert "2023/24 to 2025/26 (so far)" in chart.summary
    assert "Apr to Jun" not in chart.summary


@pytest.mark.django_db
def test_a_goal_chart_with_enough_points_names_its_periods(world: Any) -> None:
    from qicollab.insights import presenters
    from qicollab.measures.spc_adapter import MIN_POINTS

    make_project(world, start_date=date(2024, 5, 1))
    goal = ProgrammeGoal.objects.create(
        collaborative=world.collab,
        slug="m",
        statement="Start projects",
        metric_key="projects_started",
        period="month",
        baseline_date=date(2024, 1, 1),
        target_value=Decimal("2"),
        deadline=date(2027, 3, 31),
    )
    s = goals.goal_series(goal, today=date(2025, 6, 15))
    assert len(s.points) >= MIN_POINTS
    chart = presenters.goal_chart(s, render=False)
    assert not chart.summary.startswith("Too few points")
    assert "Jun 2025 (so far)" in chart.summary
