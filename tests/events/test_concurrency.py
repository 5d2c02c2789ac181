"""Two people booking the last place at the same moment: exactly one gets it.

Needs real row locks, so it runs on PostgreSQL (the second pass of ``.ci/run``); SQLite
serialises whole-database writes and cannot show the race.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from qicollab.events import services
from qicollab.events.models import Registration, WorkshopBooking
from tests import factories as f
from tests.events.conftest import make_session, make_workshop

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks (SELECT ... FOR UPDATE); runs in .ci/run's PostgreSQL pass",
)


def _race(n: int, book: Any) -> list[BaseException]:
    from django.db import connections

    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            book(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_simultaneous_session_bookings_never_overbook(world: Any) -> None:
    session = make_session(world.collab, capacity=3)
    people = []
    for i in range(8):
        person = f.PersonFactory(email=f"racer{i}@example.nhs.uk")
        f.AffiliationFactory(person=person, organisation=world.trust_a)
        people.append(person)
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
    errors = _race(6, lambda i: services.workshop_book(actor=people[i], workshop=workshop))
    assert errors == []
    assert WorkshopBooking.objects.filter(status="booked").count() == 2
    assert WorkshopBooking.objects.filter(status="waiting").count() == 4
