"""The signal feed: new special-cause signals across the portfolio a viewer may see.

What counts as a *new signal since a date* (also in docs/measures.md, "Portfolio and
signal feed"):

* a **signal run** is a maximal sequence of consecutive values of one measure (gaps and
  excluded points are skipped, as the rules skip them) that the engine classed as special
  cause with the same class (improvement, concern, or neutral when the measure has no
  direction), the same side and in the same phase;
* the run is **new since** a date when at least one of its points has a period date (the
  first day of the period) on or after that date; a run that began earlier and is still
  going is shown as continuing, with the date it began;
* one feed item per run per measure, naming the rule or rules that fired (shift, trend,
  outside the limits, two of three close to a limit), newest run end first.

Measures are those of projects in the collaborative the viewer may read, with at least one
value on or after the date, and at least :data:`~qicollab.measures.spc_adapter.MIN_POINTS`
values in all (fewer, and the limits are not yet trustworthy). All are computed with one
``spc.batch`` call, through the measures adapter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef

from qicollab import spc
from qicollab.measures.models import DataPoint, Measure
from qicollab.measures.spc_adapter import MIN_POINTS, measure_results
from qicollab.organisations.models import Collaborative
from qicollab.projects.selectors import visible_projects

#: The default window and the furthest back the feed looks.
DEFAULT_DAYS = 30
MAX_DAYS = 730
#: At most this many measures are computed for one feed (the most recently updated first).
MAX_MEASURES = 2000

__all__ = ["MIN_POINTS", "FeedItem", "SignalFeed", "SignalRun", "signal_feed", "signal_runs"]

RULE_LABELS = {
    "shift": "shift",
    "trend": "trend",
    "outside_limits": "outside the limits",
    "two_of_three": "two of three close to a limit",
}
CLASS_TAGS = {
    "improvement": ("Improvement", "nhsuk-tag--blue"),
    "concern": ("Concern", "nhsuk-tag--orange"),
    "neutral": ("Change (no direction set)", "nhsuk-tag--purple"),
}
_CLASSES = spc.POINT_CLASSES
_SIDES = {1: "high", -1: "low"}


@dataclass(frozen=True)
class SignalRun:
    """A run of consecutive special-cause points of one class and side."""

    point_class: str
    side: str
    rules: tuple[str, ...]
    count: int
    start: date
    end: date

    @property
    def high(self) -> bool:
        return self.side == "high"

    def describe(self, centre: str = "mean") -> str:
        """What happened, in words: "7 points below the mean"."""
        pts = f"{self.count} point{'s' if self.count != 1 else ''}"
        limit = "upper" if self.high else "lower"
        if "shift" in self.rules:
            return f"{pts} {'above' if self.high else 'below'} the {centre}"
        if "trend" in self.rules:
            return f"{pts} {'rising' if self.high else 'falling'} in a row"
        if "outside_limits" in self.rules:
            return f"{pts} {'above' if self.high else 'below'} the {limit} limit"
        return f"{pts} close to the {limit} limit (two of three)"

    @property
    def tag(self) -> tuple[str, str]:
        return CLASS_TAGS[self.point_class]

    @property
    def rule_labels(self) -> list[str]:
        return [RULE_LABELS[r] for r in self.rules]


def _day(label: Any) -> date:
    return label if isinstance(label, date) else date.fromisoformat(str(label))


def signal_runs(result: spc.ChartResult) -> list[SignalRun]:
    """The special-cause runs of one chart result, oldest first.

    Missing and excluded points neither start nor break a run (the rules skip them); a
    change of class, side or phase, or a common-cause point, ends it.
    """
    classes = result.point_class.tolist()
    sides = result.side.tolist()
    bits = result.rule_bits.tolist()
    phases = result.phase.tolist()
    excluded = result.excluded.tolist()
    ys = result.y.tolist()
    labels = result.labels()
    runs: list[SignalRun] = []
    key: tuple[int, int, int] | None = None
    start = end = 0
    fired = 0
    count = 0

    def close() -> None:
        if key is not None:
            names = tuple(n for b, n in enumerate(spc.RULE_NAMES) if fired >> b & 1)
            runs.append(
                SignalRun(
                    _CLASSES[key[0]],
                    _SIDES.get(key[1], "high"),
                    names,
                    count,
                    _day(labels[start]),
                    _day(labels[end]),
                )
            )

    for i, y in enumerate(ys):
        if y is None or math.isnan(y) or excluded[i]:
            continue
        if classes[i] == 0 or sides[i] == 0:
            close()
            key = None
            continue
        here = (classes[i], sides[i], phases[i])
        if here == key:
            end, count, fired = i, count + 1, fired | bits[i]
            continue
        close()
        key, start, end, count, fired = here, i, i, 1, bits[i]
    close()
    return runs


@dataclass(frozen=True)
class FeedItem:
    measure: Measure
    run: SignalRun
    centre: str
    since: date

    @property
    def continuing(self) -> bool:
        """The run began before the feed's date and is still part of it."""
        return self.run.start < self.since

    @property
    def text(self) -> str:
        """ "Ward 3 falls: 7 points below the mean (improvement)"."""
        kind = {"improvement": "improvement", "concern": "concern"}.get(
            self.run.point_class, "no improvement direction set"
        )
        return f"{self.measure.name}: {self.run.describe(self.centre)} ({kind})"

    @property
    def url(self) -> str:
        return self.measure.get_absolute_url()


@dataclass(frozen=True)
class SignalFeed:
    since: date
    items: list[FeedItem]
    #: Measures looked at (with data since the date), and whether the cap cut some off.
    measures_checked: int
    truncated: bool
    #: Measures with data since the date but too few values to judge.
    too_few: int


def default_since(today: date) -> date:
    return today - timedelta(days=DEFAULT_DAYS)


def feed_measures(*, viewer: Any, collaborative: Collaborative, since: date) -> list[Measure]:
    """Measures of visible projects in the collaborative with a value on or after ``since``."""
    # Exists per measure walks the (measure, period) unique index; "period >= since" over
    # the whole table would read every data point in the platform.
    recent = DataPoint.objects.filter(measure=OuterRef("pk"), period__gte=since)
    return list(
        Measure.objects.filter(
            Exists(recent),
            project__in=visible_projects(viewer=viewer).filter(collaborative=collaborative),
        )
        .select_related("project")
        .order_by("-updated_at", "pk")[: MAX_MEASURES + 1]
    )


def signal_feed(*, viewer: Any, collaborative: Collaborative, since: date) -> SignalFeed:
    """New special-cause signals since ``since``, newest first (one engine call)."""
    measures = feed_measures(viewer=viewer, collaborative=collaborative, since=since)
    truncated = len(measures) > MAX_MEASURES
    measures = measures[:MAX_MEASURES]
    results = measure_results(measures)
    items: list[FeedItem] = []
    too_few = 0
    for m in measures:
        res = results[m.pk]
        if res.result is None:
            too_few += 1
            continue
        items += [
            FeedItem(m, run, res.centre, since)
            for run in signal_runs(res.result)
            if run.end >= since
        ]
    # Newest first; on the same date, by project then measure so the order is stable.
    items.sort(key=lambda it: (-it.run.end.toordinal(), it.measure.project.title, it.measure.name))
    return SignalFeed(since, items, len(measures), truncated, too_few)
