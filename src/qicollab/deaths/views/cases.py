"""Case records: list, record, view, edit, screen, delete, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qicollab.core.forms import add_service_error
from qicollab.core.http import paginate, pagination_context
from qicollab.core.services import EditConflict, version_token
from qicollab.deaths import choices as c
from qicollab.deaths import exports, presenters, selectors, services
from qicollab.deaths.forms import CaseFilterForm, CaseForm, CaseNameForm, ReasonForm, ScreeningForm
from qicollab.deaths.identifiers import FinancialQuarter
from qicollab.deaths.models import CaseName, Death
from qicollab.deaths.views.common import (
    HOME,
    case_crumbs,
    crumbs,
    me,
    open_case,
    org_or_404,
    org_settings,
    post_data,
)
from qicollab.reports.tabular import CSV_CONTENT_TYPE


@login_required
def case_list(request: HttpRequest, slug: str) -> HttpResponse:
    org = org_or_404(request, slug, "deaths.view_case")
    quarters = selectors.default_quarters(count=12)
    form = CaseFilterForm(request.GET or None, quarters=quarters)
    f = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CaseFilters(
        q=f.get("q", ""),
        quarter=FinancialQuarter.parse(f.get("quarter", "")),
        status=f.get("status", ""),
        category=f.get("category", ""),
    )
    page = paginate(
        request, selectors.case_list(viewer=request.user, organisation=org, filters=filters)
    )
    rows = [(d, presenters.case_status(d)) for d in page.object_list]
    return render(
        request,
        "deaths/case_list.jinja",
        {
            "page_title": f"Deaths recorded by {org.display_name}",
            "active_nav": "deaths",
            "breadcrumbs": [HOME, (f"{org.display_name} cases", "")],
            "org": org,
            "form": form,
            "page": page,
            "rows": rows,
            "pagination": pagination_context(request, page),
            "can_dashboard": request.user.has_perm("deaths.view_dashboard", org),
        },
    )


@login_required
def case_create(request: HttpRequest, slug: str) -> HttpResponse:
    org = org_or_404(request, slug, "deaths.change_case")
    settings = org_settings(org)
    form = CaseForm(
        post_data(request),
        instance=Death(organisation=org),
        nhs_enabled=settings.nhs_number_enabled,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        try:
            death = services.case_create(actor=me(request), organisation=org, data=data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, f"Case {death.case_reference} has been recorded. Screen it next."
            )
            return redirect("deaths:case_detail", org.slug, death.pk)
    return render(
        request,
        "deaths/case_form.jinja",
        {
            "page_title": "Record a death",
            "active_nav": "deaths",
            "breadcrumbs": crumbs(org, ("Record a death", "")),
            "org": org,
            "form": form,
        },
    )


@login_required
def case_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org, death = open_case(request, slug, pk, what="Case record")
    settings = org_settings(org)
    reviews = selectors.case_reviews(death=death)
    final = selectors.final_review(reviews)
    first = next((r for r in reviews if r.stage == 1), None)
    second = next((r for r in reviews if r.stage == 2), None)
    summary = getattr(death, "learning_summary", None)
    return render(
        request,
        "deaths/case_detail.jinja",
        {
            "page_title": f"Case {death.case_reference}",
            "active_nav": "deaths",
            "breadcrumbs": case_crumbs(org, death),
            "org": org,
            "death": death,
            "settings": settings,
            "nhs_number": services.nhs_number_display(death),
            "screening": getattr(death, "screening", None),
            "reviews": reviews,
            "final": final,
            "first": first,
            "second": second,
            "needs_second": bool(
                first and first.triggers_second_review and not (second and second.is_completed)
            ),
            "avoidability": {
                r.pk: presenters.avoidability_display(r, settings.scale_orientation)
                for r in reviews
            },
            "family": getattr(death, "family", None),
            "candour": getattr(death, "candour", None),
            "actions": list(death.actions.all()),
            "project_titles": _project_titles(
                request.user, [a.project_id for a in death.actions.all() if a.project_id]
            ),
            "names": list(death.names.all()),
            "summary": summary,
            "summary_tag": presenters.summary_tag(summary.status) if summary else None,
            "status": presenters.case_status(death),
            "can_delete": request.user.has_perm("deaths.delete_case", org),
            "can_approve": request.user.has_perm("deaths.approve_summary", org),
            "history": death.history.select_related("history_user").order_by("-history_date"),
        },
    )


def _project_titles(viewer: Any, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Titles and links of the linked QI projects that the viewer may open."""
    if not ids:
        return {}
    from qicollab.projects.selectors import project_list

    visible = project_list(viewer=viewer).filter(pk__in=ids)
    return {p.pk: (p.title, p.get_absolute_url()) for p in visible}


@login_required
def case_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org, death = open_case(request, slug, pk, what="Edit case details", action=c.AccessAction.EDIT)
    settings = org_settings(org)
    form = CaseForm(
        post_data(request),
        instance=death,
        nhs_enabled=settings.nhs_number_enabled,
        initial={"loaded_version": version_token(death)},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        fresh = selectors.case_get(viewer=request.user, organisation=org, pk=pk) or death
        try:
            services.case_update(
                actor=me(request),
                death=fresh,
                data=data,
                loaded_version=form.cleaned_data.get("loaded_version", ""),
            )
        except EditConflict:
            form.add_error(
                None,
                "Someone else saved changes to this case while you were editing. "
                "Your changes are still in the form: check the case, then save again.",
            )
            data = request.POST.copy()
            data["loaded_version"] = version_token(
                selectors.case_get(viewer=request.user, organisation=org, pk=pk)
            )
            form.data = data
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("deaths:case_detail", org.slug, death.pk)
    return render(
        request,
        "deaths/case_form.jinja",
        {
            "page_title": f"Edit case {death.case_reference}",
            "active_nav": "deaths",
            "breadcrumbs": case_crumbs(org, death, ("Edit", "")),
            "org": org,
            "form": form,
            "death": death,
        },
    )


@login_required
def screening_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org, death = open_case(request, slug, pk, what="Screening", action=c.AccessAction.EDIT)
    settings = org_settings(org)
    existing = getattr(death, "screening", None)
    initial = {}
    if existing:
        initial = {
            "screened_on": existing.screened_on,
            "red_flags": existing.red_flags,
            "local_flags": existing.local_flags,
            "sampled": existing.sampled,
            "outcome": existing.outcome,
            "reason": existing.reason,
        }
    else:
        from django.utils import timezone

        initial = {
            "screened_on": timezone.localdate(),
            "sampled": services.in_sample(death, settings.sample_rate),
        }
    form = ScreeningForm(post_data(request), initial=initial, local_flags=settings.local_flag_list)
    if request.method == "POST" and form.is_valid():
        try:
            services.screening_save(actor=me(request), death=death, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "The screening has been saved.")
            return redirect("deaths:case_detail", org.slug, death.pk)
    return render(
        request,
        "deaths/screening_form.jinja",
        {
            "page_title": f"Screen case {death.case_reference}",
            "active_nav": "deaths",
            "breadcrumbs": case_crumbs(org, death, ("Screening", "")),
            "org": org,
            "death": death,
            "form": form,
            "settings": settings,
        },
    )


@login_required
def case_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org, death = open_case(request, slug, pk, what="Delete case", action=c.AccessAction.EDIT)
    if not request.user.has_perm("deaths.delete_case", org):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = ReasonForm(post_data(request))
    form.fields["reason"].label = "Why is this case being deleted?"
    form.fields["reason"].help_text = (
        "For example 'Recorded twice: see case LfD-2025-041'. "
        "The reason stays in the audit history."
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_delete(actor=me(request), death=death, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"Case {death.case_reference} has been deleted. A record of the deletion is kept.",
            )
            return redirect("deaths:case_list", org.slug)
    return render(
        request,
        "deaths/case_delete.jinja",
        {
            "page_title": f"Delete case {death.case_reference}",
            "active_nav": "deaths",
            "breadcrumbs": case_crumbs(org, death, ("Delete", "")),
            "org": org,
            "death": death,
            "form": form,
        },
    )


@login_required
def case_names(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org, death = open_case(
        request, slug, pk, what="Names for the de-identification check", action=c.AccessAction.EDIT
    )
    form = CaseNameForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_name_add(actor=me(request), death=death, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "The name has been added to the check.")
            return redirect("deaths:case_names", org.slug, death.pk)
    return render(
        request,
        "deaths/case_names.jinja",
        {
            "page_title": f"Names in case {death.case_reference}",
            "active_nav": "deaths",
            "breadcrumbs": case_crumbs(org, death, ("Names", "")),
            "org": org,
            "death": death,
            "form": form,
            "names": list(death.names.all()),
        },
    )


@login_required
@require_POST
def case_name_remove(request: HttpRequest, slug: str, pk: int, name_pk: int) -> HttpResponse:
    org, death = open_case(request, slug, pk, what="Remove a name", action=c.AccessAction.EDIT)
    name = CaseName.objects.filter(death=death, pk=name_pk).first()
    if name is not None:
        services.case_name_remove(actor=me(request), name=name)
        messages.success(request, "The name has been removed.")
    return redirect("deaths:case_names", org.slug, death.pk)


@login_required
def cases_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The team's case list as CSV (no NHS numbers, no names); every case exported is logged."""
    org = org_or_404(request, slug, "deaths.view_case")
    deaths = list(selectors.case_list(viewer=request.user, organisation=org))
    services.cases_export_record(actor=me(request), deaths=deaths, what="Case list CSV")
    body = exports.cases_csv(deaths, orientation=org_settings(org).scale_orientation)
    resp = HttpResponse(body, content_type=CSV_CONTENT_TYPE)
    resp["Content-Disposition"] = f'attachment; filename="{exports.filename(org, "cases", "csv")}"'
    resp["Cache-Control"] = "no-store"
    return resp


def case_url(org_slug: str, pk: int) -> str:
    return reverse("deaths:case_detail", args=[org_slug, pk])
