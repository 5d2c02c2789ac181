"""The progress-score history as a step chart: server-rendered SVG, no JavaScript.

A score holds until the next rating, so the line steps. Team and faculty ratings are two
lines told apart by colour, dash and marker shape, never by colour alone. The table of
ratings on the same page is the chart's text alternative.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

W, H = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 20, 56
SERIES = {
    "faculty": ("Faculty", "#005eb8", "", "circle"),
    "self": ("Team", "#4c6272", "6 4", "square"),
}


@dataclass(frozen=True)
class Point:
    month: dt.date
    score: Decimal
    rater_type: str


def _months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _add_month(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


def progress_chart_svg(
    points: Sequence[Point], *, low: Decimal, high: Decimal, title: str = "Progress scores"
) -> str:
    """Plot monthly scores between ``low`` and ``high`` of the scale.

    >>> svg = progress_chart_svg([Point(dt.date(2026, 1, 1), Decimal("1.5"), "self")],
    ...                          low=Decimal("0.5"), high=Decimal("5.0"))
    >>> svg.startswith("<svg") and "1.5" in svg
    True
    """
    if not points:
        return ""
    first = min(p.month for p in points)
    last = max(p.month for p in points)
    span = max(_months_between(first, last) + 1, 2)  # the last month gets its own width
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(d: dt.date) -> float:
        return LEFT + plot_w * _months_between(first, d) / span

    def y(v: Decimal) -> float:
        return TOP + plot_h * float((high - v) / (high - low))

    latest = {
        r: max((p for p in points if p.rater_type == r), key=lambda p: p.month, default=None)
        for r in SERIES
    }
    said = "; ".join(
        f"latest {SERIES[r][0].lower()} score {p.score:.1f} in {p.month:%B %Y}"
        for r, p in latest.items()
        if p
    )
    label = f"{title} from {first:%B %Y} to {last:%B %Y}: {said}."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
        f'aria-label={quoteattr(label)} font-family="Arial, Helvetica, sans-serif">',
        f"<title>{escape(label)}</title>",
    ]
    # Horizontal grid at every whole score, labelled.
    v = low
    while v <= high:
        if v == v.to_integral_value() or v == low:
            out.append(
                f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                'stroke="#d8dde0" stroke-width="1"/>'
            )
            out.append(
                f'<text x="{LEFT - 8}" y="{y(v) + 4:.1f}" font-size="12" text-anchor="end" '
                f'fill="#212b32">{v:.1f}</text>'
            )
        v += Decimal("0.5")
    # Month ticks: every month when few, else every third.
    every = 1 if span <= 12 else 3
    for i in range(0, span, every):
        d = _add_month(first, i)
        if d > last:
            break
        out.append(
            f'<text x="{x(d) + 2:.1f}" y="{H - BOTTOM + 18}" font-size="11" fill="#212b32">'
            f"{d:%b}</text>"
        )
        if d.month == 1 or i == 0:
            out.append(
                f'<text x="{x(d) + 2:.1f}" y="{H - BOTTOM + 32}" font-size="11" '
                f'fill="#4c6272">{d:%Y}</text>'
            )
    out.append(
        f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        'stroke="#4c6272" stroke-width="1"/>'
    )
    for rater, (_name, colour, dash, marker) in SERIES.items():
        series = sorted((p for p in points if p.rater_type == rater), key=lambda p: p.month)
        if not series:
            continue
        d_attr = []
        for i, p in enumerate(series):
            end = series[i + 1].month if i + 1 < len(series) else _add_month(p.month, 1)
            d_attr.append(
                f"{'M' if i == 0 else 'L'}{x(p.month):.1f},{y(p.score):.1f} "
                f"L{x(end):.1f},{y(p.score):.1f}"
            )
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<path d="{" ".join(d_attr)}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
        )
        for p in series:
            cx, cy = x(p.month), y(p.score)
            if marker == "circle":
                out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{colour}"/>')
            else:
                out.append(
                    f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" '
                    f'fill="{colour}"/>'
                )
    # Legend
    lx = LEFT
    for name, colour, dash, _marker in SERIES.values():
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{lx}" x2="{lx + 28}" y1="{H - 10}" y2="{H - 10}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
        )
        out.append(f'<text x="{lx + 34}" y="{H - 6}" font-size="12" fill="#212b32">{name}</text>')
        lx += 110
    out.append("</svg>")
    return "".join(out)
