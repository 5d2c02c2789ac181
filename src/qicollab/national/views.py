"""National roll-up pages, their exports, and recording designations (thin views)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from qicollab.core.forms import add_service_error
from qicollab.core.http import AuthedHttpRequest, found
from qicollab.deaths.identifiers import FinancialQuarter
from qicollab.jobs.views import start_report
from qicollab.national import exports, presenters, selectors, services
from qicollab.national.forms import DesignationForm, QuarterForm
from qicollab.national.jobs import QUARTERLY_PDF
from qicollab.organisations.models import NationalProgramme
from qicollab.organisations.selectors import collaborative_get
from qicollab.reports.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

NATIONAL = ("National programmes", "/national/")


def _programme_scope(
    request: AuthedHttpRequest, slug: str
) -> tuple[NationalProgramme, frozenset[int]]:
    """The programme and the collaboratives whose rows the viewer may see.

    A programme the viewer has nothing to do with is a 404; a member of one of its
    collaboratives without a role that sees the roll-up gets a 403.
    """
    programme = found(selectors.programme_get(slug=slug))
    ids = selectors.rollup_collab_ids(viewer=request.user, programme=programme)
    if not ids:
        if selectors.knows_programme(viewer=request.user, programme=programme):
            raise PermissionDenied("Only national admins and collaborative leads see this.")
        raise Http404
    return programme, ids


def _quarter_form(request: AuthedHttpRequest) -> QuarterForm:
    form = QuarterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    return form


def _quarter(form: QuarterForm) -> FinancialQuarter:
    if form.is_bound and form.is_valid():
        q: FinancialQuarter = form.cleaned_data["quarter"]
        return q
    return selectors.latest_complete_quarter()


@login_required
@require_GET
def index(request: AuthedHttpRequest) -> HttpResponse:
    """The national programmes whose roll-up the viewer may see."""
    return render(
        request,
        "national/index.jinja",
        {
            "page_title": "National programmes",
            "active_nav": "national",
            "breadcrumbs": [(NATIONAL[0], "")],
            "programmes": selectors.programmes_for(viewer=request.user),
        },
    )


@login_required
@require_GET
def rollup(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """The programme's activity figures for a quarter, per collaborative and in total."""
    programme, ids = _programme_scope(request, slug)
    form = _quarter_form(request)
    quarter = _quarter(form)
    data = selectors.rollup(programme=programme, collab_ids=ids, quarter=quarter)
    cols = presenters.visible_columns(data)
    return render(
        request,
        "national/rollup.jinja",
        {
            "page_title": f"{programme.name}: activity {quarter.label}",
            "active_nav": "national",
            "breadcrumbs": [NATIONAL, (programme.name, "")],
            "programme": programme,
            "form": form,
            "quarter": quarter,
            "rollup": data,
            "columns": cols,
            "headline": presenters.headline(data),
            "rows": [
                (
                    r,
                    presenters.table([r], cols)[0],
                    reverse(
                        "national:rollup_collaborative", args=[programme.slug, r.collaborative.slug]
                    )
                    + f"?quarter={quarter.slug}"
                    if r.collaborative
                    else "",
                )
                for r in data.collaboratives
            ],
            "total": presenters.table([data.total], cols)[0],
            "sharing_pct": presenters.sharing_pct,
            "partial": len(ids) < programme.collaboratives.count(),
            "not_recorded": presenters.NOT_RECORDED,
        },
    )


@login_required
@require_GET
def rollup_collaborative(request: AuthedHttpRequest, slug: str, collab: str) -> HttpResponse:
    """One collaborative's figures, drilled down to its member organisations."""
    programme, ids = _programme_scope(request, slug)
    form = _quarter_form(request)
    quarter = _quarter(form)
    target = found(collaborative_get(viewer=request.user, slug=collab))
    if target.pk not in ids:
        raise Http404
    data = selectors.rollup(programme=programme, collab_ids=frozenset({target.pk}), quarter=quarter)
    cols = [c for c in presenters.visible_columns(data) if not c.key.startswith("trained")]
    crow = data.collaboratives[0]
    orgs = data.organisations.get(target.pk, [])
    return render(
        request,
        "national/rollup_collaborative.jinja",
        {
            "page_title": f"{target.name}: activity {quarter.label}",
            "active_nav": "national",
            "breadcrumbs": [
                NATIONAL,
                (programme.name, reverse("national:rollup", args=[programme.slug])),
                (target.name, ""),
            ],
            "programme": programme,
            "collab": target,
            "form": form,
            "quarter": quarter,
            "rollup": data,
            "columns": cols,
            "headline": presenters.headline(data),
            "rows": [
                (
                    r,
                    presenters.table([r], cols)[0],
                    r.organisation.get_absolute_url() if r.organisation else "",
                )
                for r in orgs
            ],
            "total": presenters.table([crow], cols)[0],
            "sharing_pct": presenters.sharing_pct,
            "not_recorded": presenters.NOT_RECORDED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rollup_export(request: AuthedHttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The roll-up as CSV or Excel at once, under the page's permissions; the PDF quarterly
    report is a background job (POST starts it and leads to its progress page)."""
    programme, ids = _programme_scope(request, slug)
    form = _quarter_form(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            " ".join(str(e) for e in form.errors["quarter"]),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    quarter = _quarter(form)
    if fmt == "pdf":
        if request.method != "POST":  # an old link: the page, with its button
            return HttpResponseRedirect(
                reverse("national:rollup", args=[programme.slug]) + f"?quarter={quarter.slug}"
            )
        return start_report(
            request,
            kind=QUARTERLY_PDF,
            title=f"Quarterly report {quarter.label}: {programme.name}",
            params={"programme": programme.slug, "quarter": quarter.slug},
        )
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    data = selectors.rollup(programme=programme, collab_ids=ids, quarter=quarter)
    if fmt == "csv":
        body, ctype = exports.rollup_csv(data), CSV_CONTENT_TYPE
    elif fmt == "xlsx":
        body = exports.rollup_xlsx(data)
        ctype = XLSX_CONTENT_TYPE
    else:
        raise Http404
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="{exports.filename(data, fmt)}"'
    return resp


@login_required
@require_http_methods(["GET", "POST"])
def designation_list(request: AuthedHttpRequest, collab: str) -> HttpResponse:
    """Designations of safety champions and QI experts, and a form to record one."""
    target = found(collaborative_get(viewer=request.user, slug=collab))
    orgs = selectors.designation_organisations(viewer=request.user, collaborative=target)
    if not orgs.exists():
        raise PermissionDenied("Only programme managers and collaborative leads record these.")
    form = DesignationForm(
        request.POST if request.method == "POST" else None,
        organisations=orgs,
        initial={"designated_on": selectors.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.designation_create(
                actor=request.user,
                collaborative=target,
                person=data["email"],
                organisation=data["organisation"],
                kind=data["kind"],
                designated_on=data["designated_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{data['email']} recorded.")
            return HttpResponseRedirect(reverse("national:designation_list", args=[target.slug]))
    return render(
        request,
        "national/designation_list.jinja",
        {
            "page_title": f"Safety champions and QI experts: {target.name}",
            "active_nav": "national",
            "breadcrumbs": [
                ("Collaboratives", "/collaboratives/"),
                (target.name, target.get_absolute_url()),
                ("Safety champions and QI experts", ""),
            ],
            "collab": target,
            "form": form,
            "designations": list(
                selectors.designation_list(viewer=request.user, collaborative=target)[:500]
            ),
        },
    )
