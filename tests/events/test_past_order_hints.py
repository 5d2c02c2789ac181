"""Learning sessions: past sessions take no bookings, the agenda is in time order, and the
hint beside a workshop's Book button agrees with what booking does (issue 11)."""

from __future__ import annotations

import datetime as dt
from html import unescape
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from qicollab.events import presenters, selectors, services
from qicollab.events.models import AgendaItem, BookingStatus, Registration, WorkshopBooking
from tests.events.conftest import make_session, make_workshop


def test_past_sessions_refuse_every_booking_change_in_the_services(
    world: Any, subjects: list
) -> None:
    p = world.people
    past = make_session(world.collab, days_ahead=-10)
    w = make_workshop(past, subjects[0], 1)
    reg = Registration.objects.create(session=past, person=p["staff_a"], status="booked")
    booking = WorkshopBooking.objects.create(workshop=w, person=p["staff_a"], status="booked")
    with pytest.raises(ValidationError, match="already taken place"):
        services.registration_cancel(actor=p["staff_a"], registration=reg)
    with pytest.raises(ValidationError, match="already taken place"):
        services.workshop_booking_cancel(actor=p["staff_a"], booking=booking)
    Registration.objects.create(session=past, person=p["staff_b"], status="booked")
    with pytest.raises(ValidationError, match="already taken place"):
        services.workshop_book(actor=p["staff_b"], workshop=w)
    reg.refresh_from_db()
    booking.refresh_from_db()
    assert (reg.status, booking.status) == ("booked", "booked")


def test_past_session_page_offers_no_book_or_cancel(world: Any, login: Any, subjects: list) -> None:
    past = make_session(world.collab, days_ahead=-10)
    make_workshop(past, subjects[0], 1)
    Registration.objects.create(session=past, person=world.people["staff_a"], status="booked")
    html = login(world.people["staff_a"]).get(f"/learning/sessions/{past.pk}/").content.decode()
    assert "Cancel my place" not in html and "Book a place" not in html
    assert "has taken place" in html
    html = login(world.people["staff_b"]).get(f"/learning/sessions/{past.pk}/").content.decode()
    assert "Book a place" not in html and ">Book<" not in html


def test_agenda_is_in_time_order_on_the_page_and_in_the_selector(
    world: Any, login: Any, subjects: list
) -> None:
    s = make_session(world.collab)
    for title, day, start in [
        ("Lunch", 1, dt.time(12, 30)),
        ("Welcome", 1, dt.time(9, 0)),
        ("Day two opening", 2, dt.time(9, 0)),
        ("Keynote", 1, dt.time(9, 30)),
    ]:
        AgendaItem.objects.create(
            session=s,
            kind="plenary",
            title=title,
            day=day,
            starts_at=start,
            ends_at=dt.time(start.hour, start.minute + 20),
        )
    expected = ["Welcome", "Keynote", "Lunch", "Day two opening"]
    assert [i.title for i in selectors.agenda(session=s)] == expected
    html = login(world.people["staff_a"]).get(f"/learning/sessions/{s.pk}/").content.decode()
    positions = [html.index(t) for t in expected]
    assert positions == sorted(positions)


def test_workshop_at_a_full_session_hint_and_outcome_agree(
    world: Any, login: Any, subjects: list
) -> None:
    p = world.people
    s = make_session(world.collab, capacity=1)
    w = make_workshop(s, subjects[0], 1)
    services.registration_create(actor=p["staff_b"], session=s)  # takes the only place
    client = login(p["staff_a"])
    page = unescape(client.get(f"/learning/sessions/{s.pk}/").content.decode())
    assert presenters.SESSION_FULL in page
    assert presenters.ALSO_BOOKS_PLACE not in page

    r = client.post(f"/learning/sessions/workshops/{w.pk}/book/", follow=True)
    after = unescape(r.content.decode())
    assert presenters.SESSION_FULL in after
    assert "Book a place at the learning session before" not in after
    reg = Registration.objects.get(session=s, person=p["staff_a"])
    assert reg.status == BookingStatus.WAITING
    assert not WorkshopBooking.objects.filter(workshop=w, person=p["staff_a"]).exists()


def test_workshop_at_a_session_with_room_books_both_as_the_hint_says(
    world: Any, login: Any, subjects: list
) -> None:
    s = make_session(world.collab, capacity=5)
    w = make_workshop(s, subjects[0], 1)
    client = login(world.people["staff_a"])
    page = unescape(client.get(f"/learning/sessions/{s.pk}/").content.decode())
    assert presenters.ALSO_BOOKS_PLACE in page
    r = client.post(f"/learning/sessions/workshops/{w.pk}/book/", follow=True)
    assert f"You are booked on “{w.title}”." in unescape(r.content.decode())
    assert Registration.objects.get(session=s, person=world.people["staff_a"]).status == "booked"
