"""How a notification reads in the list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from qicollab.notifications.kinds import is_kind, kind
from qicollab.notifications.models import Notification


@dataclass(frozen=True)
class NotificationView:
    pk: int
    text: str
    kind_label: str
    actor: str
    when: str
    when_iso: str
    unread: bool
    open_url: str
    read_url: str


def _ago(when: dt.datetime) -> str:
    """ "just now", "5 minutes ago", "3 days ago" (the largest unit only)."""
    now = timezone.now()
    if now - when < dt.timedelta(minutes=1):
        return "just now"
    return f"{timesince(when, now).split(',')[0]} ago"


def notification_view(n: Notification) -> NotificationView:
    label = kind(n.kind).label if is_kind(n.kind) else ""
    actor = ""
    if n.actor is not None:
        actor = n.actor.full_name or n.actor.email
    return NotificationView(
        pk=n.pk,
        text=n.text,
        kind_label=label,
        actor=actor,
        when=_ago(n.created_at),
        when_iso=n.created_at.isoformat(),
        unread=n.read_at is None,
        open_url=reverse("notifications:open", args=[n.pk]),
        read_url=reverse("notifications:read", args=[n.pk]),
    )


def safe_target(url: str) -> str:
    """A notification's link if it is a path on this site, else the list (never off-site).

    >>> safe_target("/projects/x/"), safe_target("//evil.example/"), safe_target("https://x")
    ('/projects/x/', '/notifications/', '/notifications/')
    """
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return reverse("notifications:list")
