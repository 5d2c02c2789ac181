from __future__ import annotations

import datetime as dt
from typing import Any

from qicollab.events import ics, services
from tests.events.conftest import make_session


def test_escape_and_fold() -> None:
    assert ics.escape_text("Bristol, BS1; room\\2\nfloor") == "Bristol\\, BS1\\; room\\\\2\\nfloor"
    folded = ics.fold("DESCRIPTION:" + "é" * 60)
    lines = folded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert "".join(line[1:] if i else line for i, line in enumerate(lines)) == (
        "DESCRIPTION:" + "é" * 60
    )


def test_calendar_is_rfc5545_shaped(world: Any) -> None:
    s = make_session(
        world.collab,
        title="Learning session 4: deaths, SPC; more",
        online_link="https://meet.example.org/x",
        description="A" * 200,
    )
    body = ics.calendar([s], name="Test", site_url="https://qicollab.example.org/")
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert "SUMMARY:Learning session 4: deaths\\, SPC\\; more\r\n" in body
    assert f"DTSTART;VALUE=DATE:{s.starts_on:%Y%m%d}\r\n" in body
    assert f"DTEND;VALUE=DATE:{s.ends_on + dt.timedelta(days=1):%Y%m%d}\r\n" in body
    assert f"UID:{s.uid}@qicollab" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_feeds_are_scoped(world: Any, login: Any) -> None:
    s = make_session(world.collab, title="Our session")
    make_session(world.other_collab, title="Their session")
    c = login(world.people["staff_a"])
    r = c.get(f"/learning/sessions/calendar/{world.collab.slug}.ics")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    assert b"Our session" in r.content and b"Their session" not in r.content
    assert c.get(f"/learning/sessions/calendar/{world.other_collab.slug}.ics").status_code == 404
    # the public collaborative's calendar is still not for outsiders
    out = login(world.people["outsider"])
    assert out.get(f"/learning/sessions/calendar/{world.collab.slug}.ics").status_code == 404
    mine = c.get("/learning/sessions/my-calendar.ics")
    assert b"Our session" not in mine.content
    services.registration_create(actor=world.people["staff_a"], session=s)
    assert b"Our session" in c.get("/learning/sessions/my-calendar.ics").content
