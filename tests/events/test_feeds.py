"""The calendar subscription link: a secret URL that opens one person's .ics feed, nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from qicollab.accounts import services as account_services
from qicollab.accounts.models import CalendarFeedToken, hash_token
from qicollab.events import services
from tests.events.conftest import make_session


def _feed(key: str) -> str:
    return f"/learning/sessions/feed/{key}.ics"


@pytest.fixture
def booked(world: Any) -> dict[str, Any]:
    """staff_a has a place at one session; staff_b at another; both in collaborative C."""
    mine = make_session(world.collab, title="Session Staff A booked")
    theirs = make_session(world.collab, title="Session only Staff B booked", days_ahead=60)
    make_session(world.collab, title="Session nobody booked", days_ahead=90)
    services.registration_create(actor=world.people["staff_a"], session=mine)
    services.registration_create(actor=world.people["staff_b"], session=theirs)
    return {"mine": mine, "theirs": theirs}


def test_the_page_gives_a_link_once_and_the_feed_works_without_logging_in(
    world: Any, login: Any, booked: dict[str, Any]
) -> None:
    c = login(world.people["staff_a"])
    page = c.get("/accounts/calendar-link/").content.decode()
    assert "You do not have a calendar link yet." in page
    r = c.post("/accounts/calendar-link/", {"action": "reset"})
    assert r.status_code == 302
    page = c.get("/accounts/calendar-link/").content.decode()
    key = page.split("/learning/sessions/feed/", 1)[1].split(".ics", 1)[0]
    assert key.startswith("cal_") and len(key) > 40
    assert "webcal://" in page
    # Shown once: only the hash is stored, and a reload does not show it again.
    token = CalendarFeedToken.objects.get(person=world.people["staff_a"])
    assert token.key_hash == hash_token(key) and key not in token.key_prefix + token.key_hash
    assert key not in c.get("/accounts/calendar-link/").content.decode()

    feed = Client().get(_feed(key))  # a calendar app: no session cookie
    body = feed.content.decode()
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Session Staff A booked" in body
    assert "Session only Staff B booked" not in body and "Session nobody booked" not in body
    assert feed["Cache-Control"].startswith("private") and "noindex" in feed["X-Robots-Tag"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_reset_turns_the_old_link_off(world: Any, booked: dict[str, Any]) -> None:
    _, old = account_services.calendar_token_reset(actor=world.people["staff_a"])
    _, new = account_services.calendar_token_reset(actor=world.people["staff_a"])
    assert Client().get(_feed(old)).status_code == 404
    assert Client().get(_feed(new)).status_code == 200
    assert CalendarFeedToken.objects.filter(revoked_at__isnull=True).count() == 1


def test_revoked_link_is_refused(world: Any, login: Any, booked: dict[str, Any]) -> None:
    _, key = account_services.calendar_token_reset(actor=world.people["staff_a"])
    r = login(world.people["staff_a"]).post(
        "/accounts/calendar-link/", {"action": "revoke"}, follow=True
    )
    assert "Your calendar link has been turned off" in r.content.decode()
    assert Client().get(_feed(key)).status_code == 404


@pytest.mark.parametrize(
    "key",
    [
        "cal_wrong-key-that-does-not-exist-anywhere-000000000",
        "qic_not-a-calendar-key",
        "nonsense",
        "cal_" + "x" * 200,
    ],
)
def test_wrong_links_are_refused(world: Any, booked: dict[str, Any], key: str) -> None:
    account_services.calendar_token_reset(actor=world.people["staff_a"])
    r = Client().get(_feed(key))
    assert r.status_code == 404
    assert "Session Staff A booked" not in r.content.decode()


def test_a_deactivated_person_s_link_stops_working(world: Any, booked: dict[str, Any]) -> None:
    person = world.people["staff_a"]
    _, key = account_services.calendar_token_reset(actor=person)
    person.is_active = False
    person.save()
    assert Client().get(_feed(key)).status_code == 404


def test_the_link_opens_nothing_else(world: Any, booked: dict[str, Any]) -> None:
    _, key = account_services.calendar_token_reset(actor=world.people["staff_a"])
    c = Client()
    # Not an API token…
    api = c.get(
        f"/api/learning-sessions/{world.collab.slug}/sessions",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert api.status_code == 401
    assert c.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    # …not a login: pages still send the visitor to log in…
    r = c.get("/learning/sessions/my-calendar.ics", {"token": key})
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    # …and it only reads: the feed refuses anything but GET and HEAD.
    assert c.post(_feed(key)).status_code == 405
    assert c.head(_feed(key)).status_code == 200


def test_someone_who_left_the_collaborative_no_longer_sees_its_sessions(
    world: Any, booked: dict[str, Any]
) -> None:
    import datetime as dt

    from qicollab.accounts.roles import forget_roles
    from qicollab.organisations.models import Affiliation

    person = world.people["staff_a"]
    _, key = account_services.calendar_token_reset(actor=person)
    assert "Session Staff A booked" in Client().get(_feed(key)).content.decode()
    Affiliation.objects.filter(person=person).update(ended_on=dt.date(2020, 1, 1))
    forget_roles(person)
    body = Client().get(_feed(key)).content.decode()
    assert "BEGIN:VCALENDAR" in body and "Session Staff A booked" not in body


def test_calendar_link_page_needs_logging_in(world: Any, login: Any) -> None:
    r = login(None).get("/accounts/calendar-link/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    # Posting nonsense explains itself and changes nothing.
    r = login(world.people["outsider"]).post(
        "/accounts/calendar-link/", {"action": "nope"}, follow=True
    )
    assert "Choose to get a new link or to turn the link off." in r.content.decode()
    assert not CalendarFeedToken.objects.exists()
