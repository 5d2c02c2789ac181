"""Several people taking the last places on a cohort at the same moment: never more than the
places, and a clear refusal for the rest. Runs in both passes of ``.ci/run``: row locks on
PostgreSQL, serialised writes on SQLite (``tests/concurrency.py``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from qicollab.capability import services
from qicollab.capability.models import Enrolment
from tests import factories as f
from tests.concurrency import race, threads_share_the_database


def _people(world: Any, n: int) -> list[Any]:
    people = []
    for i in range(n):
        person = f.PersonFactory(email=f"cohort-racer{i}@example.nhs.uk")
        f.AffiliationFactory(person=person, organisation=world.trust_a)
        people.append(person)
    return people


@pytest.mark.django_db(transaction=True)
def test_simultaneous_enrolments_never_exceed_the_places(world: Any) -> None:
    cohort = f.CohortFactory(course=f.CourseFactory(collaborative=world.collab), capacity=3)
    people = _people(world, 8)
    with threads_share_the_database():
        full, errors = race(
            8,
            lambda i: services.enrolment_create(actor=people[i], cohort=cohort, person=people[i]),
            refusal=ValidationError,
        )
        assert errors == []
        assert Enrolment.objects.filter(cohort=cohort).count() == 3
        assert len(full) == 5


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_one_is_enrolled_one_refused(world: Any) -> None:
    cohort = f.CohortFactory(course=f.CourseFactory(collaborative=world.collab), capacity=1)
    people = _people(world, 2)
    refusals: list[str] = []

    def enrol(i: int) -> None:
        try:
            services.enrolment_create(actor=people[i], cohort=cohort, person=people[i])
        except ValidationError as exc:
            refusals.append(" ".join(exc.messages))
            raise

    with threads_share_the_database():
        full, errors = race(2, enrol, refusal=ValidationError)
        assert errors == []
        assert Enrolment.objects.filter(cohort=cohort).count() == 1
        assert len(full) == 1 and len(refusals) == 1
    assert refusals == ["This cohort is full."]  # a message to read, not a database error
