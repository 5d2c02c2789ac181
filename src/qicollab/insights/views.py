"""The programme-wide read side's pages: goals, portfolio, signal feed, dashboard, coaching.

Thin views over :mod:`qicollab.insights`. Paths are unchanged under ``/collaboratives/``;
the URL names live in the ``insights`` namespace.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from qicollab.collaborative import selectors
from qicollab.core.http import AuthedHttpRequest, found, paginate, pagination_context, require
from qicollab.insights import coaching as coaching_mod
from qicollab.insights import dashboard as dashboard_mod
from qicollab.insights import goals, presenters
from qicollab.insights import portfolio as pf
from qicollab.insights import signal_feed as sf
from qicollab.insights.forms import SignalFeedForm
from qicollab.organisations.models import Collaborative
from qicollab.organisations.selectors import collaborative_get

COLLABS = ("Collaboratives", "/collaboratives/")


def _crumbs(collab: Collaborative) -> list[tuple[str, str]]:
    return [COLLABS, (collab.name, collab.get_absolute_url())]


def goal_list(request: HttpRequest, slug: str) -> HttpResponse:
    collab = found(collaborative_get(viewer=request.user, slug=slug))
    series = [goals.goal_series(g) for g in selectors.goal_list(collaborative=collab)]
    return render(
        request,
        "insights/goal_list.jinja",
        {
            "page_title": f"Programme goals: {collab.name}",
            "active_nav": "collaboratives",
            "breadcrumbs": [*_crumbs(collab), ("Programme goals", "")],
            "collab": collab,
            "series": series,
            "fmt": presenters.fmt,
        },
    )


def goal_detail(request: HttpRequest, slug: str, goal: str) -> HttpResponse:
    collab = found(collaborative_get(viewer=request.user, slug=slug))
    g = found(selectors.goal_get(collaborative=collab, slug=goal))
    series = goals.goal_series(g)
    return render(
        request,
        "insights/goal_detail.jinja",
        {
            "page_title": g.statement,
            "active_nav": "collaboratives",
            "breadcrumbs": [
                *_crumbs(collab),
                ("Programme goals", reverse("insights:goal_list", args=[collab.slug])),
                (g.statement, ""),
            ],
            "collab": collab,
            "goal": g,
            "series": series,
            "chart": presenters.goal_chart(series),
            "rows": presenters.rows(series),
            "fmt": presenters.fmt,
        },
    )


# --- portfolio and signal feed -----------------------------------------------------------


def portfolio(request: HttpRequest, slug: str) -> HttpResponse:
    """Every project of the collaborative the viewer may read, with its main outcome's state."""
    collab = found(collaborative_get(viewer=request.user, slug=slug))
    form = pf.filter_form(request.GET or None, collaborative=collab)
    filters = form.filters() if request.GET else {}
    page = paginate(
        request, pf.portfolio_projects(viewer=request.user, collaborative=collab, filters=filters)
    )
    context = {
        "page_title": f"Portfolio: {collab.name}",
        "active_nav": "collaboratives",
        "breadcrumbs": [*_crumbs(collab), ("Portfolio", "")],
        "collab": collab,
        "form": form,
        "filtered": any(k != "sort" for k in filters),
        "page": page,
        "rows": pf.portfolio_rows(list(page.object_list)),
        "pagination": pagination_context(request, page),
        "states": pf.STATE_DISPLAY,
    }
    if getattr(request, "htmx", False):
        return render(request, "insights/_portfolio_table.jinja", context)
    return render(request, "insights/portfolio.jinja", context)


def signals(request: HttpRequest, slug: str) -> HttpResponse:
    """New special-cause signals across the visible portfolio since a date."""
    collab = found(collaborative_get(viewer=request.user, slug=slug))
    today = timezone.localdate()
    form = SignalFeedForm(request.GET or None, today=today, max_days=sf.MAX_DAYS)
    chosen = None
    if request.GET and form.is_valid() and form.cleaned_data["since"]:
        chosen = form.cleaned_data["since"]
    window = sf.feed_window(viewer=request.user, collaborative=collab, today=today, since=chosen)
    return render(
        request,
        "insights/signal_feed.jinja",
        {
            "page_title": f"Signals: {collab.name}",
            "active_nav": "collaboratives",
            "breadcrumbs": [*_crumbs(collab), ("Signals", "")],
            "collab": collab,
            "form": form,
            "feed": sf.signal_feed(viewer=request.user, collaborative=collab, since=window.since),
            "window": window,
            "default_days": sf.DEFAULT_DAYS,
            "new_phase_after": sf.NEW_PHASE_AFTER,
            "min_points": sf.MIN_POINTS,
        },
    )


# --- dashboard and coaching view (leads, faculty, sponsors; see collaborative.rules) ------


@login_required
def dashboard(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    collab = found(collaborative_get(viewer=request.user, slug=slug))
    require(request.user, "collaborative.view_dashboard", collab)
    board = dashboard_mod.dashboard(viewer=request.user, collaborative=collab)
    return render(
        request,
        "insights/dashboard.jinja",
        {
            "page_title": f"Dashboard: {collab.name}",
            "active_nav": "collaboratives",
            "breadcrumbs": [*_crumbs(collab), ("Dashboard", "")],
            "collab": collab,
            "board": board,
            "fmt": presenters.fmt,
            "can_coach": request.user.has_perm("collaborative.view_coaching", collab),
        },
    )


@login_required
def coaching(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    collab = found(collaborative_get(viewer=request.user, slug=slug))
    require(request.user, "collaborative.view_coaching", collab)
    form = coaching_mod.CoachingForm(request.GET)
    weeks, months = form.settings()
    projects = coaching_mod.coaching_projects(viewer=request.user, collaborative=collab)
    trends = coaching_mod.score_trends(projects=projects, months=months)
    return render(
        request,
        "insights/coaching.jinja",
        {
            "page_title": f"Coaching: {collab.name}",
            "active_nav": "collaboratives",
            "breadcrumbs": [*_crumbs(collab), ("Coaching", "")],
            "collab": collab,
            "form": form,
            "weeks": weeks,
            "months": months,
            "quiet": coaching_mod.quiet_projects(projects=projects, weeks=weeks),
            "trends": trends,
            "chart": coaching_mod.trend_chart(trends.months),
            "own_org_only": coaching_mod.own_organisations_only(
                viewer=request.user, collaborative=collab
            ),
            "c": coaching_mod,
        },
    )
