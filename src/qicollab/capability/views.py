"""Pages for the 3 L's. Thin: authorise, select or serve, render."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from qicollab.capability import presenters, selectors, services
from qicollab.capability.forms import AggregateFilterForm, SelfAssessmentForm
from qicollab.core.http import AuthedHttpRequest, found, require
from qicollab.events import presenters as event_presenters
from qicollab.events import selectors as event_selectors
from qicollab.organisations.models import Collaborative

HOME = ("Learning", "/learning/")


def _collab(request: AuthedHttpRequest) -> Collaborative | None:
    c = request.collaborative  # type: ignore[attr-defined]
    return c if c else None


def _no_collab(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "capability/no_collaborative.jinja",
        {"page_title": "Learning", "active_nav": "learning"},
    )


def with_collaborative(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pass the current collaborative to ``view``; without one, explain instead.

    Every page of the learning area starts this way, so it is said once here.
    """

    @functools.wraps(view)
    def wrapper(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        collab = _collab(request)
        if collab is None:
            return _no_collab(request)
        return view(request, collab, *args, **kwargs)

    return wrapper


def _recommendations(request: AuthedHttpRequest, collab: Collaborative) -> dict[str, Any]:
    session = event_selectors.next_session(viewer=request.user, collaborative=collab)
    levels = selectors.latest_levels(person=request.user, collaborative=collab)
    if session is None:
        return {
            "next_session": None,
            "recommended": [],
            "bookings": {},
            "registration": None,
            "workshop_hint": "",
        }
    registration = event_selectors.my_registration(person=request.user, session=session)
    return {
        "next_session": session,
        "recommended": event_selectors.recommended_workshops(session=session, levels=levels),
        "bookings": event_selectors.my_workshop_bookings(person=request.user, session=session),
        "registration": registration,
        # The same words as the session page and the message after booking.
        "workshop_hint": event_presenters.workshop_booking_hint(
            session=session,
            registration=registration,
            booked=event_selectors.booked_count(session=session),
        ),
    }


@login_required
@with_collaborative
def home(request: AuthedHttpRequest, collab: Collaborative) -> HttpResponse:
    history = list(selectors.assessment_history(person=request.user, collaborative=collab)[:10])
    return render(
        request,
        "capability/home.jinja",
        {
            "page_title": "Learning",
            "active_nav": "learning",
            "collab": collab,
            "history": history,
            "latest": history[0] if history else None,
            "subjects": list(selectors.subject_areas(collaborative=collab)),
            "can_assess": request.user.has_perm("capability.assess_in", collab),
            "can_manage": request.user.has_perm("capability.manage_framework", collab),
            "level_tag": presenters.level_tag,
            **_recommendations(request, collab),
        },
    )


@login_required
@with_collaborative
def assess(request: AuthedHttpRequest, collab: Collaborative) -> HttpResponse:
    require(request.user, "capability.assess_in", collab)
    subjects = list(selectors.subject_areas(collaborative=collab))
    initial = {
        f"level_{sid}": lvl
        for sid, lvl in selectors.latest_levels(person=request.user, collaborative=collab).items()
    }
    form = SelfAssessmentForm(request.POST or None, subjects=subjects, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            a = services.self_assessment_create(
                actor=request.user, collaborative=collab, answers=form.answers()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your self-assessment has been saved.")
            return redirect("capability:assessment_detail", pk=a.pk)
    return render(
        request,
        "capability/assess.jinja",
        {
            "page_title": "Assess your QI capability",
            "active_nav": "learning",
            "breadcrumbs": [HOME, ("Assess your QI capability", "")],
            "collab": collab,
            "form": form,
        },
    )


@login_required
def assessment_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    a = found(selectors.assessment_get(viewer=request.user, pk=pk))
    own = a.person_id == request.user.pk
    extra = _recommendations(request, a.collaborative) if own else {}
    return render(
        request,
        "capability/assessment_detail.jinja",
        {
            "page_title": (
                "Your self-assessment" if own else f"Self-assessment: {a.person.full_name}"
            ),
            "active_nav": "learning",
            "breadcrumbs": [HOME, ("Self-assessment", "")],
            "a": a,
            "own": own,
            "level_tag": presenters.level_tag,
            **extra,
        },
    )


@login_required
@with_collaborative
def assessment_list(request: AuthedHttpRequest, collab: Collaborative) -> HttpResponse:
    """Individual assessments the viewer may see (their organisation's, or all for faculty)."""
    rows = list(selectors.visible_assessments(viewer=request.user, collaborative=collab)[:300])
    return render(
        request,
        "capability/assessment_list.jinja",
        {
            "page_title": "Individual self-assessments",
            "active_nav": "learning",
            "breadcrumbs": [HOME, ("Individual self-assessments", "")],
            "rows": rows,
            "level_tag": presenters.level_tag,
        },
    )


@login_required
@with_collaborative
def aggregates(request: AuthedHttpRequest, collab: Collaborative) -> HttpResponse:
    require(request.user, "capability.view_aggregates", collab)
    orgs = selectors.member_organisation_choices(collaborative=collab)
    form = AggregateFilterForm(request.GET or None, organisations=orgs)
    org = None
    if form.is_valid() and form.cleaned_data.get("organisation"):
        org = selectors.member_organisation(
            collaborative=collab, pk=form.cleaned_data["organisation"]
        )
    agg = selectors.capability_aggregates(collaborative=collab, organisation=org)
    sees = selectors.sees_individuals(viewer=request.user, collaborative=collab, organisation=org)
    return render(
        request,
        "capability/aggregates.jinja",
        {
            "page_title": "QI capability across the collaborative",
            "active_nav": "learning",
            "breadcrumbs": [HOME, ("QI capability", "")],
            "collab": collab,
            "form": form,
            "agg": agg,
            "suppressed": presenters.group_suppressed(agg.members_assessed, sees_individuals=sees),
            "fewer_than": presenters.FEWER_THAN,
            "change_sentence": presenters.change_sentence(
                agg.change, float(agg.goal.target_percent) if agg.goal else None
            ),
        },
    )


@login_required
@require_POST
@with_collaborative
def seed_subjects(request: AuthedHttpRequest, collab: Collaborative) -> HttpResponse:
    require(request.user, "capability.manage_framework", collab)
    made = services.subject_areas_seed(actor=request.user, collaborative=collab)
    messages.success(request, f"{made} subject areas added. Edit them in the admin if needed.")
    return redirect("capability:home")
