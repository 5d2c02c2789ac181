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
* the **default date** depends on the measures' collection frequencies (see
  :func:`feed_window`): the start of the last *complete* period of the longest frequency
  among the visible measures (so the last full month of a monthly measure, the last full
  quarter of a quarterly one, plus the period now running), and never less than the last
  :data:`DEFAULT_DAYS` days. A fixed 30 days hid every monthly measure's signals, whose
  periods are dated on the first of the month;
* a run's length is said in the measure's periods ("a shift of 85 weeks above the centre
  line", "7 months below..."), never as "points"; a shift of at least
  :data:`NEW_PHASE_AFTER` periods (twice the shift rule's length) is a sustained change,
  and the feed suggests considering a new phase on the measure's chart;
* one feed item per run per measure, naming the rule or rules that fired (shift, trend,
  outside the limits, two of three close to a limit), newest run end first.

Measures are those of projects in the collaborative the viewer may read, with at least one
value on or after the date, and at least :data:`~qicollab.measures.spc_adapter.MIN_POINTS`
values in all (fewer, and the limits are not yet trustworthy). All are computed with one
``spc.batch`` call, through the measures adapter.

Speed (issue 18): the engine run over every measure (reading ~50,000 points of a national
collaborative, one ``spc.batch``, the runs) is the page's costly part, so its outcome, the
signal runs of each measure, is cached under a fingerprint of the data it reads, as the
dashboard caches its outcome states: the measures (their ids and ``updated_at``), and the
count and newest ``updated_at`` of their data points and of their chart decisions. Any new,
changed or deleted point, decision or measure computes it afresh; an unchanged feed costs
two small aggregate queries. The date only filters the cached runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef

from qicollab.measures import spc_adapter
from qicollab.measures.models import ChartEvent, DataPoint, Measure
from qicollab.measures.periods import add_periods, long_date, snap
from qicollab.measures.spc_adapter import MIN_POINTS, measure_results
from qicollab.organisations.models import Collaborative
from qicollab.projects.selectors import visible_projects

#: The shortest default window (days), and the furthest back the feed looks.
DEFAULT_DAYS = 30
MAX_DAYS = 730
#: At most this many measures are computed for one feed (the most recently updated first).
MAX_MEASURES = 2000

#: The shift rule's run length under the Making Data Count rules the adapter uses.
SHIFT_LENGTH = 7
#: A shift this long (twice the rule's length) is a sustained change: suggest a new phase.
NEW_PHASE_AFTER = 2 * SHIFT_LENGTH

#: Each frequency's period, singular and plural, and how long it is (for "the longest").
PERIOD_WORDS = {
    "daily": ("day", "days"),
    "weekly": ("week", "weeks"),
    "monthly": ("month", "months"),
    "quarterly": ("quarter", "quarters"),
}
_ORDER = ("daily", "weekly", "monthly", "quarterly")

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

    def length(self, frequency: str = "") -> str:
        """The run's length in the measure's periods: "85 weeks", "1 month"."""
        one, many = PERIOD_WORDS.get(frequency, ("period", "periods"))
        return f"{self.count} {one if self.count == 1 else many}"

    def describe(self, centre: str = "mean", frequency: str = "") -> str:
        """What happened, in words, its length in periods: "a shift of 7 months below the
        centre line (mean)". Never "points", which reads like percentage points.

        >>> SignalRun("improvement", "low", ("shift",), 85, date(2025, 1, 6),
        ...     date(2026, 8, 17)).describe("mean", "weekly")
        'a shift of 85 weeks below the centre line (mean)'
        """
        n = self.length(frequency)
        limit = "upper" if self.high else "lower"
        if "shift" in self.rules:
            return f"a shift of {n} {'above' if self.high else 'below'} the centre line ({centre})"
        if "trend" in self.rules:
            return f"a trend of {n} {'rising' if self.high else 'falling'} in a row"
        if "outside_limits" in self.rules:
            return f"{n} {'above' if self.high else 'below'} the {limit} limit"
        return f"{n} close to the {limit} limit (two of three)"

    @property
    def sustained(self) -> bool:
        """A shift long enough that the process has probably changed for good."""
        return "shift" in self.rules and self.count >= NEW_PHASE_AFTER

    @property
    def tag(self) -> tuple[str, str]:
        return CLASS_TAGS[self.point_class]

    @property
    def rule_labels(self) -> list[str]:
        return [RULE_LABELS[r] for r in self.rules]


def _day(label: Any) -> date:
    return label if isinstance(label, date) else date.fromisoformat(str(label))


def signal_runs(result: spc_adapter.ChartResult) -> list[SignalRun]:
    """The special-cause runs of one chart result, oldest first, dated by period.

    The engine groups the points (:func:`qicollab.spc.signal_runs`, through the adapter):
    missing and excluded points neither start nor break a run; a change of class, side or
    phase, or a common-cause point, ends it.
    """
    labels = result.labels()
    return [
        SignalRun(
            r.point_class, r.side, r.rules, r.count, _day(labels[r.first]), _day(labels[r.last])
        )
        for r in spc_adapter.signal_runs(result)
    ]


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
        """ "Ward 3 falls: a shift of 7 months below the centre line (mean) (improvement)"."""
        kind = {"improvement": "improvement", "concern": "concern"}.get(
            self.run.point_class, "no improvement direction set"
        )
        return f"{self.measure.name}: {self.describe()} ({kind})"

    def describe(self) -> str:
        return self.run.describe(self.centre, self.measure.frequency)

    @property
    def url(self) -> str:
        return self.measure.get_absolute_url()

    @property
    def suggest_new_phase(self) -> bool:
        """A sustained shift: the team should consider starting a new phase of the chart."""
        return self.run.sustained

    @property
    def phase_url(self) -> str:
        """Where a new phase is recorded: the measure page's chart decisions."""
        return self.url + "#decisions"


@dataclass(frozen=True)
class FeedWindow:
    """The feed's date and what it covers, in words for the page and the API."""

    since: date
    #: The longest collection frequency among the visible measures ("" when none).
    frequency: str
    #: True when the viewer chose the date; False for the default.
    chosen: bool = False

    @property
    def covers(self) -> str:
        """ "covers at least one full month of every monthly measure"."""
        if self.chosen:
            return f"the date you chose, {long_date(self.since)}"
        if self.frequency in ("monthly", "quarterly"):
            one = PERIOD_WORDS[self.frequency][0]
            return (
                f"covers at least one full {one} of every {self.frequency} measure, and the "
                f"{one} so far"
            )
        return f"covers the last {DEFAULT_DAYS} days"


@dataclass(frozen=True)
class SignalFeed:
    since: date
    items: list[FeedItem]
    #: Measures looked at (with data since the date), and whether the cap cut some off.
    measures_checked: int
    truncated: bool
    #: Measures with data since the date but too few values to judge.
    too_few: int


def default_since(today: date, frequencies: Any = ()) -> date:
    """The default date: the last complete period of the longest frequency, at least
    :data:`DEFAULT_DAYS` back.

    >>> default_since(date(2026, 12, 7), ["weekly", "monthly"])
    datetime.date(2026, 11, 1)
    >>> default_since(date(2026, 12, 7), ["quarterly"])
    datetime.date(2026, 7, 1)
    >>> default_since(date(2026, 12, 7))
    datetime.date(2026, 11, 7)
    """
    floor = today - timedelta(days=DEFAULT_DAYS)
    known = [f for f in frequencies if f in _ORDER]
    if not known:
        return floor
    longest = max(known, key=_ORDER.index)
    return min(floor, add_periods(snap(today, longest), longest, -1))


def feed_window(
    *, viewer: Any, collaborative: Collaborative, today: date, since: date | None = None
) -> FeedWindow:
    """The feed's window: ``since`` if the viewer chose one, else the default for the
    frequencies of the measures the viewer can see in the collaborative (one query)."""
    frequencies = set(
        Measure.objects.filter(
            project__in=visible_projects(viewer=viewer).filter(collaborative=collaborative)
        )
        .order_by()
        .values_list("frequency", flat=True)
        .distinct()
    )
    known = [f for f in frequencies if f in _ORDER]
    longest = max(known, key=_ORDER.index) if known else ""
    if since is not None:
        return FeedWindow(since, longest, chosen=True)
    return FeedWindow(default_since(today, known), longest)


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


FEED_CACHE_SECONDS = 60 * 60

#: Per measure: None (too few values to judge), or its centre line's name and its runs.
MeasureRuns = dict[int, tuple[str, list[SignalRun]] | None]


def _fingerprint(measures: list[Measure]) -> str:
    """Changes whenever anything the measures' signals depend on changes (two queries):
    the measures themselves, and their data points' and chart decisions' counts (catching
    deletions) and newest ``updated_at`` (catching additions and edits)."""
    ids = [m.pk for m in measures]
    parts: list[object] = [(m.pk, m.updated_at.isoformat()) for m in measures]
    for model in (DataPoint, ChartEvent):
        agg = (
            model._default_manager.filter(measure_id__in=ids)
            .order_by()
            .aggregate(n=Count("pk"), last=Max("updated_at"))
        )
        parts += [agg["n"], agg["last"].isoformat() if agg["last"] else ""]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def measure_runs(measures: list[Measure]) -> MeasureRuns:
    """Every measure's signal runs, from the cache when the data have not changed, else from
    one engine call (three queries) and kept for an hour."""
    if not measures:
        return {}
    key = "insights:signals:" + _fingerprint(measures)
    cached: MeasureRuns | None = cache.get(key)
    if cached is not None:
        return cached
    results = measure_results(measures)
    runs: MeasureRuns = {}
    for m in measures:
        res = results[m.pk]
        runs[m.pk] = None if res.result is None else (res.centre, signal_runs(res.result))
    cache.set(key, runs, FEED_CACHE_SECONDS)
    return runs


def signal_feed(*, viewer: Any, collaborative: Collaborative, since: date) -> SignalFeed:
    """New special-cause signals since ``since``, newest first (one engine call, or none
    when the data have not changed since the last view: see :func:`measure_runs`)."""
    measures = feed_measures(viewer=viewer, collaborative=collaborative, since=since)
    truncated = len(measures) > MAX_MEASURES
    measures = measures[:MAX_MEASURES]
    runs = measure_runs(measures)
    items: list[FeedItem] = []
    too_few = 0
    for m in measures:
        found = runs[m.pk]
        if found is None:
            too_few += 1
            continue
        centre, runs_of_measure = found
        items += [FeedItem(m, run, centre, since) for run in runs_of_measure if run.end >= since]
    # Newest first; on the same date, by project then measure so the order is stable.
    items.sort(key=lambda it: (-it.run.end.toordinal(), it.measure.project.title, it.measure.name))
    return SignalFeed(since, items, len(measures), truncated, too_few)
