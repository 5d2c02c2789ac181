"""Display logic of the huddle pages: counters, milestones, the safety cross and charts.

Everything here works from plain rows (:class:`selectors.EventRow`, huddle dates) so that
the same figures serve the unit's staff, its safety leads and the collaborative (who see
counts and charts only).
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qicollab.huddles.avoided import Avoided, harm_avoided
from qicollab.huddles.models import HarmCategory
from qicollab.huddles.selectors import EventRow
from qicollab.measures import rendering, spc_adapter
from qicollab.measures.charts import (
    ChartAnnotation,
    ChartMeta,
    chart_spec,
    table_rows,
    text_summary,
)
from qicollab.organisations.models import Unit

MILESTONE_NAMES = ("Bronze", "Silver", "Gold", "Platinum", "Diamond")


# --- days since the last event ------------------------------------------------------------


@dataclass(frozen=True)
class CategoryCounter:
    """Days since the last event of one category, and the milestones around it."""

    category: HarmCategory
    days: int
    last_on: dt.date | None
    reached: int | None
    reached_name: str
    next_milestone: int | None

    @property
    def text(self) -> str:
        noun = "day" if self.days == 1 else "days"
        if self.last_on is None:
            what = self.category.name.lower()
            return f"{self.days} {noun} since the unit opened, with no {what} recorded"
        return f"{self.days} {noun} since the last {_singular(self.category.name)}"

    @property
    def milestone_text(self) -> str:
        if self.reached is None:
            return (
                f"{self.next_milestone - self.days} more days to the first milestone"
                if self.next_milestone
                else ""
            )
        text = f"{self.reached_name} milestone: {self.reached} days without harm"
        if self.next_milestone:
            text += f"; next at {self.next_milestone} days"
        return text


def _singular(name: str) -> str:
    low = name.lower()
    return {"falls": "fall", "pressure ulcers": "pressure ulcer"}.get(low, low)


def counters(
    *, unit: Unit, categories: Sequence[HarmCategory], events: Sequence[EventRow], today: dt.date
) -> list[CategoryCounter]:
    """Days since the last event per category, with the highest milestone reached.

    With no event recorded, the count starts on the day the unit opened.
    """
    last: dict[int, dt.date] = {}
    for e in events:
        if e.occurred_on <= today:
            last[e.category_id] = max(last.get(e.category_id, e.occurred_on), e.occurred_on)
    out = []
    for cat in categories:
        last_on = last.get(cat.pk)
        since = last_on or unit.opened_on
        days = max((today - since).days, 0)
        stones = sorted(int(m) for m in (cat.milestones or []))
        reached_list = [m for m in stones if m <= days]
        reached = reached_list[-1] if reached_list else None
        name = (
            MILESTONE_NAMES[min(len(reached_list) - 1, len(MILESTONE_NAMES) - 1)]
            if reached_list
            else ""
        )
        nxt = next((m for m in stones if m > days), None)
        out.append(CategoryCounter(cat, days, last_on, reached, name, nxt))
    return out


@dataclass(frozen=True)
class HuddleLine:
    """A recent huddle as one line: who was there and who is at risk (counts only)."""

    huddle: Any
    at_risk: str


def huddle_lines(huddles: Sequence[Any]) -> list[HuddleLine]:
    """Recent huddles with their at-risk counts in words (prefetched ``at_risk``)."""
    return [
        HuddleLine(
            h,
            ", ".join(f"{r.patients} {r.category.name.lower()}" for r in h.at_risk.all()),
        )
        for h in huddles
    ]


# --- the safety cross ---------------------------------------------------------------------


@dataclass(frozen=True)
class CrossDay:
    """One day of the safety cross: its state in words (the colour only repeats it)."""

    day: dt.date | None
    state: str = "blank"  # blank | harm | free | future | not_open
    text: str = ""
    huddle: bool = False


@dataclass(frozen=True)
class SafetyCross:
    year: int
    month: int
    weeks: list[list[CrossDay]]
    harm_days: int
    free_days: int
    previous: str
    following: str | None

    @property
    def title(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"


def safety_cross(
    *,
    unit: Unit,
    year: int,
    month: int,
    events: Sequence[EventRow],
    huddle_days: set[dt.date],
    names: dict[int, str],
    today: dt.date,
) -> SafetyCross:
    """A month calendar, a day per cell: harm (with what), harm-free, or not yet."""
    by_day: dict[dt.date, Counter[int]] = {}
    for e in events:
        if e.occurred_on.year == year and e.occurred_on.month == month:
            by_day.setdefault(e.occurred_on, Counter())[e.category_id] += 1
    weeks: list[list[CrossDay]] = []
    harm = free = 0
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for d in week:
            if d.month != month:
                row.append(CrossDay(None))
            elif d > today:
                row.append(CrossDay(d, "future", "Not yet"))
            elif d < unit.opened_on:
                row.append(CrossDay(d, "not_open", "Unit not open"))
            elif d in by_day:
                harm += 1
                parts = [
                    f"{n} {names.get(c, 'other').lower()}" for c, n in sorted(by_day[d].items())
                ]
                row.append(CrossDay(d, "harm", "Harm: " + ", ".join(parts), d in huddle_days))
            else:
                free += 1
                row.append(CrossDay(d, "free", "Harm free", d in huddle_days))
        weeks.append(row)
    prev_month = dt.date(year, month, 1) - dt.timedelta(days=1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return SafetyCross(
        year,
        month,
        weeks,
        harm,
        free,
        f"{prev_month:%Y-%m}",
        f"{nxt:%Y-%m}" if nxt <= today else None,
    )


# --- charts -------------------------------------------------------------------------------


@dataclass
class UnitChart:
    """One chart on the unit page: image, text alternative and the data table."""

    key: str
    title: str
    description: str
    image: str = ""
    summary: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""
    improvement: bool = False


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    d = dt.date(start.year, start.month, 1)
    while d <= end:
        out.append(d)
        d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def _month_end(d: dt.date) -> dt.date:
    return dt.date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def _render(
    key: str,
    title: str,
    description: str,
    result: Any,
    meta: ChartMeta,
    annotations: list[ChartAnnotation],
    *,
    after: int | None,
) -> UnitChart:
    data = result.to_dict()
    summary = text_summary(data, meta)
    spec = chart_spec(data, meta, annotations, width=340, height=220, summary=summary)
    # Improvement since huddles began: special-cause improvement after the baseline and no
    # special-cause concern (a mixed picture is not claimed as improvement).
    classes = {p["class"] for p in data["points"][after or 0 :] if p["y"] is not None}
    improvement = after is not None and "improvement" in classes and "concern" not in classes
    return UnitChart(
        key,
        title,
        description,
        rendering.svg_data_uri(spec),
        summary,
        table_rows(data, meta),
        improvement=improvement,
    )


def _start_note(started: dt.date | None) -> list[ChartAnnotation]:
    return [ChartAnnotation(started, "Huddles began", "phase")] if started else []


def g_chart(
    *, category: HarmCategory, events: Sequence[EventRow], started: dt.date | None
) -> UnitChart:
    """Days between consecutive events of one category (g chart: higher is better)."""
    dates = sorted(e.occurred_on for e in events if e.category_id == category.pk)
    title = f"Days between {category.name.lower()}"
    desc = "G chart: each point is the number of days since the previous event."
    if len(dates) < 2:
        return UnitChart("g", title, desc, message="A g chart needs at least two events.")
    gaps = [float((b - a).days) for a, b in itertools.pairwise(dates)]
    meta = ChartMeta(title, "daily", "g", y_title="Days between events", decimals=0)
    try:
        result = spc_adapter.series_chart(
            gaps, chart="g", x=[d.isoformat() for d in dates[1:]], direction="increase"
        )
    except spc_adapter.SpcInputError as exc:
        return UnitChart("g", title, desc, message=f"No g chart yet: {exc}")
    after = next((i for i, d in enumerate(dates[1:]) if started and d >= started), None)
    return _render("g", title, desc, result, meta, _start_note(started), after=after)


@dataclass(frozen=True)
class RateSeries:
    """Monthly events and exposure of one category, for the rate chart and the avoided figure."""

    months: list[dt.date]
    events: list[int]
    exposure: list[float]  # occupied bed days, or days where beds are not known
    bed_days: bool


def rate_series(
    *, unit: Unit, category: HarmCategory, events: Sequence[EventRow], today: dt.date
) -> RateSeries:
    """Complete months since the unit opened (at most the last 36), with events and exposure.

    Occupied bed days are estimated as beds x days (the unit records its beds, not a daily
    occupancy); where beds are not known the exposure is calendar days.
    """
    last_complete = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)
    first = max(unit.opened_on, dt.date(last_complete.year - 3, last_complete.month, 1))
    months = _months(first, last_complete)[-36:]
    counts = Counter(
        dt.date(e.occurred_on.year, e.occurred_on.month, 1)
        for e in events
        if e.category_id == category.pk
    )
    exposure = []
    for m in months:
        start = max(m, unit.opened_on)
        days = (_month_end(m) - start).days + 1
        exposure.append(float(days * (unit.beds or 1)))
    return RateSeries(months, [counts.get(m, 0) for m in months], exposure, bool(unit.beds))


def rate_chart(*, category: HarmCategory, series: RateSeries, started: dt.date | None) -> UnitChart:
    """Events per 1,000 occupied bed days (u chart), or events per month (c chart) where
    beds are not known; limits from the months before huddles began."""
    name = category.name.lower()
    if series.bed_days:
        title = f"{category.name} per 1,000 occupied bed days"
        desc = "U chart: events per 1,000 occupied bed days each month (beds x days)."
        kind, n = "u", [x / 1000 for x in series.exposure]
        y_title = "Per 1,000 bed days"
    else:
        title = f"{category.name} each month"
        desc = "C chart: events each month (the unit has not recorded its beds)."
        kind, n = "c", None
        y_title = f"Number of {name}"
    if len(series.months) < 2:
        return UnitChart("rate", title, desc, message="The chart needs two complete months.")
    baseline = (
        sum(1 for m in series.months if m < dt.date(started.year, started.month, 1))
        if started
        else 0
    )
    freeze = baseline if baseline >= 2 and baseline < len(series.months) else None
    meta = ChartMeta(title, "monthly", kind, y_title=y_title, direction="decrease", decimals=1)
    x = [m.isoformat() for m in series.months]
    y = [float(v) for v in series.events]
    try:
        result = spc_adapter.series_chart(
            y, n, chart=kind, x=x, direction="decrease", freeze=freeze
        )
    except spc_adapter.SpcInputError:
        try:
            result = spc_adapter.series_chart(y, n, chart=kind, x=x, direction="decrease")
            freeze = None
        except spc_adapter.SpcInputError as exc:
            return UnitChart("rate", title, desc, message=f"No chart yet: {exc}")
    if freeze:
        desc += " Centre line and limits from the months before huddles began."
    return _render("rate", title, desc, result, meta, _start_note(started), after=freeze)


def compliance_chart(
    *, huddle_days: Sequence[dt.date], started: dt.date | None, today: dt.date
) -> UnitChart:
    """Huddle compliance: the percentage of days with at least one huddle, by month."""
    title, desc = "Days with a huddle", "P chart: percentage of days each month with a huddle."
    if started is None:
        return UnitChart("compliance", title, desc, message="No huddle recorded yet.")
    months = _months(started, today)[-24:]
    held = Counter(dt.date(d.year, d.month, 1) for d in huddle_days)
    y, n = [], []
    for m in months:
        first = max(m, started)
        last = min(_month_end(m), today)
        n.append(float((last - first).days + 1))
        y.append(float(held.get(m, 0)))
    meta = ChartMeta(
        title,
        "monthly",
        "p",
        y_title="% of days",
        direction="increase",
        scale=100.0,
        decimals=0,
        suffix="%",
    )
    if len(months) < 2:
        pct = round(100 * y[0] / n[0]) if n and n[0] else 0
        return UnitChart(
            "compliance",
            title,
            desc,
            message=f"Huddles on {int(y[0])} of {int(n[0])} days so far ({pct}%); the chart "
            "starts once there are two months.",
        )
    try:
        result = spc_adapter.series_chart(
            y, n, chart="p", x=[m.isoformat() for m in months], direction="increase"
        )
    except spc_adapter.SpcInputError as exc:
        return UnitChart("compliance", title, desc, message=f"No chart yet: {exc}")
    return _render("compliance", title, desc, result, meta, [], after=None)


# --- harm potentially avoided -------------------------------------------------------------


@dataclass(frozen=True)
class AvoidedView:
    """What the page says about harm avoided: a figure with its method, or why none."""

    shown: bool
    text: str
    figure: Avoided | None = None
    method: str = ""


METHOD = (
    "Expected events are the rate before huddles began (events per {unit}) times the "
    "{unit}s since they began; harm potentially avoided is expected minus observed. The 95% "
    "interval treats the observed count as Poisson (Byar's approximation) and the baseline "
    "rate as fixed. It is shown only when the chart shows special-cause improvement."
)


def avoided_view(
    *, category: HarmCategory, series: RateSeries, chart: UnitChart, started: dt.date | None
) -> AvoidedView:
    """Harm potentially avoided since huddles began, only if the chart shows improvement."""
    if started is None:
        return AvoidedView(False, "Huddles have not started, so there is nothing to compare.")
    if not chart.improvement:
        return AvoidedView(
            False,
            f"No change shown: the {category.name.lower()} chart does not show special-cause "
            "improvement since huddles began, so no harm is counted as avoided.",
        )
    cut = dt.date(started.year, started.month, 1)
    before = [i for i, m in enumerate(series.months) if m < cut]
    after = [i for i, m in enumerate(series.months) if m >= cut]
    base_exp = sum(series.exposure[i] for i in before)
    exp = sum(series.exposure[i] for i in after)
    if not before or not after or base_exp <= 0 or exp <= 0:
        return AvoidedView(False, "No change shown: there is no baseline before huddles began.")
    figure = harm_avoided(
        baseline_events=sum(series.events[i] for i in before),
        baseline_exposure=base_exp,
        observed=sum(series.events[i] for i in after),
        exposure=exp,
    )
    if figure.avoided <= 0:
        return AvoidedView(
            False,
            f"No change shown: {figure.observed} {category.name.lower()} observed since "
            f"huddles began, against {figure.expected:.1f} expected at the baseline rate.",
        )
    unit_word = "occupied bed day" if series.bed_days else "day"
    return AvoidedView(
        True,
        f"{category.name}: {figure.sentence}",
        figure,
        METHOD.format(unit=unit_word),
    )
