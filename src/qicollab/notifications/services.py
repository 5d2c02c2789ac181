"""Writes: telling people (``notify``), marking read, preferences and the digests.

``notify`` is the one call other apps make. It is cheap for the caller: a fixed number of
queries whatever the number of recipients (their preferences in one query, the
notifications in one bulk insert), and emails are rendered here but sent by the worker.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.core.services import ServiceError, save_as
from qicollab.core.text import text_problem
from qicollab.notifications import emails
from qicollab.notifications import kinds as registry
from qicollab.notifications.kinds import Frequency
from qicollab.notifications.models import Notification, Preference

TEXT_MAX = 300


class NotificationError(ServiceError):
    """A refused change to notifications or their settings."""


def _url_of(target: models.Model | None, url: str) -> str:
    if url:
        return url
    get_url = getattr(target, "get_absolute_url", None)
    return str(get_url()) if callable(get_url) else ""


def frequencies(*, person_ids: Iterable[int], kind_key: str) -> dict[int, str]:
    """Each person's email frequency for ``kind_key``: their choice, else the default."""
    ids = list(person_ids)
    chosen = dict(
        Preference.objects.filter(person_id__in=ids, kind=kind_key).values_list(
            "person_id", "frequency"
        )
    )
    default = str(registry.kind(kind_key).default)
    return {pk: chosen.get(pk, default) for pk in ids}


@transaction.atomic
def notify(
    *,
    recipients: Iterable[Person],
    kind: str,
    actor: Person | None,
    target: models.Model | None,
    text: str,
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Tell ``recipients`` that something happened; returns the notifications made.

    - ``kind`` is a key declared in :mod:`qicollab.notifications.kinds` (``KeyError``
      otherwise: a new kind is declared there first);
    - the actor is never told of their own action, inactive accounts are skipped, and a
      person listed twice is told once;
    - ``target`` is the thing it is about (its ``get_absolute_url`` is the link unless
      ``url`` is given); ``text`` is one line, cut to 300 characters;
    - with a ``dedupe_key``, a person already told of this kind and key is not told again,
      so a scheduled job may call this on every run;
    - each person's preference for the kind decides the email: straight away (rendered now,
      sent by the worker once this transaction commits), in the next digest, or none.

    The caller is responsible for choosing recipients who may see ``target``.
    """
    spec = registry.kind(kind)
    people = {
        p.pk: p
        for p in recipients
        if p is not None and p.is_active and (actor is None or p.pk != actor.pk)
    }
    if not people:
        return []
    clean = " ".join((text or "").split())[:TEXT_MAX]
    if problem := text_problem(clean, what="The notification's text"):
        # The callers build the text from stored (so storable) values; this is a bug.
        raise NotificationError(problem, "text")
    if dedupe_key:
        told = set(
            Notification.objects.filter(
                recipient_id__in=list(people), kind=kind, dedupe_key=dedupe_key
            ).values_list("recipient_id", flat=True)
        )
        for pk in told:
            people.pop(pk, None)
        if not people:
            return []
    wanted = frequencies(person_ids=people, kind_key=kind)
    now = timezone.now()
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    link = _url_of(target, url)
    rows = []
    for pk in people:
        freq = Frequency.OFF if spec.app_emails else wanted[pk]
        rows.append(
            Notification(
                recipient_id=pk,
                kind=kind,
                text=clean,
                url=link,
                actor=actor,
                target_type=target_type,
                target_id=target.pk if target is not None else None,
                dedupe_key=dedupe_key,
                created_at=now,
                email=freq,
                emailed_at=now if freq == Frequency.IMMEDIATELY else None,
            )
        )
    made = Notification.objects.bulk_create(rows)
    for n in made:
        if n.email == Frequency.IMMEDIATELY:
            emails.send_immediate(n, people[n.recipient_id])
    return made


def notification_mark_read(*, actor: Person, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (already read: left as it was)."""
    if notification.recipient_id != actor.pk:
        # Selectors only ever hand a person their own; this guards a caller's mistake.
        raise NotificationError("You can only mark your own notifications as read.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, actor: Person) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_set(
    *, actor: Person | None, person: Person, kind_key: str, frequency: str
) -> Preference:
    """Set how ``person`` hears of ``kind_key`` by email.

    ``actor`` is the person themselves, or ``None`` for the signed link in an email (which
    vouches for that one person and kind). Notifications still waiting for a digest follow
    the new choice: turned off, they are not sent; moved to the other digest, they go in it.
    """
    if actor is not None and actor.pk != person.pk:
        raise NotificationError("You can only change your own notification settings.")
    if not registry.is_kind(kind_key):
        raise NotificationError("There is no such kind of notification.", "kind")
    if frequency not in Frequency.values:
        raise NotificationError("Choose how you want to hear of this.", "frequency")
    if registry.kind(kind_key).app_emails and frequency != Frequency.IMMEDIATELY:
        raise NotificationError(
            f"“{registry.kind(kind_key).label}” is always emailed: the email confirms your place.",
            "frequency",
        )
    pref = Preference.objects.select_for_update().filter(person=person, kind=kind_key).first()
    if pref is None:
        pref = Preference(person=person, kind=kind_key, frequency=frequency)
        save_as(pref, actor)
    elif pref.frequency != frequency:
        pref.frequency = frequency
        save_as(pref, actor)
    pending = Notification.objects.filter(
        recipient=person,
        kind=kind_key,
        emailed_at__isnull=True,
        email__in=[Frequency.DAILY, Frequency.WEEKLY],
    )
    # An "immediately" choice sends what is pending in the next daily digest.
    pending.update(email=Frequency.DAILY if frequency == Frequency.IMMEDIATELY else frequency)
    return pref


#: How far back a digest looks for notifications never emailed (older ones are dropped:
#: a digest about last season helps nobody).
DIGEST_HORIZON = {Frequency.DAILY: dt.timedelta(days=3), Frequency.WEEKLY: dt.timedelta(days=15)}
DIGEST_MAX_ITEMS = 50


def digest_send(*, frequency: str, now: dt.datetime | None = None) -> int:
    """Send each person their digest of unsent ``frequency`` notifications; returns emails sent.

    Idempotent: each person's notifications are marked sent in the transaction that queues
    their email, so a run after a crash sends only what is left. Notifications already read
    in qicollab are marked sent without being emailed.
    """
    if frequency not in DIGEST_HORIZON:
        raise ValueError(f"No digest for {frequency!r}")
    now = now or timezone.now()
    pending = Notification.objects.filter(email=frequency, emailed_at__isnull=True)
    # Too old to be news: marked sent, never emailed.
    pending.filter(created_at__lt=now - DIGEST_HORIZON[Frequency(frequency)]).update(emailed_at=now)
    by_person: dict[int, list[int]] = defaultdict(list)
    for pk, recipient_id in pending.filter(created_at__lte=now).values_list("pk", "recipient_id"):
        by_person[recipient_id].append(pk)
    sent = 0
    people = Person.objects.in_bulk(list(by_person))
    for person_id, ids in by_person.items():
        person = people.get(person_id)
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update()
                .filter(pk__in=ids, emailed_at__isnull=True)
                .order_by("-created_at", "-pk")
            )
            if not rows:
                continue
            unread = [n for n in rows if n.read_at is None][:DIGEST_MAX_ITEMS]
            if person is not None and person.is_active and unread:
                emails.send_digest(person, unread, frequency)
                sent += 1
            Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=now)
    return sent
