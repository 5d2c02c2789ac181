"""Training pages: who sees and does what (every persona, the outsider included), rosters,
attendance and completion, bad input, certificates and small-count suppression."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from qicollab.capability.models import Attendance, Cohort, Course, Enrolment, EnrolmentStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world: Any) -> Course:
    return f.CourseFactory(
        collaborative=world.collab, title="Silver QI", slug="silver-qi", category="qi"
    )


@pytest.fixture
def cohort(world: Any, course: Course) -> Cohort:
    start = timezone.localdate() - timedelta(days=30)
    c = f.CohortFactory(course=course, name="Autumn", starts_on=start, capacity=3)
    f.CohortSessionFactory(cohort=c, held_on=start)
    f.CohortSessionFactory(cohort=c, held_on=start + timedelta(days=14))
    return c


@pytest.fixture
def enrolled(world: Any, cohort: Cohort) -> Enrolment:
    return f.EnrolmentFactory(
        cohort=cohort, person=world.people["staff_a"], organisation=world.trust_a
    )


@pytest.fixture
def completed(world: Any, cohort: Cohort, enrolled: Enrolment) -> Enrolment:
    enrolled.status = EnrolmentStatus.COMPLETED
    enrolled.completed_on = timezone.localdate()
    enrolled.save()
    return enrolled


# --- Persona matrix --------------------------------------------------------------------------

ALL = ("national_admin", "collab_lead", "faculty", "pm_a", "staff_a", "partner_a", "viewer_a")


def expect(default: int, **overrides: int) -> dict[str, int]:
    people = (*ALL, "staff_b", "pm_o", "outsider")
    return {p: overrides.get(p, default) for p in people}


PAGES = [
    # Course pages: the collaborative's members and coordinators; pm_o's current
    # collaborative is another one, the outsider has none (the "no collaborative" page).
    ("/learning/training/", expect(200)),
    ("/learning/training/courses/silver-qi/", expect(200, pm_o=404, outsider=200)),
    ("/learning/training/cohorts/{cohort}/", expect(200, pm_o=404, outsider=404)),
    ("/learning/training/mine/", expect(200)),
    (
        "/learning/training/records/",
        expect(
            403, national_admin=200, collab_lead=200, faculty=200, pm_a=200, pm_o=200, outsider=200
        ),
    ),
    (
        "/learning/training/courses/new/",
        expect(403, national_admin=200, collab_lead=200, faculty=200, outsider=200, pm_o=403),
    ),
    (
        "/learning/training/courses/silver-qi/edit/",
        expect(403, national_admin=200, collab_lead=200, faculty=200, pm_o=404, outsider=200),
    ),
    (
        "/learning/training/courses/silver-qi/cohorts/new/",
        expect(403, national_admin=200, collab_lead=200, faculty=200, pm_o=404, outsider=200),
    ),
    (
        "/learning/training/cohorts/{cohort}/edit/",
        expect(403, national_admin=200, collab_lead=200, faculty=200, pm_o=404, outsider=404),
    ),
    (
        "/learning/training/enrolments/{enrolment}/certificate.pdf",
        expect(404, national_admin=200, collab_lead=200, faculty=200, pm_a=200, staff_a=200),
    ),
]


@pytest.mark.parametrize(("path", "statuses"), PAGES, ids=[p for p, _ in PAGES])
@pytest.mark.parametrize("persona", [*ALL, "staff_b", "pm_o", "outsider"])
def test_persona_matrix(
    world: Any,
    login: Any,
    cohort: Cohort,
    completed: Enrolment,
    path: str,
    statuses: Any,
    persona: str,
) -> None:
    url = path.format(cohort=cohort.pk, enrolment=completed.pk)
    r = login(world.people[persona]).get(url)
    assert r.status_code == statuses[persona], (persona, url)
    if persona == "outsider" and r.status_code == 200:
        assert "Silver QI" not in r.content.decode()


def test_anonymous_is_sent_to_log_in(login: Any, world: Any, cohort: Cohort) -> None:
    for url in ("/learning/training/", f"/learning/training/cohorts/{cohort.pk}/"):
        assert login(None).get(url).status_code == 302


def test_roster_only_for_runners_and_records_scoped(
    world: Any, login: Any, cohort: Cohort, enrolled: Enrolment
) -> None:
    f.EnrolmentFactory(cohort=cohort, person=world.people["staff_b"], organisation=world.trust_b)
    fac = login(world.people["faculty"]).get(f"/learning/training/cohorts/{cohort.pk}/")
    assert "Roster" in fac.content.decode() and "Staff B" in fac.content.decode()
    peer = login(world.people["staff_b"]).get(f"/learning/training/cohorts/{cohort.pk}/")
    assert "Roster" not in peer.content.decode() and "Staff A" not in peer.content.decode()
    pm = login(world.people["pm_a"]).get("/learning/training/records/").content.decode()
    assert "Staff A" in pm and "Staff B" not in pm
    lead = login(world.people["collab_lead"]).get("/learning/training/records/").content.decode()
    assert "Staff A" in lead and "Staff B" in lead
    mine = login(world.people["staff_a"]).get("/learning/training/mine/").content.decode()
    assert "Silver QI" in mine and "Came to 0 of 2 dates" in mine


def test_facilitator_runs_their_cohort(world: Any, login: Any, cohort: Cohort) -> None:
    cohort.facilitator = world.people["partner_a"]
    cohort.save()
    page = login(world.people["partner_a"]).get(f"/learning/training/cohorts/{cohort.pk}/")
    assert "Roster" in page.content.decode()


def test_member_enrols_and_withdraws_themselves(world: Any, login: Any, cohort: Cohort) -> None:
    c = login(world.people["partner_a"])
    r = c.post(f"/learning/training/cohorts/{cohort.pk}/enrol/")
    assert r.status_code == 302
    e = Enrolment.objects.get(person=world.people["partner_a"])
    assert e.organisation == world.trust_a and e.status == "enrolled"
    again = c.post(f"/learning/training/cohorts/{cohort.pk}/enrol/", follow=True)
    assert "already on this cohort" in again.content.decode()
    assert c.post(f"/learning/training/enrolments/{e.pk}/withdraw/").status_code == 302
    e.refresh_from_db()
    assert e.status == "withdrawn" and e.withdrawn_on == timezone.localdate()
    # Someone else's enrolment is invisible to a peer.
    assert (
        login(world.people["staff_b"])
        .post(f"/learning/training/enrolments/{e.pk}/withdraw/")
        .status_code
        == 404
    )


def test_capacity_is_enforced(world: Any, login: Any, cohort: Cohort) -> None:
    for who in ("staff_a", "partner_a", "viewer_a"):
        assert login(world.people[who]).post(f"/learning/training/cohorts/{cohort.pk}/enrol/")
    r = login(world.people["pm_a"]).post(
        f"/learning/training/cohorts/{cohort.pk}/enrol/", follow=True
    )
    assert "This cohort is full" in r.content.decode()
    assert cohort.enrolments.count() == 3


def test_outsiders_cannot_enrol_or_add(world: Any, login: Any, cohort: Cohort) -> None:
    assert (
        login(world.people["outsider"]).post(f"/learning/training/cohorts/{cohort.pk}/enrol/")
    ).status_code == 404
    r = login(world.people["staff_b"]).post(
        f"/learning/training/cohorts/{cohort.pk}/enrol/",
        {"person": world.people["staff_a"].pk},
    )
    assert r.status_code == 403
    assert not cohort.enrolments.exists()


def test_faculty_adds_marks_attendance_and_completes(
    world: Any, login: Any, cohort: Cohort, enrolled: Enrolment
) -> None:
    c = login(world.people["faculty"])
    r = c.post(
        f"/learning/training/cohorts/{cohort.pk}/enrol/", {"person": world.people["staff_b"].pk}
    )
    assert r.status_code == 302
    other = Enrolment.objects.get(person=world.people["staff_b"])
    first = cohort.sessions.first()
    r = c.post(
        f"/learning/training/cohorts/{cohort.pk}/dates/{first.pk}/attendance/",
        {"present": [str(enrolled.pk)]},
    )
    assert r.status_code == 302
    assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {
        enrolled.pk: True,
        other.pk: False,
    }
    # htmx gets the roster fragment back, not a redirect
    r = c.post(
        f"/learning/training/cohorts/{cohort.pk}/dates/{first.pk}/attendance/",
        {"present": [str(enrolled.pk), str(other.pk)]},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and 'id="roster"' in r.content.decode()
    assert Attendance.objects.filter(present=True).count() == 2
    # someone not on the roster: refused, nothing changes
    c.post(
        f"/learning/training/cohorts/{cohort.pk}/dates/{first.pk}/attendance/",
        {"present": ["999999"]},
    )
    c.post(
        f"/learning/training/cohorts/{cohort.pk}/dates/{first.pk}/attendance/",
        {"present": ["abc"]},
    )
    assert Attendance.objects.filter(present=True).count() == 2
    today = timezone.localdate()
    r = c.post(
        f"/learning/training/enrolments/{enrolled.pk}/complete/",
        {"completed_on": today.isoformat()},
    )
    enrolled.refresh_from_db()
    assert enrolled.status == "completed" and enrolled.completed_on == today


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the completion date"),
        ("31/02/2026", "real date"),
        ("2999-01-01", "cannot be in the future"),
        ("2000-01-01", "before the cohort started"),
    ],
)
def test_bad_completion_dates_are_refused_plainly(
    world: Any, login: Any, cohort: Cohort, enrolled: Enrolment, value: str, message: str
) -> None:
    r = login(world.people["faculty"]).post(
        f"/learning/training/enrolments/{enrolled.pk}/complete/",
        {"completed_on": value},
        follow=True,
    )
    assert r.status_code == 200 and message in r.content.decode()
    enrolled.refresh_from_db()
    assert enrolled.status == "enrolled"


def test_staff_cannot_complete_their_own_course(
    world: Any, login: Any, enrolled: Enrolment
) -> None:
    r = login(world.people["staff_a"]).post(
        f"/learning/training/enrolments/{enrolled.pk}/complete/",
        {"completed_on": timezone.localdate().isoformat()},
    )
    assert r.status_code == 403
    enrolled.refresh_from_db()
    assert enrolled.status == "enrolled"


def test_course_and_cohort_forms(world: Any, login: Any, course: Course) -> None:
    c = login(world.people["faculty"])
    data = {
        "title": "Cultural awareness",
        "slug": "cultural-awareness",
        "category": "cultural_awareness",
        "level": "",
        "duration": "Half a day",
        "provider": "",
        "description": "",
        "is_active": "on",
    }
    assert c.post("/learning/training/courses/new/", data).status_code == 302
    assert Course.objects.filter(slug="cultural-awareness", collaborative=world.collab).exists()
    dup = c.post("/learning/training/courses/new/", {**data, "title": "Again"})
    assert dup.status_code == 200 and "Another course in this collaborative" in dup.content.decode()
    bad = c.post("/learning/training/courses/new/", {**data, "slug": "Not A Slug!", "title": ""})
    body = bad.content.decode()
    assert "Enter the course title" in body and "lower-case letters" in body
    cohort_data = {
        "name": "Spring",
        "starts_on": "2026-03-01",
        "ends_on": "2026-05-01",
        "session_dates": "2026-03-01\n2026-04-01\n2026-05-01",
        "delivery": "online",
        "venue": "",
        "online_link": "https://meet.example.org/x",
        "facilitator": world.people["faculty"].pk,
        "capacity": "20",
    }
    r = c.post("/learning/training/courses/silver-qi/cohorts/new/", cohort_data)
    assert r.status_code == 302
    made = Cohort.objects.get(name="Spring")
    assert [s.held_on for s in made.sessions.all()] == [
        date(2026, 3, 1),
        date(2026, 4, 1),
        date(2026, 5, 1),
    ]
    bad = c.post(
        "/learning/training/courses/silver-qi/cohorts/new/",
        {**cohort_data, "ends_on": "2026-02-01", "session_dates": "1st March", "capacity": "x"},
    )
    body = bad.content.decode()
    assert "end date must be on or after" in body
    assert "is not a date" in body and "whole number" in body
    assert "1st March" in body  # typed values kept
    # the facilitator must be someone in the collaborative
    r = c.post(
        "/learning/training/courses/silver-qi/cohorts/new/",
        {**cohort_data, "name": "X", "facilitator": world.people["pm_o"].pk},
    )
    assert r.status_code == 200 and not Cohort.objects.filter(name="X").exists()
    # edit keeps taught dates that have attendance
    e = f.EnrolmentFactory(cohort=made, person=world.people["staff_a"])
    Attendance.objects.create(enrolment=e, session=made.sessions.first())
    edit = {**cohort_data, "session_dates": "2026-05-01"}
    edit["loaded_version"] = made.updated_at.isoformat()
    assert c.post(f"/learning/training/cohorts/{made.pk}/edit/", edit).status_code == 302
    assert [s.held_on for s in made.sessions.all()] == [date(2026, 3, 1), date(2026, 5, 1)]


def test_course_edit_conflict_keeps_both_versions(world: Any, login: Any, course: Course) -> None:
    c = login(world.people["faculty"])
    stale = course.updated_at.isoformat()
    Course.objects.filter(pk=course.pk).update(
        title="Changed by someone else", updated_at=timezone.now() + timedelta(seconds=5)
    )
    r = c.post(
        "/learning/training/courses/silver-qi/edit/",
        {
            "title": "My title",
            "slug": "silver-qi",
            "category": "qi",
            "level": "silver",
            "loaded_version": stale,
            "is_active": "on",
        },
    )
    body = r.content.decode()
    assert r.status_code == 200 and "Someone else saved" in body
    assert "Changed by someone else" in body and "My title" in body


def test_certificate_only_for_completed(world: Any, login: Any, enrolled: Enrolment) -> None:
    r = login(world.people["staff_a"]).get(
        f"/learning/training/enrolments/{enrolled.pk}/certificate.pdf"
    )
    assert r.status_code == 403


def test_certificate_is_a_pdf_naming_the_person(
    world: Any, login: Any, completed: Enrolment
) -> None:
    r = login(world.people["pm_a"]).get(
        f"/learning/training/enrolments/{completed.pk}/certificate.pdf"
    )
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert "certificate-silver-qi-staff-a.pdf" in r["Content-Disposition"]


def test_lists_use_a_fixed_number_of_queries(
    world: Any, login: Any, cohort: Cohort, django_assert_max_num_queries: Any
) -> None:
    for _ in range(8):
        p = f.PersonFactory()
        f.AffiliationFactory(person=p, organisation=world.trust_a)
        e = f.EnrolmentFactory(cohort=cohort, person=p, organisation=world.trust_a)
        Attendance.objects.create(enrolment=e, session=cohort.sessions.first())
    cohort.capacity = None
    cohort.save()
    c = login(world.people["collab_lead"])
    c.get("/learning/training/records/")  # warm the session
    with django_assert_max_num_queries(20):
        assert c.get("/learning/training/records/").status_code == 200
    with django_assert_max_num_queries(30):
        assert c.get(f"/learning/training/cohorts/{cohort.pk}/").status_code == 200


def test_people_trained_summary_is_suppressed_below_five(
    world: Any, login: Any, completed: Enrolment
) -> None:
    member = login(world.people["staff_b"]).get("/learning/training/").content.decode()
    assert "Fewer than 5 people have completed" in member
    lead = login(world.people["collab_lead"]).get("/learning/training/").content.decode()
    assert "1 person has completed" in lead
