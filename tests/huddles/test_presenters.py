"""Counters, milestones, the safety cross and the charts' improvement rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qicollab.huddles import presenters
from qicollab.huddles.models import HarmCategory
from qicollab.huddles.selectors import EventRow
from qicollab.organisations.models import Unit

D = dt.date


def _cat(pk: int, name: str = "Falls", milestones: list[int] | None = None) -> HarmCategory:
    return HarmCategory(pk=pk, code=name.lower(), name=name, milestones=milestones or [10, 30, 100])


def _unit(**kw: Any) -> Unit:
    return Unit(pk=1, name="Ash", opened_on=kw.get("opened_on", D(2025, 1, 1)), beds=kw.get("beds"))


def test_days_since_and_milestones() -> None:
    falls, ulcers = _cat(1), _cat(2, "Pressure ulcers", [7, 14])
    events = [EventRow(1, D(2025, 5, 1), "low"), EventRow(1, D(2025, 6, 1), "low")]
    got = presenters.counters(
        unit=_unit(), categories=[falls, ulcers], events=events, today=D(2025, 7, 5)
    )
    assert got[0].days == 34 and got[0].last_on == D(2025, 6, 1)
    assert (got[0].reached, got[0].reached_name, got[0].next_milestone) == (30, "Silver", 100)
    assert got[0].text == "34 days since the last fall"
    assert got[0].milestone_text == "Silver milestone: 30 days without harm; next at 100 days"
    # No event: counted from the day the unit opened; beyond every milestone.
    assert got[1].days == 185 and got[1].last_on is None
    assert (got[1].reached, got[1].reached_name, got[1].next_milestone) == (14, "Silver", None)
    fresh = presenters.counters(
        unit=_unit(), categories=[falls], events=[EventRow(1, D(2025, 7, 5), "low")],
        today=D(2025, 7, 5),
    )[0]  # fmt: skip
    assert (fresh.days, fresh.reached) == (0, None)
    assert fresh.milestone_text == "10 more days to the first milestone"


def test_safety_cross_says_each_days_state_in_words() -> None:
    events = [EventRow(1, D(2025, 3, 4), "low"), EventRow(2, D(2025, 3, 4), "none")]
    cross = presenters.safety_cross(
        unit=_unit(opened_on=D(2025, 3, 2)),
        year=2025,
        month=3,
        events=events,
        huddle_days={D(2025, 3, 5)},
        names={1: "Falls", 2: "Violence"},
        today=D(2025, 3, 10),
    )
    days = {d.day: d for week in cross.weeks for d in week if d.day}
    assert days[D(2025, 3, 1)].state == "not_open"
    assert days[D(2025, 3, 4)].text == "Harm: 1 falls, 1 violence"
    assert days[D(2025, 3, 5)].state == "free" and days[D(2025, 3, 5)].huddle
    assert days[D(2025, 3, 11)].state == "future"
    assert (cross.harm_days, cross.free_days) == (1, 8)
    assert (cross.previous, cross.following, cross.title) == ("2025-02", None, "March 2025")
    assert len(cross.weeks[0]) == 7 and cross.weeks[0][0].day is None  # 1 March is a Saturday


@pytest.mark.django_db
def test_falls_shift_after_huddles_shows_improvement_and_the_avoided_figure() -> None:
    # Four falls a month for 15 months, then one a month for 9 months after huddles began.
    unit = _unit(opened_on=D(2024, 1, 1), beds=20)
    falls = _cat(1)
    events = []
    for i in range(24):
        month = D(2024 + i // 12, i % 12 + 1, 1)
        for day in [3, 10, 17, 24] if i < 15 else [12]:
            events.append(EventRow(1, month.replace(day=day), "low"))
    started = D(2025, 4, 1)
    series = presenters.rate_series(unit=unit, category=falls, events=events, today=D(2026, 1, 15))
    assert len(series.months) == 24 and series.bed_days
    chart = presenters.rate_chart(category=falls, series=series, started=started)
    assert chart.image.startswith("data:image/svg+xml")
    assert chart.improvement
    view = presenters.avoided_view(category=falls, series=series, chart=chart, started=started)
    assert view.shown and view.figure is not None
    # Baseline: 60 falls over 15 months of 20 beds; since: 9 falls over 9 months.
    assert view.figure.observed == 9
    assert view.figure.expected == pytest.approx(60 / 9120 * 5500, rel=0.001)
    assert "potentially avoided" in view.text and "Byar" in view.method


@pytest.mark.django_db
def test_no_change_means_no_avoided_figure() -> None:
    unit = _unit(opened_on=D(2024, 1, 1), beds=None)
    falls = _cat(1)
    events = [
        EventRow(1, D(2024 + i // 12, i % 12 + 1, d), "low") for i in range(24) for d in (5, 20)
    ]
    series = presenters.rate_series(unit=unit, category=falls, events=events, today=D(2026, 1, 15))
    chart = presenters.rate_chart(category=falls, series=series, started=D(2025, 4, 1))
    assert not series.bed_days and "C chart" in chart.description
    assert not chart.improvement
    view = presenters.avoided_view(
        category=falls, series=series, chart=chart, started=D(2025, 4, 1)
    )
    assert not view.shown and view.text.startswith("No change shown")
    none = presenters.avoided_view(category=falls, series=series, chart=chart, started=None)
    assert not none.shown


@pytest.mark.django_db
def test_g_chart_and_compliance_chart_need_enough_data() -> None:
    falls = _cat(1)
    one = presenters.g_chart(
        category=falls, events=[EventRow(1, D(2025, 1, 1), "low")], started=None
    )
    assert one.message == "A g chart needs at least two events."
    many = [EventRow(1, D(2025, 1, 1) + dt.timedelta(days=7 * i), "low") for i in range(12)]
    g = presenters.g_chart(category=falls, events=many, started=D(2025, 2, 1))
    assert g.image and g.rows and g.rows[0]["value"] == "7"
    assert presenters.compliance_chart(huddle_days=[], started=None, today=D(2025, 3, 1)).message
    days = [D(2025, 1, 1) + dt.timedelta(days=i) for i in range(0, 60, 2)]
    comp = presenters.compliance_chart(huddle_days=days, started=D(2025, 1, 1), today=D(2025, 3, 1))
    assert comp.image and comp.rows[0]["value"] == "52%"  # 16 of 31 January days
