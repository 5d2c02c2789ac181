"""API routes for learning sessions: the calendar (same selector as the page)."""

# No "from __future__ import annotations": ninja reads the signatures at import time.

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from qicollab.core.http import found
from qicollab.events import selectors
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
