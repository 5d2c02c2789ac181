"""API for the collaborative hub: goals with their computed series, themes with evidence
counts, workstreams with their projects. Same selectors and permissions as the pages: anyone
who may see the collaborative; projects and counts only those the caller may see."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from qicollab.api.auth import public_auth
from qicollab.collaborative import goals, selectors
from qicollab.collaborative import portfolio as pf
from qicollab.collaborative import signal_feed as sf
from qicollab.collaborative.forms import SignalFeedForm
from qicollab.core.http import found
from qicollab.organisations.models import Collaborative
from qicollab.organisations.selectors import collaborative_get
from qicollab.projects.selectors import project_list

router = Router(tags=["collaborative hub"])

MAX_PER_PAGE = 100


class PointOut(Schema):
    period_start: date
    period_end: date
    value: float
    numerator: float | None
    denominator: float | None
    detail: str


class GoalOut(Schema):
    slug: str
    statement: str
    metric_key: str
    metric_label: str | None
    metric_params: dict[str, Any]
    period: str
    baseline_date: date
    target_value: float
    deadline: date
    unit: str
    direction: str
    workstream: str | None
    status: str
    expected_now: float | None
    problem: str
    series: list[PointOut]


class PrincipleOut(Schema):
    id: int
    text: str
    projects_evidencing: int


class ThemeOut(Schema):
    slug: str
    name: str
    description: str
    counts_note: str
    principles: list[PrincipleOut]


class ProjectRefOut(Schema):
    slug: str
    title: str
    status: str
    lead_organisation: str
    latest_score: float | None


class WorkstreamOut(Schema):
    slug: str
    name: str
    description: str
    goal_statement: str
    leads: list[str]
    projects: list[ProjectRefOut]


def _collab(request: HttpRequest, slug: str) -> Collaborative:
    return found(collaborative_get(viewer=request.user, slug=slug))


def _goal_out(s: goals.GoalSeries) -> dict[str, Any]:
    g = s.goal
    return {
        "slug": g.slug,
        "statement": g.statement,
        "metric_key": g.metric_key,
        "metric_label": s.metric.label if s.metric else None,
        "metric_params": g.metric_params or {},
        "period": g.period,
        "baseline_date": g.baseline_date,
        "target_value": float(g.target_value),
        "deadline": g.deadline,
        "unit": g.unit,
        "direction": g.direction,
        "workstream": g.workstream.slug if g.workstream else None,
        "status": s.status.value,
        "expected_now": s.expected,
        "problem": s.problem,
        "series": [
            {
                "period_start": p.start,
                "period_end": p.end,
                "value": p.value.value,
                "numerator": p.value.numerator,
                "denominator": p.value.denominator,
                "detail": p.value.detail,
            }
            for p in s.points
        ],
    }


@router.get("/collaboratives/{slug}/goals", response=list[GoalOut], auth=public_auth)
def goal_list(request: HttpRequest, slug: str) -> Any:
    collab = _collab(request, slug)
    return [_goal_out(goals.goal_series(g)) for g in selectors.goal_list(collaborative=collab)]


@router.get("/collaboratives/{slug}/goals/{goal}", response=GoalOut, auth=public_auth)
def goal_detail(request: HttpRequest, slug: str, goal: str) -> Any:
    collab = _collab(request, slug)
    return _goal_out(goals.goal_series(found(selectors.goal_get(collaborative=collab, slug=goal))))


@router.get("/collaboratives/{slug}/themes", response=list[ThemeOut], auth=public_auth)
def theme_list(request: HttpRequest, slug: str) -> Any:
    collab = _collab(request, slug)
    counts = selectors.theme_counts(viewer=request.user, collaborative=collab)
    return [
        {
            "slug": t.slug,
            "name": t.name,
            "description": t.description,
            "counts_note": "Counts include only projects the caller may see.",
            "principles": [
                {"id": p.pk, "text": p.text, "projects_evidencing": counts[t.pk][p.pk]}
                for p in t.principles.all()
            ],
        }
        for t in selectors.themes(collaborative=collab)
    ]


@router.get("/collaboratives/{slug}/workstreams", response=list[WorkstreamOut], auth=public_auth)
def workstream_list(request: HttpRequest, slug: str) -> Any:
    collab = _collab(request, slug)
    by_ws: dict[int, list[dict[str, Any]]] = {}
    for p in project_list(viewer=request.user, collaborative=collab):
        if p.workstream_id is None:
            continue
        by_ws.setdefault(p.workstream_id, []).append(
            {
                "slug": p.slug,
                "title": p.title,
                "status": p.status,
                "lead_organisation": p.lead_organisation.name,
                "latest_score": None
                if (score := getattr(p, "latest_score", None)) is None
                else float(score),
            }
        )
    return [
        {
            "slug": w.slug,
            "name": w.name,
            "description": w.description,
            "goal_statement": w.goal_statement,
            "leads": [p.full_name for p in w.leads.all()],
            "projects": by_ws.get(w.pk, []),
        }
        for w in selectors.workstreams(collaborative=collab)
    ]


# --- portfolio and signal feed -----------------------------------------------------------


class OutcomeOut(Schema):
    state: str
    label: str
    measure_id: int | None
    measure_name: str | None
    variation_icon: str | None
    #: The latest signal in words, e.g. "7 points below the mean" (null without one).
    signal: str | None
    signal_since: date | None
    explanation: str


class PortfolioProjectOut(Schema):
    slug: str
    title: str
    status: str
    lead_organisation: str
    partner_organisations: list[str]
    workstream: str | None
    latest_score: float | None
    latest_score_by: str | None
    latest_score_month: date | None
    last_activity: datetime | None
    main_outcome: OutcomeOut


class PortfolioOut(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[PortfolioProjectOut]


class SignalOut(Schema):
    text: str
    project: str
    project_title: str
    measure_id: int
    measure_name: str
    kind: str
    side: str
    rules: list[str]
    points: int
    start: date
    end: date
    continuing: bool
    url: str


class SignalFeedOut(Schema):
    since: date
    measures_checked: int
    measures_not_judged: int
    truncated: bool
    items: list[SignalOut]


def _outcome_out(o: pf.Outcome) -> dict[str, Any]:
    return {
        "state": o.state.value,
        "label": o.label,
        "measure_id": o.measure.pk if o.measure else None,
        "measure_name": o.measure.name if o.measure else None,
        "variation_icon": o.icon_name,
        "signal": o.run.describe(o.centre) if o.run else None,
        "signal_since": o.run.start if o.run else None,
        "explanation": o.explanation,
    }


def _row_out(r: pf.PortfolioRow) -> dict[str, Any]:
    p = r.project
    return {
        "slug": p.slug,
        "title": p.title,
        "status": p.status,
        "lead_organisation": p.lead_organisation.name,
        "partner_organisations": [o.name for o in r.organisations[1:]],
        "workstream": p.workstream.slug if p.workstream else None,
        "latest_score": None if r.score is None else float(r.score),
        "latest_score_by": getattr(p, "latest_rater", None),
        "latest_score_month": r.score_month,
        "last_activity": r.last_activity,
        "main_outcome": _outcome_out(r.outcome),
    }


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


@router.get(
    "/collaboratives/{slug}/portfolio",
    response=PortfolioOut,
    auth=public_auth,
    summary="The portfolio: visible projects with their main outcome's signal state",
)
def portfolio(
    request: HttpRequest,
    slug: str,
    organisation: str = "",
    workstream: str = "",
    theme: str = "",
    status: str = "",
    score: str = "",
    sort: str = "",
    page: str = "1",
    per_page: str = "25",
) -> Any:
    """Filters as on the page (organisation, workstream and theme by slug; ``score`` is the
    lowest latest progress score, e.g. 3 or 3.0). Invalid filters answer 422 with the reason."""
    collab = _collab(request, slug)
    if score:
        try:
            score = f"{Decimal(score):.1f}"
        except InvalidOperation:
            raise _invalid("score", "Give the score as a number, for example 3.0.") from None
    form = pf.filter_form(
        {
            "organisation": organisation,
            "workstream": workstream,
            "theme": theme,
            "status": status,
            "score": score,
            "sort": sort,
        },
        collaborative=collab,
    )
    if not form.is_valid():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    if not per_page.isdigit() or not 1 <= int(per_page) <= MAX_PER_PAGE:
        raise _invalid("per_page", f"Give a whole number from 1 to {MAX_PER_PAGE}.")
    paginator = Paginator(
        pf.portfolio_projects(viewer=request.user, collaborative=collab, filters=form.filters()),
        int(per_page),
    )
    try:
        current = paginator.page(page)
    except (InvalidPage, ValueError):
        raise _invalid(
            "page", f"Give a page number from 1 to {paginator.num_pages}; '{page}' is not one."
        ) from None
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "per_page": paginator.per_page,
        "items": [_row_out(r) for r in pf.portfolio_rows(list(current.object_list))],
    }


@router.get(
    "/collaboratives/{slug}/signals",
    response=SignalFeedOut,
    auth=public_auth,
    summary="New special-cause signals since a date across the visible portfolio",
)
def signals(request: HttpRequest, slug: str, since: str = "") -> Any:
    """``since`` is YYYY-MM-DD, at most two years back (default: the last 30 days)."""
    collab = _collab(request, slug)
    today = timezone.localdate()
    day = sf.default_since(today)
    if since:
        try:
            day = date.fromisoformat(since)
        except ValueError:
            raise _invalid(
                "since", "Give the date as YYYY-MM-DD, for example 2025-03-01."
            ) from None
        form = SignalFeedForm({"since": day.isoformat()}, today=today, max_days=sf.MAX_DAYS)
        if not form.is_valid():
            raise ValidationError({k: list(v) for k, v in form.errors.items()})
    feed = sf.signal_feed(viewer=request.user, collaborative=collab, since=day)
    return {
        "since": feed.since,
        "measures_checked": feed.measures_checked,
        "measures_not_judged": feed.too_few,
        "truncated": feed.truncated,
        "items": [
            {
                "text": it.text,
                "project": it.measure.project.slug,
                "project_title": it.measure.project.title,
                "measure_id": it.measure.pk,
                "measure_name": it.measure.name,
                "kind": it.run.point_class,
                "side": it.run.side,
                "rules": list(it.run.rules),
                "points": it.run.count,
                "start": it.run.start,
                "end": it.run.end,
                "continuing": it.continuing,
                "url": it.url,
            }
            for it in feed.items
        ],
    }
