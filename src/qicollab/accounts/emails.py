"""Emails to people: rendered from Jinja templates as plain text plus HTML.

Links in emails are built from ``settings.SITE_URL``, never from the request's Host
header, so a forged Host cannot plant a link to another site in a password-reset email.
Email goes to the console unless ``EMAIL_URL`` points at an SMTP server.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from qicollab.core.mail import queue_email

logger = logging.getLogger(__name__)


class EmailNotSent(Exception):
    """The mail server refused or could not be reached; the caller decides what to undo."""


def absolute_url(path: str) -> str:
    """``/accounts/…`` → ``https://qicollab.example.org/accounts/…`` using SITE_URL."""
    return settings.SITE_URL.rstrip("/") + path


def send_email(*, to: str, template: str, context: dict[str, Any]) -> None:
    """Send ``accounts/email/<template>.txt`` (first line: subject) with its ``.html`` twin.

    Raises :class:`EmailNotSent` if the backend fails, so a service can roll back what it
    was about to promise in the email (an invitation nobody received is worse than none).

    >>> send_email(to="a@example.nhs.uk", template="password_changed", context={})  # doctest: +SKIP
    """
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    text = render_to_string(f"accounts/email/{template}.txt", context)
    subject, _, body = text.strip().partition("\n")
    html = render_to_string(f"accounts/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body.lstrip("\n"),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as exc:  # SMTP, DNS and socket errors all mean "not sent"
        logger.exception("Could not send the %s email", template)
        raise EmailNotSent(str(exc)) from exc


def queue_templated_email(*, to: str, template: str, context: dict[str, Any]) -> None:
    """Like :func:`send_email`, but sent by the worker with retries (``core.mail``).

    For messages whose sending nothing else depends on (a password-reset link, a notice
    that a password changed): the person is not kept waiting for the mail server.
    """
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    text = render_to_string(f"accounts/email/{template}.txt", context)
    subject, _, body = text.strip().partition("\n")
    html = render_to_string(f"accounts/email/{template}.html", context)
    queue_email(to=to, subject=subject, text=body.lstrip("\n"), html=html)
