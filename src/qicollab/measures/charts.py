"""Chart presenter: one Vega-Lite spec, a one-sentence summary and a data table per chart.

Everything here works on the SPC engine's JSON contract (``ChartResult.to_dict()``: points
with ``x``, ``y``, ``cl``, ``lcl``, ``ucl``, ``lcl_2s``, ``ucl_2s``, ``phase``, ``excluded``,
``rules``, ``class`` and ``side``, plus ``runs`` and the two icons), so the page, the PNG
and SVG downloads and the PDF reports draw the same chart from the same spec. Values are
multiplied by :attr:`ChartMeta.scale` for display (proportions as percentages, rates per
1,000 bed days...). Pure: no Django, no database.

Colours are Making Data Count's: improvement blue, concern orange, common cause grey,
neutral purple.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from qicollab.measures.periods import long_date, period_label

__all__ = [
    "CLASS_COLOURS",
    "ChartAnnotation",
    "ChartMeta",
    "assurance_text",
    "chart_spec",
    "format_value",
    "table_rows",
    "text_summary",
    "variation_text",
]

IMPROVEMENT = "#41B6E6"
CONCERN = "#ED8B00"
COMMON = "#7F7F7F"
NEUTRAL = "#490092"
TARGET = "#DA291C"
LIMIT = "#425563"
CLASS_COLOURS = {
    "common": COMMON,
    "improvement": IMPROVEMENT,
    "concern": CONCERN,
    "neutral": NEUTRAL,
}
CLASS_LABELS = {
    "common": "Common cause",
    "improvement": "Special cause improvement",
    "concern": "Special cause concern",
    "neutral": "Special cause (neutral)",
}
RULE_LABELS = {
    "outside_limits": "outside the limits",
    "shift": "shift",
    "trend": "trend",
    "two_of_three": "2 of 3 close to a limit",
}
VARIATION_TEXT = {
    "common_cause": "Common cause variation",
    "improvement_high": "Special cause improvement (high)",
    "improvement_low": "Special cause improvement (low)",
    "concern_high": "Special cause concern (high)",
    "concern_low": "Special cause concern (low)",
    "neutral_high": "Special cause variation (high)",
    "neutral_low": "Special cause variation (low)",
}
ASSURANCE_TEXT = {
    "pass": "Consistently meets the target",
    "fail": "Consistently fails the target",
    "inconsistent": "Hit and miss against the target",
}
CHART_NAMES = {
    "run": "Run chart",
    "i": "I chart (XmR)",
    "mr": "Moving range chart",
    "xbar": "X-bar chart",
    "s": "S chart",
    "p": "P chart",
    "pp": "P' chart (Laney)",
    "u": "U chart",
    "up": "U' chart (Laney)",
    "c": "C chart",
    "g": "G chart",
    "t": "T chart",
}


@dataclass(frozen=True)
class ChartMeta:
    """What the presenter needs to know about the measure behind a chart."""

    title: str
    frequency: str
    chart_type: str
    y_title: str = ""
    direction: str = "increase"
    #: The target in display units (e.g. 95 for 95%).
    target: float | None = None
    #: Engine units -> display units (100 for a proportion shown as a percentage).
    scale: float = 1.0
    decimals: int = 1
    #: Suffix for formatted values, e.g. "%".
    suffix: str = ""


@dataclass(frozen=True)
class ChartAnnotation:
    """Something that happened on a date: a PDSA cycle, a note, a rebase..."""

    on: date
    label: str
    kind: str = "note"  # pdsa | note | phase | exclusion


def format_value(value: float | None, meta: ChartMeta) -> str:
    """A display value with the measure's decimals and unit suffix; an empty string for none.

    Halves round up (away from zero), as people round the figures they read and as a
    reader checking a percentage by hand expects; Python's float formatting would round
    half to even and show 95.25 as '95.2%'. The value is taken at its shortest decimal
    form and arithmetic noise below 10⁻¹⁰ is dropped first, so 95.35 (stored as
    95.3499…) and a computed 95.24999999999999 also read as people expect.

    >>> format_value(95.25, ChartMeta("x", "monthly", "p", decimals=1, suffix="%"))
    '95.3%'
    >>> format_value(95.35, ChartMeta("x", "monthly", "p", decimals=1, suffix="%"))
    '95.4%'
    """
    if value is None or not math.isfinite(value):
        return ""
    with decimal.localcontext(_DISPLAY_CONTEXT):
        exact = decimal.Decimal(repr(float(value))).quantize(_NOISE)
        shown = exact.quantize(decimal.Decimal(1).scaleb(-meta.decimals), decimal.ROUND_HALF_UP)
        shown = shown + 0  # -0.0 reads as 0.0: no "minus zero" on a chart
    return f"{shown:,f}{meta.suffix}"


# Enough digits for any float shown to 10 decimals (the largest float has 309 digits).
_DISPLAY_CONTEXT = decimal.Context(prec=400)
_NOISE = decimal.Decimal("1e-10")


def _scaled(value: Any, scale: float) -> float | None:
    if value is None:
        return None
    v = float(value) * scale
    return v if math.isfinite(v) else None


def _period(x: Any) -> date | None:
    if isinstance(x, date):
        return x
    try:
        return date.fromisoformat(str(x)[:10])
    except ValueError:
        return None


def variation_text(icon: str | None) -> str:
    return VARIATION_TEXT.get(icon or "", "No variation icon")


def assurance_text(icon: str | None) -> str:
    return ASSURANCE_TEXT.get(icon or "", "No target assurance")


def _rows(result: dict[str, Any], meta: ChartMeta) -> list[dict[str, Any]]:
    rows = []
    for i, p in enumerate(result["points"]):
        d = _period(p["x"])
        rows.append(
            {
                "i": i,
                "date": d.isoformat() if d else str(p["x"]),
                "label": period_label(d, meta.frequency) if d else str(p["x"]),
                "y": _scaled(p["y"], meta.scale),
                "cl": _scaled(p["cl"], meta.scale),
                "lcl": _scaled(p["lcl"], meta.scale),
                "ucl": _scaled(p["ucl"], meta.scale),
                "lcl_2s": _scaled(p["lcl_2s"], meta.scale),
                "ucl_2s": _scaled(p["ucl_2s"], meta.scale),
                "phase": p["phase"],
                "excluded": bool(p["excluded"]),
                "class": p["class"] if not p["excluded"] else "common",
                "side": p["side"],
                "rules": list(p["rules"]),
            }
        )
    return rows


def table_rows(
    result: dict[str, Any], meta: ChartMeta, notes: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The accessible data table: one row per period with value, limits and signal."""
    notes = notes or {}
    out = []
    for r in _rows(result, meta):
        signal = ""
        if r["y"] is not None and r["class"] != "common":
            signal = CLASS_LABELS.get(r["class"], r["class"])
            if r["rules"]:
                signal += " (" + ", ".join(RULE_LABELS.get(x, x) for x in r["rules"]) + ")"
        out.append(
            {
                "date": r["date"],
                "label": r["label"],
                "value": format_value(r["y"], meta) or "No data",
                "has_value": r["y"] is not None,
                "centre": format_value(r["cl"], meta),
                "lower": format_value(r["lcl"], meta),
                "upper": format_value(r["ucl"], meta),
                "phase": r["phase"] + 1,
                "signal": signal,
                "class": r["class"] if r["y"] is not None else "common",
                "excluded": r["excluded"],
                "note": notes.get(r["date"], ""),
            }
        )
    return out


def _flag_run(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The special-cause points, ending at the latest value, with the same class and side."""
    valued = [r for r in rows if r["y"] is not None and not r["excluded"]]
    if not valued or valued[-1]["class"] == "common":
        return []
    last = valued[-1]
    run: list[dict[str, Any]] = []
    for r in reversed(valued):
        if r["class"] != last["class"] or r["side"] != last["side"] or r["phase"] != last["phase"]:
            break
        run.append(r)
    return list(reversed(run))


def text_summary(result: dict[str, Any], meta: ChartMeta) -> str:
    """One sentence saying what the chart shows now, for screen readers and summaries.

    >>> res = {"points": [{"x": f"2025-{m:02d}-01", "y": 1.0, "cl": 0.5, "lcl": 0.0,
    ...   "ucl": 2.0, "lcl_2s": 0.1, "ucl_2s": 1.5, "phase": 0, "excluded": False,
    ...   "rules": ["shift"], "class": "improvement", "side": "high"} for m in range(3, 10)],
    ...   "runs": [], "variation_icon": "improvement_high", "assurance_icon": None}
    >>> text_summary(res, ChartMeta("Audits", "monthly", "i"))
    'Special cause improvement: 7 points above the mean since March 2025.'
    """
    rows = _rows(result, meta)
    valued = [r for r in rows if r["y"] is not None]
    if not valued:
        return "No data has been entered for this measure yet."
    last = valued[-1]
    centre = "median" if meta.chart_type == "run" else "mean"
    if meta.chart_type == "run":
        runs = result.get("runs") or []
        phase = runs[-1] if runs else None
        if phase and phase.get("signal"):
            if (phase.get("longest_run") or 0) > (phase.get("longest_run_max") or 0):
                return (
                    f"Non-random variation: a run of {phase['longest_run']} points on one side "
                    f"of the median (more than {phase['longest_run_max']} would be unusual)."
                )
            return (
                f"Non-random variation: the line crosses the median only {phase['crossings']} "
                f"times (fewer than {phase['crossings_min']} would be unusual)."
            )
        median, latest = format_value(last["cl"], meta), format_value(last["y"], meta)
        return (
            f"Random variation only: no unusual runs or crossings around the median of "
            f"{median}; the latest value is {latest} ({last['label']})."
        )
    run = _flag_run(rows)
    if not run and last["lcl"] is None and last["ucl"] is None:
        # The engine draws no limits from a single value or from values that do not vary
        # (docs/spc.md, "Corner cases"): never claim the point is "within the limits".
        return (
            f"No limits yet: the latest value is {format_value(last['y'], meta)} "
            f"({last['label']}), on a {centre} of {format_value(last['cl'], meta)}; limits "
            "need more than one value, and values that vary."
        )
    if not run:
        return (
            f"Common cause variation: the latest value, {format_value(last['y'], meta)} "
            f"({last['label']}), is within the limits around a {centre} of "
            f"{format_value(last['cl'], meta)}."
        )
    label = CLASS_LABELS.get(last["class"], "Special cause variation")
    side = "above" if last["side"] == "high" else "below"
    rules = set().union(*(r["rules"] for r in run))
    since = run[0]["label"]
    if len(run) == 1 and "outside_limits" in last["rules"]:
        limit = "upper" if last["side"] == "high" else "lower"
        return (
            f"{label}: the latest value, {format_value(last['y'], meta)} ({last['label']}), is "
            f"{side} the {limit} limit."
        )
    if "trend" in rules:
        moving = "increasing" if last["side"] == "high" else "decreasing"
        return f"{label}: {len(run)} points {moving} in a row since {since}."
    if "shift" in rules:
        return f"{label}: {len(run)} points {side} the {centre} since {since}."
    if "two_of_three" in rules:
        limit = "upper" if last["side"] == "high" else "lower"
        return f"{label}: 2 of the last 3 points are close to the {limit} limit."
    return f"{label}: {len(run)} points {side} the {centre} since {since}."


def assurance_sentence(result: dict[str, Any], meta: ChartMeta) -> str:
    """What the limits say about meeting the target ("" without a target)."""
    icon = result.get("assurance_icon")
    if meta.target is None or not icon:
        return ""
    target = format_value(meta.target, meta)
    if icon == "pass":
        return f"The process consistently meets the target of {target}."
    if icon == "fail":
        return (
            f"The process consistently fails to meet the target of {target}: it will not be "
            "met without a change to the process."
        )
    return (
        f"The target of {target} lies within the limits, so it will be met only some of the time."
    )


def _annotation_rows(
    annotations: Sequence[ChartAnnotation], first: date | None, last: date | None
) -> list[dict[str, Any]]:
    """Numbered annotations within the data's time span, stacked so labels never overlap."""
    out: list[dict[str, Any]] = []
    inside = [
        a
        for a in sorted(annotations, key=lambda a: a.on)
        if not (first and last) or first <= a.on <= last
    ]
    span = max(((last - first).days if first and last else 0), 1)
    row_ends: list[date] = []
    for n, a in enumerate(inside, start=1):
        row = next(
            (i for i, end in enumerate(row_ends) if (a.on - end).days >= span * 0.03),
            len(row_ends),
        )
        if row == len(row_ends):
            row_ends.append(a.on)
        row_ends[row] = a.on
        out.append(
            {
                "date": a.on.isoformat(),
                "n": str(n),
                "text": a.label,
                "kind": a.kind,
                "when": long_date(a.on),
                "row": min(row, 3),
            }
        )
    return out


def annotation_key(annotations: Sequence[ChartAnnotation], periods: Sequence[date]) -> list[str]:
    """What each number along the top of a chart marks, for a caption where the chart is an
    image (storyboards, PDFs): ``["1. 6 January 2025: PDSA 1: Huddles", ...]``."""
    rows = _annotation_rows(annotations, min(periods, default=None), max(periods, default=None))
    return [f"{r['n']}. {r['when']}: {r['text']}" for r in rows]


_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)


def _tick_count(first: date | None, last: date | None, frequency: str) -> Any:
    """About eight ticks; for monthly and quarterly charts, whole months only.

    Labels on those charts read "Jul 2026", so a tick inside a month would repeat its
    neighbour's label; ticks every ``step`` months (every 3 or more for quarterly data)
    never do.

    >>> _tick_count(date(2024, 1, 1), date(2026, 1, 1), "monthly")
    {'interval': 'month', 'step': 3}
    """
    if frequency not in ("monthly", "quarterly") or first is None or last is None:
        return 8
    months = (last.year - first.year) * 12 + last.month - first.month
    steps = [s for s in _MONTH_STEPS if frequency == "monthly" or s % 3 == 0]
    step = next((s for s in steps if months / s <= 8), steps[-1])
    return {"interval": "month", "step": step}


def chart_spec(
    result: dict[str, Any],
    meta: ChartMeta,
    annotations: Sequence[ChartAnnotation] = (),
    *,
    width: int | str = "container",
    height: int = 320,
    summary: str | None = None,
    y_domain: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """The Vega-Lite spec of one chart (renders in vega-embed and in vl-convert).

    ``y_domain`` fixes the y scale (display units), so that small multiples of several
    sites' charts share one scale and can be compared by eye.

    Layers, bottom to top: 2-sigma lines, process limits and centre line (one line per
    phase), the target, annotation markers, the data line (broken at gaps) and the
    points coloured by class (excluded points hollow).
    """
    rows = _rows(result, meta)
    dates = [_period(r["date"]) for r in rows]
    known = [d for d in dates if d]
    notes = _annotation_rows(
        annotations, min(known) if known else None, max(known) if known else None
    )
    fmt = f",.{meta.decimals}f"
    y_axis_title = meta.y_title or meta.title
    x_enc = {
        "field": "date",
        "type": "temporal",
        "title": None,
        "axis": {
            "format": "%b %Y" if meta.frequency in ("monthly", "quarterly") else "%-d %b %Y",
            "labelAngle": 0,
            "grid": False,
            "labelOverlap": True,
            "tickCount": _tick_count(
                min(known) if known else None, max(known) if known else None, meta.frequency
            ),
        },
    }

    y_scale: dict[str, Any] = {"zero": False, "nice": True}
    if y_domain is not None:
        y_scale = {"domain": list(y_domain), "zero": False, "nice": False, "clamp": True}

    def y_enc(field: str) -> dict[str, Any]:
        return {
            "field": field,
            "type": "quantitative",
            "title": y_axis_title,
            "scale": y_scale,
            "axis": {"format": f",.{meta.decimals}~f", "grid": True, "tickCount": 6},
        }

    def line(
        field: str, colour: str, dash: list[int] | None, width_px: float, opacity: float = 1.0
    ) -> dict[str, Any]:
        mark: dict[str, Any] = {
            "type": "line",
            "aria": False,
            "color": colour,
            "strokeWidth": width_px,
            "interpolate": "step"
            if meta.chart_type in ("p", "u", "pp", "up", "xbar", "s")
            else "linear",
            "opacity": opacity,
        }
        if dash:
            mark["strokeDash"] = dash
        return {
            "mark": mark,
            "transform": [{"filter": f"isValid(datum.{field})"}],
            "encoding": {
                "x": x_enc,
                "y": y_enc(field),
                "detail": {"field": "phase", "type": "nominal"},
            },
        }

    layers: list[dict[str, Any]] = []
    if meta.chart_type != "run":
        layers += [
            line("ucl_2s", LIMIT, [2, 3], 1, 0.45),
            line("lcl_2s", LIMIT, [2, 3], 1, 0.45),
            line("ucl", LIMIT, [6, 4], 1.5),
            line("lcl", LIMIT, [6, 4], 1.5),
        ]
    layers.append(line("cl", "#231F20", None, 1.5))
    if meta.target is not None:
        # One datum of its own: inheriting the chart's rows would draw the line and the
        # label once per point, piling up into a smudge.
        layers.append(
            {
                "data": {"values": [{}]},
                "mark": {
                    "type": "rule",
                    "aria": False,
                    "color": TARGET,
                    "strokeDash": [8, 4],
                    "strokeWidth": 1.5,
                },
                "encoding": {"y": {"datum": meta.target, "type": "quantitative"}},
            }
        )
        layers.append(
            {
                "data": {"values": [{}]},
                "mark": {
                    "type": "text",
                    "aria": False,
                    "color": TARGET,
                    # Outside the plot, to the right of the line's end: never over the data.
                    "align": "left",
                    "baseline": "middle",
                    "dx": 4,
                    "fontSize": 11,
                    "fontWeight": "bold",
                    "x": {"expr": "width"},
                },
                "encoding": {
                    "y": {"datum": meta.target, "type": "quantitative"},
                    "text": {"value": ["Target", format_value(meta.target, meta)]},
                },
            }
        )
    if notes:
        layers.append(
            {
                "data": {"values": notes},
                "mark": {
                    "type": "rule",
                    "aria": False,
                    "color": "#005EB8",
                    "strokeDash": [1, 3],
                    "strokeWidth": 1,
                },
                "encoding": {"x": {"field": "date", "type": "temporal"}},
            }
        )
        for row in sorted({n["row"] for n in notes}):
            layers.append(
                {
                    "data": {"values": [n for n in notes if n["row"] == row]},
                    "mark": {
                        "type": "text",
                        "aria": False,
                        "color": "#005EB8",
                        "fontWeight": "bold",
                        "fontSize": 11,
                        "y": -4 - 13 * row,
                        "baseline": "bottom",
                    },
                    "encoding": {
                        "x": {"field": "date", "type": "temporal"},
                        "text": {"field": "n"},
                        "tooltip": [
                            {"field": "n", "title": "Annotation"},
                            {"field": "when", "title": "Date"},
                            {"field": "text", "title": "What happened"},
                        ],
                    },
                }
            )
    # The data line breaks at gaps: each gap starts a new segment.
    segment = 0
    previous_valued = True
    for r in rows:
        if r["y"] is None:
            previous_valued = False
            continue
        if not previous_valued:
            segment += 1
        r["segment"] = segment
        previous_valued = True
    layers.append(
        {
            "mark": {"type": "line", "aria": False, "color": "#768692", "strokeWidth": 1.5},
            "transform": [{"filter": "isValid(datum.y)"}],
            "encoding": {
                "x": x_enc,
                "y": y_enc("y"),
                "detail": {"field": "segment", "type": "nominal"},
            },
        }
    )
    tooltip = [
        {"field": "label", "title": "Period"},
        {"field": "y", "title": "Value", "format": fmt},
        {"field": "cl", "title": "Median" if meta.chart_type == "run" else "Mean", "format": fmt},
        {"field": "signal", "title": "Signal"},
    ]
    for r in rows:
        r["signal"] = (
            "Excluded from calculations"
            if r["excluded"]
            else CLASS_LABELS.get(r["class"], r["class"])
            + (
                " (" + ", ".join(RULE_LABELS.get(x, x) for x in r["rules"]) + ")"
                if r["rules"] and r["class"] != "common"
                else ""
            )
        )
    present = [
        c
        for c in ("common", "improvement", "concern", "neutral")
        if any(r["class"] == c and r["y"] is not None and not r["excluded"] for r in rows)
    ]
    if "common" not in present:
        present.insert(0, "common")
    layers.append(
        {
            "mark": {
                "type": "circle",
                "size": 48,
                "opacity": 1,
                "stroke": "white",
                "strokeWidth": 0.5,
            },
            "transform": [{"filter": "isValid(datum.y) && !datum.excluded"}],
            "encoding": {
                "x": x_enc,
                "y": y_enc("y"),
                "color": {
                    "field": "class",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": present, "range": [CLASS_COLOURS[c] for c in present]},
                    "legend": {
                        "orient": "bottom",
                        "direction": "horizontal",
                        "labelExpr": "{'common': 'Common cause', 'improvement': 'Improvement', "
                        "'concern': 'Concern', 'neutral': 'Special cause (neutral)'}[datum.label]",
                    },
                },
                "tooltip": tooltip,
            },
        }
    )
    if any(r["excluded"] and r["y"] is not None for r in rows):
        layers.append(
            {
                "mark": {
                    "type": "point",
                    "shape": "circle",
                    "size": 48,
                    "filled": False,
                    "color": COMMON,
                    "strokeWidth": 1.5,
                },
                "transform": [{"filter": "isValid(datum.y) && datum.excluded"}],
                "encoding": {"x": x_enc, "y": y_enc("y"), "tooltip": tooltip},
            }
        )
    subtitle = [
        f"{CHART_NAMES.get(meta.chart_type, meta.chart_type)} · "
        f"{variation_text(result.get('variation_icon'))}"
        + (
            f" · {assurance_text(result.get('assurance_icon'))}"
            if result.get("assurance_icon")
            else ""
        )
    ]
    y_values = [v for r in rows for v in (r["y"], r["ucl"], r["lcl"]) if v is not None]
    if meta.target is not None:
        y_values.append(meta.target)
    if meta.suffix == "%" and y_values and 90 < max(y_values) <= 100:
        y_scale["domainMax"] = 100
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": summary or text_summary(result, meta),
        "title": {
            "text": meta.title,
            "subtitle": subtitle,
            "anchor": "start",
            "fontSize": 16,
            "subtitleFontSize": 12,
            "subtitleColor": "#4C6272",
            "offset": 16 + 13 * max((n["row"] for n in notes), default=0) if notes else 10,
        },
        "width": width,
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"} if width == "container" else "pad",
        "config": {
            "font": "Frutiger W01, Arial, sans-serif",
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "labelColor": "#212B32",
                "titleColor": "#212B32",
                "domainColor": "#AEB7BD",
                "tickColor": "#AEB7BD",
                "gridColor": "#E8EDEE",
            },
            "legend": {"labelFontSize": 12, "symbolSize": 80},
            "view": {"stroke": None},
        },
        "data": {"values": rows},
        "layer": layers,
    }
