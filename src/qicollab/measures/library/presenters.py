"""Display logic of the measure library: definitions, versions and the cross-site view.

The cross-site view of a library measure shows every site's SPC chart as small multiples on
one shared y scale with its Making Data Count icons, and a funnel plot of the latest period
(the engine's arithmetic through :mod:`qicollab.measures.spc_adapter`). Sites the viewer
may not read are shown without their names. Building it takes a fixed number of queries,
whatever the number of sites (a test asserts it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qicollab.measures.charts import CONCERN, LIMIT, ChartMeta, format_value
from qicollab.measures.library import selectors
from qicollab.measures.models import DEFINITION_FIELDS, LibraryMeasure, Measure, ValueType
from qicollab.measures.periods import period_label
from qicollab.measures.presenters import Icon, assurance_icon, variation_icon
from qicollab.measures.spc_adapter import (
    FUNNEL_POSITIONS,
    FunnelResult,
    MeasureChart,
    chart_meta,
    display_scale,
    funnel,
    funnel_curve,
    funnel_kind,
    measure_charts,
)

#: Small multiples shown per page (each is an image rendered on the server).
SITES_PER_PAGE = 12
POSITION_TEXT = {
    "above_998": "Above the upper 99.8% limit",
    "above_95": "Above the upper 95% limit",
    "within": "Within the 95% limits",
    "below_95": "Below the lower 95% limit",
    "below_998": "Below the lower 99.8% limit",
}
POSITION_COLOUR = {
    "above_998": CONCERN,
    "above_95": "#FFB81C",
    "within": "#7F7F7F",
    "below_95": "#41B6E6",
    "below_998": "#005EB8",
}


def definition_rows(library_measure: LibraryMeasure | Measure) -> list[dict[str, Any]]:
    """The operational definition as summary-list rows."""

    def row(key: str, value: str) -> dict[str, Any]:
        return {"key": {"text": key}, "value": {"text": value or "Not recorded"}}

    lm = library_measure
    rows = [
        row("Type", lm.get_measure_type_display()),
        row("Each value is", lm.get_value_type_display()),
        row("Numerator", lm.numerator_definition),
    ]
    if lm.uses_denominator:
        rows.append(row("Denominator", lm.denominator_definition))
    if lm.value_type == ValueType.RATE:
        rows.append(row("Shown per", f"{lm.rate_multiplier:,} {lm.unit}".strip()))
    rows += [
        row("Included", lm.inclusions),
        row("Excluded", lm.exclusions),
        row("Data source", lm.data_source),
        row("Collected", lm.get_frequency_display()),
        row("Chart", lm.get_chart_type_display()),
        row("Improvement is", lm.get_direction_display()),
        row("Target", "" if lm.target is None else f"{lm.target:g}{lm.unit and ' ' + lm.unit}"),
    ]
    return rows


def follows_text(measure: Measure) -> tuple[str, bool]:
    """("Follows library definition X, version N", whether a newer version exists)."""
    lm = measure.library_measure
    if lm is None or measure.library_version is None:
        return "", False
    newer = lm.version > measure.library_version
    text = f"Follows library definition '{lm.name}', version {measure.library_version}."
    if newer:
        text += f" A newer version ({lm.version}) exists."
    elif any(getattr(measure, k) != getattr(lm, k) for k in DEFINITION_FIELDS):
        # Same version, different fields: the team has edited its copy since.
        text += " The project has changed its copy of the definition since."
    return text, newer


@dataclass
class Site:
    """One site's measure in the cross-site view."""

    measure: Measure
    label: str
    named: bool
    chart: MeasureChart
    #: The site's numbers in the latest period (``None``: no data then).
    latest: tuple[float, float] | None = None
    position: str = ""
    z: float | None = None

    @property
    def url(self) -> str:
        return self.measure.get_absolute_url() if self.named else ""

    @property
    def variation(self) -> Icon | None:
        return variation_icon(self.chart.variation_icon)

    @property
    def assurance(self) -> Icon | None:
        return assurance_icon(self.chart.assurance_icon)


@dataclass
class CrossSite:
    """Everything the cross-site page, its API answer and its tests need."""

    library_measure: LibraryMeasure
    meta: ChartMeta
    sites: list[Site]
    latest_period: date | None = None
    funnel: FunnelResult | None = None
    funnel_sites: list[Site] = field(default_factory=list)
    message: str = ""
    overdispersion: bool = False
    y_domain: tuple[float, float] | None = None

    @property
    def latest_label(self) -> str:
        if self.latest_period is None:
            return ""
        return period_label(self.latest_period, self.meta.frequency)

    def count(self, position: str) -> int:
        return sum(1 for s in self.funnel_sites if s.position == position)

    @property
    def summary(self) -> str:
        """One sentence: how many sites lie outside the 99.8% limits (the funnel's alternative)."""
        if self.funnel is None:
            return self.message or "There is no funnel plot for this measure."
        n = len(self.funnel_sites)
        above, below = self.count("above_998"), self.count("below_998")
        sites = "site" if n == 1 else "sites"
        verb = "is" if above == 1 else "are"
        text = f"{above} of {n} {sites} {verb} above the upper 99.8% limit"
        text += f" and {below} {'is' if below == 1 else 'are'} below the lower 99.8% limit"
        text += f" in {self.latest_label}."
        warn = self.count("above_95") + self.count("below_95")
        if warn:
            text += (
                f" {warn} more {'lies' if warn == 1 else 'lie'} between the 95% and 99.8% limits."
            )
        return text

    @property
    def dispersion_text(self) -> str:
        """Whether the sites vary more than chance alone would explain (phi and tau²)."""
        f = self.funnel
        if f is None or len(self.funnel_sites) < 2:
            return ""
        text = f"Dispersion ratio φ = {f.phi:.2f}"
        if f.tau2 > 0:
            text += f", between-site variance τ² = {f.tau2:.5f}"
            text += (
                ": the limits are widened for overdispersion (additive random effects)."
                if f.adjusted
                else ": the sites vary more than chance alone would explain; consider "
                "widening the limits for overdispersion."
            )
        else:
            text += ": no overdispersion beyond chance."
        return text

    def page(self, number: int) -> tuple[list[Site], int, int]:
        """(sites on page ``number``, the page number used, the number of pages)."""
        pages = max(1, math.ceil(len(self.sites) / SITES_PER_PAGE))
        number = min(max(1, number), pages)
        start = (number - 1) * SITES_PER_PAGE
        return self.sites[start : start + SITES_PER_PAGE], number, pages

    def small_multiple_spec(self, site: Site) -> dict[str, Any]:
        return site.chart.spec(width=300, height=160, y_domain=self.y_domain)

    def funnel_rows(self) -> list[dict[str, Any]]:
        """The funnel's accessible table: one row per site with its value and limits."""
        f = self.funnel
        if f is None:
            return []
        fmt = self.meta
        rows = []
        for site, unit in zip(self.funnel_sites, f.units, strict=True):
            rows.append(
                {
                    "label": site.label,
                    "url": site.url,
                    "numerator": f"{unit.numerator:,.0f}",
                    "denominator": f"{unit.denominator:,.0f}",
                    "value": format_value(unit.value * fmt.scale, fmt),
                    "limits_95": f"{format_value(unit.lower_95 * fmt.scale, fmt)} to "
                    f"{format_value(unit.upper_95 * fmt.scale, fmt)}",
                    "limits_998": f"{format_value(unit.lower_998 * fmt.scale, fmt)} to "
                    f"{format_value(unit.upper_998 * fmt.scale, fmt)}",
                    "z": f"{unit.z:.2f}",
                    "position": POSITION_TEXT[unit.position],
                }
            )
        return rows

    def funnel_spec(self, *, width: int | str = "container", height: int = 340) -> dict[str, Any]:
        """The funnel plot's Vega-Lite spec: limits as curves, sites as points."""
        f = self.funnel
        assert f is not None
        scale = self.meta.scale
        dens = [u.denominator for u in f.units]
        curve = [
            {"n": n, "lo998": a * scale, "lo95": b * scale, "hi95": c * scale, "hi998": d * scale}
            for n, a, b, c, d in funnel_curve(f, smallest=min(dens) * 0.8, largest=max(dens) * 1.1)
        ]
        points = [
            {
                "n": u.denominator,
                "value": u.value * scale,
                "site": s.label,
                "position": POSITION_TEXT[u.position],
            }
            for s, u in zip(self.funnel_sites, f.units, strict=True)
        ]
        x = {
            "field": "n",
            "type": "quantitative",
            "title": "Denominator (latest period)",
            "scale": {"type": "log"},
            "axis": {"format": "~s", "grid": False},
        }
        y_title = self.meta.y_title or self.meta.title

        def limit(field_name: str, dash: list[int], opacity: float) -> dict[str, Any]:
            return {
                "data": {"values": curve},
                "mark": {
                    "type": "line",
                    "aria": False,
                    "color": LIMIT,
                    "strokeDash": dash,
                    "strokeWidth": 1.5,
                    "opacity": opacity,
                },
                "encoding": {
                    "x": x,
                    "y": {"field": field_name, "type": "quantitative", "title": y_title},
                },
            }

        layers: list[dict[str, Any]] = [
            limit("hi998", [6, 4], 1.0),
            limit("lo998", [6, 4], 1.0),
            limit("hi95", [2, 3], 0.6),
            limit("lo95", [2, 3], 0.6),
            {
                "data": {"values": [{}]},
                "mark": {"type": "rule", "aria": False, "color": "#231F20", "strokeWidth": 1.5},
                "encoding": {"y": {"datum": f.target * scale, "type": "quantitative"}},
            },
            {
                "data": {"values": points},
                "mark": {"type": "point", "filled": True, "size": 70, "stroke": "#231F20"},
                "encoding": {
                    "x": x,
                    "y": {"field": "value", "type": "quantitative", "title": y_title},
                    "color": {
                        "field": "position",
                        "type": "nominal",
                        "title": None,
                        "scale": {
                            "domain": [POSITION_TEXT[p] for p in FUNNEL_POSITIONS],
                            "range": [POSITION_COLOUR[p] for p in FUNNEL_POSITIONS],
                        },
                        "legend": {"orient": "bottom", "columns": 2},
                    },
                    "tooltip": [
                        {"field": "site", "title": "Site"},
                        {"field": "value", "title": "Value", "format": ",.2f"},
                        {"field": "n", "title": "Denominator", "format": ",.0f"},
                    ],
                },
            },
        ]
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "description": self.summary,
            "width": width,
            "height": height,
            "autosize": {"type": "fit", "contains": "padding"},
            "config": {"font": "Arial, sans-serif", "view": {"stroke": None}},
            "layer": layers,
        }


def _shared_domain(charts: list[MeasureChart]) -> tuple[float, float] | None:
    extents = [e for c in charts if c.has_chart and (e := c.y_extent()) is not None]
    if not extents:
        return None
    lo = min(e[0] for e in extents)
    hi = max(e[1] for e in extents)
    if hi <= lo:
        hi = lo + 1.0
    pad = (hi - lo) * 0.05
    # Percentages and counts cannot go below 0: do not pad the scale into negative values.
    return (max(lo - pad, 0.0) if lo >= 0 else lo - pad, hi + pad)


def _latest(
    sites: list[Site],
) -> date | None:
    """The most recent period in which any site has a numerator and a denominator."""
    latest: date | None = None
    for site in sites:
        series = site.chart.series
        if series.n is None:
            continue
        for period, y, n in zip(series.periods, series.y, series.n, strict=True):
            if y is not None and n and (latest is None or period > latest):
                latest = period
    return latest


def cross_site(
    *, viewer: Any, library_measure: LibraryMeasure, overdispersion: bool = False
) -> CrossSite:
    """Build the cross-site view of a library measure for ``viewer`` (constant queries)."""
    measures = selectors.site_measures(library_measure=library_measure)
    named = selectors.named_project_ids(
        viewer=viewer, project_ids=sorted({m.project_id for m in measures})
    )
    charts = measure_charts(measures)
    meta = chart_meta(measures[0]) if measures else _library_meta(library_measure)
    named_sites: list[Site] = []
    unnamed: list[Measure] = []
    for m in measures:
        if m.project_id in named:
            label = f"{m.project.lead_organisation.name}: {m.project.title}"
            named_sites.append(Site(m, label, True, charts[m.pk]))
        else:
            unnamed.append(m)
    # Unnamed sites are numbered in the order they joined, never by name, so their position
    # in the list says nothing about who they are.
    unnamed.sort(key=lambda m: m.pk)
    sites = named_sites + [
        Site(m, f"Unnamed site {i}", False, charts[m.pk]) for i, m in enumerate(unnamed, 1)
    ]
    view = CrossSite(
        library_measure=library_measure,
        meta=meta,
        sites=sites,
        overdispersion=overdispersion,
        y_domain=_shared_domain([s.chart for s in sites]),
    )
    kind = funnel_kind(library_measure.value_type)
    if not sites:
        view.message = "No project uses this definition yet."
        return view
    if kind is None:
        view.message = (
            "A funnel plot compares percentages and rates (a numerator out of a denominator); "
            "this measure has no denominator."
        )
        return view
    view.latest_period = _latest(sites)
    if view.latest_period is None:
        view.message = "No site has entered data yet."
        return view
    funnel_sites = []
    for site in sites:
        series = site.chart.series
        if series.n is None or view.latest_period not in series.periods:
            continue
        i = series.periods.index(view.latest_period)
        y, n = series.y[i], series.n[i]
        if y is not None and n:
            site.latest = (float(y), float(n))
            funnel_sites.append(site)
    result, message = funnel(
        [s.latest[0] for s in funnel_sites if s.latest],
        [s.latest[1] for s in funnel_sites if s.latest],
        kind=kind,
        overdispersion=overdispersion,
    )
    view.funnel, view.message = result, message
    if result is not None:
        for site, unit in zip(funnel_sites, result.units, strict=True):
            site.position, site.z = unit.position, unit.z
        view.funnel_sites = funnel_sites
    return view


def _library_meta(library_measure: LibraryMeasure) -> ChartMeta:
    return ChartMeta(
        title=library_measure.name,
        frequency=library_measure.frequency,
        chart_type=library_measure.chart_type,
        y_title=library_measure.name,
        direction=library_measure.direction,
        target=library_measure.target,
        scale=display_scale(library_measure),  # type: ignore[arg-type]
        suffix="%" if library_measure.value_type == ValueType.PERCENTAGE else "",
    )
