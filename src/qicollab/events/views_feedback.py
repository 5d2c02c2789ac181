"""Feedback pages: the survey after a session, the thanks page, and the organisers' results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from qicollab.core.http import AuthedHttpRequest, found, require
from qicollab.events import feedback, selectors
from qicollab.events.forms import FeedbackForm
from qicollab.events.models import LearningSession
from qicollab.events.views import HOME, SESSIONS


def _crumbs(s: LearningSession, last: str) -> list[tuple[str, str]]:
    return [HOME, SESSIONS, (s.title, s.get_absolute_url()), (last, "")]


@login_required
def feedback_give(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The survey. People with a place answer once, after the session has started."""
    s = found(selectors.session_get(viewer=request.user, pk=pk))
    if feedback.has_responded(person=request.user, session=s):
        return redirect("events:feedback_thanks", pk=s.pk)
    reason = feedback.why_not_give(person=request.user, session=s)
    ctx: dict[str, object] = {
        "page_title": f"Feedback: {s.title}",
        "active_nav": "learning",
        "breadcrumbs": _crumbs(s, "Feedback"),
        "s": s,
        "reason": reason,
        "min_responses": feedback.MIN_RESPONSES,
    }
    if reason is not None:
        return render(request, "events/feedback_give.jinja", ctx, status=403)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.feedback_submit(actor=request.user, session=s, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            return redirect("events:feedback_thanks", pk=s.pk)
    ctx["form"] = form
    # A form with errors re-renders with 200, like the other apps' forms.
    return render(request, "events/feedback_give.jinja", ctx)


@login_required
def feedback_thanks(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = found(selectors.session_get(viewer=request.user, pk=pk))
    return render(
        request,
        "events/feedback_thanks.jinja",
        {
            "page_title": "Thank you for your feedback",
            "active_nav": "learning",
            "breadcrumbs": _crumbs(s, "Feedback"),
            "s": s,
            "responded": feedback.has_responded(person=request.user, session=s),
        },
    )


@login_required
def feedback_results(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Anonymous, aggregated results for the organisers; withheld below the minimum count."""
    s = found(selectors.session_get(viewer=request.user, pk=pk))
    require(request.user, "events.view_feedback_results", s)
    return render(
        request,
        "events/feedback_results.jinja",
        {
            "page_title": f"Feedback results: {s.title}",
            "active_nav": "learning",
            "breadcrumbs": _crumbs(s, "Feedback results"),
            "s": s,
            "results": feedback.session_results(session=s),
            "eligible": feedback.eligible_count(session=s),
            "over_time": feedback.results_over_time(collaborative=s.collaborative),
            "min_responses": feedback.MIN_RESPONSES,
            "withheld_text": feedback.WITHHELD,
        },
    )
