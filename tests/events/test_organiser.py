"""Organisers' pages: sessions, action periods and agenda items, by persona, with bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from qicollab.core.services import version_token
from qicollab.events import services
from qicollab.events.models import (
    ActionPeriod,
    AgendaItem,
    LearningSession,
    Registration,
    WorkshopBooking,
)
from tests import factories as f
from tests.events.conftest import make_session, make_workshop

ORGANISERS = ("collab_lead", "faculty", "national_admin")
MEMBERS = ("pm_a", "staff_a", "partner_a", "viewer_a", "staff_b")
STRANGERS = ("pm_o", "outsider")


def _day(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def _session_data(**kw: Any) -> dict[str, Any]:
    data = {
        "title": "Learning session 7: spreading what works",
        "starts_on": _day(40),
        "ends_on": _day(41),
        "venue": "Harbourside Conference Centre, Exeford",
        "online_link": "",
        "capacity": "80",
        "description": "Two days of workshops and storyboards.",
    }
    data.update(kw)
    return data


def _workshop_data(subject: Any, /, **kw: Any) -> dict[str, Any]:
    data = {
        "kind": "workshop",
        "title": "Reading SPC charts",
        "day": "1",
        "starts_at": "11:00",
        "ends_at": "12:15",
        "presenter": "Dr Harriet Quillfeather",
        "room": "Room 2",
        "subject": str(subject.pk),
        "level": "2",
        "capacity": "20",
    }
    data.update(kw)
    return data


# --- who may open the pages -------------------------------------------------------------


def _session_urls(s: LearningSession, item: AgendaItem, period: ActionPeriod) -> list[str]:
    return [
        f"/learning/sessions/{s.pk}/edit/",
        f"/learning/sessions/{s.pk}/delete/",
        f"/learning/sessions/{s.pk}/agenda/new/",
        f"/learning/sessions/{s.pk}/check-in/print/",
        f"/learning/sessions/agenda/{item.pk}/edit/",
        f"/learning/sessions/agenda/{item.pk}/delete/",
        f"/learning/sessions/action-periods/{period.pk}/edit/",
        f"/learning/sessions/action-periods/{period.pk}/delete/",
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        *[(p, 200) for p in ORGANISERS],
        *[(p, 403) for p in MEMBERS],
        *[(p, 404) for p in STRANGERS],
    ],
)
def test_organiser_pages_by_persona(
    world: Any, login: Any, subjects: list, who: str, status: int
) -> None:
    s = make_session(world.collab)
    item = make_workshop(s, subjects[0], 1)
    period = ActionPeriod.objects.create(
        collaborative=world.collab, title="Action period 1", starts_on=_day(1), ends_on=_day(20)
    )
    c = login(world.people[who])
    for url in _session_urls(s, item, period):
        assert c.get(url).status_code == status, url


@pytest.mark.parametrize(
    ("who", "status"),
    [*[(p, 200) for p in ORGANISERS], *[(p, 403) for p in (*MEMBERS, *STRANGERS)]],
)
def test_create_pages_by_persona(world: Any, login: Any, who: str, status: int) -> None:
    # Create pages work in the person's current collaborative; pm_o's is another one, and
    # the outsider has none: both are refused.
    c = login(world.people[who])
    for url in ("/learning/sessions/new/", "/learning/sessions/action-periods/new/"):
        assert c.get(url).status_code == status, url


def test_anonymous_visitors_are_sent_to_log_in(world: Any, login: Any) -> None:
    s = make_session(world.collab)
    r = login(None).get(f"/learning/sessions/{s.pk}/edit/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.parametrize(("who", "status"), [("staff_a", 403), ("pm_o", 404), ("outsider", 404)])
def test_refused_posts_change_nothing(world: Any, login: Any, who: str, status: int) -> None:
    s = make_session(world.collab, title="Untouched")
    c = login(world.people[who])
    assert c.post(f"/learning/sessions/{s.pk}/edit/", _session_data()).status_code == status
    assert c.post(f"/learning/sessions/{s.pk}/delete/").status_code == status
    s.refresh_from_db()
    assert s.title == "Untouched"
    assert c.post("/learning/sessions/new/", _session_data()).status_code == 403
    assert LearningSession.objects.count() == 1


def test_session_pages_link_organisers_to_their_pages(world: Any, login: Any) -> None:
    s = make_session(world.collab)
    organiser = login(world.people["faculty"]).get(f"/learning/sessions/{s.pk}/").content.decode()
    member = login(world.people["staff_a"]).get(f"/learning/sessions/{s.pk}/").content.decode()
    for url in (f"/{s.pk}/edit/", f"/{s.pk}/agenda/new/", f"/{s.pk}/check-in/print/"):
        assert url in organiser
        assert url not in member
    listing = login(world.people["faculty"]).get("/learning/sessions/").content.decode()
    assert "/learning/sessions/new/" in listing and "/action-periods/new/" in listing
    assert (
        "/learning/sessions/new/"
        not in login(world.people["staff_a"]).get("/learning/sessions/").content.decode()
    )


# --- learning sessions --------------------------------------------------------------------


def test_lead_adds_a_session(world: Any, login: Any) -> None:
    c = login(world.people["collab_lead"])
    r = c.post("/learning/sessions/new/", _session_data(ask_needs="on"))
    s = LearningSession.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/learning/sessions/{s.pk}/"
    assert s.collaborative == world.collab
    assert s.slug == "learning-session-7-spreading-what-works"
    assert s.capacity == 80 and s.ask_needs
    assert s.history.first().history_user == world.people["collab_lead"]
    # The same title again gets its own address.
    c.post("/learning/sessions/new/", _session_data())
    assert LearningSession.objects.filter(slug__endswith="-2").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Enter a title for the learning session."),
        ({"starts_on": ""}, "Enter the date the session starts."),
        ({"ends_on": "2026-02-30"}, "Enter a real date"),
        ({"ends_on": _day(39)}, "The last day must be the same as or after the first day."),
        ({"ends_on": _day(80)}, "A learning session lasts two weeks at most."),
        ({"online_link": "teams meeting"}, "Enter the online link as a full web address"),
        ({"capacity": "lots"}, "Enter the number of places as a whole number"),
        ({"capacity": "0"}, "Enter at least 1 place"),
    ],
)
def test_bad_session_input_is_explained_and_kept(
    world: Any, login: Any, data: dict[str, str], message: str
) -> None:
    r = login(world.people["faculty"]).post("/learning/sessions/new/", _session_data(**data))
    body = r.content.decode()
    assert r.status_code == 200
    assert "There is a problem" in body and message in body
    assert "Harbourside Conference Centre, Exeford" in body  # typed values are kept
    assert not LearningSession.objects.exists()


def test_edit_session(world: Any, login: Any) -> None:
    s = make_session(world.collab)
    c = login(world.people["faculty"])
    page = c.get(f"/learning/sessions/{s.pk}/edit/").content.decode()
    assert s.venue in page and version_token(s) in page
    r = c.post(
        f"/learning/sessions/{s.pk}/edit/",
        _session_data(title="Renamed session", loaded_version=version_token(s)),
    )
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.title == "Renamed session" and s.capacity == 80


def test_concurrent_edit_shows_both_versions_and_keeps_mine(world: Any, login: Any) -> None:
    s = make_session(world.collab, title="Original title")
    loaded = version_token(s)
    # Someone else saves first.
    other = LearningSession.objects.get(pk=s.pk)
    other.title = "Their title"
    other.save()
    c = login(world.people["faculty"])
    r = c.post(
        f"/learning/sessions/{s.pk}/edit/", _session_data(title="My title", loaded_version=loaded)
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert "Someone else saved changes to this learning session" in body
    assert "Their title" in body and "My title" in body
    s.refresh_from_db()
    assert s.title == "Their title"
    # Saving again (the form now carries their version) keeps mine, on purpose.
    r = c.post(
        f"/learning/sessions/{s.pk}/edit/",
        _session_data(title="My title", loaded_version=version_token(s)),
    )
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.title == "My title"


def test_capacity_cannot_drop_below_places_given(world: Any, login: Any) -> None:
    s = make_session(world.collab, capacity=5)
    for who in ("staff_a", "staff_b", "pm_a"):
        services.registration_create(actor=world.people[who], session=s)
    r = login(world.people["faculty"]).post(
        f"/learning/sessions/{s.pk}/edit/",
        _session_data(capacity="2", loaded_version=version_token(s)),
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert "3 people already have a place, so there must be at least 3 places" in body
    s.refresh_from_db()
    assert s.capacity == 5


def test_session_cannot_be_shortened_past_its_agenda(
    world: Any, login: Any, subjects: list
) -> None:
    s = make_session(world.collab)
    make_workshop(s, subjects[0], 1, day=2, title="Day two workshop")
    r = login(world.people["faculty"]).post(
        f"/learning/sessions/{s.pk}/edit/",
        _session_data(
            starts_on=s.starts_on.isoformat(),
            ends_on=s.starts_on.isoformat(),
            loaded_version=version_token(s),
        ),
    )
    assert "The agenda has items on day 2 (“Day two workshop”)" in r.content.decode()


def test_delete_session_asks_first_and_says_what_goes(world: Any, login: Any) -> None:
    s = make_session(world.collab, title="Doomed session")
    services.registration_create(actor=world.people["staff_a"], session=s)
    c = login(world.people["collab_lead"])
    page = c.get(f"/learning/sessions/{s.pk}/delete/").content.decode()
    assert "Delete Doomed session?" in page and "1 person loses their place" in page
    assert LearningSession.objects.filter(pk=s.pk).exists()
    r = c.post(f"/learning/sessions/{s.pk}/delete/")
    assert r.status_code == 302 and r["Location"] == "/learning/sessions/"
    assert not LearningSession.objects.filter(pk=s.pk).exists()
    assert not Registration.objects.exists()


# --- agenda -------------------------------------------------------------------------------


def test_add_workshop_and_plenary(world: Any, login: Any, subjects: list) -> None:
    s = make_session(world.collab)
    ws = f.WorkstreamFactory(collaborative=world.collab, name="Physical health")
    c = login(world.people["faculty"])
    r = c.post(
        f"/learning/sessions/{s.pk}/agenda/new/",
        _workshop_data(subjects[2], workstream=str(ws.pk), add_another="1"),
    )
    assert r.status_code == 302 and r["Location"].endswith(f"/{s.pk}/agenda/new/")
    w = AgendaItem.objects.get()
    assert (w.subject, w.level, w.workstream, w.capacity) == (subjects[2], 2, ws, 20)
    assert w.starts_at == dt.time(11, 0)
    # A plenary drops the workshop-only fields even if they were filled in.
    r = c.post(
        f"/learning/sessions/{s.pk}/agenda/new/",
        _workshop_data(subjects[2], kind="plenary", title="Welcome", starts_at="09:30",
                       ends_at="10:00"),
    )  # fmt: skip
    assert r.status_code == 302 and r["Location"] == f"/learning/sessions/{s.pk}/"
    p = AgendaItem.objects.get(title="Welcome")
    assert (p.subject, p.level, p.capacity) == (None, None, None)
    page = c.get(f"/learning/sessions/{s.pk}/").content.decode()
    assert "Reading SPC charts" in page and "Room: Room 2" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"subject": ""}, "Choose the subject area this workshop teaches."),
        ({"level": ""}, "Choose the level this workshop is for: Learn, Live or Lead."),
        ({"kind": ""}, "Choose the type of item."),
        ({"day": "3"}, "Day 3 is not a day of this session: enter a number from 1 to 2."),
        ({"ends_at": "10:00"}, "The end time must be after the start time."),
        ({"starts_at": "25:00"}, "Enter a time on the 24-hour clock"),
        ({"title": ""}, "Enter a title for the agenda item."),
        ({"capacity": "0"}, "Enter at least 1 place"),
    ],
)
def test_bad_agenda_input_is_explained_and_kept(
    world: Any, login: Any, subjects: list, data: dict[str, str], message: str
) -> None:
    s = make_session(world.collab)
    r = login(world.people["faculty"]).post(
        f"/learning/sessions/{s.pk}/agenda/new/", _workshop_data(subjects[0], **data)
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert "There is a problem" in body and message in body
    assert "Dr Harriet Quillfeather" in body
    assert not AgendaItem.objects.exists()


def test_subject_of_another_collaborative_is_refused(
    world: Any, login: Any, subjects: list
) -> None:
    foreign = type(subjects[0]).objects.create(
        collaborative=world.other_collab, name="Elsewhere", slug="elsewhere",
        learn_descriptor="a", live_descriptor="b", lead_descriptor="c",
    )  # fmt: skip
    s = make_session(world.collab)
    r = login(world.people["faculty"]).post(
        f"/learning/sessions/{s.pk}/agenda/new/", _workshop_data(foreign)
    )
    assert r.status_code == 200 and "Select a valid choice" in r.content.decode()
    assert not AgendaItem.objects.exists()


def test_edit_workshop_keeps_room_for_its_bookings(world: Any, login: Any, subjects: list) -> None:
    s = make_session(world.collab)
    w = make_workshop(s, subjects[0], 1, capacity=10)
    for who in ("staff_a", "staff_b"):
        services.registration_create(actor=world.people[who], session=s)
        services.workshop_book(actor=world.people[who], workshop=w)
    c = login(world.people["faculty"])
    url = f"/learning/sessions/agenda/{w.pk}/edit/"
    r = c.post(url, _workshop_data(subjects[0], capacity="1", loaded_version=version_token(w)))
    assert "2 people already have a place at this workshop" in r.content.decode()
    r = c.post(url, _workshop_data(subjects[0], kind="plenary", loaded_version=version_token(w)))
    assert "People have booked this workshop" in r.content.decode()
    r = c.post(url, _workshop_data(subjects[0], title="Renamed", loaded_version=version_token(w)))
    assert r.status_code == 302
    w.refresh_from_db()
    assert w.title == "Renamed" and w.capacity == 20


def test_agenda_edit_conflict(world: Any, login: Any, subjects: list) -> None:
    s = make_session(world.collab)
    w = make_workshop(s, subjects[0], 1, title="First")
    loaded = version_token(w)
    AgendaItem.objects.filter(pk=w.pk).update(title="Theirs", updated_at=timezone.now())
    r = login(world.people["faculty"]).post(
        f"/learning/sessions/agenda/{w.pk}/edit/",
        _workshop_data(subjects[0], title="Mine", loaded_version=loaded),
    )
    body = r.content.decode()
    assert "Someone else saved changes to this agenda item" in body and "Theirs" in body
    w.refresh_from_db()
    assert w.title == "Theirs"


def test_delete_workshop_warns_about_bookings(world: Any, login: Any, subjects: list) -> None:
    s = make_session(world.collab)
    w = make_workshop(s, subjects[0], 1, title="Doomed workshop")
    services.registration_create(actor=world.people["staff_a"], session=s)
    services.workshop_book(actor=world.people["staff_a"], workshop=w)
    c = login(world.people["faculty"])
    page = c.get(f"/learning/sessions/agenda/{w.pk}/delete/").content.decode()
    assert "1 booking is deleted with it" in page
    assert c.post(f"/learning/sessions/agenda/{w.pk}/delete/").status_code == 302
    assert not AgendaItem.objects.exists() and not WorkshopBooking.objects.exists()
    assert Registration.objects.count() == 1  # the place at the session stays


# --- action periods -----------------------------------------------------------------------


def test_action_periods(world: Any, login: Any) -> None:
    c = login(world.people["collab_lead"])
    r = c.post(
        "/learning/sessions/action-periods/new/",
        {"title": "Action period 3", "starts_on": _day(2), "ends_on": _day(1)},
    )
    assert "The end date must be the same as or after the start date." in r.content.decode()
    r = c.post(
        "/learning/sessions/action-periods/new/",
        {"title": "Action period 3", "starts_on": _day(2), "ends_on": _day(60)},
    )
    assert r.status_code == 302
    p = ActionPeriod.objects.get()
    assert p.collaborative == world.collab
    assert "Action period 3" in c.get("/learning/sessions/").content.decode()
    r = c.post(
        f"/learning/sessions/action-periods/{p.pk}/edit/",
        {"title": "Action period three", "starts_on": _day(2), "ends_on": _day(61),
         "loaded_version": version_token(p)},
    )  # fmt: skip
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.title == "Action period three"
    assert c.post(f"/learning/sessions/action-periods/{p.pk}/delete/").status_code == 302
    assert not ActionPeriod.objects.exists()
    # Every change, the deletion included, stays in the audit history with who made it.
    trail = list(ActionPeriod.history.filter(id=p.pk).order_by("history_date"))
    assert [h.history_type for h in trail] == ["+", "~", "-"]
    assert {h.history_user for h in trail} == {world.people["collab_lead"]}


def test_action_period_of_another_collaborative_is_not_found(world: Any, login: Any) -> None:
    p = ActionPeriod.objects.create(
        collaborative=world.other_collab, title="Theirs", starts_on=_day(1), ends_on=_day(2)
    )
    c = login(world.people["faculty"])
    assert c.get(f"/learning/sessions/action-periods/{p.pk}/edit/").status_code == 404
    assert c.post(f"/learning/sessions/action-periods/{p.pk}/delete/").status_code == 404
    assert ActionPeriod.objects.filter(pk=p.pk).exists()


# --- the printable sign-in sheet ------------------------------------------------------------


def test_sign_in_sheet_lists_people_with_a_place(
    world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    s = make_session(world.collab, title="Printed session")
    services.registration_create(actor=world.people["staff_a"], session=s)
    for n in range(15):
        p = f.PersonFactory(full_name=f"Attendee {n:02d}")
        f.AffiliationFactory(person=p, organisation=world.trust_b, role="staff")
        Registration.objects.create(session=s, person=p, status="booked")
    waiting = f.PersonFactory(full_name="Waiting Walter")
    Registration.objects.create(session=s, person=waiting, status="waiting")
    c = login(world.people["faculty"])
    with django_assert_max_num_queries(20):
        r = c.get(f"/learning/sessions/{s.pk}/check-in/print/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "Staff A" in body and "Attendee 14" in body and "Waiting Walter" not in body
    assert "16 people have a place" in body
    assert body.count("app-sign-in__box") == 2 * 16  # a signature box per person per day
    assert world.trust_b.name in body or (world.trust_b.short_name or "") in body
