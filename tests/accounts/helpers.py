"""Helpers for the accounts tests: find the link in an email and open it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core import mail


def last_email(to: str) -> Any:
    """The most recent email sent to ``to`` (fails the test if there is none)."""
    sent = [m for m in mail.outbox if to.lower() in [t.lower() for t in m.to]]
    assert sent, f"no email to {to}; outbox has {[m.to for m in mail.outbox]}"
    return sent[-1]


def link_in(message: Any, path_part: str) -> str:
    """The path of the first link in the email containing ``path_part``; checks both bodies."""
    pattern = re.escape(settings.SITE_URL.rstrip("/")) + r"(\S*?" + re.escape(path_part) + r"\S*)"
    text = re.search(pattern, message.body)
    assert text, message.body
    html_body = message.alternatives[0][0]
    assert text.group(0) in html_body, "the HTML body must carry the same link"
    return urlparse(text.group(0)).path
