"""Demo step ``notifications``: a believable month of notifications, and some preferences.

Every notification is about something the demo really holds, found the way the product
finds it: signals by :func:`qicollab.measures.alerts.new_signals` (the engine, through the
adapter), data due by :func:`~qicollab.measures.alerts.data_due`, places offered from a
session's waiting list, learning summaries waiting for approval. They are spread over the
last 30 days, the older ones read. No email is sent: the rows are written directly (marked
as already handled), not through ``notify``.

Idempotent: a notification's natural key is its recipient, kind and dedupe key (the same
key ``notify`` uses), a preference's its person and kind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from qicollab.deaths import choices as dc
from qicollab.deaths.models import LearningSummary
from qicollab.deaths.selectors import summary_approvers
from qicollab.demo.context import DemoContext
from qicollab.demo.personas import persona
from qicollab.events.models import BookingStatus, Registration
from qicollab.measures import alerts
from qicollab.notifications.kinds import Frequency
from qicollab.notifications.models import Notification, Preference
from qicollab.projects.models import ProjectMember, TeamRole

#: Who chose what (the rest keep the defaults): a lead who wants data reminders daily, a
#: programme manager who reads signals in a weekly digest, a partner who wants no emails
#: about data.
PREFERENCES = (
    ("staff_a", "measures.data_due", Frequency.DAILY),
    ("pm_a", "measures.signal", Frequency.WEEKLY),
    ("partner_a", "measures.data_due", Frequency.OFF),
    ("faculty", "measures.signal", Frequency.DAILY),
)
MAX_SIGNALS = 12
MAX_DUE = 10


def _ensure(
    ctx: DemoContext,
    *,
    person: Any,
    kind: str,
    key: str,
    text: str,
    target: models.Model,
    url: str,
    days_ago: float,
    actor: Any = None,
) -> None:
    now = timezone.now()
    created = now - dt.timedelta(days=days_ago)
    # Older than a week: read (people do read them); the last week's are still new.
    read_at = created + dt.timedelta(hours=5) if days_ago > 7 else None
    ctx.ensure(
        Notification,
        key={"recipient": person, "kind": kind, "dedupe_key": key},
        values={"text": text[:300], "url": url},
        create_only={
            "actor": actor,
            "target_type": ContentType.objects.get_for_model(target),
            "target_id": target.pk,
            "created_at": created,
            "read_at": read_at,
            "email": Frequency.OFF,
            "emailed_at": created,
        },
    )


def build_notifications(ctx: DemoContext) -> None:
    for key, kind, frequency in PREFERENCES:
        ctx.ensure(
            Preference,
            key={"person": ctx.person(persona(key).email), "kind": kind},
            values={"frequency": frequency},
        )
    today = ctx.today
    measures = alerts.live_measures()
    teams: dict[int, list[Any]] = {}
    for pm in ProjectMember.objects.exclude(role=TeamRole.SPONSOR).select_related("person"):
        teams.setdefault(pm.project_id, []).append(pm.person)
    # Signals: the runs that include each measure's latest value, as the job finds them.
    for i, s in enumerate(alerts.new_signals(measures)[:MAX_SIGNALS]):
        for person in teams.get(s.measure.project_id, []):
            _ensure(
                ctx,
                person=person,
                kind="measures.signal",
                key=s.key,
                text=s.text,
                target=s.measure,
                url=s.measure.get_absolute_url(),
                days_ago=1 + (i * 2.5) % 28,
            )
    # Data due: the measure's owner, else the project's leads.
    for i, d in enumerate(alerts.data_due(measures, today=today)[:MAX_DUE]):
        leads = [
            pm.person
            for pm in ProjectMember.objects.filter(
                project_id=d.measure.project_id, role=TeamRole.LEAD
            ).select_related("person")
        ]
        owner = d.measure.owner
        for person in [owner] if owner is not None else leads:
            state = "overdue" if d.overdue else "due"
            _ensure(
                ctx,
                person=person,
                kind="measures.data_due",
                key=f"{state}:{d.measure.pk}:{d.period.isoformat()}",
                text=f"{d.text} ({d.measure.project.title})",
                target=d.measure,
                url=d.measure.get_absolute_url(),
                days_ago=0.5 + (i * 3) % 20,
            )
    # A place offered from a waiting list: the first two people waiting, as if promoted.
    waiting = Registration.objects.filter(status=BookingStatus.WAITING).select_related(
        "session", "person"
    )[:2]
    for i, reg in enumerate(waiting):
        _ensure(
            ctx,
            person=reg.person,
            kind="events.place_offered",
            key=f"demo-offer:{reg.pk}",
            text=f"A place may come free at {reg.session.title}: you are on its waiting list, "
            "and you will be told here and by email if it is yours.",
            target=reg.session,
            url=reg.session.get_absolute_url(),
            days_ago=2 + i * 9,
        )
    # Learning summaries waiting for approval: their team's leads.
    for i, summary in enumerate(
        LearningSummary.objects.filter(status=dc.SummaryStatus.AWAITING_APPROVAL).select_related(
            "organisation", "author"
        )[:5]
    ):
        for person in summary_approvers(organisation=summary.organisation):
            if person.pk == summary.author_id:
                continue
            _ensure(
                ctx,
                person=person,
                kind="approvals.requested",
                key=f"summary:{summary.pk}:demo",
                text=f"A learning summary from {summary.organisation.name} is waiting for "
                f"your approval: {summary.title}",
                target=summary,
                url=reverse(
                    "deaths:summary_approve", args=[summary.organisation.slug, summary.death_id]
                ),
                days_ago=3 + i * 6,
                actor=summary.author,
            )
