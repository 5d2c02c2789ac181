"""Emails about bookings: plain text, links from SITE_URL (never the request's Host).

Sent by the worker with retries (``core.mail``); a booking never waits for the mail server.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from qicollab.core.mail import queue_email

if TYPE_CHECKING:
    from qicollab.events.models import Registration, StoryboardSteal, WorkshopBooking

logger = logging.getLogger(__name__)


def _send(to: str, template: str, context: dict[str, object]) -> bool:
    """Render the email now and hand it to the worker (``core.mail``), which retries it."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    text = render_to_string(f"events/email/{template}.txt", context)
    subject, _, body = text.strip().partition("\n")
    queue_email(to=to, subject=subject, text=body.lstrip("\n"))
    return True


def _session_url(session_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("events:session_detail", args=[session_id])


def send_place_offered(reg: Registration) -> bool:
    return _send(
        reg.person.email,
        "place_offered",
        {"reg": reg, "session": reg.session, "link": _session_url(reg.session_id)},
    )


def send_workshop_place_offered(b: WorkshopBooking) -> bool:
    return _send(
        b.person.email,
        "workshop_place_offered",
        {"booking": b, "workshop": b.workshop, "link": _session_url(b.workshop.session_id)},
    )


def send_reminder(reg: Registration) -> bool:
    return _send(
        reg.person.email,
        "reminder",
        {"reg": reg, "session": reg.session, "link": _session_url(reg.session_id)},
    )


def send_storyboard_stolen(steal: StoryboardSteal) -> int:
    """Tell the team behind a storyboard that someone intends to steal their idea.

    The project team when the storyboard is a project's, otherwise whoever uploaded it.
    One email per person, so nobody sees the others' addresses. Returns how many were sent.
    """
    from qicollab.projects.models import ProjectMember

    sb = steal.storyboard
    if sb.project_id is not None:
        people = [
            m.person
            for m in ProjectMember.objects.filter(project_id=sb.project_id).select_related("person")
        ]
    else:
        people = [sb.submitted_by] if sb.submitted_by is not None else []
    link = settings.SITE_URL.rstrip("/") + reverse(
        "events:storyboard_gallery", args=[sb.session_id]
    )
    sent = 0
    for person in people:
        if person.is_active and person.email and person.pk != steal.person_id:
            sent += _send(
                person.email,
                "storyboard_stolen",
                {"steal": steal, "storyboard": sb, "person": person, "link": link},
            )
    return sent
