"""Learning summaries: write, check, approve and share; the collaborative's library."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from qicollab.core.forms import add_service_error
from qicollab.core.http import found, paginate, pagination_context
from qicollab.deaths import choices as c
from qicollab.deaths import presenters, selectors, services
from qicollab.deaths.forms import ApproveForm, LibraryFilterForm, ReasonForm, SummaryForm
from qicollab.deaths.models import LearningSummary
from qicollab.deaths.views.common import (
    HOME,
    case_crumbs,
    me,
    open_case,
    org_settings,
    post_data,
)
from qicollab.organisations.models import Collaborative
from qicollab.organisations.selectors import collaborative_get


def _summary(death: object) -> LearningSummary:
    summary: LearningSummary | None = getattr(death, "learning_summary", None)
    if summary is None:
        raise Http404
    return summary


@login_required
def summary_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org, death = open_case(request, slug, pk, what="Learning summary", action=c.AccessAction.EDIT)
    summary = getattr(death, "learning_summary", None)
    form = SummaryForm(post_data(request), instance=summary, tool=org_settings(org).review_tool)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "themes"}
        was_shared = bool(summary and summary.is_shared)
        services.summary_save(
            actor=me(request), death=death, data=data, themes=form.cleaned_data["themes"]
        )
        note = (
            " It has been taken out of the library until it is checked and approved again."
            if was_shared and form.has_changed()
            else ""
        )
        messages.success(request, "The learning summary has been saved." + note)
        return redirect("deaths:summary_check", org.slug, death.pk)
    return render(
        request,
        "deaths/summary_form.jinja",
        {
            "page_title": f"Learning summary: case {death.case_reference}",
            "active_nav": "deaths",
            "breadcrumbs": case_crumbs(org, death, ("Learning summary", "")),
            "org": org,
            "death": death,
            "form": form,
            "summary": summary,
        },
    )


@login_required
def summary_check(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Shows the summary with the de-identification check's findings; POST sends it for approval."""
    org, death = open_case(
        request,
        slug,
        pk,
        what="Learning summary check",
        action=c.AccessAction.EDIT if request.method == "POST" else c.AccessAction.VIEW,
    )
    summary = _summary(death)
    findings = services.summary_findings(summary)
    error = ""
    if request.method == "POST":
        try:
            services.summary_submit(actor=me(request), summary=summary)
        except services.DeidentificationError as exc:
            findings = exc.findings
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, "The summary passed the check and is waiting for a lead to approve it."
            )
            return redirect("deaths:case_detail", org.slug, death.pk)
    return render(
        request,
        "deaths/summary_check.jinja",
        {
            "page_title": f"Check the learning summary: case {death.case_reference}",
            "active_nav": "deaths",
            "breadcrumbs": case_crumbs(org, death, ("Check learning summary", "")),
            "org": org,
            "death": death,
            "summary": summary,
            "findings": findings,
            "error": error,
            "tag": presenters.summary_tag(summary.status),
        },
    )


@login_required
def summary_approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org, death = open_case(
        request, slug, pk, what="Approve learning summary", action=c.AccessAction.EDIT
    )
    if not request.user.has_perm("deaths.approve_summary", org):
        raise PermissionDenied
    summary = _summary(death)
    form = ApproveForm(post_data(request), organisation=org)
    findings: list[object] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_approve(
                actor=me(request),
                summary=summary,
                collaboratives=form.cleaned_data["collaboratives"],
            )
        except services.DeidentificationError as exc:
            findings = list(exc.findings)
            form.add_error(
                None,
                "The summary no longer passes the de-identification check. Return it to the "
                "author to change.",
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, "The learning summary is approved and shared in the collaborative library."
            )
            return redirect("deaths:case_detail", org.slug, death.pk)
    return render(
        request,
        "deaths/summary_approve.jinja",
        {
            "page_title": f"Approve the learning summary: case {death.case_reference}",
            "active_nav": "deaths",
            "breadcrumbs": case_crumbs(org, death, ("Approve learning summary", "")),
            "org": org,
            "death": death,
            "summary": summary,
            "form": form,
            "findings": findings,
            "is_author": summary.author_id == request.user.pk,
        },
    )


@login_required
def summary_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org, death = open_case(
        request, slug, pk, what="Withdraw learning summary", action=c.AccessAction.EDIT
    )
    if not request.user.has_perm("deaths.approve_summary", org):
        raise PermissionDenied
    summary = _summary(death)
    form = ReasonForm(post_data(request))
    form.fields["reason"].label = "Why is the summary being withdrawn from the library?"
    if request.method == "POST" and form.is_valid():
        services.summary_withdraw(
            actor=me(request), summary=summary, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "The summary has been withdrawn from the library.")
        return redirect("deaths:case_detail", org.slug, death.pk)
    return render(
        request,
        "deaths/summary_withdraw.jinja",
        {
            "page_title": "Withdraw the learning summary",
            "active_nav": "deaths",
            "breadcrumbs": case_crumbs(org, death, ("Withdraw", "")),
            "org": org,
            "death": death,
            "summary": summary,
            "form": form,
        },
    )


def _collab(request: HttpRequest, slug: str) -> Collaborative:
    collab = found(collaborative_get(viewer=request.user, slug=slug))
    if not request.user.has_perm("deaths.view_library", collab):
        raise Http404
    return collab


@login_required
def library(request: HttpRequest, slug: str) -> HttpResponse:
    collab = _collab(request, slug)
    form = LibraryFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.library(
        viewer=request.user,
        collaborative=collab,
        theme=f.get("theme", ""),
        phase=f.get("phase", ""),
        q=f.get("q", ""),
    )
    page = paginate(request, qs, per_page=20)
    return render(
        request,
        "deaths/library.jinja",
        {
            "page_title": f"Learning from deaths library: {collab}",
            "active_nav": "deaths",
            "breadcrumbs": [HOME, ("Library", "")],
            "collab": collab,
            "form": form,
            "page": page,
            "pagination": pagination_context(request, page),
            "themes": selectors.theme_counts(collaborative=collab),
            "phases": selectors.phase_counts(collaborative=collab),
            "filtered": bool(f.get("theme") or f.get("phase") or f.get("q")),
        },
    )


@login_required
def library_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    collab = _collab(request, slug)
    summary = found(selectors.library_get(viewer=request.user, collaborative=collab, pk=pk))
    from django.urls import reverse

    return render(
        request,
        "deaths/library_detail.jinja",
        {
            "page_title": summary.title,
            "active_nav": "deaths",
            "breadcrumbs": [
                HOME,
                ("Library", reverse("deaths:library", args=[collab.slug])),
                (summary.title, ""),
            ],
            "collab": collab,
            "summary": summary,
            "phase_label": c.ALL_PHASES.get(summary.phase_of_care, summary.phase_of_care),
        },
    )
