"""Several people taking the last places on a cohort at the same moment: never more than the
places. Needs real row locks, so it runs on PostgreSQL (the second pass of ``.ci/run``)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from qicollab.capability import services
from qicollab.capability.models import Enrolment
from tests import factories as f

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks (SELECT ... FOR UPDATE); runs in .ci/run's PostgreSQL pass",
)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_enrolments_never_exceed_the_places(world: Any) -> None:
    from django.db import connections

    cohort = f.CohortFactory(course=f.CourseFactory(collaborative=world.collab), capacity=3)
    people = []
    for i in range(8):
        person = f.PersonFactory(email=f"cohort-racer{i}@example.nhs.uk")
        f.AffiliationFactory(person=person, organisation=world.trust_a)
        people.append(person)
    barrier = threading.Barrier(len(people))
    full: list[int] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            services.enrolment_create(actor=people[i], cohort=cohort, person=people[i])
        except ValidationError:
            full.append(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(people))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Enrolment.objects.filter(cohort=cohort).count() == 3
    assert len(full) == 5
