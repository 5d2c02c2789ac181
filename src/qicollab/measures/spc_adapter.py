"""The one adapter between the database and the SPC engine: query -> series -> spc -> presenter.

Nothing else in the platform imports :mod:`qicollab.spc` (a test enforces it). The adapter

* lays the measure's data on its period grid from the first to the last period with data,
  so a missing period is a gap on the chart (not a silently joined line);
* turns missing values and zero denominators into gaps, never errors;
* converts the team's chart decisions (new phases, a frozen baseline, excluded points)
  into the engine's options, and the target into engine units;
* hands the engine's JSON result to the presenter (:mod:`qicollab.measures.charts`);
* charts other apps' series (:func:`series_chart`: goals, deaths) and gives them the typed
  :class:`ChartResult`, its signal runs (:func:`signal_runs`), summary and image.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.conf import settings
from django.utils import timezone

from qicollab import spc
from qicollab.measures import rendering, selectors
from qicollab.measures.bundles import Audit, PeriodBundle, bundle_rates
from qicollab.measures.charts import (
    ChartAnnotation,
    ChartMeta,
    assurance_sentence,
    chart_spec,
    table_rows,
    text_summary,
)
from qicollab.measures.importing import MeasureShape
from qicollab.measures.models import (
    Bundle,
    ChartEvent,
    ChartType,
    DataPoint,
    Direction,
    EventKind,
    Measure,
    ValueType,
)
from qicollab.measures.periods import PeriodWindow, long_date, period_range, window_for

logger = logging.getLogger(__name__)

PROPORTION_CHARTS = frozenset({"p", "pp"})
RATE_CHARTS = frozenset({"u", "up"})


def allowed_window(frequency: str, week_start: int = 0) -> PeriodWindow:
    """The periods data may be recorded for today (settings ``MEASURE_PERIOD_EARLIEST`` and
    ``MEASURE_PERIOD_DAYS_AHEAD``); the charts leave out stored points outside it."""
    return window_for(
        frequency,
        week_start,
        today=timezone.localdate(),
        earliest=settings.MEASURE_PERIOD_EARLIEST,
        ahead_days=settings.MEASURE_PERIOD_DAYS_AHEAD,
    )


def measure_shape(measure: Measure, *, max_rows: int = 5000) -> MeasureShape:
    """What the measure's data must look like, for imports, the grid and the API."""
    return MeasureShape(
        frequency=measure.frequency,
        week_start=measure.week_start,
        uses_denominator=measure.uses_denominator,
        is_proportion=measure.is_proportion,
        whole_numbers=measure.whole_numbers,
        allow_negative=measure.value_type == ValueType.MEASUREMENT,
        max_rows=max_rows,
        window=allowed_window(measure.frequency, measure.week_start),
    )


def display_scale(measure: Measure) -> float:
    """Engine units -> display units: percentages for proportions, per-N for rates."""
    if measure.value_type == ValueType.PERCENTAGE:
        return 100.0
    if measure.value_type == ValueType.RATE:
        return float(measure.rate_multiplier)
    return 1.0


def y_title(measure: Measure) -> str:
    if measure.value_type == ValueType.PERCENTAGE:
        return "Percentage"
    if measure.value_type == ValueType.RATE:
        unit = measure.unit or "units"
        return (
            f"Rate per {measure.rate_multiplier:,} {unit}"
            if measure.rate_multiplier > 1
            else (f"Rate per {unit}")
        )
    if measure.value_type == ValueType.DAYS_BETWEEN:
        return "Days between events"
    if measure.value_type == ValueType.CASES_BETWEEN:
        return "Cases between events"
    return (measure.unit or "Value").capitalize()


def chart_meta(measure: Measure) -> ChartMeta:
    decimals = {
        ValueType.RATE: 2,
        ValueType.COUNT: 1,
        ValueType.DAYS_BETWEEN: 0,
        ValueType.CASES_BETWEEN: 0,
    }.get(ValueType(measure.value_type), 1)
    return ChartMeta(
        title=measure.name,
        frequency=measure.frequency,
        chart_type=measure.chart_type,
        y_title=y_title(measure),
        direction=measure.direction,
        target=measure.target,
        scale=display_scale(measure),
        decimals=decimals,
        suffix="%" if measure.value_type == ValueType.PERCENTAGE else "",
    )


#: Value types where each point is one event, recorded on the day it happened.
EVENT_VALUE_TYPES = frozenset({ValueType.DAYS_BETWEEN, ValueType.CASES_BETWEEN})


@dataclass
class Series:
    """One measure's data on its period grid (``None`` = a gap)."""

    periods: list[date]
    y: list[float | None]
    n: list[float | None] | None
    notes: dict[str, str] = field(default_factory=dict)
    #: Stored periods outside the allowed window (old data, a database edit): not charted.
    left_out: list[date] = field(default_factory=list)
    window: PeriodWindow | None = None

    @property
    def left_out_note(self) -> str:
        """Says which stored points the chart leaves out, and why ("" when none)."""
        if not self.left_out or self.window is None:
            return ""
        n = len(self.left_out)
        shown = ", ".join(d.isoformat() for d in self.left_out[:5])
        more = f" and {n - 5} more" if n > 5 else ""
        return (
            f"{n} data point{'s are' if n != 1 else ' is'} not charted because "
            f"{'their dates are' if n != 1 else 'its date is'} outside the allowed periods "
            f"({self.window.describe()}): {shown}{more}. Correct or clear "
            f"{'them' if n != 1 else 'it'} in the data-entry grid."
        )


class PointRow(NamedTuple):
    """A data point's values without the model instance (lists of many measures)."""

    period: date
    value: float | None
    numerator: float | None
    denominator: float | None
    note: str


def build_series(
    measure: Measure,
    points: Iterable[DataPoint | PointRow],
    *,
    window: PeriodWindow | None = None,
) -> Series:
    """Lay the points on the period grid, with gaps for missing periods and zero denominators.

    Points outside the allowed ``window`` (by default :func:`allowed_window`) are left out
    and listed in ``Series.left_out``: a stored 9999-12-01 would otherwise stretch the grid
    over eight thousand years.
    """
    if window is None:
        window = allowed_window(measure.frequency, measure.week_start)
    by_period: dict[date, DataPoint | PointRow] = {}
    left_out: list[date] = []
    for point in points:
        if window.contains(point.period):
            by_period[point.period] = point
        else:
            left_out.append(point.period)
    left_out.sort()
    if not by_period:
        return Series(
            [], [], [] if measure.uses_denominator else None, left_out=left_out, window=window
        )
    if measure.value_type in EVENT_VALUE_TYPES:
        # Each value is an event (days or cases since the last one): a day without an event
        # is not missing data, so there is no grid and no gaps, only the events in order.
        periods = sorted(by_period)
    else:
        grid = period_range(min(by_period), max(by_period), measure.frequency, measure.week_start)
        # Points off the grid (a measure whose frequency was changed) still count, in order.
        periods = sorted(set(grid) | set(by_period))
    y: list[float | None] = []
    n: list[float | None] | None = [] if measure.uses_denominator else None
    notes: dict[str, str] = {}
    for period in periods:
        p = by_period.get(period)
        if p is not None and p.note:
            notes[period.isoformat()] = p.note
        if n is not None:
            if p is None or p.numerator is None or not p.denominator:
                y.append(None)
                n.append(None)
            else:
                y.append(p.numerator)
                n.append(p.denominator)
        else:
            y.append(None if p is None else p.value)
    return Series(periods, y, n, notes, left_out, window)


def engine_options(
    measure: Measure, periods: Sequence[date], events: Iterable[ChartEvent]
) -> dict[str, Any]:
    """The engine's keyword options from the measure and its chart decisions."""
    phases: set[int] = set()
    exclude: set[int] = set()
    freeze: int | None = None
    index = {d: i for i, d in enumerate(periods)}
    for event in events:
        if event.kind == EventKind.FREEZE:
            freeze = event.points
        elif event.kind == EventKind.REBASE and event.on is not None:
            first = next((i for i, d in enumerate(periods) if d >= event.on), None)
            if first:  # 0 (the start) and None (after the data) change nothing
                phases.add(first)
        elif event.kind == EventKind.EXCLUDE and event.on in index:
            exclude.add(index[event.on])
    target = measure.target
    if target is not None and measure.direction != Direction.NEUTRAL:
        target = target / display_scale(measure)
    else:
        target = None
    options: dict[str, Any] = {
        "direction": measure.direction,
        "phases": sorted(phases),
        "exclude": sorted(exclude),
        "target": target,
    }
    if freeze:
        options["freeze"] = freeze
    return options


@dataclass
class MeasureChart:
    """Everything a page, a download or a report needs to show one measure's chart."""

    meta: ChartMeta
    series: Series
    result: dict[str, Any] | None
    annotations: list[ChartAnnotation]
    #: Why there is no chart, or why it is not the chart type the measure asks for.
    message: str = ""

    @property
    def has_chart(self) -> bool:
        return self.result is not None and bool(self.result["points"])

    @property
    def summary(self) -> str:
        if not self.has_chart:
            return self.message or "No data has been entered for this measure yet."
        assert self.result is not None
        return text_summary(self.result, self.meta)

    @property
    def assurance(self) -> str:
        return assurance_sentence(self.result, self.meta) if self.has_chart and self.result else ""

    @property
    def variation_icon(self) -> str | None:
        return self.result.get("variation_icon") if self.result else None

    @property
    def assurance_icon(self) -> str | None:
        return self.result.get("assurance_icon") if self.result else None

    def spec(
        self,
        *,
        width: int | str = "container",
        height: int = 340,
        y_domain: tuple[float, float] | None = None,
    ) -> dict[str, Any]:
        assert self.result is not None
        return chart_spec(
            self.result,
            self.meta,
            self.annotations,
            width=width,
            height=height,
            summary=self.summary,
            y_domain=y_domain,
        )

    def y_extent(self) -> tuple[float, float] | None:
        """The smallest and largest value or limit shown, in display units (``None``: no data)."""
        if not self.result:
            return None
        scale = self.meta.scale
        seen = [
            float(p[k]) * scale
            for p in self.result["points"]
            for k in ("y", "lcl", "ucl")
            if p.get(k) is not None and math.isfinite(float(p[k]))
        ]
        return (min(seen), max(seen)) if seen else None

    def table(self) -> list[dict[str, Any]]:
        if not self.result:
            return []
        return table_rows(self.result, self.meta, self.series.notes)


def _annotations(
    measure: Measure, series: Series, events: Iterable[ChartEvent], pdsa: Iterable[tuple[date, str]]
) -> list[ChartAnnotation]:
    out = [ChartAnnotation(on, label, "pdsa") for on, label in pdsa]
    out += [
        ChartAnnotation(date.fromisoformat(d), note, "note") for d, note in series.notes.items()
    ]
    for event in events:
        if event.kind == EventKind.REBASE and event.on:
            out.append(
                ChartAnnotation(
                    event.on, "New phase" + (f": {event.reason}" if event.reason else ""), "phase"
                )
            )
    return out


def _compute(chart_type: str, series: Series, options: dict[str, Any]) -> dict[str, Any]:
    result = spc.chart(
        series.y,
        series.n,
        chart=chart_type,  # type: ignore[arg-type]
        x=[d.isoformat() for d in series.periods],
        **options,
    )
    return result.to_dict()


def measure_chart(measure: Measure, *, with_pdsa: bool = True) -> MeasureChart:
    """Query the measure's data and decisions, compute its chart and build the presenter."""
    points = list(selectors.measure_points(measure=measure))
    events = list(selectors.chart_events(measure=measure))
    pdsa = selectors.pdsa_annotations(project=measure.project) if with_pdsa else []
    return chart_from(measure, points, events, pdsa)


def chart_from(
    measure: Measure,
    points: Sequence[DataPoint | PointRow],
    events: Sequence[ChartEvent],
    pdsa: Sequence[tuple[date, str]] = (),
) -> MeasureChart:
    """The chart of already-fetched data (used by :func:`measure_chart` and lists)."""
    meta = chart_meta(measure)
    series = build_series(measure, points)
    annotations = _annotations(measure, series, events, pdsa)
    if not series.periods or all(v is None for v in series.y):
        return MeasureChart(
            meta,
            series,
            None,
            annotations,
            "No data has been entered for this measure yet."
            if not series.left_out
            else "No data has been entered for the allowed periods yet.",
        )
    options = engine_options(measure, series.periods, events)
    try:
        return MeasureChart(
            meta, series, _compute(measure.chart_type, series, options), annotations
        )
    except spc.SpcInputError as exc:
        first_problem = str(exc)
    # Too few points for the chosen chart, or a decision that no longer fits the data:
    # fall back to a run chart without the decisions, and say why.
    try:
        result = _compute(ChartType.RUN, series, {"direction": measure.direction})
    except spc.SpcInputError as exc:
        return MeasureChart(meta, series, None, annotations, f"No chart yet: {exc}")
    fallback = ChartMeta(**{**meta.__dict__, "chart_type": "run"})
    return MeasureChart(
        fallback,
        series,
        result,
        annotations,
        f"Shown as a run chart for now. {first_problem}",
    )


def measure_charts(
    measures: Sequence[Measure], *, pdsa: Sequence[tuple[date, str]] = ()
) -> dict[int, MeasureChart]:
    """Charts of many measures with one engine call (``spc.batch``), e.g. a project page.

    Falls back to one call per measure if the batch refuses any series, so that one
    measure's odd data never hides the others' charts. ``pdsa`` (from
    ``selectors.pdsa_annotations``) puts one project's PDSA cycles on every chart's time axis.
    """
    if not measures:
        return {}
    ids = [m.pk for m in measures]
    # Plain rows, not model instances: building a model (and converting two timestamps) per
    # point was a fifth of the project page's time.
    points: dict[int, list[PointRow]] = {i: [] for i in ids}
    rows = (
        DataPoint.objects.filter(measure_id__in=ids)
        .order_by("measure_id", "period")
        .values_list("measure_id", "period", "value", "numerator", "denominator", "note")
    )
    for measure_id, period, value, numerator, denominator, note in rows:
        points[measure_id].append(PointRow(period, value, numerator, denominator, note))
    events: dict[int, list[ChartEvent]] = {i: [] for i in ids}
    for e in ChartEvent.objects.filter(measure_id__in=ids):
        events[e.measure_id].append(e)
    out: dict[int, MeasureChart] = {}
    prepared: dict[int, Series] = {}
    # Two engine calls: series with denominators, and series without (for run and I
    # charts a denominator turns values into ratios, so the two cannot share one call).
    groups: dict[bool, list[Measure]] = {True: [], False: []}
    for m in measures:
        series = build_series(m, points[m.pk])
        prepared[m.pk] = series
        if not series.periods or all(v is None for v in series.y):
            out[m.pk] = chart_from(m, points[m.pk], events[m.pk], pdsa)
        else:
            groups[series.n is not None].append(m)
    for with_n, group in groups.items():
        if not group:
            continue
        series_ids: list[int] = []
        ys: list[float | None] = []
        ns: list[float | None] = []
        xs: list[str] = []
        for m in group:
            series = prepared[m.pk]
            series_ids += [m.pk] * len(series.periods)
            ys += series.y
            ns += series.n or []
            xs += [d.isoformat() for d in series.periods]
        try:
            batch = spc.batch(
                series_ids,
                ys,
                ns if with_n else None,
                chart={m.pk: m.chart_type for m in group},
                x=xs,
                options_by_series={
                    m.pk: engine_options(m, prepared[m.pk].periods, events[m.pk]) for m in group
                },
            )
        except spc.SpcInputError:
            logger.info("Batch refused a series; charting these measures one by one.")
            batch = None
        for m in group:
            if batch is None:
                out[m.pk] = chart_from(m, points[m.pk], events[m.pk], pdsa)
                continue
            series = prepared[m.pk]
            out[m.pk] = MeasureChart(
                chart_meta(m),
                series,
                batch[m.pk].to_dict(),
                _annotations(m, series, events[m.pk], pdsa),
            )
    return out


# --- bundles -----------------------------------------------------------------------------


@dataclass
class BundleCharts:
    """The bundle's per-period rates and its charts (all-or-none, composite, elements)."""

    periods: list[PeriodBundle]
    all_or_none: MeasureChart | None
    composite: MeasureChart | None
    elements: list[tuple[str, MeasureChart]]


def _rate_chart(
    title: str,
    frequency: str,
    periods: list[date],
    successes: list[int],
    eligible: list[int],
    target: float | None,
) -> MeasureChart:
    meta = ChartMeta(
        title=title,
        frequency=frequency,
        chart_type="p",
        y_title="Percentage",
        direction="increase",
        target=target,
        scale=100.0,
        decimals=1,
        suffix="%",
    )
    y: list[float | None] = [s if e else None for s, e in zip(successes, eligible, strict=True)]
    n: list[float | None] = [e if e else None for e in eligible]
    series = Series(periods, y, n)
    if all(v is None for v in y):
        return MeasureChart(meta, series, None, [], "No audits have been recorded yet.")
    options = {"direction": "increase", "target": None if target is None else target / 100}
    try:
        return MeasureChart(meta, series, _compute("p", series, options), [])
    except spc.SpcInputError as exc:
        return MeasureChart(meta, series, None, [], f"No chart yet: {exc}")


def bundle_charts(bundle: Bundle, *, aim_percent: float = 95) -> BundleCharts:
    """Per-period bundle measures from the audits, each plotted as a p chart."""
    elements = list(bundle.elements.all())
    results: dict[int, dict[int, str]] = {}
    period_of: dict[int, date] = {}
    window = allowed_window(bundle.frequency, bundle.week_start)
    for audit_id, period, element_id, result in selectors.bundle_result_rows(bundle=bundle):
        if not window.contains(period):
            continue  # stored before periods were checked: it would stretch the grid
        results.setdefault(audit_id, {})[element_id] = result
        period_of[audit_id] = period
    keys = [e.pk for e in elements]
    audits = [
        # An element added after an audit was recorded was not audited: not applicable.
        Audit(period_of[a], {k: results[a].get(k, "na") for k in keys})
        for a in results
    ]
    periods = bundle_rates(audits, elements=keys)
    if not periods:
        return BundleCharts([], None, None, [])
    grid = period_range(periods[0].period, periods[-1].period, bundle.frequency, bundle.week_start)
    by = {p.period: p for p in periods}

    def column(get: Any) -> tuple[list[int], list[int]]:
        s, e = [], []
        for d in grid:
            rate = get(by[d]) if d in by else None
            s.append(rate.successes if rate else 0)
            e.append(rate.eligible if rate else 0)
        return s, e

    aon = _rate_chart(
        f"{bundle.name}: all-or-none",
        bundle.frequency,
        grid,
        *column(lambda p: p.all_or_none),
        aim_percent,
    )
    comp = _rate_chart(
        f"{bundle.name}: composite",
        bundle.frequency,
        grid,
        *column(lambda p: p.composite),
        aim_percent,
    )
    per_element = [
        (
            e.text,
            _rate_chart(
                e.text,
                bundle.frequency,
                grid,
                *column(lambda p, k=e.pk: p.elements[k]),
                aim_percent,
            ),
        )
        for e in elements
    ]
    return BundleCharts(periods, aon, comp, per_element)


def describe_period(d: date) -> str:
    return long_date(d)


# --- many measures, one engine call (portfolio, signal feed) ---------------------------------


#: Fewer values than this and the limits are not yet trustworthy: NHSRplotthedots warns
#: below 12 points, and Making Data Count asks for 15 to 20 before limits are fixed.
MIN_POINTS = 12


@dataclass
class MeasureResult:
    """One measure's engine result for lists of many measures (no chart spec, no table)."""

    measure: Measure
    series: Series
    result: spc.ChartResult | None
    #: Values with data; fewer than :data:`MIN_POINTS` means "not enough data".
    n_values: int
    #: Why there is no result ("" when there is one).
    problem: str = ""

    @property
    def enough_data(self) -> bool:
        return self.result is not None

    @property
    def centre(self) -> str:
        return "median" if self.result is not None and self.result.chart == "run" else "mean"


def measure_results(
    measures: Sequence[Measure], *, min_points: int = MIN_POINTS
) -> dict[int, MeasureResult]:
    """Engine results of many measures with exactly one ``spc.batch`` call (three queries).

    Measures with fewer than ``min_points`` values are not sent to the engine and come back
    without a result ("not enough data"). The team's chart decisions (phases, a frozen
    baseline, excluded points) apply, so the result matches the measure's own chart. If the
    engine refuses the batch (a decision that no longer fits the data, say), the measures
    are charted one by one so that one odd series never hides the others.
    """
    if not measures:
        return {}
    ids = [m.pk for m in measures]
    # Plain rows, not model instances: a feed over hundreds of measures reads ~100,000 points.
    points: dict[int, list[PointRow]] = {i: [] for i in ids}
    rows = (
        DataPoint.objects.filter(measure_id__in=ids)
        .order_by("measure_id", "period")
        .values_list("measure_id", "period", "value", "numerator", "denominator", "note")
    )
    for measure_id, period, value, numerator, denominator, note in rows.iterator(10_000):
        points[measure_id].append(PointRow(period, value, numerator, denominator, note))
    events: dict[int, list[ChartEvent]] = {i: [] for i in ids}
    for e in ChartEvent.objects.filter(measure_id__in=ids):
        events[e.measure_id].append(e)
    out: dict[int, MeasureResult] = {}
    ready: list[Measure] = []
    for m in measures:
        series = build_series(m, points[m.pk])
        count = sum(v is not None for v in series.y)
        out[m.pk] = MeasureResult(m, series, None, count)
        if count < min_points:
            out[m.pk].problem = (
                f"Not enough data: {count} value{'s' if count != 1 else ''}; "
                f"at least {min_points} are needed before signals can be trusted."
            )
        else:
            ready.append(m)
    if not ready:
        return out
    series_ids: list[int] = []
    ys: list[float | None] = []
    ns: list[float | None] = []
    xs: list[str] = []
    options: dict[Hashable, Mapping[str, Any]] = {}
    for m in ready:
        series = out[m.pk].series
        series_ids += [m.pk] * len(series.periods)
        ys += series.y
        # Series without denominators ride along with ``None``: the engine decides per series.
        ns += series.n if series.n is not None else [None] * len(series.periods)
        xs += [d.isoformat() for d in series.periods]
        options[m.pk] = engine_options(m, series.periods, events[m.pk])
    try:
        batch = spc.batch(
            series_ids,
            ys,
            ns,
            chart={m.pk: m.chart_type for m in ready},
            x=xs,
            options_by_series=options,
        )
    except spc.SpcInputError:
        logger.info("Batch refused a series; computing these measures one by one.")
        for m in ready:
            series = out[m.pk].series
            try:
                out[m.pk].result = spc.chart(
                    series.y,
                    series.n,
                    chart=m.chart_type,  # type: ignore[arg-type]
                    x=[d.isoformat() for d in series.periods],
                    **options[m.pk],
                )
            except spc.SpcInputError as exc:
                out[m.pk].problem = f"The chart cannot be calculated: {exc}"
        return out
    for m in ready:
        out[m.pk].result = batch[m.pk]
    return out


# --- Series from other apps -------------------------------------------------------------
# Goals and the deaths dashboard chart their own series; they get the engine's typed
# result from here, never from :mod:`qicollab.spc` itself.

ChartResult = spc.ChartResult
SignalRun = spc.SignalRun
SpcInputError = spc.SpcInputError


def series_chart(
    values: Sequence[float | None],
    n: Sequence[float | None] | None = None,
    *,
    chart: str,
    x: Sequence[Any],
    direction: str = "neutral",
    target: float | None = None,
    freeze: int | None = None,
) -> spc.ChartResult:
    """One series charted by the engine; raises :class:`SpcInputError` with a plain message.

    ``freeze=k`` computes the centre line and limits from the first ``k`` points only (a
    baseline), so a later change shows as special cause (huddles: limits from before they
    began).
    """
    return spc.chart(
        list(values),
        None if n is None else list(n),
        chart=chart,  # type: ignore[arg-type]
        x=list(x),
        direction=direction,  # type: ignore[arg-type]
        target=target,
        freeze=freeze,
    )


def signal_runs(result: spc.ChartResult) -> tuple[spc.SignalRun, ...]:
    """The result's special-cause runs within each phase, oldest first (see docs/spc.md)."""
    return spc.signal_runs(result)


def result_summary(result: spc.ChartResult, meta: ChartMeta) -> str:
    """The chart's text alternative: what the chart shows, in words."""
    return text_summary(result.to_dict(), meta)


def result_image(
    result: spc.ChartResult, meta: ChartMeta, *, width: int, height: int, summary: str
) -> str:
    """The measures chart of ``result`` rendered on the server, as a ``data:`` URI."""
    spec = chart_spec(result.to_dict(), meta, width=width, height=height, summary=summary)
    return rendering.svg_data_uri(spec)


# --- funnel plots (the cross-site view of a library measure) ------------------------------

FunnelResult = spc.FunnelResult
FunnelUnit = spc.FunnelUnit
FUNNEL_POSITIONS: tuple[str, ...] = spc.POSITIONS


def funnel_kind(value_type: str) -> str | None:
    """The funnel the engine draws for a value type (``None``: no funnel for it)."""
    return {ValueType.PERCENTAGE: "proportion", ValueType.RATE: "rate"}.get(ValueType(value_type))


def funnel(
    numerators: Sequence[float],
    denominators: Sequence[float],
    *,
    kind: str,
    overdispersion: bool = False,
) -> tuple[spc.FunnelResult | None, str]:
    """Compare units' values on a funnel plot: (result, "") or (None, why there is none)."""
    try:
        return (
            spc.funnel(
                numerators,
                denominators,
                kind=kind,  # type: ignore[arg-type]
                overdispersion=overdispersion,
            ),
            "",
        )
    except spc.SpcInputError as exc:
        return None, f"No funnel plot: {exc}"


def funnel_curve(
    result: spc.FunnelResult, *, smallest: float, largest: float, steps: int = 60
) -> list[tuple[float, float, float, float, float]]:
    """(denominator, lower 99.8, lower 95, upper 95, upper 99.8) along the funnel's x range.

    Denominators are spaced evenly on a log scale so the narrow end is drawn smoothly.
    """
    lo = max(smallest, 1e-9)
    hi = max(largest, lo * 1.0001)
    out = []
    for i in range(steps + 1):
        n = math.exp(math.log(lo) + (math.log(hi) - math.log(lo)) * i / steps)
        out.append((n, *result.limits_at(n)))
    return out
