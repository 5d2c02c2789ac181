"""notify(): recipients, preferences, emails, dedupe; marking read; preferences; digests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from qicollab.notifications import selectors, services
from qicollab.notifications.kinds import KINDS, Frequency
from qicollab.notifications.models import Notification
from qicollab.notifications.services import NotificationError, notify
from qicollab.notifications.tokens import make_token, read_token
from tests.notifications.factories import tell

pytestmark = pytest.mark.django_db


def test_notify_skips_the_actor_inactive_people_and_duplicates(world: Any) -> None:
    p = world.people
    p["viewer_a"].is_active = False
    p["viewer_a"].save()
    made = notify(
        recipients=[p["staff_a"], p["staff_a"], p["pm_a"], p["viewer_a"], p["partner_a"]],
        kind="measures.signal",
        actor=p["partner_a"],
        target=world.trust_a,
        text="  A   new signal\n on falls  ",
    )
    assert sorted(n.recipient_id for n in made) == sorted([p["staff_a"].pk, p["pm_a"].pk])
    n = made[0]
    assert n.text == "A new signal on falls"
    assert n.url == world.trust_a.get_absolute_url()
    assert n.target == world.trust_a


def test_unknown_kind_is_a_programming_error(world: Any) -> None:
    with pytest.raises(KeyError):
        notify(recipients=[world.people["staff_a"]], kind="nope", actor=None, target=None, text="x")


def test_text_is_cut_to_300_and_nul_refused(world: Any) -> None:
    n = tell(world.people["staff_a"], text="x" * 1000)
    assert len(n.text) == 300
    with pytest.raises(NotificationError):
        tell(world.people["staff_a"], text="bad\x00text")


def test_immediate_kinds_are_emailed_with_a_settings_link(world: Any) -> None:
    mail.outbox.clear()
    n = tell(world.people["staff_a"], text="New signal on falls", url="/projects/x/")
    assert n.email == Frequency.IMMEDIATELY and n.emailed_at is not None
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "New signal on falls" in body
    assert "/projects/x/" in body
    assert "/notifications/settings/" in body


def test_off_and_digest_kinds_are_not_emailed_now(world: Any) -> None:
    staff = world.people["staff_a"]
    services.preference_set(
        actor=staff, person=staff, kind_key="measures.signal", frequency=Frequency.OFF
    )
    mail.outbox.clear()
    n = tell(staff)
    assert n.email == Frequency.OFF and not mail.outbox
    n2 = tell(staff, kind="measures.data_due")  # weekly by default
    assert n2.email == Frequency.WEEKLY and n2.emailed_at is None and not mail.outbox


def test_app_emailed_kind_never_sends_a_second_email(world: Any) -> None:
    mail.outbox.clear()
    n = tell(world.people["staff_a"], kind="events.place_offered")
    assert n.email == Frequency.OFF and not mail.outbox


def test_dedupe_key_tells_each_person_once(world: Any) -> None:
    p = world.people
    first = notify(
        recipients=[p["staff_a"]],
        kind="measures.signal",
        actor=None,
        target=None,
        text="a",
        dedupe_key="signal:1",
    )
    again = notify(
        recipients=[p["staff_a"], p["pm_a"]],
        kind="measures.signal",
        actor=None,
        target=None,
        text="a",
        dedupe_key="signal:1",
    )
    assert len(first) == 1
    assert [n.recipient_id for n in again] == [p["pm_a"].pk]


def test_notify_query_count_does_not_grow_with_recipients(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    people = list(world.people.values())
    with django_assert_max_num_queries(6):
        notify(
            recipients=people,
            kind="measures.data_due",
            actor=None,
            target=world.collab,
            text="Data due",
            dedupe_key="due:1",
        )


def test_mark_read_only_ones_own(world: Any) -> None:
    n = tell(world.people["staff_a"])
    with pytest.raises(NotificationError):
        services.notification_mark_read(actor=world.people["pm_a"], notification=n)
    services.notification_mark_read(actor=world.people["staff_a"], notification=n)
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_all_read(world: Any) -> None:
    staff = world.people["staff_a"]
    tell(staff)
    tell(staff)
    other = tell(world.people["pm_a"])
    assert services.notifications_mark_all_read(actor=staff) == 2
    other.refresh_from_db()
    assert other.read_at is None


def test_preferences_refuse_bad_input_and_other_people(world: Any) -> None:
    staff, pm = world.people["staff_a"], world.people["pm_a"]
    with pytest.raises(NotificationError):
        services.preference_set(actor=pm, person=staff, kind_key="measures.signal", frequency="off")
    with pytest.raises(NotificationError):
        services.preference_set(actor=staff, person=staff, kind_key="nope", frequency="off")
    with pytest.raises(NotificationError):
        services.preference_set(
            actor=staff, person=staff, kind_key="measures.signal", frequency="hourly"
        )
    with pytest.raises(NotificationError):
        services.preference_set(
            actor=staff, person=staff, kind_key="events.place_offered", frequency="off"
        )


def test_preferences_default_then_chosen(world: Any) -> None:
    staff = world.people["staff_a"]
    settings = {s.kind.key: s for s in selectors.preferences(person=staff)}
    assert set(settings) == {k.key for k in KINDS}
    assert (
        settings["measures.data_due"].frequency == "weekly"
        and not settings["measures.data_due"].chosen
    )
    services.preference_set(
        actor=staff, person=staff, kind_key="measures.data_due", frequency="daily"
    )
    settings = {s.kind.key: s for s in selectors.preferences(person=staff)}
    assert (
        settings["measures.data_due"].frequency == "daily" and settings["measures.data_due"].chosen
    )


def test_pending_digest_items_follow_a_changed_preference(world: Any) -> None:
    staff = world.people["staff_a"]
    n = tell(staff, kind="measures.data_due")
    services.preference_set(
        actor=staff, person=staff, kind_key="measures.data_due", frequency="off"
    )
    n.refresh_from_db()
    assert n.email == "off"


def test_digest_sends_one_email_per_person_and_never_twice(world: Any) -> None:
    staff, pm = world.people["staff_a"], world.people["pm_a"]
    a = tell(staff, kind="measures.data_due", text="Data for November is due")
    tell(staff, kind="measures.data_due", text="Data for October is overdue")
    read = tell(pm, kind="measures.data_due", text="Already read")
    services.notification_mark_read(actor=pm, notification=read)
    mail.outbox.clear()
    assert services.digest_send(frequency="weekly") == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "November" in body and "October" in body and "/notifications/settings/" in body
    assert mail.outbox[0].to == [staff.email]
    a.refresh_from_db()
    assert a.emailed_at is not None
    mail.outbox.clear()
    assert services.digest_send(frequency="weekly") == 0
    assert not mail.outbox


def test_digest_drops_stale_items(world: Any) -> None:
    n = tell(world.people["staff_a"], kind="measures.data_due")
    Notification.objects.filter(pk=n.pk).update(created_at=timezone.now() - dt.timedelta(days=60))
    mail.outbox.clear()
    assert services.digest_send(frequency="weekly") == 0
    n.refresh_from_db()
    assert n.emailed_at is not None


def test_token_round_trip_and_tampering() -> None:
    t = make_token(person_id=3, kind="measures.signal")
    assert read_token(t) is not None
    assert read_token(t[:-2] + "xx") is None
    assert read_token("garbage") is None
    assert read_token(t, max_age=-1) is None


def test_unread_count_is_cached_per_request_object(
    world: Any, django_assert_num_queries: Any
) -> None:
    staff = world.people["staff_a"]
    tell(staff)
    with django_assert_num_queries(1):
        assert selectors.unread_count(viewer=staff) == 1
        assert selectors.unread_count(viewer=staff) == 1
