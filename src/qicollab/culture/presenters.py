"""Display logic for safety-culture pages and the debrief pack: charts, tags, contributions."""

from __future__ import annotations

from typing import Any

from qicollab.culture.results import DomainRow, UnitResults

POSITIVE = "#007f3b"  # NHS green
NEUTRAL = "#aeb7bd"  # NHS pale grey
NEGATIVE = "#d5281b"  # NHS red

STATUS_TAGS = {
    "open": "nhsuk-tag--grey",
    "in_progress": "nhsuk-tag--blue",
    "done": "nhsuk-tag--green",
    "dropped": "nhsuk-tag--white",
}


def pct(value: float | None) -> str:
    """A percentage for display; a withheld figure reads "not shown"."""
    return "not shown" if value is None else f"{value:.0f}%"


def domain_chart(results: UnitResults) -> dict[str, Any] | None:
    """Stacked bars of % positive / neutral / negative per domain (withheld domains left out).

    Cut-off (burnout-type) domains are charted the same way but their table row also gives
    the % at or above the cut-off.
    """
    values = []
    for d in results.domains:
        if d.withheld:
            continue
        for label, v, order in (
            ("Positive", d.positive, 1),
            ("Neutral", d.neutral, 2),
            ("Negative", d.negative, 3),
        ):
            values.append({"domain": d.name, "answer": label, "percent": v, "order": order})
    if not values:
        return None
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 480,
        "height": {"step": 28},
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "domain",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelLimit": 220, "labelFontSize": 13},
            },
            "x": {
                "field": "percent",
                "type": "quantitative",
                "stack": "zero",
                "scale": {"domain": [0, 100]},
                "title": "% of respondents",
            },
            "color": {
                "field": "answer",
                "type": "nominal",
                "scale": {
                    "domain": ["Positive", "Neutral", "Negative"],
                    "range": [POSITIVE, NEUTRAL, NEGATIVE],
                },
                "legend": {"orient": "bottom", "title": None},
            },
            "order": {"field": "order", "type": "quantitative"},
        },
        "config": {"font": "Arial", "view": {"stroke": None}},
    }


def chart_alt(results: UnitResults) -> str:
    """The chart's text alternative: every figure it draws, in words."""
    parts = [
        f"{d.name}: {pct(d.positive)} positive, {pct(d.neutral)} neutral, "
        f"{pct(d.negative)} negative"
        for d in results.domains
        if not d.withheld
    ]
    return "Percentage of respondents positive, neutral and negative per domain. " + "; ".join(
        parts
    )


def domain_summary(d: DomainRow) -> str:
    """One line per domain for the pack: cut-off domains say how many are at or above it."""
    if d.withheld:
        return f"{d.name}: not shown."
    if d.at_or_above is not None:
        return f"{d.name}: {pct(d.at_or_above)} at or above the cut-off of {d.cutoff:.0f}."
    return f"{d.name}: {pct(d.positive)} positive."


def project_culture_actions(**kwargs: Any) -> dict[str, Any]:
    """Contribution to the project page: the culture debrief actions that started or link it."""
    from qicollab.culture.selectors import project_actions

    project = kwargs.get("project")
    if project is None:
        return {}
    actions = list(project_actions(project=project))
    return {"culture_actions": actions} if actions else {}
