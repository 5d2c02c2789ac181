"""Display logic for the national roll-up: figure columns, cells, and the report's charts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qicollab.national.models import DesignationKind
from qicollab.national.selectors import Rollup, Row, training_label
from qicollab.organisations.models import OrganisationType

NOT_RECORDED = "not recorded yet"
NONE = "–"  # noqa: RUF001 - the en dash NHS tables use for "none"

GROUPS = {
    "recruited": "Recruited",
    "trained": "People trained",
    "projects": "QI projects",
    "orgs": "Organisations engaged",
    "deaths": "Learning from deaths",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str
    description: str = ""


def columns(rollup: Rollup) -> list[Column]:
    """The figure columns, in order, with their group headings."""
    cols = [
        Column(k, DesignationKind(k).label + "s", "recruited", "Designated in the quarter.")
        for k in DesignationKind.values
    ]
    cols.extend(
        Column(f"trained:{cat}", f"Trained: {training_label(cat)}", "trained")
        for cat in rollup.training_categories or []
    )
    cols.append(
        Column(
            "trained_total",
            "People trained",
            "trained",
            "People who completed a course in the quarter (each person once, whatever the "
            "number of courses).",
        )
    )
    cols += [
        Column("projects_started", "Projects started", "projects", "By start date."),
        Column("projects_completed", "Projects completed", "projects", "By end date."),
    ]
    cols += [
        Column(f"orgs_{t}", label, "orgs", "Members at any time in the quarter.")
        for t, label in OrganisationType.choices
    ]
    cols.append(Column("orgs_total", "All organisations", "orgs"))
    cols.append(
        Column(
            "deaths_sharing",
            "Organisations sharing learning from deaths",
            "deaths",
            "Shared at least one approved learning summary with the collaborative.",
        )
    )
    return cols


def visible_columns(rollup: Rollup) -> list[Column]:
    """Columns worth a place on the page: organisation types with no member are left out."""
    total = rollup.total.values
    return [
        c
        for c in columns(rollup)
        if not (
            (c.key.startswith(("orgs_", "trained:")) and c.key != "orgs_total")
            and not total.get(c.key)
        )
    ]


def cell(row: Row, key: str) -> str:
    """A figure as shown: thousands separated; ``not recorded yet`` when there is no source."""
    if key not in row.values:
        return NONE
    n = row.values[key]
    if n is None:
        return NOT_RECORDED
    return f"{n:,}"


def sharing_pct(row: Row) -> str:
    """Share of member organisations sharing learning from deaths, e.g. ``40% (2 of 5)``."""
    members = row.values.get("orgs_total") or 0
    sharing = row.values.get("deaths_sharing") or 0
    if not members:
        return NONE
    return f"{100 * sharing / members:.0f}% ({sharing:,} of {members:,})"


def headline(rollup: Rollup) -> list[tuple[str, str]]:
    """The few figures programmes publish, for the summary list at the top."""
    t = rollup.total
    return [
        ("Patient safety champions recruited", cell(t, DesignationKind.SAFETY_CHAMPION)),
        ("QI experts recruited", cell(t, DesignationKind.QI_EXPERT)),
        ("People trained", cell(t, "trained_total")),
        ("QI projects started", cell(t, "projects_started")),
        ("QI projects completed", cell(t, "projects_completed")),
        ("Organisations engaged", cell(t, "orgs_total")),
        ("Sharing learning from deaths", sharing_pct(t)),
    ]


def table(rows: list[Row], cols: list[Column]) -> list[list[str]]:
    return [[cell(r, c.key) for c in cols] for r in rows]


# --- charts for the PDF report ------------------------------------------------------------


def bar_spec(rollup: Rollup, keys: list[tuple[str, str]], *, title: str) -> dict[str, Any]:
    """A grouped horizontal bar chart of ``keys`` (key, label) by collaborative."""
    data = [
        {"collaborative": r.label, "figure": label, "n": r.values.get(key) or 0}
        for r in rollup.collaboratives
        for key, label in keys
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
        "width": 360,
        "height": {"step": 9},
        "data": {"values": data},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "collaborative",
                "type": "nominal",
                "title": None,
                "sort": None,
                "axis": {"labelLimit": 260},
            },
            "yOffset": {"field": "figure", "type": "nominal"},
            "x": {
                "field": "n",
                "type": "quantitative",
                "title": "Number",
                "axis": {"format": "d", "tickMinStep": 1},
            },
            "color": {
                "field": "figure",
                "type": "nominal",
                "title": None,
                "scale": {"range": ["#005eb8", "#ffb81c", "#007f3b", "#330072"]},
                "legend": {"orient": "bottom"},
            },
        },
        "config": {"font": "Arial, sans-serif", "view": {"stroke": None}},
    }


def report_charts(rollup: Rollup) -> list[dict[str, str]]:
    """The PDF's charts as SVG data URIs (rendered on the server by vl-convert)."""
    from qicollab.measures import rendering

    specs = [
        bar_spec(
            rollup,
            [(k, DesignationKind(k).label + "s") for k in DesignationKind.values],
            title="Recruited in the quarter",
        ),
        bar_spec(
            rollup,
            [("projects_started", "Started"), ("projects_completed", "Completed")],
            title="QI projects",
        ),
        bar_spec(
            rollup,
            [("orgs_total", "Member organisations"), ("deaths_sharing", "Sharing learning")],
            title="Organisations engaged and sharing learning from deaths",
        ),
    ]
    return [
        {"title": str(spec["description"]), "src": rendering.svg_data_uri(spec)} for spec in specs
    ]
