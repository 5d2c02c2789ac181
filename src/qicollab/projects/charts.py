"""The progress-score history as a step chart: a Vega-Lite spec drawn on the server.

A score holds until the next rating, so the line steps. Team and faculty ratings are two
lines told apart by colour, dash and marker shape, never by colour alone. The chart is
rendered by vl-convert (:mod:`qicollab.measures.rendering`) into a ``data:`` URI image whose
text alternative says the latest scores; the table of ratings on the same page gives every
value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: Each rater's legend name, colour, dash and marker shape.
SERIES = {
    "faculty": ("Faculty", "#005eb8", [], "circle"),
    "self": ("Team", "#4c6272", [6, 4], "square"),
}
W, H = 640, 220


@dataclass(frozen=True)
class Point:
    month: dt.date
    score: Decimal
    rater_type: str


def _add_month(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


def progress_summary(points: Sequence[Point], *, title: str = "Progress scores") -> str:
    """The chart's text alternative: its span and the latest score of each rater.

    >>> progress_summary([Point(dt.date(2026, 1, 1), Decimal("1.5"), "self")])
    'Progress scores from January 2026 to January 2026: latest team score 1.5 in January 2026.'
    """
    if not points:
        return ""
    first = min(p.month for p in points)
    last = max(p.month for p in points)
    latest = {
        r: max((p for p in points if p.rater_type == r), key=lambda p: p.month, default=None)
        for r in SERIES
    }
    said = "; ".join(
        f"latest {SERIES[r][0].lower()} score {p.score:.1f} in {p.month:%B %Y}"
        for r, p in latest.items()
        if p
    )
    return f"{title} from {first:%B %Y} to {last:%B %Y}: {said}."


def progress_chart_spec(
    points: Sequence[Point], *, low: Decimal, high: Decimal, title: str = "Progress scores"
) -> dict[str, Any]:
    """Monthly scores between ``low`` and ``high`` of the scale, as a Vega-Lite spec.

    Each rating's step runs to the next rating (the last one to the end of its month).

    >>> spec = progress_chart_spec([Point(dt.date(2026, 1, 1), Decimal("1.5"), "self")],
    ...                            low=Decimal("0.5"), high=Decimal("5.0"))
    >>> [(v["month"], v["score"], v["rater"]) for v in spec["data"]["values"]]
    [('2026-01-01', 1.5, 'Team'), ('2026-02-01', 1.5, 'Team')]
    """
    if not points:
        return {}
    rows: list[dict[str, Any]] = []
    for rater, (name, *_style) in SERIES.items():
        series = sorted((p for p in points if p.rater_type == rater), key=lambda p: p.month)
        for i, p in enumerate(series):
            rows.append({"month": p.month.isoformat(), "score": float(p.score), "rater": name})
            if i == len(series) - 1:  # where the last step ends: not a rating, no marker
                end = _add_month(p.month, 1).isoformat()
                rows.append({"month": end, "score": float(p.score), "rater": name, "end": True})
    names = [s[0] for s in SERIES.values()]
    x = {
        "field": "month",
        "type": "temporal",
        "title": None,
        "axis": {"format": "%b %Y", "tickCount": {"interval": "month", "step": 1}},
    }
    if len({r["month"] for r in rows}) > 13:
        x["axis"] = {"format": "%b %Y", "tickCount": {"interval": "month", "step": 3}}
    y = {
        "field": "score",
        "type": "quantitative",
        "title": "Score",
        "scale": {"domain": [float(low), float(high)]},
        "axis": {"values": _whole_scores(low, high), "format": ".1f"},
    }
    legend = {"orient": "bottom", "title": None}
    style = {
        "color": {
            "field": "rater",
            "type": "nominal",
            "scale": {"domain": names, "range": [s[1] for s in SERIES.values()]},
            "legend": legend,
        },
        "strokeDash": {
            "field": "rater",
            "type": "nominal",
            "scale": {"domain": names, "range": [s[2] for s in SERIES.values()]},
            "legend": legend,
        },
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": progress_summary(points, title=title),
        "width": W,
        "height": H,
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 2.5},
                "encoding": {"x": x, "y": y, **style},
            },
            {
                "transform": [{"filter": "!datum.end"}],
                "mark": {"type": "point", "filled": True, "size": 70, "opacity": 1},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": style["color"],
                    "shape": {
                        "field": "rater",
                        "type": "nominal",
                        "scale": {"domain": names, "range": [s[3] for s in SERIES.values()]},
                        "legend": legend,
                    },
                },
            },
        ],
        "config": {"font": "Arial, Helvetica, sans-serif", "view": {"stroke": None}},
    }


def _whole_scores(low: Decimal, high: Decimal) -> list[float]:
    """Grid lines at the bottom of the scale and every whole score above it."""
    out, v = [], low
    while v <= high:
        if v == v.to_integral_value() or v == low:
            out.append(float(v))
        v += Decimal("0.5")
    return out
