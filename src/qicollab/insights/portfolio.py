"""The portfolio: every project of a collaborative the viewer may read, with its signals.

Reads go through :func:`qicollab.projects.selectors.project_list` (the viewer's projects,
never unscoped). The state of each project's main outcome measure comes from one
``spc.batch`` call for the projects on the page, through the measures adapter
(:func:`qicollab.measures.spc_adapter.measure_results`), so the number of queries and
engine calls does not grow with the page size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import F, QuerySet

from qicollab.collaborative.models import Theme, Workstream
from qicollab.insights.forms import PortfolioFilterForm
from qicollab.insights.signal_feed import SignalRun, signal_runs
from qicollab.measures.models import Measure
from qicollab.measures.presenters import Icon, variation_icon
from qicollab.measures.spc_adapter import MIN_POINTS, MeasureResult, measure_results
from qicollab.organisations.models import Collaborative, Organisation
from qicollab.projects.models import Project, Status
from qicollab.projects.selectors import (
    latest_progress,
    project_list,
    scale_for,
    with_last_activity,
)


class OutcomeState(StrEnum):
    IMPROVING = "improving"
    CONCERNING = "concerning"
    NO_SIGNAL = "no_signal"
    CHANGED = "special_cause_neutral"
    NOT_ENOUGH_DATA = "not_enough_data"
    NO_MEASURE = "no_main_outcome"


#: Label, NHS.UK tag class and a sentence for each state (the page's key explains them).
STATE_DISPLAY: dict[OutcomeState, tuple[str, str, str]] = {
    OutcomeState.IMPROVING: (
        "Improving",
        "nhsuk-tag--blue",
        "The latest value is part of a special-cause signal in the direction of improvement.",
    ),
    OutcomeState.CONCERNING: (
        "Concerning",
        "nhsuk-tag--orange",
        "The latest value is part of a special-cause signal in the wrong direction.",
    ),
    OutcomeState.NO_SIGNAL: (
        "No signal",
        "nhsuk-tag--grey",
        "Common cause variation: nothing unusual in the latest values.",
    ),
    OutcomeState.CHANGED: (
        "Changed",
        "nhsuk-tag--purple",
        "A special-cause signal, but the measure has no direction of improvement set.",
    ),
    OutcomeState.NOT_ENOUGH_DATA: (
        "Not enough data",
        "nhsuk-tag--white",
        f"Fewer than {MIN_POINTS} values: too soon to tell signal from noise.",
    ),
    OutcomeState.NO_MEASURE: (
        "No main outcome",
        "nhsuk-tag--white",
        "The project has not chosen its main outcome measure yet.",
    ),
}


@dataclass(frozen=True)
class Outcome:
    """The state of a project's main outcome measure."""

    state: OutcomeState
    measure: Measure | None = None
    icon_name: str | None = None
    run: SignalRun | None = None
    centre: str = "mean"
    problem: str = ""

    @property
    def label(self) -> str:
        return STATE_DISPLAY[self.state][0]

    @property
    def tag(self) -> str:
        return STATE_DISPLAY[self.state][1]

    @property
    def explanation(self) -> str:
        return self.problem or STATE_DISPLAY[self.state][2]

    @property
    def icon(self) -> Icon | None:
        return variation_icon(self.icon_name)

    @property
    def signal(self) -> str:
        """The latest signal in words, its length in the measure's periods."""
        if self.run is None:
            return ""
        return self.run.describe(self.centre, self.measure.frequency if self.measure else "")

    @property
    def detail(self) -> str:
        """The latest signal with its start ("a shift of 7 months below the centre line
        (mean) since March 2025")."""
        if self.run is None:
            return ""
        return f"{self.signal} since {self.run.start:%B %Y}"


def outcome_from(res: MeasureResult | None) -> Outcome:
    """The state of one main outcome measure from its engine result."""
    if res is None:
        return Outcome(OutcomeState.NO_MEASURE)
    if res.result is None:
        return Outcome(OutcomeState.NOT_ENOUGH_DATA, res.measure, problem=res.problem)
    icon = res.result.variation_icon
    kind = icon.split("_")[0]
    state = {
        "improvement": OutcomeState.IMPROVING,
        "concern": OutcomeState.CONCERNING,
        "neutral": OutcomeState.CHANGED,
    }.get(kind, OutcomeState.NO_SIGNAL)
    runs = signal_runs(res.result) if state != OutcomeState.NO_SIGNAL else []
    return Outcome(state, res.measure, icon, runs[-1] if runs else None, res.centre)


def outcome_states(projects: list[Project]) -> dict[int, Outcome]:
    """Project id -> its main outcome's state: two queries for the measures and their
    data, one for chart decisions, and exactly one ``spc.batch`` call for all of them."""
    by_id = {p.pk: p for p in projects}
    measures = list(Measure.objects.filter(project__in=list(by_id), is_main_outcome=True))
    for m in measures:
        m.project = by_id[m.project_id]  # links to the chart need the slug; no query per row
    results = measure_results(measures)
    by_project = {m.project_id: results[m.pk] for m in measures}
    return {p.pk: outcome_from(by_project.get(p.pk)) for p in projects}


# --- selecting the projects --------------------------------------------------------------


def filter_form(data: Any, *, collaborative: Collaborative) -> PortfolioFilterForm:
    """The filter form with the collaborative's organisations, workstreams, themes, scale."""
    members = collaborative.memberships.current().values("organisation_id")
    scale = scale_for(collaborative=collaborative)
    return PortfolioFilterForm(
        data,
        organisations=Organisation.objects.filter(pk__in=members).order_by("name"),
        workstreams=Workstream.objects.filter(collaborative=collaborative).order_by("name"),
        themes=Theme.objects.filter(collaborative=collaborative).order_by("name"),
        statuses=Status.choices,
        score_values=[lvl.value for lvl in scale.levels.all()],
    )


_SORTS: dict[str, tuple[Any, ...]] = {
    "title": ("title", "pk"),
    "organisation": ("lead_organisation__name", "title", "pk"),
    "workstream": (F("workstream__name").asc(nulls_last=True), "title", "pk"),
    "score": (F("latest_score").desc(nulls_last=True), "title", "pk"),
    "activity": (F("last_activity").desc(nulls_last=True), "title", "pk"),
}


def portfolio_projects(
    *, viewer: Any, collaborative: Collaborative, filters: dict[str, Any]
) -> QuerySet[Project]:
    """The collaborative's projects the viewer may read, filtered and sorted.

    ``filters`` holds cleaned values of :class:`PortfolioFilterForm` (organisation,
    workstream, theme, status, score, sort). Each project carries ``latest_score``,
    ``latest_rater``, ``latest_month`` and ``last_activity``: the latest data point, PDSA
    cycle or progress report recorded (:func:`qicollab.projects.selectors.last_activity`,
    the definition the coaching view's "quiet since" uses too), ``None`` if none yet.
    """
    scoped = project_list(
        viewer=viewer,
        collaborative=collaborative,
        status=filters.get("status", ""),
        workstream=filters.get("workstream"),
        organisation=filters.get("organisation"),
    )
    if filters.get("theme") is not None:
        scoped = scoped.filter(themes=filters["theme"])
    # The scoped selector decides which projects; the page's query then needs no DISTINCT,
    # so the database computes the per-project subqueries for the page's rows only (with
    # DISTINCT it computes them for every project of the collaborative, and again to count).
    qs = (
        Project.objects.filter(pk__in=scoped.values("pk"))
        .select_related("lead_organisation", "workstream", "collaborative")
        .annotate(
            latest_score=latest_progress("score"),
            latest_month=latest_progress("month"),
            latest_rater=latest_progress("rater_type"),
        )
    )
    score: Decimal | None = filters.get("score")
    if score is not None:
        qs = qs.filter(latest_score__gte=score)
    return (
        with_last_activity(qs)
        .prefetch_related("partner_organisations")
        .order_by(*_SORTS.get(filters.get("sort") or "title", _SORTS["title"]))
    )


# --- the page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioRow:
    project: Project
    outcome: Outcome
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        return getattr(self.project, "latest_score", None)

    @property
    def score_by(self) -> str:
        """Whose rating the latest score is: the faculty's when they rated that month."""
        rater = getattr(self.project, "latest_rater", None)
        if rater is None:
            return ""
        return "faculty" if rater == "faculty" else "team (self-rating)"

    @property
    def score_month(self) -> date | None:
        return getattr(self.project, "latest_month", None)

    @property
    def last_activity(self) -> datetime | None:
        return getattr(self.project, "last_activity", None)


def portfolio_rows(projects: list[Project]) -> list[PortfolioRow]:
    """The rows of one page, with one engine call for all their main outcome measures."""
    states = outcome_states(projects)
    return [
        PortfolioRow(
            p,
            states[p.pk],
            [p.lead_organisation, *sorted(p.partner_organisations.all(), key=lambda o: o.name)],
        )
        for p in projects
    ]
