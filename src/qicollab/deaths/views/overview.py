"""The start page, the quarterly dashboard and its exports, and the collaborative's figures."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from qicollab.core.http import found
from qicollab.deaths import exports, presenters, selectors
from qicollab.deaths.forms import PeriodForm, SharingPeriodForm
from qicollab.deaths.identifiers import FinancialQuarter
from qicollab.deaths.jobs import DASHBOARD_PDF
from qicollab.deaths.views.common import HOME, org_or_404, org_settings
from qicollab.jobs.views import start_report
from qicollab.organisations.models import Organisation
from qicollab.organisations.selectors import collaborative_get
from qicollab.reports.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("deaths.view_any"):
        raise Http404
    viewer = request.user
    return render(
        request,
        "deaths/home.jinja",
        {
            "page_title": "Learning from deaths",
            "active_nav": "deaths",
            "team_orgs": selectors.team_organisations(viewer=viewer),
            "dashboard_orgs": selectors.dashboard_organisations(viewer=viewer),
            "managed_orgs": selectors.managed_organisations(viewer=viewer),
            "libraries": selectors.library_collaboratives(viewer=viewer),
            "figures": selectors.figures_collaboratives(viewer=viewer),
        },
    )


def _quarters(request: HttpRequest) -> tuple[list[FinancialQuarter], PeriodForm]:
    choices = selectors.default_quarters(count=20)
    rows = selectors.quarters_between(request.GET.get("start", ""), request.GET.get("end", ""))
    form = PeriodForm({"start": rows[0].slug, "end": rows[-1].slug}, quarters=choices)
    form.is_valid()
    return rows, form


def _figures(org: Organisation, quarters: list[FinancialQuarter]) -> list[selectors.QuarterFigures]:
    return selectors.quarterly_figures(organisations=[org], quarters=quarters)


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    org = org_or_404(request, slug, "deaths.view_dashboard")
    quarters, form = _quarters(request)
    settings = org_settings(org)
    rows = _figures(org, quarters)
    query = request.GET.urlencode()
    return render(
        request,
        "deaths/dashboard.jinja",
        {
            "page_title": f"Learning from deaths dashboard: {org.display_name}",
            "active_nav": "deaths",
            "breadcrumbs": [HOME, ("Dashboard", "")],
            "org": org,
            "form": form,
            "rows": rows,
            "query": ("?" + query) if query else "",
            "on_team": request.user.has_perm("deaths.view_case", org),
            **presenters.context_for_chart_page(rows, split_ages=settings.split_adult_ages),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """CSV and Excel at once; the PDF board report is a background job (POST starts it)."""
    org = org_or_404(request, slug, "deaths.view_dashboard")
    quarters, _ = _quarters(request)
    if fmt == "pdf":
        query = request.GET.urlencode()
        if request.method != "POST":  # an old link: the dashboard, with its button
            return HttpResponseRedirect(
                reverse("deaths:dashboard", args=[org.slug]) + (f"?{query}" if query else "")
            )
        return start_report(
            request,
            kind=DASHBOARD_PDF,
            title=f"Learning from deaths board report ({quarters[0].label} to "
            f"{quarters[-1].label}): {org.display_name}",
            params={"organisation": org.slug, "start": quarters[0].slug, "end": quarters[-1].slug},
        )
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    split = org_settings(org).split_adult_ages
    rows = _figures(org, quarters)
    if fmt == "csv":
        body, ctype = exports.dashboard_csv(rows, split_ages=split), CSV_CONTENT_TYPE
    elif fmt == "xlsx":
        body = exports.dashboard_xlsx(rows, organisation=org, split_ages=split)
        ctype = XLSX_CONTENT_TYPE
    else:
        raise Http404
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(org, "learning-from-deaths", fmt)}"'
    )
    return resp


def _period(request: HttpRequest) -> tuple[date, date, SharingPeriodForm]:
    q = FinancialQuarter.containing(timezone.localdate())
    fy_start = FinancialQuarter(q.year, 1).start
    default = {"start": fy_start.isoformat(), "end": FinancialQuarter(q.year, 4).end.isoformat()}
    form = SharingPeriodForm(request.GET if "start" in request.GET else default)
    if form.is_valid():
        return form.cleaned_data["start"], form.cleaned_data["end"], form
    return fy_start, FinancialQuarter(q.year, 4).end, form


@login_required
def collaborative_figures(request: HttpRequest, slug: str) -> HttpResponse:
    """Faculty view: each member's dashboard figures (aggregates only) and who shared learning."""
    collab = found(collaborative_get(viewer=request.user, slug=slug))
    if not request.user.has_perm("deaths.view_collaborative_figures", collab):
        raise Http404
    start, end, form = _period(request)
    quarters = [
        q for q in selectors.default_quarters(count=40) if q.end >= start and q.start <= end
    ] or selectors.default_quarters(count=4)
    per_org = selectors.collaborative_quarterly(collaborative=collab, quarters=quarters)
    combined = selectors.quarterly_figures(organisations=[o for o, _ in per_org], quarters=quarters)
    return render(
        request,
        "deaths/collaborative_figures.jinja",
        {
            "page_title": f"Learning from deaths across {collab.display_name}",
            "active_nav": "deaths",
            "breadcrumbs": [HOME, (collab.display_name, "")],
            "collab": collab,
            "form": form,
            "start": start,
            "end": end,
            "sharing": selectors.sharing_figures(collaborative=collab, start=start, end=end),
            "per_org": [(o, presenters.totals(rows)) for o, rows in per_org],
            "combined": combined,
            **presenters.context_for_chart_page(combined, split_ages=False),
            "library_url": reverse("deaths:library", args=[collab.slug]),
            "pct": presenters.pct,
        },
    )
