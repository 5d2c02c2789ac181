"""People and /api/me: what the person pages show, lived experience where they show it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests import factories as f


def test_me(world: Any, login: Any) -> None:
    data = login(world.people["collab_lead"]).get("/api/me").json()
    assert data["full_name"] == "Collab Lead"
    assert data["email"] == "collab_lead@example.nhs.uk"
    assert data["affiliations"] == [
        {
            "organisation": {"slug": world.ahsn.slug, "name": world.ahsn.name},
            "role": "staff",
            "role_label": "Staff member",
            "started_on": data["affiliations"][0]["started_on"],
        }
    ]
    assert data["collaborative_roles"] == [
        {
            "collaborative": {"slug": world.collab.slug, "name": world.collab.name},
            "role": "lead",
            "role_label": "Collaborative lead",
            "title": "",
        }
    ]
    assert data["permissions"] == {"add_organisation": True, "add_collaborative": False}


def test_me_shows_your_own_lived_experience(world: Any, login: Any) -> None:
    assert login(world.people["partner_a"]).get("/api/me").json()["lived_experience"] == "carer"
    assert login(world.people["staff_a"]).get("/api/me").json()["lived_experience"] == ""


@pytest.mark.parametrize(
    ("viewer", "shown"),
    [
        ("national_admin", True),
        ("collab_lead", True),
        ("partner_a", True),  # themself
        ("faculty", False),
        ("pm_a", False),
        ("staff_a", False),
        ("viewer_a", False),
    ],
)
def test_lived_experience_only_where_the_page_shows_it(
    world: Any, login: Any, viewer: str, shown: bool
) -> None:
    partner = world.people["partner_a"]
    client = login(world.people[viewer])
    data = client.get(f"/api/people/{partner.pk}").json()
    assert data["lived_experience"] == ("carer" if shown else None)
    page = client.get(f"/accounts/people/{partner.pk}/")
    assert page.status_code == 200
    assert (b"Lived experience" in page.content) is shown


def test_person_detail(world: Any, login: Any) -> None:
    pm = world.people["pm_a"]
    data = login(world.people["staff_b"]).get(f"/api/people/{pm.pk}").json()
    assert data["id"] == pm.pk
    assert data["email"] == "pm_a@example.nhs.uk"  # shown to everyone who may open the page
    assert data["job_title"] == "Ward manager"
    assert data["affiliations"][0]["organisation"]["slug"] == world.trust_a.slug
    assert data["affiliations"][0]["role"] == "programme_manager"
    assert data["page_url"] == f"/accounts/people/{pm.pk}/"


def test_list_and_search(world: Any, login: Any) -> None:
    client = login(world.people["staff_b"])
    everyone = client.get("/api/people").json()
    # staff_b sees themself, the programme manager of A, and C's lead and faculty.
    assert [p["full_name"] for p in everyone["items"]] == [
        "Collab Lead",
        "Faculty",
        "Pm A",
        "Staff B",
    ]
    assert "lived_experience" not in everyone["items"][0]
    found = client.get("/api/people?q=pm_a@").json()
    assert [p["full_name"] for p in found["items"]] == ["Pm A"]
    assert client.get("/api/people?q=staff_a").json()["count"] == 0  # exists, not visible


def test_unknown_or_invalid_person_id(world: Any, login: Any) -> None:
    client = login(world.people["national_admin"])
    missing = client.get("/api/people/999999")
    assert missing.status_code == 404
    assert missing.json()["detail"]
    assert client.get("/api/people/abc").status_code == 422


def test_closed_accounts_are_not_listed(world: Any, login: Any) -> None:
    gone: Any = f.PersonFactory(full_name="Gone Away", is_active=False)
    f.AffiliationFactory(person=gone, organisation=world.trust_a)
    client = login(world.people["pm_a"])
    assert client.get(f"/api/people/{gone.pk}").status_code == 404
    assert "Gone Away" not in [p["full_name"] for p in client.get("/api/people").json()["items"]]


SECRETS = ("password", "key_hash", "token_hash", "is_superuser", "is_staff", "last_login", "md5$")


@pytest.mark.parametrize(
    "path",
    [
        "/api/me",
        "/api/people",
        "/api/people/{pk}",
        "/api/organisations/{org}/people",
        "/api/collaboratives/{collab}",
    ],
)
def test_no_internal_fields_leak(world: Any, login: Any, make_token: Any, path: str) -> None:
    make_token(world.people["pm_a"])
    url = path.format(pk=world.people["pm_a"].pk, org=world.trust_a.slug, collab=world.collab.slug)
    body = login(world.people["national_admin"]).get(url).content.decode()
    json.loads(body)
    for secret in SECRETS:
        assert secret not in body, (url, secret)
