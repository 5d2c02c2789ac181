"""Notification emails: one straight away, or a digest; each with its one-click settings link.

Rendered here (where the notifications are at hand) and sent by the worker through
``core.mail``: a request never waits for the mail server.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from qicollab.core.mail import queue_email
from qicollab.notifications.kinds import Frequency, kind
from qicollab.notifications.tokens import make_token

if TYPE_CHECKING:
    from qicollab.accounts.models import Person
    from qicollab.notifications.models import Notification


def _site() -> str:
    return str(settings.SITE_URL).rstrip("/")


def absolute(url: str) -> str:
    """A link for an email: paths get the site's address (never the request's Host)."""
    return url if url.startswith(("http://", "https://")) else _site() + (url or "/")


def preference_link(person_id: int, kind_key: str) -> str:
    """The one-click link that changes this one setting, signed out."""
    token = make_token(person_id=person_id, kind=kind_key)
    return _site() + reverse("notifications:one_setting", args=[token])


def send_immediate(n: Notification, person: Person) -> None:
    """Email one notification now (through the worker)."""
    text = render_to_string(
        "notifications/email/immediate.txt",
        {
            "n": n,
            "person": person,
            "link": absolute(n.url),
            "kind": kind(n.kind),
            "settings_link": preference_link(person.pk, n.kind),
            "all_settings": _site() + reverse("notifications:preferences"),
        },
    )
    subject, _, body = text.strip().partition("\n")
    queue_email(to=person.email, subject=subject, text=body.lstrip("\n"))


def send_digest(person: Person, items: Sequence[Notification], frequency: str) -> None:
    """Email a digest of ``items`` (newest first), with a settings link per kind."""
    kinds = sorted({n.kind for n in items})
    text = render_to_string(
        "notifications/email/digest.txt",
        {
            "person": person,
            "items": [(n, absolute(n.url)) for n in items],
            "period": "day" if frequency == Frequency.DAILY else "week",
            "settings": [(kind(k), preference_link(person.pk, k)) for k in kinds],
            "all_settings": _site() + reverse("notifications:preferences"),
            "list_link": _site() + reverse("notifications:list"),
        },
    )
    subject, _, body = text.strip().partition("\n")
    queue_email(to=person.email, subject=subject, text=body.lstrip("\n"))
