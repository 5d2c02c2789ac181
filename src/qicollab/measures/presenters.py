"""Display logic for measure pages: icons, the family of measures, the grid, definitions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from qicollab.measures.charts import VARIATION_TEXT, assurance_text, variation_text
from qicollab.measures.forms import GridCell
from qicollab.measures.models import DataPoint, Measure, MeasureType, ValueType
from qicollab.measures.periods import add_periods, period_label, period_range, snap
from qicollab.measures.spc_adapter import MeasureChart, allowed_window

#: Periods shown in the data-entry grid at a time.
GRID_WINDOW = {"daily": 42, "weekly": 26, "monthly": 24, "quarterly": 12}

IMPROVEMENT, CONCERN, COMMON, NEUTRAL = "#41B6E6", "#ED8B00", "#7F7F7F", "#490092"


@dataclass(frozen=True)
class Icon:
    """A Making Data Count icon drawn as a small SVG: a coloured ring with a letter."""

    colour: str
    letter: str
    text: str


def variation_icon(name: str | None) -> Icon | None:
    if not name or name not in VARIATION_TEXT:
        return None
    if name == "common_cause":
        return Icon(COMMON, "~", variation_text(name))
    kind, side = name.split("_")
    colour = {"improvement": IMPROVEMENT, "concern": CONCERN}.get(kind, NEUTRAL)
    return Icon(colour, "H" if side == "high" else "L", variation_text(name))


def assurance_icon(name: str | None) -> Icon | None:
    if not name:
        return None
    colour, letter = {"pass": (IMPROVEMENT, "P"), "fail": (CONCERN, "F")}.get(name, (COMMON, "?"))
    return Icon(colour, letter, assurance_text(name))


def type_tag(measure_type: str) -> str:
    return {
        MeasureType.OUTCOME: "nhsuk-tag--blue",
        MeasureType.PROCESS: "nhsuk-tag--purple",
        MeasureType.BALANCING: "nhsuk-tag--orange",
    }.get(MeasureType(measure_type), "")


@dataclass
class MeasureRow:
    measure: Measure
    chart: MeasureChart | None
    latest: str

    @property
    def variation(self) -> Icon | None:
        return variation_icon(self.chart.variation_icon if self.chart else None)

    @property
    def assurance(self) -> Icon | None:
        return assurance_icon(self.chart.assurance_icon if self.chart else None)


def family(
    measures: list[Measure], charts: dict[int, MeasureChart]
) -> list[tuple[str, list[MeasureRow]]]:
    """Measures grouped as outcome, process and balancing, with their latest value."""
    groups: list[tuple[str, list[MeasureRow]]] = []
    for kind, label in (
        ("outcome", "Outcome measures"),
        ("process", "Process measures"),
        ("balancing", "Balancing measures"),
    ):
        rows = []
        for m in measures:
            if m.measure_type != kind:
                continue
            chart = charts.get(m.pk)
            latest = ""
            if chart and chart.has_chart:
                table = [r for r in chart.table() if r["has_value"]]
                if table:
                    latest = f"{table[-1]['value']} ({table[-1]['label']})"
            rows.append(MeasureRow(m, chart, latest))
        groups.append((label, rows))
    return groups


def definition_rows(measure: Measure) -> list[dict[str, Any]]:
    """The operational definition as summary-list rows (empty answers say so)."""

    def row(key: str, value: str) -> dict[str, Any]:
        return {"key": {"text": key}, "value": {"text": value or "Not recorded"}}

    rows = [
        row(
            "Type",
            measure.get_measure_type_display()
            + (" (the project's main outcome)" if measure.is_main_outcome else ""),
        ),
        row("Each value is", measure.get_value_type_display()),
        row("Numerator", measure.numerator_definition),
    ]
    if measure.uses_denominator:
        rows.append(row("Denominator", measure.denominator_definition))
    rows += [
        row("Included", measure.inclusions),
        row("Excluded", measure.exclusions),
        row("Data source", measure.data_source),
        row(
            "Collected",
            measure.get_frequency_display()
            + (
                f", weeks starting on {measure.get_week_start_display()}"
                if measure.frequency == "weekly"
                else ""
            ),
        ),
        row("Owner", measure.owner.full_name if measure.owner else ""),
        row("Chart", measure.get_chart_type_display()),
        row("Improvement is", measure.get_direction_display()),
        row("Target", "" if measure.target is None else target_text(measure)),
    ]
    if measure.value_type == ValueType.RATE:
        rows.insert(4, row("Shown per", f"{measure.rate_multiplier:,} {measure.unit}".strip()))
    return rows


def conflict_rows(measure: Measure) -> list[tuple[str, str]]:
    """The version someone else saved, shown beside the form that keeps this person's edits."""
    return [
        ("Name", measure.name),
        ("Type", measure.get_measure_type_display()),
        ("Each value is", measure.get_value_type_display()),
        ("Collected", measure.get_frequency_display()),
        ("Chart", measure.get_chart_type_display()),
        ("Improvement is", measure.get_direction_display()),
        ("Target", target_text(measure) or "None"),
        ("Data source", measure.data_source or "Not recorded"),
    ]


def target_text(measure: Measure) -> str:
    if measure.target is None:
        return ""
    t = measure.target
    text = f"{int(t)}" if float(t).is_integer() else f"{t:g}"
    if measure.value_type == ValueType.PERCENTAGE:
        return text + "%"
    if measure.value_type == ValueType.RATE:
        return f"{text} per {measure.rate_multiplier:,} {measure.unit}".strip()
    return f"{text} {measure.unit}".strip()


@dataclass
class Grid:
    cells: list[GridCell]
    earlier: date | None
    later: date | None
    uses_denominator: bool
    #: The last period with data when it is before this window (a link takes you there).
    last_data: date | None = None
    last_data_before: date | None = None
    #: Stored periods outside the allowed window (shown as extra rows so they can be cleared).
    left_out: list[date] | None = None
    window_text: str = ""


def grid(measure: Measure, points: dict[date, DataPoint], *, before: date | None = None) -> Grid:
    """The data-entry grid: the measure's periods, newest last, in a window of periods.

    Periods come from the frequency; the window ends at the current period (or the last
    period with data, if later) unless ``before`` asks for an earlier window. Only the
    allowed periods are offered; stored points outside them (old data) are added as extra
    rows, so that they can be seen and cleared.
    """
    freq, week_start = measure.frequency, measure.week_start
    allowed = allowed_window(freq, week_start)
    outside = sorted(d for d in points if not allowed.contains(d))
    inside = [d for d in points if allowed.contains(d)]
    window = GRID_WINDOW.get(freq, 24)
    today = snap(timezone.localdate(), freq, week_start)
    last_data = max(inside) if inside else today
    end = min(max(today, last_data), allowed.latest)
    if before is not None:
        end = add_periods(snap(before, freq, week_start), freq, -1)
        end = min(max(end, allowed.earliest), allowed.latest)
    start = max(add_periods(end, freq, -(window - 1)), allowed.earliest)
    periods = period_range(start, end, freq, week_start)
    # Off-grid points (from an earlier definition) still show, so nothing is hidden.
    periods = sorted(set(periods) | {d for d in inside if start <= d <= end} | set(outside))
    cells = [
        GridCell(
            d,
            period_label(d, freq) + (" (outside the allowed periods)" if d in outside else ""),
            points.get(d),
            measure.uses_denominator,
        )
        for d in periods
    ]
    first_data = min(inside) if inside else None
    earlier = start if first_data is not None and first_data < start else None
    later = None
    if before is not None and end < min(max(today, last_data), allowed.latest):
        later = add_periods(end, freq, window + 1)
    out = Grid(cells, earlier, later, measure.uses_denominator)
    if inside and max(inside) < start:
        out.last_data = max(inside)
        out.last_data_before = add_periods(out.last_data, freq, 1)
    if outside:
        out.left_out = outside
        out.window_text = allowed.describe()
    return out


def project_section(project: Any, viewer: Any) -> dict[str, Any]:
    """What the project page shows under "How will we know that a change is an improvement?".

    Called from the projects app's page through the ``measures_section`` template global,
    so that the project page needs no knowledge of measures.
    """
    from django.urls import reverse
    from django.utils.html import json_script

    from qicollab.measures import selectors
    from qicollab.measures.spc_adapter import measure_charts

    measures = list(selectors.measure_list(project=project))
    charts = measure_charts(measures)
    main = next((m for m in measures if m.is_main_outcome), None) or next(
        (m for m in measures if m.measure_type == MeasureType.OUTCOME and charts[m.pk].has_chart),
        None,
    )
    main_block = None
    if main is not None and charts[main.pk].has_chart:
        chart = charts[main.pk]
        main_block = {
            "measure": main,
            "chart": chart,
            "key": f"m{main.pk}",
            "spec_json": json_script(chart.spec(height=280), f"chart-spec-m{main.pk}"),
            "fallback": reverse("measures:chart_svg", args=[project.slug, main.pk]),
        }
    return {
        "family": family(measures, charts),
        "count": len(measures),
        "bundles": list(selectors.bundle_list(project=project)),
        "main": main_block,
        "can_edit": bool(
            getattr(viewer, "is_authenticated", False)
            and viewer.has_perm("projects.change_project", project)
        ),
    }
