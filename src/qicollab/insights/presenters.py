"""What the hub pages show: a goal's run chart (the measures app's chart spec, drawn on the
server through vl-convert) and its data as a table, the chart's text alternative."""

from __future__ import annotations

from dataclasses import dataclass

from qicollab.collaborative.models import Period
from qicollab.insights.goals import GoalSeries
from qicollab.measures import spc_adapter
from qicollab.measures.charts import ChartMeta
from qicollab.measures.periods import period_label
from qicollab.measures.spc_adapter import MIN_POINTS as MIN_POINTS_TO_JUDGE

# Two points draw a line; judging runs and signals needs the adapter's minimum (below it a
# run chart of three annual points is not "random variation only", it is too short to say).
MIN_POINTS = 2

_PERIOD_WORDS: dict[str, str] = {
    Period.MONTH: "months",
    Period.QUARTER: "quarters",
    Period.YEAR: "years",
}


@dataclass(frozen=True)
class GoalChart:
    svg_data_uri: str | None
    summary: str
    message: str = ""


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"  # noqa: RUF001 - the en dash NHS tables use for "none"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{text}%" if unit == "%" else f"{text} {unit}".strip()


def chart_meta(series: GoalSeries) -> ChartMeta:
    g = series.goal
    pct = g.unit == "%"
    return ChartMeta(
        title=g.statement,
        # Years are labelled by :func:`_with_period_labels` (measures know no annual period).
        frequency="quarterly" if g.period == Period.QUARTER else "monthly",
        chart_type="run",
        y_title=(series.metric.label if series.metric else g.statement)
        + (f" ({g.unit})" if g.unit else ""),
        direction=g.direction,
        target=float(g.target_value),
        decimals=1 if pct else 0,
        suffix="%" if pct else "",
    )


def goal_chart(series: GoalSeries, *, render: bool = True) -> GoalChart:
    """The goal's run chart; ``render=False`` skips drawing (lists, the API)."""
    if series.problem:
        return GoalChart(None, series.problem, series.problem)
    if len(series.points) < MIN_POINTS:
        msg = "The chart appears once two periods have been measured."
        return GoalChart(None, msg, msg)
    meta = chart_meta(series)
    try:
        result = spc_adapter.series_chart(
            [p.value.value for p in series.points],
            chart="run",
            x=[p.start.isoformat() for p in series.points],
            direction="decrease" if series.goal.direction == "decrease" else "increase",
            target=float(series.goal.target_value),
        )
    except spc_adapter.SpcInputError as exc:
        return GoalChart(None, f"No chart yet: {exc}", f"No chart yet: {exc}")
    n = len(series.points)
    if n < MIN_POINTS_TO_JUDGE:
        first, last = series.points[0], series.points[-1]
        summary = (
            f"Too few points to judge: {n} {_PERIOD_WORDS.get(series.goal.period, 'periods')} "
            f"measured ({first.label} to {last.label}); runs and signals are judged from "
            f"{MIN_POINTS_TO_JUDGE}. The latest value is "
            f"{fmt(last.value.value, series.goal.unit)} ({last.label})."
        )
    else:
        summary = _with_period_labels(spc_adapter.result_summary(result, meta), series, meta)
    if not render:
        return GoalChart(None, summary)
    uri = spc_adapter.result_image(result, meta, width=640, height=300, summary=summary)
    return GoalChart(uri, summary)


def _with_period_labels(summary: str, series: GoalSeries, meta: ChartMeta) -> str:
    """The summary with each period named as the goal names it ("2025/26", "(so far)").

    The chart's own labels come from the measure's frequency, which has no financial year
    and does not know the last period is still running.
    """
    for p in sorted(series.points, key=lambda p: p.start, reverse=True):
        summary = summary.replace(period_label(p.start, meta.frequency), p.label)
    return summary


def rows(series: GoalSeries) -> list[dict[str, str]]:
    unit = series.goal.unit
    return [
        {
            "label": p.label,
            "value": fmt(p.value.value, unit),
            "numerator": fmt(p.value.numerator),
            "denominator": fmt(p.value.denominator),
            "detail": p.value.detail,
        }
        for p in series.points
    ]
