"""Emails of Learning from Excellence: plain text, links from SITE_URL, sent by the worker.

Rendered here and handed to ``core.mail.queue_email``, which enqueues the ``deliver_email``
task with the caller's transaction: the request never waits for the mail server, and no
email announces a report that was rolled back. An anonymous report's email never names the
reporter.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from qicollab.accounts.models import Person
from qicollab.core.mail import queue_email
from qicollab.excellence.models import Acknowledgement, ExcellenceReport, Recipient
from qicollab.organisations.models import UnitMember, UnitRole


def _send(to: Person, template: str, context: dict[str, object]) -> None:
    site = settings.SITE_URL.rstrip("/")
    report = context["report"]
    assert isinstance(report, ExcellenceReport)
    context = {
        "person": to,
        "link": site + reverse("excellence:report_detail", args=[report.pk]),
        "reporter": (
            "A colleague"
            if report.anonymous or report.reporter is None
            else report.reporter.full_name
        ),
        **context,
    }
    text = render_to_string(f"excellence/email/{template}.txt", context)
    subject, _, body = text.strip().partition("\n")
    queue_email(to=to.email, subject=subject, text=body.lstrip("\n"))


def _people(rows: Iterable[Recipient]) -> list[tuple[Person, Recipient]]:
    """Each person who receives a copy: person recipients, and a team's unit leaders."""
    out: dict[int, tuple[Person, Recipient]] = {}
    for row in rows:
        if row.person is not None:
            out.setdefault(row.person.pk, (row.person, row))
        elif row.unit is not None:
            leaders = UnitMember.objects.filter(unit=row.unit, role=UnitRole.LEADER)
            for m in leaders.select_related("person"):
                out.setdefault(m.person.pk, (m.person, row))
    return list(out.values())


def recipient_copies(report: ExcellenceReport, rows: Iterable[Recipient]) -> None:
    """Each recipient's copy of the report, verbatim."""
    for person, row in _people(rows):
        _send(person, "report_received", {"report": report, "recipient": row})


def manager_told(report: ExcellenceReport, recipient: Recipient, manager: Person) -> None:
    """The line manager learns of the report, only because the recipient agreed."""
    _send(manager, "manager_told", {"report": report, "recipient": recipient})


def acknowledged(report: ExcellenceReport, ack: Acknowledgement) -> None:
    for person, row in _people(report.recipients.select_related("person", "unit")):
        _send(person, "acknowledged", {"report": report, "recipient": row, "ack": ack})
