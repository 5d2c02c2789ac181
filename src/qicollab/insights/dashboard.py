"""The collaborative dashboard: at a glance, is the collaborative achieving its aims?

For leads, faculty, sponsors and national admins (``collaborative.view_dashboard``). Every
figure is an aggregate over *all* the collaborative's projects, private ones included, so
it names no project: the links lead to the portfolio and coaching view, which show only
what the viewer may see.

Speed (benchmarked at national scale, 2,000 projects and 1 M data points): the figures
come from a fixed number of aggregate queries whatever the number of projects — one for
the counts by workstream and status, one for the latest scores — plus the programme
goals' own series (:mod:`qicollab.insights.goals`, a few queries per goal and period).
No per-project query and no per-measure SPC: the main outcome measures' states come from
the portfolio's one batch computation when that module is present, else they are not
shown rather than estimated.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from qicollab.collaborative import selectors
from qicollab.collaborative.models import ProgrammeGoal, Workstream
from qicollab.insights import goals, portfolio
from qicollab.organisations.models import Collaborative
from qicollab.projects.models import ProgressReport, Project, Status


def latest_score_subquery() -> Subquery:
    """A project's latest score: the newest month's, the faculty's when both rated it.

    The same rule as the project list and the ``projects_at_score_pct`` goal metric
    ("faculty" sorts before "self").
    """
    return Subquery(
        ProgressReport.objects.filter(project=OuterRef("pk"))
        .order_by("-month", "rater_type")
        .values("score")[:1]
    )


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class WorkstreamRow:
    name: str
    slug: str | None  # None: projects in no workstream
    counts: dict[str, int]  # status -> number of projects
    total: int


@dataclass(frozen=True)
class ScoreCount:
    value: Decimal
    label: str
    count: int
    percent: float  # of the scored projects


@dataclass(frozen=True)
class OutcomeCount:
    state: str
    label: str
    count: int


@dataclass(frozen=True)
class OutcomeStates:
    """How many projects' main outcome measures show improvement, concern..."""

    available: bool
    counts: list[OutcomeCount] = field(default_factory=list)
    note: str = ""

    def count(self, state: str) -> int:
        return sum(c.count for c in self.counts if c.state == state)


@dataclass(frozen=True)
class Dashboard:
    collaborative: Collaborative
    goals: list[goals.GoalSeries]
    total_projects: int
    by_status: list[StatusCount]
    by_workstream: list[WorkstreamRow]
    scores: list[ScoreCount]
    scored: int
    unscored: int
    at_3: int  # scored projects at 3.0 or more
    at_4: int
    outcome: OutcomeStates
    links: dict[str, str]

    @property
    def pct_at_3(self) -> float | None:
        return 100.0 * self.at_3 / self.scored if self.scored else None

    @property
    def pct_at_4(self) -> float | None:
        return 100.0 * self.at_4 / self.scored if self.scored else None


def project_counts(
    *, collaborative: Collaborative
) -> tuple[list[StatusCount], list[WorkstreamRow]]:
    """Projects by status, and by workstream and status (two queries in all)."""
    grouped = list(
        Project.objects.filter(collaborative=collaborative)
        .order_by()
        .values("workstream_id", "status")
        .annotate(n=Count("pk"))
    )
    by_status: Counter[str] = Counter()
    by_ws: dict[int | None, Counter[str]] = {}
    for row in grouped:
        by_status[row["status"]] += row["n"]
        by_ws.setdefault(row["workstream_id"], Counter())[row["status"]] += row["n"]
    status_rows = [StatusCount(s.value, s.label, by_status[s.value]) for s in Status]
    ws_rows = [
        WorkstreamRow(w["name"], w["slug"], dict(by_ws.get(w["pk"], Counter())), 0)
        for w in Workstream.objects.filter(collaborative=collaborative)
        .order_by("order", "name")
        .values("pk", "name", "slug")
    ]
    if None in by_ws:
        ws_rows.append(WorkstreamRow("Not in a workstream", None, dict(by_ws[None]), 0))
    ws_rows = [WorkstreamRow(r.name, r.slug, r.counts, sum(r.counts.values())) for r in ws_rows]
    return status_rows, ws_rows


def score_distribution(*, collaborative: Collaborative) -> tuple[list[ScoreCount], int, int]:
    """Latest scores of the collaborative's projects, counted per scale level.

    Returns the levels (every level of the collaborative's scale, zero counts included),
    the number of scored projects and the number never scored. One query for the scores
    plus the scale's two.
    """
    from qicollab.projects.selectors import scale_for

    raw = (
        Project.objects.filter(collaborative=collaborative)
        .order_by()
        .annotate(latest=latest_score_subquery())
        .values_list("latest", flat=True)
    )
    counts: Counter[Decimal] = Counter()
    unscored = 0
    for v in raw:
        if v is None:
            unscored += 1
        else:
            counts[Decimal(str(v)).quantize(Decimal("0.1"))] += 1
    scored = sum(counts.values())

    def pct(n: int) -> float:
        return 100.0 * n / scored if scored else 0.0

    labels = {lv.value: lv.label for lv in scale_for(collaborative=collaborative).levels.all()}
    # Every level of the scale, and any score rated on another variant with extra levels.
    values = sorted(set(labels) | set(counts))
    rows = [ScoreCount(v, labels.get(v, ""), counts[v], pct(counts[v])) for v in values]
    return rows, scored, unscored


OUTCOME_CACHE_SECONDS = 60 * 60


def _outcome_fingerprint(collaborative: Collaborative) -> str:
    """Changes whenever anything the outcome states depend on changes: the projects, their
    main outcome measures, those measures' data points and chart decisions (counts catch
    deletions, the newest ``updated_at`` catches additions and edits). Three queries."""
    from qicollab.measures.models import ChartEvent, DataPoint, Measure

    parts: list[object] = [
        collaborative.pk,
        Project.objects.filter(collaborative=collaborative).count(),
    ]
    main: dict[str, Any] = {"project__collaborative": collaborative, "is_main_outcome": True}
    for qs in (
        Measure.objects.filter(**main),
        DataPoint.objects.filter(**{f"measure__{k}": v for k, v in main.items()}),
        ChartEvent.objects.filter(**{f"measure__{k}": v for k, v in main.items()}),
    ):
        agg = qs.order_by().aggregate(n=Count("pk"), last=Max("updated_at"))
        parts += [agg["n"], agg["last"].isoformat() if agg["last"] else ""]
    return ":".join(str(p) for p in parts)


def outcome_states(*, collaborative: Collaborative) -> OutcomeStates:
    """How many projects' main outcome measures show each state, from the portfolio's
    computation (one ``spc.batch`` call for all of them, a fixed number of queries).

    The engine run over every main outcome measure is the dashboard's one costly part
    (about a second for 130 projects' data), so its result is cached under a fingerprint
    of the data it reads: any new or changed point, measure or chart decision computes
    it afresh, and an unchanged collaborative costs three small aggregate queries.
    """
    key = "collaborative:dashboard:outcomes:" + _outcome_fingerprint(collaborative)
    states: dict[str, int] | None = cache.get(key)
    if states is None:
        projects = list(Project.objects.filter(collaborative=collaborative).only("pk"))
        counted = Counter(o.state.value for o in portfolio.outcome_states(projects).values())
        states = dict(counted)
        cache.set(key, states, OUTCOME_CACHE_SECONDS)
    return OutcomeStates(
        True,
        [
            OutcomeCount(state.value, portfolio.STATE_DISPLAY[state][0], states.get(state.value, 0))
            for state in portfolio.OutcomeState
        ],
    )


GOAL_CACHE_SECONDS = 5 * 60


def goal_series_cached(goal: ProgrammeGoal, *, today: date | None = None) -> goals.GoalSeries:
    """The goal's series as :func:`goals.goal_series` computes it, kept for five minutes.

    A goal's metric reads many tables (projects, scores, deaths, memberships, training...),
    a query or two per period, so a dashboard of several goals spends most of its time here.
    Programme goals move over months, so the dashboard shows figures at most five minutes
    old; a changed goal (its ``updated_at``) or a new day computes afresh, and the goal's
    own page is always computed live.
    """
    day = today or timezone.localdate()
    key = f"collaborative:dashboard:goal:{goal.pk}:{goal.updated_at.isoformat()}:{day}"
    series: goals.GoalSeries | None = cache.get(key)
    if series is None:
        series = goals.goal_series(goal, today=day)
        cache.set(key, series, GOAL_CACHE_SECONDS)
    return series


def dashboard(*, viewer: Any, collaborative: Collaborative, today: date | None = None) -> Dashboard:
    """Everything the dashboard shows, in a number of queries independent of the data size."""
    series = [
        goal_series_cached(g, today=today) for g in selectors.goal_list(collaborative=collaborative)
    ]
    by_status, by_ws = project_counts(collaborative=collaborative)
    scores, scored, unscored = score_distribution(collaborative=collaborative)
    slug = collaborative.slug
    links = {
        key: url
        for key, url in (
            ("portfolio", reverse("insights:portfolio", args=[slug])),
            ("signals", reverse("insights:signals", args=[slug])),
            ("coaching", reverse("insights:coaching", args=[slug])),
            ("goals", reverse("insights:goal_list", args=[slug])),
        )
        if url
    }
    return Dashboard(
        collaborative=collaborative,
        goals=series,
        total_projects=sum(s.count for s in by_status),
        by_status=by_status,
        by_workstream=by_ws,
        scores=scores,
        scored=scored,
        unscored=unscored,
        at_3=sum(s.count for s in scores if s.value >= Decimal("3.0")),
        at_4=sum(s.count for s in scores if s.value >= Decimal("4.0")),
        outcome=outcome_states(collaborative=collaborative),
        links=links,
    )


def hub_extras(*, viewer: Any, collaborative: Collaborative) -> dict[str, Any]:
    """What the collaborative's hub page adds for this viewer (two queries).

    Project counts per workstream and per theme principle count only projects the viewer
    may see; the coordinators' pages are linked for those allowed to open them.
    """
    from qicollab.projects.selectors import visible_projects

    ws_counts = dict(
        visible_projects(viewer=viewer)
        .filter(collaborative=collaborative)
        .order_by()
        .values_list("workstream_id")
        .annotate(n=Count("pk"))
        .values_list("workstream_id", "n")
    )
    slug = collaborative.slug
    links = [
        (text, url)
        for text, url, perm in (
            (
                "Dashboard: is the collaborative achieving its aims?",
                reverse("insights:dashboard", args=[slug]),
                "collaborative.view_dashboard",
            ),
            (
                "Coaching view: quiet teams, scores month by month, self-rating gaps",
                reverse("insights:coaching", args=[slug]),
                "collaborative.view_coaching",
            ),
        )
        if url and viewer.has_perm(perm, collaborative)
    ]
    return {
        "ws_project_counts": ws_counts,
        "theme_counts": selectors.theme_counts(viewer=viewer, collaborative=collaborative),
        "hub_links": links,
    }
