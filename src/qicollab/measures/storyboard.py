"""The project storyboard: the story of a project on one page, for a learning session.

Aim, team and co-production, the driver diagram, the key charts with their signals, the
PDSA ramps, what was learned and what others can take away, gathered from the projects
app's presenters and this app's charts. The same content renders as a web page and as a
PDF (through ``qicollab.reports.pdf``) in A4 portrait or as an A3 landscape poster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qicollab.measures import rendering, selectors
from qicollab.measures.charts import annotation_key
from qicollab.measures.spc_adapter import MeasureChart, measure_charts
from qicollab.projects.models import Project
from qicollab.projects.presenters import ProjectPage, project_page
from qicollab.projects.ramps import RampState

#: At most this many charts: the main outcome first, then measures with a signal.
KEY_CHARTS = 4


@dataclass
class StoryChart:
    name: str
    kind: str
    chart: MeasureChart
    image: str  # a data: URI of the server-rendered SVG

    @property
    def summary(self) -> str:
        return self.chart.summary

    @property
    def key(self) -> list[str]:
        """What the numbers along the top of the chart image mark (PDSA cycles, notes)."""
        return annotation_key(self.chart.annotations, self.chart.series.periods)


@dataclass
class Learning:
    cycle: Any
    idea: str


@dataclass
class Storyboard:
    page: ProjectPage
    charts: list[StoryChart]
    learning: list[Learning]
    adopted: list[Any]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def project(self) -> Project:
        return self.page.project


def _image(spec: dict[str, Any]) -> str:
    return rendering.svg_data_uri(spec)


def key_charts(project: Project, *, width: int = 560, height: int = 230) -> list[StoryChart]:
    """The charts worth showing: the main outcome, then signals, then the rest of the family."""
    measures = list(selectors.measure_list(project=project))
    # The storyboard tells the story of the tests: each PDSA cycle on each chart's time axis.
    charts = measure_charts(measures, pdsa=selectors.pdsa_annotations(project=project))
    with_data = [m for m in measures if charts[m.pk].has_chart]

    def rank(m: Any) -> tuple[int, int, int]:
        signal = (charts[m.pk].variation_icon or "common_cause") != "common_cause"
        kind = {"outcome": 0, "process": 1, "balancing": 2}.get(m.measure_type, 3)
        return (0 if m.is_main_outcome else 1, 0 if signal else 1, kind)

    out = []
    for m in sorted(with_data, key=rank)[:KEY_CHARTS]:
        chart = charts[m.pk]
        out.append(
            StoryChart(
                m.name,
                m.get_measure_type_display(),
                chart,
                _image(chart.spec(width=width, height=height)),
            )
        )
    return out


def storyboard(project: Project, viewer: Any, *, chart_width: int = 560) -> Storyboard:
    page = project_page(project, viewer)
    learning: list[Learning] = []
    adopted = []
    seen: set[int] = set()
    for ramp in page.diagram.ramps:
        for cycle in ramp.cycles:
            # A cycle testing two change ideas sits in both ramps: count and quote it once.
            if cycle.pk in seen:
                continue
            seen.add(cycle.pk)
            if (cycle.learning or "").strip():
                learning.append(Learning(cycle, ramp.idea.text))
        if ramp.state == RampState.ADOPTED:
            adopted.append(ramp)
    return Storyboard(
        page=page,
        charts=key_charts(project, width=chart_width),
        learning=learning,
        adopted=adopted,
        counts={"ideas": len(page.diagram.ramps), "cycles": len(seen), "adopted": len(adopted)},
    )
