from __future__ import annotations

from typing import Any

import pytest

from qicollab.capability.services import Answer, self_assessment_create
from qicollab.events import services
from qicollab.events.models import Registration, WorkshopBooking
from tests.events.conftest import make_session, make_workshop


def test_member_assesses_sees_matching_workshops_and_books_one(
    world: Any, login: Any, subjects: list
) -> None:
    s = make_session(world.collab, title="Learning session 5")
    measure, culture = subjects[2], subjects[9]
    learn_measure = make_workshop(s, measure, 1, title="SPC for beginners")
    make_workshop(s, measure, 3, title="Teaching SPC")  # wrong level for this member
    lead_culture = make_workshop(
        s,
        culture,
        3,
        title="Leading culture change",
        starts_at=__import__("datetime").time(14, 0),
        ends_at=__import__("datetime").time(15, 0),
    )
    c = login(world.people["staff_a"])
    data = {f"level_{x.pk}": "2" for x in subjects}
    data[f"level_{measure.pk}"] = "1"
    data[f"level_{culture.pk}"] = "3"
    r = c.post("/learning/assess/", data)
    page = c.get(r["Location"]).content.decode()
    assert "SPC for beginners" in page and "Leading culture change" in page
    assert "Teaching SPC" not in page
    r = c.post(f"/learning/sessions/workshops/{learn_measure.pk}/book/")
    assert r.status_code == 302
    assert Registration.objects.get(person=world.people["staff_a"]).status == "booked"
    assert WorkshopBooking.objects.get(workshop=learn_measure).status == "booked"
    # booking twice gives a message, not a 500
    r = c.post(f"/learning/sessions/workshops/{learn_measure.pk}/book/", follow=True)
    assert "already booked" in r.content.decode()
    assert lead_culture.pk


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff_a", 200), ("faculty", 200), ("national_admin", 200), ("pm_o", 404), ("outsider", 404)],
)
def test_session_page_visibility(world: Any, login: Any, who: str, status: int) -> None:
    s = make_session(world.collab)
    assert login(world.people[who]).get(f"/learning/sessions/{s.pk}/").status_code == status


def test_register_cancel_and_needs_form(world: Any, login: Any) -> None:
    s = make_session(world.collab, ask_needs=True, capacity=1)
    c = login(world.people["staff_a"])
    assert "Accessibility or dietary needs" in c.get(f"/learning/sessions/{s.pk}/").content.decode()
    r = c.post(f"/learning/sessions/{s.pk}/register/", {"needs": "x" * 1001})
    body = r.content.decode()
    assert r.status_code == 400 and "There is a problem" in body and "x" * 1001 in body
    assert (
        c.post(f"/learning/sessions/{s.pk}/register/", {"needs": "Hearing loop"}).status_code == 302
    )
    reg = Registration.objects.get()
    assert reg.needs == "Hearing loop"
    r = login(world.people["staff_b"]).post(f"/learning/sessions/{s.pk}/register/", {}, follow=True)
    assert "waiting list" in r.content.decode()
    assert c.post(f"/learning/sessions/{s.pk}/cancel/").status_code == 302
    assert Registration.objects.get(person=world.people["staff_b"]).status == "booked"
    assert (
        login(world.people["outsider"]).post(f"/learning/sessions/{s.pk}/register/").status_code
        == 404
    )


def test_needs_visible_only_to_organisers(world: Any, login: Any) -> None:
    s = make_session(world.collab, ask_needs=True)
    services.registration_create(actor=world.people["staff_a"], session=s, needs="Wheelchair user")
    org = login(world.people["faculty"]).get(f"/learning/sessions/{s.pk}/check-in/")
    assert org.status_code == 200 and "Wheelchair user" in org.content.decode()
    for who in ("staff_a", "pm_a", "staff_b"):
        r = login(world.people[who]).get(f"/learning/sessions/{s.pk}/check-in/")
        assert r.status_code == 403
        assert (
            "Wheelchair user"
            not in login(world.people[who]).get(f"/learning/sessions/{s.pk}/").content.decode()
        )


def test_check_in_page_posts(world: Any, login: Any) -> None:
    s = make_session(world.collab)
    reg = services.registration_create(actor=world.people["staff_a"], session=s)
    c = login(world.people["faculty"])
    c.post(f"/learning/sessions/{s.pk}/check-in/", {"registration": reg.pk, "present": "1"})
    reg.refresh_from_db()
    assert reg.checked_in_at is not None
    r = c.post(f"/learning/sessions/{s.pk}/check-in/", {"registration": "nope"}, follow=True)
    assert r.status_code == 200 and "not on this session" in r.content.decode()
    assert "1 checked in" in c.get(f"/learning/sessions/{s.pk}/check-in/").content.decode()


def test_session_list(world: Any, login: Any) -> None:
    make_session(world.collab, title="Autumn learning session")
    body = login(world.people["staff_b"]).get("/learning/sessions/").content.decode()
    assert "Autumn learning session" in body


def test_unknown_ids_are_404(world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    assert c.get("/learning/sessions/999999/").status_code == 404
    assert c.post("/learning/sessions/workshops/999999/book/").status_code == 404
    assert c.get("/learning/assessments/999999/").status_code == 404


def test_assessment_is_reassessed_over_time(world: Any, subjects: list) -> None:
    for lvl in (1, 2):
        self_assessment_create(
            actor=world.people["staff_a"],
            collaborative=world.collab,
            answers={x.pk: Answer(lvl) for x in subjects},
        )
    assert world.people["staff_a"].self_assessments.count() == 2


def test_check_in_page_shows_who_checked_people_in(world: Any, login: Any) -> None:
    s = make_session(world.collab)
    reg = services.registration_create(actor=world.people["staff_a"], session=s)
    c = login(world.people["faculty"])
    c.post(f"/learning/sessions/{s.pk}/check-in/", {"registration": reg.pk, "present": "1"})
    body = c.get(f"/learning/sessions/{s.pk}/check-in/").content.decode()
    assert f"by {world.people['faculty'].full_name}" in body
