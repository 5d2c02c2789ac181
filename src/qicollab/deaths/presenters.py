"""Display logic: the dashboard table, its SPC charts (server-side SVG) and labels.

Charts are computed by :mod:`qicollab.spc` and drawn here as plain SVG, so they work in
the page, in the PDF board report and without JavaScript. Every chart has a text
alternative (its table) and a title and description for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any, cast

from markupsafe import Markup

from qicollab import spc
from qicollab.deaths import choices as c
from qicollab.deaths.models import CaseReview, Death
from qicollab.deaths.selectors import Counts, QuarterFigures

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
    key: str
    title: str
    description: str
    svg: Markup
    summary: str


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    v = start
    while v <= hi + step * 0.001:
        ticks.append(round(v, 10))
        v += step
    return ticks


def svg_chart(
    *,
    title: str,
    labels: list[str],
    y: list[float | None],
    cl: list[float | None] | None = None,
    ucl: list[float | None] | None = None,
    lcl: list[float | None] | None = None,
    classes: list[str] | None = None,
    percent: bool = False,
    chart_id: str = "chart",
    width: int = 640,
    height: int = 260,
) -> Markup:
    """A line chart with centre line and limits as accessible SVG (no scripts, no styles)."""
    left, right, top, bottom = 48, 16, 16, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    scale = 100.0 if percent else 1.0
    values = [v * scale for v in y if v is not None]
    extras = [
        v * scale
        for series in (cl, ucl, lcl)
        if series
        for v in series
        if v is not None and math.isfinite(v)
    ]
    lo = min([0.0, *values, *extras])
    hi = max([1.0, *values, *extras])
    if percent:
        lo, hi = max(lo, 0.0), min(max(hi, 10.0), 100.0)
    ticks = _nice_ticks(lo, hi)
    lo, hi = min(ticks[0], lo), max(ticks[-1], hi)
    n = max(len(labels), 1)

    def px(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def py(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    def fmt(v: float) -> str:
        return f"{v:.0f}%" if percent else f"{v:g}"

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="app-chart" '
        f'font-family="Arial, sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(title)} by quarter: '
        + "; ".join(
            f"{escape(lab)} {fmt(v * scale) if v is not None else 'no data'}"
            for lab, v in zip(labels, y, strict=False)
        )
        + ".</desc>",
    ]
    for t in ticks:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py(t):.1f}" y2="{py(t):.1f}" '
            f'stroke="#d8dde0" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{py(t) + 4:.1f}" text-anchor="end" '
            f'fill="#4c6272">{fmt(t)}</text>'
        )
    for i, lab in enumerate(labels):
        parts.append(
            f'<text x="{px(i):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'fill="#4c6272">{escape(lab)}</text>'
        )

    def line(series: list[float | None] | None, colour: str, dash: str = "") -> None:
        if not series:
            return
        seg: list[str] = []
        for i, v in enumerate(series):
            if v is None or not math.isfinite(v):
                if len(seg) > 1:
                    parts.append(
                        f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" {dash} '
                        f'points="{" ".join(seg)}"/>'
                    )
                seg = []
                continue
            seg.append(f"{px(i):.1f},{py(v * scale):.1f}")
        if len(seg) > 1:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" {dash} '
                f'points="{" ".join(seg)}"/>'
            )

    line(ucl, "#8c99a5", 'stroke-dasharray="6 4"')
    line(lcl, "#8c99a5", 'stroke-dasharray="6 4"')
    line(cl, "#212b32")
    line(y, "#768692")
    for i, v in enumerate(y):
        if v is None:
            continue
        colour = COLOURS.get(
            (classes or [])[i] if classes and i < len(classes) else "common", COLOURS["common"]
        )
        parts.append(
            f'<circle cx="{px(i):.1f}" cy="{py(v * scale):.1f}" r="5" fill="{colour}" '
            f'stroke="#ffffff" stroke-width="1"/>'
        )
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#4c6272"/>')
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="#4c6272"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - built from numbers and escaped labels only


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
        result = spc.chart(
            [v if v is not None else None for v in y],
            n,
            chart=cast(Any, kind),
            x=labels,
            direction=cast(Any, direction),
        )
    except spc.SpcInputError:
        plotted: list[float | None] = [
            None if v is None or (n is not None and not n[i]) else (v / n[i] if n else v)
            for i, v in enumerate(y)
        ]
        return ChartSpec(
            key,
            title,
            "Run chart (too few quarters with data for control limits).",
            svg_chart(title=title, labels=short, y=plotted, percent=percent, chart_id=key),
            "Not enough quarters with data to calculate control limits yet.",
        )
    pts = [p.to_dict() for p in result.points]
    kind_name = {"p": "P chart", "i": "XmR (individuals) chart", "c": "C chart"}.get(kind, kind)
    return ChartSpec(
        key,
        title,
        f"{kind_name}: centre line (solid), control limits (dashed).",
        svg_chart(
            title=title,
            labels=short,
            y=[p["y"] for p in pts],
            cl=[p["cl"] for p in pts],
            ucl=[p["ucl"] for p in pts],
            lcl=[p["lcl"] for p in pts],
            classes=[p["class"] for p in pts],
            percent=percent,
            chart_id=key,
        ),
        "Latest quarter: "
        + _VARIATION_TEXT.get(result.variation_icon, result.variation_icon)
        + ".",
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
