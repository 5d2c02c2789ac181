"""Every email leaves through here: rendered in the request, sent by the worker, retried.

The message is rendered where the context is at hand and handed to the ``deliver_email``
task, enqueued with the caller's transaction (``core.tasks``), so an email goes out only
if what it announces was saved. A mail server that
refuses or cannot be reached is retried with exponential back-off, ``EMAIL_MAX_ATTEMPTS``
times in all, and a message that still cannot be sent is logged as an error.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

from qicollab.core.tasks import enqueue_with_transaction

logger = logging.getLogger(__name__)


def backoff(attempt: int) -> timedelta:
    """Wait before retry ``attempt + 1``: 1 min, 4 min, 16 min, … capped at 4 hours.

    >>> [int(backoff(n).total_seconds()) for n in (1, 2, 3, 9)]
    [60, 240, 960, 14400]
    """
    return timedelta(seconds=min(4 * 3600, 60 * 4 ** (attempt - 1)))


def queue_email(*, to: str, subject: str, text: str, html: str = "") -> None:
    """Send an email from the worker (see the module docstring for when it is enqueued)."""
    subject = " ".join(subject.split())

    def enqueue() -> None:
        deliver_email.enqueue(to=to, subject=subject, text=text, html=html, attempt=1)

    enqueue_with_transaction(enqueue)


@task()
def deliver_email(*, to: str, subject: str, text: str, html: str = "", attempt: int = 1) -> bool:
    """Send one message now; on failure, enqueue the next attempt after :func:`backoff`.

    Returns whether this attempt sent it (the task's result, kept by the queue).
    """
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:  # SMTP, DNS and socket errors all mean "not sent this time"
        if attempt >= settings.EMAIL_MAX_ATTEMPTS:
            logger.exception("Gave up sending %r to %s after %s attempts", subject, to, attempt)
            return False
        logger.warning("Could not send %r to %s (attempt %s); retrying", subject, to, attempt)
        retry = deliver_email
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + backoff(attempt))
        retry.enqueue(to=to, subject=subject, text=text, html=html, attempt=attempt + 1)
        return False
    return True
