"""The notification pages and API: only ever the recipient's (404 for everyone else)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from qicollab.notifications.models import Notification, Preference
from qicollab.notifications.tokens import make_token
from tests.conftest import PERSONAS
from tests.notifications.factories import tell

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(world: Any) -> Notification:
    """A notification of staff_a's."""
    return tell(world.people["staff_a"], text="New signal on Willow ward falls", url="/projects/")


def test_anonymous_is_sent_to_log_in(login: Any, owned: Notification) -> None:
    c = login(None)
    for url in (
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("notifications:open", args=[owned.pk]),
    ):
        assert c.get(url).status_code == 302
    assert c.post(reverse("notifications:read", args=[owned.pk])).status_code == 302
    assert c.get("/api/notifications").status_code == 401


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_sees_only_their_own(
    persona: str, world: Any, login: Any, owned: Notification
) -> None:
    mine = tell(world.people[persona], text=f"For {persona}")
    c = login(world.people[persona])
    page = c.get(reverse("notifications:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"For {persona}" in html
    is_owner = persona == "staff_a"
    assert ("Willow ward falls" in html) is is_owner
    # Someone else's notification does not exist for them: 404 on every route.
    if not is_owner:
        assert c.post(reverse("notifications:read", args=[owned.pk])).status_code == 404
        assert c.get(reverse("notifications:open", args=[owned.pk])).status_code == 404
        assert c.post(f"/api/notifications/{owned.pk}/read").status_code == 404
        owned.refresh_from_db()
        assert owned.read_at is None
    listed = c.get("/api/notifications").json()
    ids = {n["id"] for n in listed["items"]}
    assert mine.pk in ids
    assert (owned.pk in ids) is is_owner
    assert c.get(reverse("notifications:preferences")).status_code == 200


def test_header_shows_the_unread_count_in_one_query(
    world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    staff = world.people["staff_a"]
    for i in range(3):
        tell(staff, text=f"n{i}")
    c = login(staff)
    html = c.get(reverse("notifications:preferences")).content.decode()
    assert "3 unread" in html


def test_mark_read_plain_form_and_htmx(world: Any, login: Any, owned: Notification) -> None:
    c = login(world.people["staff_a"])
    r = c.post(reverse("notifications:read", args=[owned.pk]))
    assert r.status_code == 302
    owned.refresh_from_db()
    assert owned.read_at is not None
    other = tell(world.people["staff_a"], text="Second")
    r = c.post(reverse("notifications:read", args=[other.pk]), headers={"HX-Request": "true"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="notification-' in html and "Mark as read" not in html
    assert "hx-swap-oob" in html


def test_open_marks_read_and_never_leaves_the_site(world: Any, login: Any) -> None:
    staff = world.people["staff_a"]
    n = tell(staff, url="https://evil.example/")
    c = login(staff)
    r = c.get(reverse("notifications:open", args=[n.pk]))
    assert r["Location"] == reverse("notifications:list")
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_all_read(world: Any, login: Any, owned: Notification) -> None:
    c = login(world.people["staff_a"])
    assert c.post(reverse("notifications:read_all")).status_code == 302
    owned.refresh_from_db()
    assert owned.read_at is not None


def test_list_query_count_does_not_grow(
    world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    staff = world.people["staff_a"]
    for i in range(25):
        tell(staff, text=f"n{i}", actor=world.people["pm_a"])
    c = login(staff)
    with django_assert_max_num_queries(12):
        assert c.get(reverse("notifications:list")).status_code == 200


def test_preferences_page_saves_and_refuses_bad_input(world: Any, login: Any) -> None:
    staff = world.people["staff_a"]
    c = login(staff)
    data = {
        "measures__signal": "daily",
        "measures__data_due": "off",
        "events__place_offered": "immediately",
        "approvals__requested": "weekly",
        "discussion__mention": "immediately",
        "discussion__reply": "daily",
        "innovations__adopted": "off",
    }
    assert c.post(reverse("notifications:preferences"), data).status_code == 302
    assert Preference.objects.get(person=staff, kind="measures.signal").frequency == "daily"
    bad = c.post(reverse("notifications:preferences"), {**data, "measures__signal": "hourly"})
    assert bad.status_code == 200
    assert "Choose one of the options" in bad.content.decode()
    assert Preference.objects.get(person=staff, kind="measures.signal").frequency == "daily"


def test_email_link_changes_one_setting_signed_out(world: Any) -> None:
    staff = world.people["staff_a"]
    token = make_token(person_id=staff.pk, kind="measures.signal")
    c = Client()
    url = reverse("notifications:one_setting", args=[token])
    page = c.get(url)
    assert page.status_code == 200
    assert not Preference.objects.filter(person=staff).exists()  # opening changes nothing
    assert c.post(url, {"frequency": "off"}).status_code == 200
    assert Preference.objects.get(person=staff, kind="measures.signal").frequency == "off"
    # The token is for that one kind only; a forged or altered one is a 404.
    assert c.get(url[:-3] + "xx/").status_code == 404
    assert c.post(url, {"frequency": "sometimes"}).status_code == 200
    assert Preference.objects.get(person=staff, kind="measures.signal").frequency == "off"


def test_email_link_of_an_inactive_person_is_404(world: Any) -> None:
    staff = world.people["staff_a"]
    staff.is_active = False
    staff.save()
    token = make_token(person_id=staff.pk, kind="measures.signal")
    assert Client().get(reverse("notifications:one_setting", args=[token])).status_code == 404


def test_immediate_email_link_works(world: Any) -> None:
    mail.outbox.clear()
    tell(world.people["staff_a"])
    link = next(
        line.split(": ", 1)[1]
        for line in mail.outbox[0].body.splitlines()
        if line.startswith("Change this setting")
    )
    path = link.split("://", 1)[-1].split("/", 1)[1]
    assert Client().get("/" + path).status_code == 200


def test_api_settings_and_read(world: Any, login: Any, owned: Notification) -> None:
    c = login(world.people["staff_a"])
    settings = c.get("/api/notifications/settings").json()
    assert {s["kind"] for s in settings} >= {"measures.signal", "approvals.requested"}
    r = c.post(
        "/api/notifications/settings",
        json.dumps({"kind": "measures.signal", "frequency": "weekly"}),
        content_type="application/json",
    )
    assert r.status_code == 200
    bad = c.post(
        "/api/notifications/settings",
        json.dumps({"kind": "nope", "frequency": "weekly"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    bad = c.post(
        "/api/notifications/settings",
        json.dumps({"kind": "measures.signal", "frequency": "hourly"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert c.get("/api/notifications/unread-count").json() == {"unread": 1}
    assert c.post(f"/api/notifications/{owned.pk}/read").json()["read_at"] is not None
    assert c.post("/api/notifications/read-all").json() == {"unread": 0}
    assert c.get("/api/notifications?unread=true").json()["count"] == 0
