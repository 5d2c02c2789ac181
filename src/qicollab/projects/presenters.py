"""Display logic for project pages, the API and reports (no queries beyond the selectors)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qicollab.projects import selectors
from qicollab.projects.charts import Point, progress_chart_spec
from qicollab.projects.diagram import Diagram, build_diagram, outline, render_svg
from qicollab.projects.models import (
    Aim,
    CoProduction,
    ProgressReport,
    Project,
    RaterType,
    ScaleDefinition,
    ScaleLevel,
    Stage,
    Status,
)
from qicollab.projects.ramps import STATE_STYLES, RampState, ramp_order, ramp_state
from qicollab.projects.smart import aim_sentence, smart_check

STATUS_TAGS = {
    Status.IDEA: "nhsuk-tag--grey",
    Status.ACTIVE: "nhsuk-tag--blue",
    Status.SUSTAINING: "nhsuk-tag--aqua-green",
    Status.COMPLETED: "nhsuk-tag--green",
    Status.STOPPED: "nhsuk-tag--red",
}
PDSA_STATUS_TAGS = {
    "plan": "nhsuk-tag--grey",
    "do": "nhsuk-tag--blue",
    "study": "nhsuk-tag--purple",
    "act": "nhsuk-tag--orange",
    "complete": "nhsuk-tag--green",
}


def status_tag(status: str) -> str:
    return (
        STATUS_TAGS.get(Status(status), "nhsuk-tag--grey")
        if status in Status.values
        else "nhsuk-tag--grey"
    )


def state_style(state: RampState | str) -> Any:
    return STATE_STYLES[RampState(state)]


def _aim(project: Project) -> Aim | None:
    try:
        return project.aim
    except Aim.DoesNotExist:
        return None


def aim_is_started(aim: Aim | None) -> bool:
    if aim is None:
        return False
    return any(
        getattr(aim, f) not in (None, "")
        for f in (
            "statement",
            "direction",
            "measure_text",
            "population",
            "setting",
            "baseline_value",
            "target_value",
            "target_date",
        )
    )


def aim_text(project: Project) -> str:
    """The aim as a sentence, or a plain note that it has not been written."""
    aim = _aim(project)
    return aim_sentence(aim) if aim_is_started(aim) else "The team has not written its aim yet."  # type: ignore[arg-type]


# Projects still working towards their aim: a target date in the past is stale for these.
# A new project starts as an idea, and its aim must be SMART from the first draft.
_WORKING_TOWARDS_AIM = frozenset({Status.IDEA, Status.ACTIVE})


def aim_problems(aim: Aim, project: Project) -> list[str]:
    """The SMART check's findings for the aim, judged against the project's status today."""
    return smart_check(
        aim, today=timezone.localdate(), project_active=project.status in _WORKING_TOWARDS_AIM
    )


@dataclass(frozen=True)
class ScoreView:
    report: ProgressReport
    level: ScaleLevel | None

    @property
    def label(self) -> str:
        return self.level.label if self.level else ""


def level_for(scale: ScaleDefinition, value: Decimal) -> ScaleLevel | None:
    return next((lv for lv in scale.levels.all() if lv.value == value), None)


def _gap(value: Decimal) -> str:
    """Faculty minus team, signed: '+0.5', '-1.0', '0.0'."""
    return f"{value:+.1f}" if value else "0.0"


@dataclass
class ProgressHistory:
    rows: list[dict[str, Any]]
    #: The step chart's Vega-Lite spec (``{}`` without ratings).
    spec: dict[str, Any]
    latest_self: ScoreView | None
    latest_faculty: ScoreView | None

    @property
    def summary(self) -> str:
        """The chart's text alternative (span and latest scores)."""
        return str(self.spec.get("description", ""))

    @property
    def image(self) -> str:
        """The chart drawn on the server (vl-convert) as a ``data:`` URI; "" without ratings."""
        if not self.spec:
            return ""
        # Lazily: measures depends on projects, so projects imports it only at render time.
        from qicollab.measures import rendering

        return rendering.svg_data_uri(self.spec)


def progress_history(project: Project, scale: ScaleDefinition) -> ProgressHistory:
    """Month by month, team and faculty scores side by side, with the gap between them."""
    reports = list(selectors.progress_reports(project=project))
    # The collaborative's scale last: it has its levels prefetched, so a score's level is
    # found without a query (a report's own copy of the same scale has none loaded).
    scales = {r.scale_id: r.scale for r in reports} | {scale.pk: scale}
    by_month: dict[Any, dict[str, ProgressReport]] = {}
    for r in reports:
        by_month.setdefault(r.month, {})[r.rater_type] = r

    def view(r: ProgressReport | None) -> ScoreView | None:
        if r is None:
            return None
        s = scales[r.scale_id]
        return ScoreView(r, level_for(s, r.score) if s.pk == scale.pk else None)

    rows = []
    for month in sorted(by_month, reverse=True):
        pair = by_month[month]
        team, fac = pair.get(RaterType.SELF), pair.get(RaterType.FACULTY)
        rows.append(
            {
                "month": month,
                "self": view(team),
                "faculty": view(fac),
                "gap": _gap(fac.score - team.score) if team and fac else None,
            }
        )
    levels = [lv.value for lv in scale.levels.all()] or [Decimal("0.5"), Decimal("5.0")]
    spec = progress_chart_spec(
        [Point(r.month, r.score, r.rater_type) for r in reports],
        low=min(min(levels), Decimal("0.5")),
        high=max(levels),
        title=f"Progress scores for {project.title}",
    )
    latest = {t: next((r for r in reports if r.rater_type == t), None) for t in RaterType.values}
    return ProgressHistory(rows, spec, view(latest["self"]), view(latest["faculty"]))


@dataclass
class Ramp:
    idea: Any
    cycles: list[Any]
    state: RampState

    @property
    def style(self) -> Any:
        return STATE_STYLES[self.state]


def ramps(ideas: list[Any]) -> list[Ramp]:
    """Each change idea with its cycles from smallest to widest scale (ideas prefetched)."""
    return [
        Ramp(i, ramp_order(i.pdsa_cycles.all()), ramp_state(i.pdsa_cycles.all())) for i in ideas
    ]


@dataclass
class DiagramView:
    diagram: Diagram
    svg: str
    tree: dict[str, Any]
    ramps: list[Ramp]


def diagram_view(project: Project, id_prefix: str = "dd") -> DiagramView:
    nodes = selectors.diagram_nodes(project=project)
    d = build_diagram(project, nodes)
    return DiagramView(
        d,
        render_svg(d, title=f"Driver diagram: {project.title}", id_prefix=id_prefix),
        outline(d),
        ramps(nodes[2]),
    )


@dataclass
class ProjectPage:
    project: Project
    labels: selectors.ProjectLabels
    aim: Aim | None
    aim_started: bool
    aim_sentence: str
    aim_problems: list[str]
    team: list[Any]
    coproduction: list[tuple[str, str, CoProduction | None]]
    progress: ProgressHistory
    scale: ScaleDefinition
    diagram: DiagramView
    pdsa_count: int
    perms: dict[str, bool] = field(default_factory=dict)


def coproduction_rows(project: Project) -> list[tuple[str, str, CoProduction | None]]:
    records = {c.stage: c for c in project.coproduction.all()}
    return [(value, label, records.get(value)) for value, label in Stage.choices]


def project_page(project: Project, viewer: Any) -> ProjectPage:
    # First: it also tells the permission checks below the partner organisations.
    labels = selectors.project_labels(project=project)
    aim = _aim(project)
    scale = selectors.scale_for(collaborative=project.collaborative_id)
    dv = diagram_view(project)
    return ProjectPage(
        project=project,
        labels=labels,
        aim=aim,
        aim_started=aim_is_started(aim),
        aim_sentence=aim_sentence(aim) if aim else "",
        aim_problems=aim_problems(aim, project) if aim else [],
        team=list(selectors.project_team(project=project)),
        coproduction=coproduction_rows(project),
        progress=progress_history(project, scale),
        scale=scale,
        diagram=dv,
        # Counted in the project's query by ``selectors.project_get``.
        pdsa_count=project.pdsa_total
        if hasattr(project, "pdsa_total")
        else project.pdsa_cycles.count(),
        perms={
            "edit": viewer.has_perm("projects.change_project", project),
            "manage": viewer.has_perm("projects.manage_project", project),
            "rate_faculty": viewer.has_perm("projects.rate_project_as_faculty", project),
        },
    )


def _display(cycle: Any, name: str) -> str:
    value = getattr(cycle, name)
    if name == "change_ideas":
        return "; ".join(i.text for i in value.all()) or "None"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return ""
    display = getattr(cycle, f"get_{name}_display", None)
    if callable(display):
        return str(display())
    if hasattr(value, "isoformat"):
        from django.utils.formats import date_format

        return date_format(value, "j F Y")
    return str(value)


def pdsa_sections(
    cycle: Any, form: Any, stages: list[tuple[str, str, tuple[str, ...]]]
) -> list[dict[str, Any]]:
    """The cycle stage by stage, as label and text pairs; blank answers are left out."""
    out = []
    for key, title, names in stages:
        rows = [
            (str(form[n].label).replace(" (optional)", ""), _display(cycle, n))
            for n in names
            if n != "title"
        ]
        out.append({"key": key, "title": title, "rows": [(k, v) for k, v in rows if v]})
    return out
