"""API for the programme-wide read side: goals with their computed series, the portfolio,
the signal feed, the dashboard and the coaching view. Same paths as before the move, same
selectors and permissions as the pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from qicollab.api.auth import public_auth
from qicollab.api.schemas import ErrorOut, FieldErrorsOut
from qicollab.collaborative import selectors
from qicollab.core.http import found, require
from qicollab.insights import coaching as coaching_mod
from qicollab.insights import dashboard as dashboard_mod
from qicollab.insights import goals
from qicollab.insights import portfolio as pf
from qicollab.insights import signal_feed as sf
from qicollab.insights.forms import SignalFeedForm
from qicollab.organisations.models import Collaborative
from qicollab.organisations.selectors import collaborative_get

# The same tag as the structure endpoints: one "collaborative hub" section in the API docs.
router = Router(tags=["collaborative hub"])

MAX_PER_PAGE = 100

# The operation ids these routes had before the move (generated clients keep working).
_OLD_ID = "qicollab_collaborative_api_"


class GoalPointOut(Schema):
    period_start: date
    period_end: date
    value: float
    numerator: float | None
    denominator: float | None
    detail: str
    complete: bool = Field(description="False for the period still running (so far).")


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
    judged_period_start: date | None = Field(
        description="The start of the period the status was judged on (the latest complete one)."
    )
    expected_now: float | None
    problem: str
    series: list[GoalPointOut]


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
        "judged_period_start": s.judged.start if s.judged else None,
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
                "complete": p.complete,
            }
            for p in s.points
        ],
    }


@router.get(
    "/collaboratives/{slug}/goals",
    response=list[GoalOut],
    auth=public_auth,
    operation_id=_OLD_ID + "goal_list",
)
def goal_list(request: HttpRequest, slug: str) -> Any:
    collab = _collab(request, slug)
    return [_goal_out(goals.goal_series(g)) for g in selectors.goal_list(collaborative=collab)]


@router.get(
    "/collaboratives/{slug}/goals/{goal}",
    response=GoalOut,
    auth=public_auth,
    operation_id=_OLD_ID + "goal_detail",
)
def goal_detail(request: HttpRequest, slug: str, goal: str) -> Any:
    collab = _collab(request, slug)
    return _goal_out(goals.goal_series(found(selectors.goal_get(collaborative=collab, slug=goal))))


# --- portfolio and signal feed -----------------------------------------------------------


class OutcomeOut(Schema):
    state: str
    label: str
    measure_id: int | None
    measure_name: str | None
    variation_icon: str | None
    #: The latest signal in words, e.g. "a shift of 7 months below the centre line (mean)".
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
    last_activity: datetime | None = Field(
        description="The latest data point, PDSA cycle or progress report recorded (by when "
        "it was recorded, not the period it is for); null if none yet."
    )
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
    points: int = Field(description="The run's length in periods of the measure's frequency.")
    length: str = Field(description='The length in words, e.g. "85 weeks".')
    frequency: str
    description: str
    consider_new_phase: bool = Field(
        description="A sustained shift (twice the shift rule's length or more): consider a "
        "new phase on the measure's chart."
    )
    new_phase_url: str | None
    start: date
    end: date
    continuing: bool
    url: str


class SignalFeedOut(Schema):
    since: date
    covers: str = Field(description="What the window covers, in words.")
    default_window: bool
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
        "signal": o.signal or None,
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
    response={200: PortfolioOut, 404: ErrorOut, 422: FieldErrorsOut},
    auth=public_auth,
    summary="The portfolio: visible projects with their main outcome's signal state",
    operation_id=_OLD_ID + "portfolio",
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
    response={200: SignalFeedOut, 404: ErrorOut, 422: FieldErrorsOut},
    auth=public_auth,
    summary="New special-cause signals since a date across the visible portfolio",
    operation_id=_OLD_ID + "signals",
)
def signals(request: HttpRequest, slug: str, since: str = "") -> Any:
    """``since`` is YYYY-MM-DD, at most two years back. The default covers at least one full
    period of every visible measure (the last complete month of monthly measures, quarter of
    quarterly ones), and never less than the last 30 days; ``covers`` says which."""
    collab = _collab(request, slug)
    today = timezone.localdate()
    day: date | None = None
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
    window = sf.feed_window(viewer=request.user, collaborative=collab, today=today, since=day)
    feed = sf.signal_feed(viewer=request.user, collaborative=collab, since=window.since)
    return {
        "since": feed.since,
        "covers": window.covers,
        "default_window": not window.chosen,
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
                "length": it.run.length(it.measure.frequency),
                "frequency": it.measure.frequency,
                "description": it.describe(),
                "consider_new_phase": it.suggest_new_phase,
                "new_phase_url": it.phase_url if it.suggest_new_phase else None,
                "start": it.run.start,
                "end": it.run.end,
                "continuing": it.continuing,
                "url": it.url,
            }
            for it in feed.items
        ],
    }


# --- dashboard and coaching (collaborative.rules: leads, faculty, sponsors / coaches) ------


class GoalSummaryOut(Schema):
    slug: str
    statement: str
    status: str
    latest_value: float | None = Field(
        description="The newest period's value, which may still be running (see judged_value)."
    )
    latest_period: str | None
    judged_value: float | None = Field(description="The value the status was judged on.")
    judged_period: str | None = Field(description="The period the status was judged on.")
    running_value: float | None = Field(
        description="The running period's value so far, when the status was judged on an "
        "earlier, complete period; null otherwise."
    )
    running_period: str | None
    target_value: float
    deadline: date
    unit: str


class StatusCountOut(Schema):
    status: str
    label: str
    count: int


class WorkstreamCountOut(Schema):
    slug: str | None
    name: str
    counts: dict[str, int]
    total: int


class ScoreCountOut(Schema):
    score: float
    label: str
    count: int
    percent: float


class OutcomeCountOut(Schema):
    state: str
    label: str
    count: int


class OutcomeSummaryOut(Schema):
    available: bool
    counts: list[OutcomeCountOut]
    note: str


class DashboardOut(Schema):
    collaborative: str
    counts_note: str
    goals: list[GoalSummaryOut]
    total_projects: int
    by_status: list[StatusCountOut]
    by_workstream: list[WorkstreamCountOut]
    scores: list[ScoreCountOut]
    scored: int
    unscored: int
    pct_at_3: float | None
    pct_at_4: float | None
    outcomes: OutcomeSummaryOut


@router.get(
    "/collaboratives/{slug}/dashboard", response=DashboardOut, operation_id=_OLD_ID + "dashboard"
)
def dashboard(request: HttpRequest, slug: str) -> Any:
    """The dashboard's figures: aggregates over all the collaborative's projects."""
    collab = _collab(request, slug)
    require(request.user, "collaborative.view_dashboard", collab)
    b = dashboard_mod.dashboard(viewer=request.user, collaborative=collab)
    return {
        "collaborative": collab.slug,
        "counts_note": "Counts include every project of the collaborative, private ones too.",
        "goals": [
            {
                "slug": s.goal.slug,
                "statement": s.goal.statement,
                "status": s.status.value,
                "latest_value": s.latest.value.value if s.latest else None,
                "latest_period": s.latest.label if s.latest else None,
                "judged_value": s.judged.value.value if s.judged else None,
                "judged_period": s.judged.label if s.judged else None,
                "running_value": s.running.value.value if s.running else None,
                "running_period": s.running.label if s.running else None,
                "target_value": float(s.goal.target_value),
                "deadline": s.goal.deadline,
                "unit": s.goal.unit,
            }
            for s in b.goals
        ],
        "total_projects": b.total_projects,
        "by_status": [vars(s) for s in b.by_status],
        "by_workstream": [vars(w) for w in b.by_workstream],
        "scores": [
            {"score": float(s.value), "label": s.label, "count": s.count, "percent": s.percent}
            for s in b.scores
        ],
        "scored": b.scored,
        "unscored": b.unscored,
        "pct_at_3": b.pct_at_3,
        "pct_at_4": b.pct_at_4,
        "outcomes": {
            "available": b.outcome.available,
            "counts": [vars(c) for c in b.outcome.counts],
            "note": b.outcome.note,
        },
    }


class ActivityOut(Schema):
    kind: str
    label: str
    last_recorded: datetime | None
    stale: bool


class QuietProjectOut(Schema):
    slug: str
    title: str
    organisation: str
    status: str
    quiet_since: date
    last_activity: datetime | None = Field(
        description="The latest data point, PDSA cycle or progress report recorded (the "
        "portfolio's last_activity); null if none yet."
    )
    stale: list[str]
    activities: list[ActivityOut]


class MonthScoresOut(Schema):
    month: date
    teams_rated: int
    median: float | None
    pct_at_3: float | None
    pct_at_4: float | None
    counts: dict[str, int]
    teams_with_both_ratings: int
    mean_gap: float | None


class RatingGapOut(Schema):
    slug: str
    title: str
    organisation: str
    month: date
    self_score: float
    faculty_score: float
    gap: float


class CoachingOut(Schema):
    collaborative: str
    weeks: int
    months: int
    own_organisation_only: bool
    quiet: list[QuietProjectOut]
    monthly_scores: list[MonthScoresOut]
    rating_gaps: list[RatingGapOut]


@router.get(
    "/collaboratives/{slug}/coaching", response=CoachingOut, operation_id=_OLD_ID + "coaching"
)
def coaching(request: HttpRequest, slug: str, weeks: str = "", months: str = "") -> Any:
    """Quiet projects, the monthly score distribution and self/faculty rating gaps.

    ``weeks`` (1 to 52, default 4) and ``months`` (12 to 24, default 12); a bad value is a
    422 naming the parameter.
    """
    collab = _collab(request, slug)
    require(request.user, "collaborative.view_coaching", collab)
    form = coaching_mod.CoachingForm({"weeks": weeks, "months": months})
    if not form.is_valid():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    n_weeks, n_months = form.settings()
    projects = coaching_mod.coaching_projects(viewer=request.user, collaborative=collab)
    trends = coaching_mod.score_trends(projects=projects, months=n_months)
    return {
        "collaborative": collab.slug,
        "weeks": n_weeks,
        "months": n_months,
        "own_organisation_only": coaching_mod.own_organisations_only(
            viewer=request.user, collaborative=collab
        ),
        "quiet": [
            {
                "slug": q.slug,
                "title": q.title,
                "organisation": q.organisation,
                "status": q.status,
                "quiet_since": q.since,
                "last_activity": q.last_activity,
                "stale": [a.kind for a in q.stale],
                "activities": [
                    {"kind": a.kind, "label": a.label, "last_recorded": a.last, "stale": a.stale}
                    for a in q.activities
                ],
            }
            for q in coaching_mod.quiet_projects(projects=projects, weeks=n_weeks)
        ],
        "monthly_scores": [
            {
                "month": m.month,
                "teams_rated": m.teams,
                "median": m.median,
                "pct_at_3": m.pct_3,
                "pct_at_4": m.pct_4,
                "counts": {f"{k:.1f}": v for k, v in m.counts.items()},
                "teams_with_both_ratings": m.gaps,
                "mean_gap": m.mean_gap,
            }
            for m in trends.months
        ],
        "rating_gaps": [
            {
                "slug": g.slug,
                "title": g.title,
                "organisation": g.organisation,
                "month": g.month,
                "self_score": float(g.self_score),
                "faculty_score": float(g.faculty_score),
                "gap": float(g.gap),
            }
            for g in trends.gaps
        ],
    }
