"""Structured judgement reviews, second reviews, family involvement, candour and actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from qicollab.core.forms import add_service_error
from qicollab.core.services import EditConflict, version_token
from qicollab.deaths import choices as c
from qicollab.deaths import services
from qicollab.deaths.forms import ActionForm, CandourForm, FamilyForm, ReviewForm
from qicollab.deaths.models import CaseAction, CaseReview, Death
from qicollab.deaths.views.common import (
    case_crumbs,
    me,
    open_case,
    org_settings,
    post_data,
)
from qicollab.organisations.models import Organisation


@login_required
@require_POST
def review_start(request: HttpRequest, slug: str, pk: int, stage: int) -> HttpResponse:
    org, death = open_case(
        request, slug, pk, what=f"Start review (stage {stage})", action=c.AccessAction.EDIT
    )
    try:
        review = services.review_start(actor=me(request), death=death, stage=stage)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("deaths:case_detail", org.slug, death.pk)
    return redirect("deaths:review_edit", org.slug, death.pk, review.stage)


def _review(death: Death, stage: int) -> CaseReview:
    review = death.reviews.filter(stage=stage).select_related("reviewer").first()
    if review is None:
        raise Http404
    return review


@login_required
def review_edit(request: HttpRequest, slug: str, pk: int, stage: int) -> HttpResponse:
    org, death = open_case(
        request,
        slug,
        pk,
        what=f"Review (stage {stage})",
        action=c.AccessAction.EDIT if request.method == "POST" else c.AccessAction.VIEW,
    )
    review = _review(death, stage)
    settings = org_settings(org)
    phases = services.phase_codes(review)
    form = ReviewForm(
        post_data(request),
        review=review,
        phases=phases,
        orientation=settings.scale_orientation,
        initial={"loaded_version": version_token(review)},
    )
    first = death.reviews.filter(stage=1).first() if stage == 2 else None
    can_edit = review.reviewer_id == request.user.pk and not review.is_completed
    if request.method == "POST":
        if not can_edit:
            messages.error(
                request,
                "Only the reviewer can change this review, and only while it is in progress.",
            )
            return redirect("deaths:review_edit", org.slug, death.pk, stage)
        if form.is_valid():
            complete = request.POST.get("action") == "complete"
            try:
                services.review_save(
                    actor=me(request),
                    review=review,
                    data=form.service_data(),
                    complete=complete,
                    loaded_version=form.cleaned_data.get("loaded_version", ""),
                )
            except EditConflict:
                form.add_error(
                    None,
                    "This review was saved in another window while you were editing. Your "
                    "changes are still in the form: save again to keep them.",
                )
                data = request.POST.copy()
                data["loaded_version"] = version_token(CaseReview.objects.get(pk=review.pk))
                form.data = data
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                if complete:
                    review.refresh_from_db()
                    note = (
                        " Care was rated poor or very poor, so a second review is needed by "
                        "another reviewer."
                        if review.triggers_second_review
                        else ""
                    )
                    messages.success(request, "The review is complete." + note)
                    return redirect("deaths:case_detail", org.slug, death.pk)
                messages.success(request, "Your draft has been saved.")
                return redirect("deaths:review_edit", org.slug, death.pk, stage)
    return render(
        request,
        "deaths/review_form.jinja",
        {
            "page_title": f"{review.get_method_display()}: case {death.case_reference}"
            + (" (second review)" if stage == 2 else ""),
            "active_nav": "deaths",
            "breadcrumbs": case_crumbs(org, death, ("Review", "")),
            "org": org,
            "death": death,
            "review": review,
            "form": form,
            "first": first,
            "can_edit": can_edit,
            "settings": settings,
            "phase_labels": dict(phases),
            "phase_judgements": sorted(
                review.phases.all(),
                key=lambda pj: (
                    [code for code, _ in phases].index(pj.phase)
                    if pj.phase in dict(phases)
                    else len(phases)
                ),
            ),
            "first_avoidability": _avoid(first, settings.scale_orientation) if first else "",
        },
    )


def _avoid(review: CaseReview | None, orientation: str) -> str:
    from qicollab.deaths.presenters import avoidability_display

    return avoidability_display(review, orientation) if review else ""


@login_required
@require_POST
def review_reopen(request: HttpRequest, slug: str, pk: int, stage: int) -> HttpResponse:
    org, death = open_case(
        request, slug, pk, what=f"Reopen review (stage {stage})", action=c.AccessAction.EDIT
    )
    try:
        services.review_reopen(actor=me(request), review=_review(death, stage))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("deaths:case_detail", org.slug, death.pk)
    messages.success(request, "The review is open for changes again.")
    return redirect("deaths:review_edit", org.slug, death.pk, stage)


def _simple(
    request: HttpRequest,
    slug: str,
    pk: int,
    *,
    what: str,
    form_class: Any,
    attr: str,
    save: Any,
    title: str,
    template: str,
    done: str,
) -> HttpResponse:
    org, death = open_case(request, slug, pk, what=what, action=c.AccessAction.EDIT)
    instance = getattr(death, attr, None)
    form = form_class(post_data(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=me(request), death=death, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("deaths:case_detail", org.slug, death.pk)
    return render(
        request,
        template,
        {
            "page_title": f"{title}: case {death.case_reference}",
            "active_nav": "deaths",
            "breadcrumbs": case_crumbs(org, death, (title, "")),
            "org": org,
            "death": death,
            "form": form,
        },
    )


@login_required
def family_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _simple(
        request,
        slug,
        pk,
        what="Family involvement",
        form_class=FamilyForm,
        attr="family",
        save=services.family_save,
        title="Family involvement",
        template="deaths/family_form.jinja",
        done="Family involvement has been saved.",
    )


@login_required
def candour_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _simple(
        request,
        slug,
        pk,
        what="Duty of candour",
        form_class=CandourForm,
        attr="candour",
        save=services.candour_save,
        title="Duty of candour",
        template="deaths/candour_form.jinja",
        done="The duty of candour record has been saved.",
    )


def project_choices(viewer: Any, org: Organisation) -> list[tuple[int, str]]:
    """QI projects the viewer can see that the organisation leads or partners in."""
    try:
        from qicollab.projects.selectors import project_list
    except ImportError:  # pragma: no cover - projects app absent
        return []
    try:
        return [(p.pk, p.title) for p in project_list(viewer=viewer, organisation=org)[:200]]
    except Exception:
        return []


@login_required
def action_edit(
    request: HttpRequest, slug: str, pk: int, action_pk: int | None = None
) -> HttpResponse:
    org, death = open_case(request, slug, pk, what="Action", action=c.AccessAction.EDIT)
    action = None
    if action_pk is not None:
        action = CaseAction.objects.filter(death=death, pk=action_pk).first()
        if action is None:
            raise Http404
    projects = project_choices(request.user, org)
    form = ActionForm(post_data(request), instance=action, projects=projects)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if projects and data.get("project_id") not in {p for p, _ in projects} | {None}:
            form.add_error("project_id", "Choose one of your organisation's projects.")
        else:
            try:
                services.action_save(actor=me(request), death=death, data=data, action=action)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "The action has been saved.")
                return redirect("deaths:case_detail", org.slug, death.pk)
    title = "Change action" if action else "Add an action"
    return render(
        request,
        "deaths/action_form.jinja",
        {
            "page_title": f"{title}: case {death.case_reference}",
            "active_nav": "deaths",
            "breadcrumbs": case_crumbs(org, death, (title, "")),
            "org": org,
            "death": death,
            "form": form,
            "action": action,
        },
    )
