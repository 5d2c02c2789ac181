"""Email leaves through the worker and is retried with back-off when the server fails."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.core import mail
from django.test import override_settings

from qicollab.core.mail import deliver_email, queue_email
from tests.jobs.helpers import DB_QUEUE, run_worker

SEND = "django.core.mail.EmailMultiAlternatives.send"


def test_an_email_is_sent_by_the_task(db: Any) -> None:
    queue_email(to="a@example.nhs.uk", subject="Your  place\n", text="Hello", html="<p>Hello</p>")
    assert [m.subject for m in mail.outbox] == ["Your place"]
    assert mail.outbox[0].alternatives[0][0] == "<p>Hello</p>"


@override_settings(EMAIL_MAX_ATTEMPTS=4)
def test_a_failing_server_is_retried_until_it_accepts(db: Any) -> None:
    real = mail.EmailMultiAlternatives.send
    attempts = []

    def flaky(self: Any, *a: Any, **k: Any) -> int:
        attempts.append(1)
        if len(attempts) < 3:
            raise OSError("connection refused")
        return real(self, *a, **k)

    with mock.patch(SEND, flaky):
        queue_email(to="a@example.nhs.uk", subject="S", text="T")
    assert len(attempts) == 3 and len(mail.outbox) == 1


@override_settings(EMAIL_MAX_ATTEMPTS=3)
def test_it_gives_up_after_the_last_attempt_and_logs_it(db: Any, caplog: Any) -> None:
    with mock.patch(SEND, side_effect=OSError("down")) as send:
        queue_email(to="a@example.nhs.uk", subject="S", text="T")
    assert send.call_count == 3 and not mail.outbox
    assert "Gave up sending" in caplog.text


@override_settings(TASKS=DB_QUEUE)
def test_on_the_database_queue_a_retry_waits_for_its_back_off(db: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    with mock.patch(SEND, side_effect=OSError("down")):
        deliver_email.call(to="a@example.nhs.uk", subject="S", text="T", attempt=1)
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after is not None


@override_settings(TASKS=DB_QUEUE)
def test_on_the_database_queue_the_email_waits_for_the_worker(db: Any) -> None:

    queue_email(to="a@example.nhs.uk", subject="S", text="T")
    assert not mail.outbox
    run_worker()
    assert len(mail.outbox) == 1
