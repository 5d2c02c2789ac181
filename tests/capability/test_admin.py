"""The capability admin shows operators only what the pages would."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def operator(person: Any) -> Any:
    person.is_staff = True
    person.save()
    return person


def test_admin_lists_are_scoped(world: Any, login: Any) -> None:
    mine = f.CourseFactory(collaborative=world.collab, title="Visible course")
    f.CourseFactory(collaborative=world.other_collab, title="Hidden course")
    e = f.EnrolmentFactory(
        cohort=f.CohortFactory(course=mine),
        person=world.people["staff_b"],
        organisation=world.trust_b,
    )
    fac = login(operator(world.people["faculty"]))
    body = fac.get("/admin/capability/course/").content.decode()
    assert "Visible course" in body and "Hidden course" not in body
    assert fac.get(f"/admin/capability/enrolment/{e.pk}/change/").status_code == 200
    pm = login(operator(world.people["pm_a"]))
    assert "Staff B" not in pm.get("/admin/capability/enrolment/").content.decode()
    # Out of scope in the admin reads as "does not exist": the admin's redirect to its
    # index, exactly as for a deleted object (the permission matrix's admin convention).
    assert pm.get(f"/admin/capability/enrolment/{e.pk}/change/").status_code == 302
    assert pm.get("/admin/capability/course/add/").status_code == 403
    out = login(operator(world.people["outsider"]))
    assert "Visible course" not in out.get("/admin/capability/course/").content.decode()
