from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qicollab.events import services
from qicollab.events.models import Registration
from tests.events.conftest import make_session, make_workshop


def test_capacity_then_waiting_list_then_promotion_with_email(
    world: Any, session: Any, django_capture_on_commit_callbacks: Any
) -> None:
    p = world.people
    a = services.registration_create(actor=p["staff_a"], session=session)
    b = services.registration_create(actor=p["staff_b"], session=session)
    c = services.registration_create(actor=p["partner_a"], session=session)
    d = services.registration_create(actor=p["pm_a"], session=session)
    assert [x.status for x in (a, b, c, d)] == ["booked", "booked", "waiting", "waiting"]
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(actor=p["staff_a"], registration=a)
    assert promoted is not None and promoted.pk == c.pk  # first in the queue, not pm_a
    c.refresh_from_db()
    assert c.status == "booked"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [p["partner_a"].email]
    assert "You have a place" in mail.outbox[0].subject
    assert "&#" not in mail.outbox[0].body
    # cancelling a waiting-list place promotes nobody
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_cancel(actor=p["pm_a"], registration=d) is None
    assert len(mail.outbox) == 1


def test_double_booking_is_refused_and_rebooking_goes_to_the_back(world: Any, session: Any) -> None:
    p = world.people
    a = services.registration_create(actor=p["staff_a"], session=session)
    with pytest.raises(ValidationError, match="already booked"):
        services.registration_create(actor=p["staff_a"], session=session)
    services.registration_create(actor=p["staff_b"], session=session)
    services.registration_cancel(actor=p["staff_a"], registration=a)
    services.registration_create(actor=p["partner_a"], session=session)  # takes the freed place
    again = services.registration_create(actor=p["staff_a"], session=session)
    assert again.pk == a.pk and again.status == "waiting"


def test_only_collaborative_people_register_and_not_for_past_sessions(world: Any) -> None:
    s = make_session(world.collab)
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=world.people["outsider"], session=s)
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=world.people["pm_o"], session=s)
    past = make_session(world.collab, days_ahead=-10)
    with pytest.raises(ValidationError, match="already taken place"):
        services.registration_create(actor=world.people["staff_a"], session=past)


def test_someone_else_cannot_cancel_but_an_organiser_can(world: Any, session: Any) -> None:
    reg = services.registration_create(actor=world.people["staff_a"], session=session)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=world.people["staff_b"], registration=reg)
    services.registration_cancel(actor=world.people["faculty"], registration=reg)
    reg.refresh_from_db()
    assert reg.status == "cancelled"


def test_needs_kept_only_when_asked_and_purged_after_the_event(world: Any) -> None:
    p = world.people
    not_asked = make_session(world.collab)
    r = services.registration_create(actor=p["staff_a"], session=not_asked, needs="Vegan")
    assert r.needs == ""
    asked = make_session(world.collab, ask_needs=True)
    r = services.registration_create(actor=p["staff_a"], session=asked, needs=" Step-free access ")
    assert r.needs == "Step-free access"
    assert services.needs_purge() == 0  # not over yet
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    type(asked).objects.filter(pk=asked.pk).update(
        starts_on=yesterday - dt.timedelta(days=1), ends_on=yesterday
    )
    assert services.needs_purge() == 1
    r.refresh_from_db()
    assert r.needs == ""
    assert services.needs_purge() == 0


def test_workshop_needs_a_session_place_and_fills_then_waits(
    world: Any, session: Any, subjects: list, django_capture_on_commit_callbacks: Any
) -> None:
    p = world.people
    w = make_workshop(session, subjects[0], 1, capacity=1)
    with pytest.raises(ValidationError, match="Book a place at the learning session"):
        services.workshop_book(actor=p["staff_a"], workshop=w)
    services.registration_create(actor=p["staff_a"], session=session)
    services.registration_create(actor=p["staff_b"], session=session)
    first = services.workshop_book(actor=p["staff_a"], workshop=w)
    second = services.workshop_book(actor=p["staff_b"], workshop=w)
    assert (first.status, second.status) == ("booked", "waiting")
    with pytest.raises(ValidationError, match="already booked"):
        services.workshop_book(actor=p["staff_a"], workshop=w)
    with django_capture_on_commit_callbacks(execute=True):
        services.workshop_booking_cancel(actor=p["staff_a"], booking=first)
    second.refresh_from_db()
    assert second.status == "booked"
    assert mail.outbox[-1].to == [p["staff_b"].email]


def test_workshops_at_the_same_time_clash(world: Any, session: Any, subjects: list) -> None:
    p = world.people
    w1 = make_workshop(session, subjects[0], 1)
    w2 = make_workshop(session, subjects[1], 1, starts_at=dt.time(11, 30), ends_at=dt.time(12, 30))
    w3 = make_workshop(session, subjects[2], 1, starts_at=dt.time(12, 0), ends_at=dt.time(13, 0))
    services.registration_create(actor=p["staff_a"], session=session)
    services.workshop_book(actor=p["staff_a"], workshop=w1)
    with pytest.raises(ValidationError, match="same time"):
        services.workshop_book(actor=p["staff_a"], workshop=w2)
    assert services.workshop_book(actor=p["staff_a"], workshop=w3).status == "booked"


def test_cancelling_the_session_place_frees_workshop_places(
    world: Any, session: Any, subjects: list
) -> None:
    p = world.people
    w = make_workshop(session, subjects[0], 1, capacity=1)
    reg = services.registration_create(actor=p["staff_a"], session=session)
    services.registration_create(actor=p["staff_b"], session=session)
    services.workshop_book(actor=p["staff_a"], workshop=w)
    waiting = services.workshop_book(actor=p["staff_b"], workshop=w)
    services.registration_cancel(actor=p["staff_a"], registration=reg)
    waiting.refresh_from_db()
    assert waiting.status == "booked"


def test_check_in_only_by_organisers_and_only_booked_people(world: Any, session: Any) -> None:
    p = world.people
    reg = services.registration_create(actor=p["staff_a"], session=session)
    with pytest.raises(PermissionDenied):
        services.registration_check_in(actor=p["staff_a"], registration=reg, present=True)
    services.registration_check_in(actor=p["faculty"], registration=reg, present=True)
    reg.refresh_from_db()
    assert reg.checked_in_at is not None
    services.registration_check_in(actor=p["faculty"], registration=reg, present=False)
    reg.refresh_from_db()
    assert reg.checked_in_at is None
    services.registration_create(actor=p["staff_b"], session=session)
    w = services.registration_create(actor=p["partner_a"], session=session)
    with pytest.raises(ValidationError, match="Only people with a place"):
        services.registration_check_in(actor=p["faculty"], registration=w, present=True)


def test_reminders_are_sent_once(world: Any) -> None:
    p = world.people
    soon = make_session(world.collab, days_ahead=2, title="Spring learning session")
    later = make_session(world.collab, days_ahead=20)
    services.registration_create(actor=p["staff_a"], session=soon)
    services.registration_create(actor=p["staff_b"], session=later)
    assert services.reminders_send(days_ahead=3) == 1
    assert mail.outbox[0].to == [p["staff_a"].email]
    assert "Spring learning session" in mail.outbox[0].subject
    assert services.reminders_send(days_ahead=3) == 0
    assert len(mail.outbox) == 1
    assert Registration.objects.filter(reminder_sent_at__isnull=False).count() == 1


def test_management_commands_remind_once_and_purge_needs_of_ended_sessions(world: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    p = world.people
    soon = make_session(
        world.collab, days_ahead=1, title="Tomorrow's learning session", ask_needs=True
    )
    services.registration_create(actor=p["staff_a"], session=soon, needs="Step-free access")
    ended = make_session(world.collab, days_ahead=-5)
    Registration.objects.create(
        session=ended, person=p["staff_b"], status="booked", needs="Vegetarian"
    )

    def run(*args: str) -> str:
        out = StringIO()
        call_command(*args, stdout=out)
        return out.getvalue().strip()

    assert run("send_event_reminders", "--days", "2") == "1 reminder(s) sent."
    assert [m.to for m in mail.outbox] == [[p["staff_a"].email]]
    assert "Tomorrow's learning session" in mail.outbox[0].subject
    assert run("send_event_reminders", "--days", "2") == "0 reminder(s) sent."  # once each
    assert len(mail.outbox) == 1

    assert run("purge_event_needs") == "1 answer(s) deleted."
    assert Registration.objects.get(session=ended).needs == ""
    # the coming session keeps its answers, and an ended session is purged only once
    assert Registration.objects.get(session=soon).needs == "Step-free access"
    assert run("purge_event_needs") == "0 answer(s) deleted."


def test_check_in_records_who_checked_the_person_in(world: Any, session: Any) -> None:
    p = world.people
    reg = services.registration_create(actor=p["staff_a"], session=session)
    services.registration_check_in(actor=p["faculty"], registration=reg, present=True)
    reg.refresh_from_db()
    assert reg.checked_in_by == p["faculty"]
    services.registration_check_in(actor=p["faculty"], registration=reg, present=False)
    reg.refresh_from_db()
    assert reg.checked_in_by is None
