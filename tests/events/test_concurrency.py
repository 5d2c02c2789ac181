"""People booking the last places at the same moment: exactly the places are taken.

Runs in both passes of ``.ci/run``: on PostgreSQL row locks (``SELECT ... FOR UPDATE``)
decide; on SQLite writes are serialised (``BEGIN IMMEDIATE`` with a busy timeout), which
the race shows through a file copy of the test database (``tests/concurrency.py``).
"""

from __future__ import annotations

from typing import Any

import pytest

from qicollab.events import services
from qicollab.events.models import Registration, WorkshopBooking
from tests import factories as f
from tests.concurrency import race, threads_share_the_database
from tests.events.conftest import make_session, make_workshop


def _race(n: int, book: Any) -> list[BaseException]:
    _, errors = race(n, book)
    return errors  # type: ignore[no-any-return]


@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_last_place_one_gets_it_the_other_waits(world: Any) -> None:
    session = make_session(world.collab, capacity=1)
    people = [world.people["staff_a"], world.people["staff_b"]]
    with threads_share_the_database():
        errors = _race(2, lambda i: services.registration_create(actor=people[i], session=session))
        assert errors == []
        statuses = sorted(Registration.objects.values_list("status", flat=True))
        # exactly one place taken; the other person is told they are on the waiting list
        assert statuses == ["booked", "waiting"]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_session_bookings_never_overbook(world: Any) -> None:
    session = make_session(world.collab, capacity=3)
    people = []
    for i in range(8):
        person = f.PersonFactory(email=f"racer{i}@example.nhs.uk")
        f.AffiliationFactory(person=person, organisation=world.trust_a)
        people.append(person)
    with threads_share_the_database():
        errors = _race(8, lambda i: services.registration_create(actor=people[i], session=session))
        assert errors == []
        statuses = list(Registration.objects.values_list("status", flat=True))
        assert statuses.count("booked") == 3
        assert statuses.count("waiting") == 5


@pytest.mark.django_db(transaction=True)
def test_simultaneous_workshop_bookings_never_overbook(world: Any, subjects: list) -> None:
    session = make_session(world.collab)
    workshop = make_workshop(session, subjects[0], 1, capacity=2)
    people = []
    for i in range(6):
        person = f.PersonFactory(email=f"ws{i}@example.nhs.uk")
        f.AffiliationFactory(person=person, organisation=world.trust_b)
        services.registration_create(actor=person, session=session)
        people.append(person)
    with threads_share_the_database():
        errors = _race(6, lambda i: services.workshop_book(actor=people[i], workshop=workshop))
        assert errors == []
        assert WorkshopBooking.objects.filter(status="booked").count() == 2
        assert WorkshopBooking.objects.filter(status="waiting").count() == 4


@pytest.mark.django_db(transaction=True)
def test_cancel_and_rebook_at_the_same_moment_never_deadlock(world: Any, subjects: list) -> None:
    """A waiting person cancelling while another books the same workshop, many times over.

    A place is free while someone waits (as after a capacity rise), so the booking first
    promotes the queue. Before one lock order the cancel locked its booking and then the
    workshop while the booking locked the workshop and then the waiting bookings:
    PostgreSQL broke the cycle by killing one of them with "deadlock detected".
    """
    session = make_session(world.collab)
    workshop = make_workshop(session, subjects[0], 1, capacity=1)
    people = []
    for i in range(3):
        person = f.PersonFactory(email=f"dl{i}@example.nhs.uk")
        f.AffiliationFactory(person=person, organisation=world.trust_b)
        services.registration_create(actor=person, session=session)
        people.append(person)
    holder, waiter, rebooker = people
    holding = services.workshop_book(actor=holder, workshop=workshop)
    waiting = services.workshop_book(actor=waiter, workshop=workshop)
    again = services.workshop_book(actor=rebooker, workshop=workshop)
    with threads_share_the_database():
        for _ in range(20):
            WorkshopBooking.objects.filter(pk=holding.pk).update(status="cancelled")
            WorkshopBooking.objects.filter(pk=waiting.pk).update(status="waiting")
            WorkshopBooking.objects.filter(pk=again.pk).update(status="cancelled")
            acts = [
                lambda: services.workshop_booking_cancel(actor=waiter, booking=waiting),
                lambda: services.workshop_book(actor=rebooker, workshop=workshop),
            ]
            errors = _race(2, lambda i, acts=acts: acts[i]())
            assert errors == []
            assert WorkshopBooking.objects.get(pk=waiting.pk).status == "cancelled"
            assert WorkshopBooking.objects.get(pk=again.pk).status == "booked"
