"""Display logic: the dashboard table, its SPC charts and labels.

Charts are computed by the SPC engine through :mod:`qicollab.measures.spc_adapter`, built
here as Vega-Lite specs and drawn on the server by :mod:`qicollab.measures.rendering`
(vl-convert) into ``data:`` URIs, so they work in the page under the strict CSP, in the
PDF board report and without JavaScript. Every chart has a text alternative (its values
in words, and the table) for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qicollab.deaths import choices as c
from qicollab.deaths.models import CaseReview, Death
from qicollab.deaths.selectors import Counts, QuarterFigures
from qicollab.measures import rendering, spc_adapter

# Making Data Count colours: grey common cause, blue improvement, orange concern.
COLOURS = {
    "common": "#768692",
    "improvement": "#005eb8",
    "concern": "#ed8b00",
    "neutral": "#330072",
}


def pct(value: float | None) -> str:
    return "\u2013" if value is None else f"{value:.0f}%"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    value: Callable[[QuarterFigures], int | float | None]
    is_percent: bool = False
    group: str = "All deaths"

    def display(self, row: QuarterFigures) -> str:
        v = self.value(row)
        if self.is_percent:
            return pct(v)
        return "\u2013" if v is None else str(v)


def _c(part: str, attr: str) -> Callable[[QuarterFigures], int | float | None]:
    def get(row: QuarterFigures) -> int | float | None:
        counts: Counts = getattr(row, part)
        return getattr(counts, attr)  # type: ignore[no-any-return]

    return get


def metrics(*, split_ages: bool) -> list[Metric]:
    """The rows of the board dashboard, in the order the NQB dashboard shows them."""
    out = [
        Metric("in_scope", "Deaths in scope", _c("all", "in_scope")),
        Metric("reviewed", "Deaths reviewed", _c("all", "reviewed")),
        Metric(
            "percent_reviewed",
            "Percentage reviewed",
            _c("all", "percent_reviewed"),
            is_percent=True,
        ),
        Metric("investigated", "Deaths investigated (PSII)", _c("all", "investigated")),
        Metric(
            "more_likely_than_not",
            "Judged more likely than not due to problems in care",
            _c("all", "more_likely_than_not"),
        ),
        Metric("family_involved", "Reviews with family involvement", _c("all", "family_involved")),
        Metric(
            "ld_in_scope",
            "Deaths in scope",
            _c("learning_disability", "in_scope"),
            group="People with a learning disability",
        ),
        Metric(
            "ld_reviewed",
            "Deaths reviewed",
            _c("learning_disability", "reviewed"),
            group="People with a learning disability",
        ),
        Metric(
            "ld_more_likely_than_not",
            "Judged more likely than not due to problems in care",
            _c("learning_disability", "more_likely_than_not"),
            group="People with a learning disability",
        ),
        Metric(
            "leder_referred",
            "Referred to LeDeR (learning disability or autism)",
            lambda r: r.leder_referred,
            group="People with a learning disability",
        ),
    ]
    if split_ages:
        for part, group in (
            ("adults_18_64", "Adults aged 18 to 64"),
            ("adults_65_plus", "Adults aged 65 and over"),
        ):
            out += [
                Metric(f"{part}_in_scope", "Deaths in scope", _c(part, "in_scope"), group=group),
                Metric(f"{part}_reviewed", "Deaths reviewed", _c(part, "reviewed"), group=group),
                Metric(
                    f"{part}_more_likely_than_not",
                    "Judged more likely than not due to problems in care",
                    _c(part, "more_likely_than_not"),
                    group=group,
                ),
            ]
    return out


def totals(rows: list[QuarterFigures]) -> QuarterFigures | None:
    """All the quarters added up (for the 'Total' column)."""
    if not rows:
        return None
    total = QuarterFigures(rows[0].quarter)
    for row in rows:
        for part in ("all", "learning_disability", "adults_18_64", "adults_65_plus"):
            a: Counts = getattr(total, part)
            b: Counts = getattr(row, part)
            for f in (
                "in_scope",
                "reviewed",
                "investigated",
                "more_likely_than_not",
                "family_involved",
            ):
                setattr(a, f, getattr(a, f) + getattr(b, f))
        total.leder_referred += row.leder_referred
    return total


@dataclass(frozen=True)
class TableRow:
    group: str
    label: str
    cells: list[str]
    total: str
    first_in_group: bool


def dashboard_table(rows: list[QuarterFigures], *, split_ages: bool) -> list[TableRow]:
    total = totals(rows)
    out: list[TableRow] = []
    previous = ""
    for m in metrics(split_ages=split_ages):
        out.append(
            TableRow(
                m.group,
                m.label,
                [m.display(r) for r in rows],
                m.display(total) if total else "\u2013",
                m.group != previous,
            )
        )
        previous = m.group
    return out


# --- SPC charts -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartSpec:
    """One dashboard chart: its Vega-Lite spec, drawn on the server into a ``data:`` URI."""

    key: str
    title: str
    description: str
    spec: dict[str, Any]
    summary: str
    #: The chart's text alternative: every quarter's value, in words.
    alt: str

    @property
    def image(self) -> str:
        return rendering.svg_data_uri(self.spec)


def _alt(title: str, labels: list[str], y: list[float | None], percent: bool) -> str:
    def fmt(v: float) -> str:
        return f"{v * 100:.0f}%" if percent else f"{v:g}"

    said = "; ".join(
        f"{lab} {fmt(v) if v is not None else 'no data'}" for lab, v in zip(labels, y, strict=False)
    )
    return f"{title} by quarter: {said}."


def chart_spec(
    *,
    title: str,
    labels: list[str],
    y: list[float | None],
    cl: list[float | None] | None = None,
    ucl: list[float | None] | None = None,
    lcl: list[float | None] | None = None,
    classes: list[str] | None = None,
    percent: bool = False,
    width: int = 560,
    height: int = 200,
) -> dict[str, Any]:
    """A quarterly SPC chart as Vega-Lite: points coloured by variation, centre line solid,
    control limits dashed; missing quarters break the line."""

    def clean(series: list[float | None] | None, i: int) -> float | None:
        v = series[i] if series and i < len(series) else None
        return v if v is not None and math.isfinite(v) else None

    rows = [
        {
            "quarter": lab,
            "y": clean(y, i),
            "cl": clean(cl, i),
            "ucl": clean(ucl, i),
            "lcl": clean(lcl, i),
            "variation": (classes[i] if classes and i < len(classes) else "common"),
        }
        for i, lab in enumerate(labels)
    ]
    x = {
        "field": "quarter",
        "type": "ordinal",
        "sort": None,
        "title": None,
        "axis": {"labelAngle": 0},
    }
    y_axis = {"title": None, "format": ".0%" if percent else ",", "grid": True}
    y_scale: dict[str, Any] = {"zero": True, "nice": True}
    if percent:
        y_scale["domainMax"] = 1

    def line(field: str, colour: str, dash: list[int] | None = None) -> dict[str, Any]:
        mark: dict[str, Any] = {"type": "line", "color": colour, "strokeWidth": 1.5}
        if dash:
            mark["strokeDash"] = dash
        return {
            "mark": mark,
            "encoding": {
                "x": x,
                "y": {"field": field, "type": "quantitative", "axis": y_axis, "scale": y_scale},
            },
        }

    layers = [line(f, "#8c99a5", [6, 4]) for f in ("ucl", "lcl") if ucl or lcl]
    if cl:
        layers.append(line("cl", "#212b32"))
    layers.append(line("y", "#768692"))
    layers.append(
        {
            "mark": {
                "type": "point",
                "filled": True,
                "size": 80,
                "opacity": 1,
                "stroke": "#ffffff",
                "strokeWidth": 1,
            },
            "encoding": {
                "x": x,
                "y": {"field": "y", "type": "quantitative", "axis": y_axis, "scale": y_scale},
                "color": {
                    "field": "variation",
                    "type": "nominal",
                    "scale": {"domain": list(COLOURS), "range": list(COLOURS.values())},
                    "legend": None,
                },
            },
        }
    )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": _alt(title, labels, y, percent),
        "width": width,
        "height": height,
        "data": {"values": rows},
        "layer": layers,
        "config": {"font": "Arial, Helvetica, sans-serif", "view": {"stroke": None}},
    }


def _short(label: str) -> str:
    # "2024/25 Q1" -> "24/25 Q1" keeps eight quarters readable on a phone.
    return label[2:] if len(label) == 10 else label


_VARIATION_TEXT = {
    "common_cause": "common cause variation only",
    "improvement_high": "special cause variation: improvement (higher)",
    "improvement_low": "special cause variation: improvement (lower)",
    "concern_high": "special cause variation: concern (higher)",
    "concern_low": "special cause variation: concern (lower)",
    "neutral_high": "special cause variation (higher)",
    "neutral_low": "special cause variation (lower)",
}


def _spc_chart(
    key: str,
    title: str,
    labels: list[str],
    y: list[float | None],
    n: list[int] | None,
    *,
    kind: str,
    direction: str,
    percent: bool,
) -> ChartSpec:
    short = [_short(lab) for lab in labels]
    try:
        result = spc_adapter.series_chart(y, n, chart=kind, x=labels, direction=direction)
    except spc_adapter.SpcInputError:
        plotted: list[float | None] = [
            None if v is None or (n is not None and not n[i]) else (v / n[i] if n else v)
            for i, v in enumerate(y)
        ]
        return ChartSpec(
            key,
            title,
            "Run chart (too few quarters with data for control limits).",
            chart_spec(title=title, labels=short, y=plotted, percent=percent),
            "Not enough quarters with data to calculate control limits yet.",
            _alt(title, short, plotted, percent),
        )
    pts = result.points
    kind_name = {"p": "P chart", "i": "XmR (individuals) chart", "c": "C chart"}.get(kind, kind)
    plotted = [p.y for p in pts]
    return ChartSpec(
        key,
        title,
        f"{kind_name}: centre line (solid), control limits (dashed).",
        chart_spec(
            title=title,
            labels=short,
            y=plotted,
            cl=[p.cl for p in pts],
            ucl=[p.ucl for p in pts],
            lcl=[p.lcl for p in pts],
            classes=[p.point_class for p in pts],
            percent=percent,
        ),
        "Latest quarter: "
        + _VARIATION_TEXT.get(result.variation_icon, result.variation_icon)
        + ".",
        _alt(title, short, plotted, percent),
    )


def dashboard_charts(rows: list[QuarterFigures]) -> list[ChartSpec]:
    labels = [r.quarter.label for r in rows]
    return [
        _spc_chart(
            "deaths-in-scope",
            "Deaths in scope",
            labels,
            [float(r.all.in_scope) for r in rows],
            None,
            kind="i",
            direction="neutral",
            percent=False,
        ),
        _spc_chart(
            "percent-reviewed",
            "Percentage of deaths reviewed",
            labels,
            [float(r.all.reviewed) for r in rows],
            [r.all.in_scope for r in rows],
            kind="p",
            direction="increase",
            percent=True,
        ),
        _spc_chart(
            "more-likely-than-not",
            "Reviewed deaths judged more likely than not due to problems in care",
            labels,
            [float(r.all.more_likely_than_not) for r in rows],
            [r.all.reviewed for r in rows],
            kind="p",
            direction="decrease",
            percent=True,
        ),
    ]


# --- case presentation ------------------------------------------------------------------


def avoidability_display(review: CaseReview, orientation: str) -> str:
    """'4 \u2013 Probably avoidable (more than 50:50)' in the organisation's numbering."""
    if not review.avoidability:
        return "Not judged"
    n = c.avoidability_number(review.avoidability, orientation)
    return f"{n} \u2013 {c.Avoidability(review.avoidability).label}"


def case_status(death: Death) -> tuple[str, str]:
    """A short status and the NHS.UK tag colour for the case list."""
    screening = getattr(death, "screening", None)
    reviews = list(death.reviews.all())
    done = [r for r in reviews if r.is_completed]
    if any(r.triggers_second_review for r in done) and not any(
        r.stage == 2 and r.is_completed for r in done
    ):
        return "Needs second review", "nhsuk-tag--orange"
    if screening is None:
        return "Not screened", "nhsuk-tag--grey"
    if screening.outcome in c.REVIEW_OUTCOMES and not done:
        return "Waiting for review", "nhsuk-tag--yellow"
    if done:
        return "Reviewed", "nhsuk-tag--green"
    return screening.get_outcome_display(), "nhsuk-tag--blue"


def summary_tag(status: str) -> tuple[str, str]:
    colours: dict[str, str] = {
        c.SummaryStatus.DRAFT: "nhsuk-tag--grey",
        c.SummaryStatus.AWAITING_APPROVAL: "nhsuk-tag--yellow",
        c.SummaryStatus.SHARED: "nhsuk-tag--green",
        c.SummaryStatus.WITHDRAWN: "nhsuk-tag--red",
    }
    return c.SummaryStatus(status).label, colours.get(status, "")


def context_for_chart_page(rows: list[QuarterFigures], *, split_ages: bool) -> dict[str, Any]:
    return {
        "table": dashboard_table(rows, split_ages=split_ages),
        "charts": dashboard_charts(rows),
        "quarters": [r.quarter for r in rows],
    }
