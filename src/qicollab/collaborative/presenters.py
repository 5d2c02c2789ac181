"""What the hub pages show: a goal's run chart (the measures app's chart spec, drawn on the
server through vl-convert) and its data as a table, the chart's text alternative."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from qicollab import spc
from qicollab.collaborative.goals import GoalSeries
from qicollab.collaborative.models import Period
from qicollab.measures import rendering
from qicollab.measures.charts import ChartMeta, chart_spec, text_summary

# A run chart's median and runs need a few points before they mean anything.
MIN_POINTS = 2


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
        frequency="monthly" if g.period == Period.MONTH else "quarterly",
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
        result = spc.chart(
            [p.value.value for p in series.points],
            chart="run",
            x=[p.start.isoformat() for p in series.points],
            direction="decrease" if series.goal.direction == "decrease" else "increase",
            target=float(series.goal.target_value),
        ).to_dict()
    except spc.SpcInputError as exc:
        return GoalChart(None, f"No chart yet: {exc}", f"No chart yet: {exc}")
    summary = text_summary(result, meta)
    if not render:
        return GoalChart(None, summary)
    spec: dict[str, Any] = chart_spec(result, meta, width=640, height=300, summary=summary)
    svg = rendering.svg(spec)
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return GoalChart(uri, summary)


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
