"""API routes for learning sessions: the calendar (same selector as the page)."""

# No "from __future__ import annotations": ninja reads the signatures at import time.

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from qicollab.core.http import found
from qicollab.events import feedback, selectors
from qicollab.events import storyboards as sb
from qicollab.organisations import selectors as org_selectors

router = Router(tags=["learning sessions"])


class SessionOut(Schema):
    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    online_link: str
    capacity: int | None
    booked: int


@router.get("/{slug}/sessions", response=list[SessionOut])
def sessions(request: HttpRequest, slug: str) -> list[object]:
    collab = found(org_selectors.collaborative_get(viewer=request.user, slug=slug))
    if not request.user.has_perm("events.view_calendar", collab):
        raise Http404
    return list(selectors.session_list(viewer=request.user, collaborative=collab))


# --- Feedback results and the storyboard gallery ------------------------------------------


class BarOut(Schema):
    label: str
    count: int
    pct: float


class CommentOut(Schema):
    text: str
    count: int


class FeedbackResultsOut(Schema):
    session_id: int
    responses: int | None
    published: bool
    withheld: bool
    withheld_reason: str
    positive: int | None
    positive_pct: float | None
    ratings: list[BarOut]
    learning: list[BarOut]
    patient_care: list[BarOut]
    do_differently: list[CommentOut]
    comments: list[CommentOut]


@router.get("/sessions/{session_id}/feedback", response=FeedbackResultsOut)
def feedback_results(request: HttpRequest, session_id: int) -> dict[str, object]:
    """Anonymous, aggregated results for the organisers: published only once feedback has
    closed, and withheld below 5 responses."""
    s = found(selectors.session_get(viewer=request.user, pk=session_id))
    if not request.user.has_perm("events.view_feedback_results", s):
        raise PermissionDenied
    r = feedback.session_results(session=s)
    return {
        "session_id": s.pk,
        # No count while feedback is open: a count rising by one says who just answered.
        "responses": r.responses if r.published else None,
        "published": r.published,
        "withheld": r.withheld,
        "withheld_reason": r.withheld_reason,
        "positive": None if r.withheld else r.positive,
        "positive_pct": r.positive_pct,
        "ratings": r.ratings,
        "learning": r.learning,
        "patient_care": r.patient_care,
        "do_differently": r.do_differently,
        "comments": r.comments,
    }


class StoryboardOut(Schema):
    id: int
    title: str
    summary: str
    kind: str
    organisation: str
    workstream: str | None
    project_slug: str | None
    content_type: str
    file_url: str | None
    steal_count: int


@router.get("/sessions/{session_id}/storyboards", response=list[StoryboardOut])
def storyboards(
    request: HttpRequest, session_id: int, workstream: str = ""
) -> list[dict[str, object]]:
    """The session's gallery (same selector as the page); ``workstream`` filters by slug."""
    s = found(selectors.session_get(viewer=request.user, pk=session_id))
    if not request.user.has_perm("events.view_storyboards", s):
        raise Http404
    ws = None
    if workstream:
        ws = sb.session_workstreams(session=s).filter(slug=workstream).first()
        if ws is None:
            raise ValidationError(f"No workstream “{workstream}” in this collaborative.")
    return [
        {
            "id": c.pk,
            "title": c.title,
            "summary": c.summary,
            "kind": c.kind,
            "organisation": c.organisation.name,
            "workstream": c.workstream.name if c.workstream else None,
            # The project's own permissions decide whether its storyboard opens.
            "project_slug": c.project.slug
            if c.project and request.user.has_perm("projects.view_project", c.project)
            else None,
            "content_type": c.content_type,
            "file_url": reverse("events:storyboard_file", args=[c.pk]) if c.file_name else None,
            "steal_count": c.steal_count,  # type: ignore[attr-defined]
        }
        for c in sb.gallery(session=s, viewer=request.user, workstream=ws)
    ]
