"""A programme goal's series (its metric over consecutive periods) and its status.

Status rule (shown on the goal page, so people can check it):

* **Achieved** — the latest period's value has reached the target (at or above it for a
  goal where higher is better, at or below it where lower is better).
* **On track** — not achieved, the deadline has not passed, and the latest value is at or
  beyond the straight line from the first period's value to the target at the deadline.
* **Not on track** — the deadline has passed without the target being reached, or the
  latest value is behind that line.
* **No data yet** — no period has begun since the baseline, every period had nothing to
  count (e.g. no project scored yet), or the metric has no data source yet.

The current period is still running, so it is shown ("so far") but the status is judged on
the latest *complete* period, unless no period is complete yet. Pages show the value the
status was judged on with its period (:attr:`GoalSeries.judged`) and the running period
separately, labelled as such (:attr:`GoalSeries.running`), so a status is never shown beside
a number that seems to contradict it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.utils import timezone

from qicollab.collaborative.models import GoalDirection, Period, ProgrammeGoal
from qicollab.insights import metrics

MAX_PERIODS = 120


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    NOT_ON_TRACK = "not_on_track"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return {
            "achieved": "Achieved",
            "on_track": "On track",
            "not_on_track": "Not on track",
            "no_data": "No data yet",
        }[self.value]

    @property
    def tag(self) -> str:
        return {
            "achieved": "green",
            "on_track": "blue",
            "not_on_track": "red",
            "no_data": "grey",
        }[self.value]


def _period_start(d: date, period: str) -> date:
    if period == Period.MONTH:
        return d.replace(day=1)
    if period == Period.YEAR:  # the NHS financial year starts on 1 April
        return date(d.year if d.month >= 4 else d.year - 1, 4, 1)
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def _next_start(d: date, period: str) -> date:
    step = 1 if period == Period.MONTH else 12 if period == Period.YEAR else 3
    month = d.month - 1 + step
    return date(d.year + month // 12, month % 12 + 1, 1)


def periods(baseline: date, today: date, period: str) -> list[tuple[date, date]]:
    """Consecutive calendar months or quarters (January to March, April to June...) from
    the one holding ``baseline`` to the one holding ``today``; the current one ends today.

    >>> [s.isoformat() for s, _ in periods(date(2026, 2, 10), date(2026, 7, 1), "quarter")]
    ['2026-01-01', '2026-04-01', '2026-07-01']
    """
    out: list[tuple[date, date]] = []
    start = _period_start(baseline, period)
    while start <= today and len(out) < MAX_PERIODS:
        nxt = _next_start(start, period)
        out.append((start, min(nxt - timedelta(days=1), today)))
        start = nxt
    return out


@dataclass(frozen=True)
class Point:
    start: date
    end: date
    value: metrics.MetricValue
    complete: bool = True

    @property
    def label(self) -> str:
        if self.start.month == 4 and (self.end - self.start).days > 100:
            text = f"{self.start.year}/{(self.start.year + 1) % 100:02d}"
        elif self.start.month == self.end.month and self.start.year == self.end.year:
            text = self.start.strftime("%b %Y")
        else:
            text = f"{self.start.strftime('%b')} to {self.end.strftime('%b %Y')}"
        return text if self.complete else f"{text} (so far)"


@dataclass(frozen=True)
class GoalSeries:
    goal: ProgrammeGoal
    metric: metrics.Metric | None
    points: list[Point]
    status: Status
    expected: float | None  # where the straight line to the target says we should be now
    problem: str = ""

    @property
    def latest(self) -> Point | None:
        """The newest period, which may still be running (see :attr:`judged`)."""
        return self.points[-1] if self.points else None

    @property
    def judged(self) -> Point | None:
        """The period the status was judged on: the latest complete one, else the running one."""
        complete = [p for p in self.points if p.complete]
        return complete[-1] if complete else self.latest

    @property
    def running(self) -> Point | None:
        """The period still running, when the status was judged on an earlier one."""
        latest = self.latest
        if latest is None or latest.complete or latest is self.judged:
            return None
        return latest


def _params(goal: ProgrammeGoal) -> dict[str, Any]:
    params = dict(goal.metric_params or {})
    params.setdefault("baseline", goal.baseline_date.isoformat())
    return params


def status_of(
    values: list[float],
    *,
    target: float,
    direction: str,
    latest_end: date | None,
    first_start: date | None,
    deadline: date,
    today: date,
) -> tuple[Status, float | None]:
    """Apply the status rule (module docstring) to a series of values."""
    if not values or latest_end is None or first_start is None:
        return Status.NO_DATA, None
    up = direction != GoalDirection.DECREASE
    latest = values[-1]

    def reached(v: float, goal: float) -> bool:
        return v >= goal if up else v <= goal

    if reached(latest, target):
        return Status.ACHIEVED, target
    if today > deadline:
        return Status.NOT_ON_TRACK, target
    span = (deadline - first_start).days
    done = (latest_end - first_start).days
    expected = target if span <= 0 else values[0] + (target - values[0]) * min(1.0, done / span)
    return (Status.ON_TRACK if reached(latest, expected) else Status.NOT_ON_TRACK), expected


def goal_series(goal: ProgrammeGoal, *, today: date | None = None) -> GoalSeries:
    """The goal's metric for every period from its baseline to today, and its status."""
    today = today or timezone.localdate()
    try:
        metric = metrics.get(goal.metric_key)
    except metrics.UnknownMetric:
        return GoalSeries(
            goal,
            None,
            [],
            Status.NO_DATA,
            None,
            f"This goal's metric ({goal.metric_key}) is not one the platform knows.",
        )
    params = _params(goal)
    points = [
        Point(
            s,
            e,
            metric.compute(goal.collaborative, s, e, params),
            _next_start(s, goal.period) <= today + timedelta(days=1),
        )
        for s, e in periods(goal.baseline_date, today, goal.period)
    ]
    if points and all(p.value.detail == metrics.NO_DATA_SOURCE for p in points):
        return GoalSeries(
            goal,
            metric,
            points,
            Status.NO_DATA,
            None,
            "The platform does not record the data this metric needs yet, so it reads zero.",
        )
    if points and all(p.value.denominator == 0 for p in points):
        return GoalSeries(
            goal,
            metric,
            points,
            Status.NO_DATA,
            None,
            "There has been nothing to count yet: " + points[-1].value.detail + ".",
        )
    judged = [p for p in points if p.complete] or points
    status, expected = status_of(
        [p.value.value for p in judged],
        target=float(goal.target_value),
        direction=goal.direction,
        latest_end=judged[-1].end if judged else None,
        first_start=judged[0].start if judged else None,
        deadline=goal.deadline,
        today=today,
    )
    return GoalSeries(goal, metric, points, status, expected)
