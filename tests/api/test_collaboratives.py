"""Collaboratives: the public page's content, member-only details, changes and memberships."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from qicollab.organisations.models import CollaborativeMembership
from tests import factories as f
from tests.api.conftest import call


@pytest.fixture
def structured(world: Any) -> Any:
    """Collaborative C with a workstream, a theme with principles, a sponsor and a former member."""
    ws = f.WorkstreamFactory(
        collaborative=world.collab,
        name="Reducing restrictive practice",
        subtitle="Safer wards",
        order=1,
    )
    theme = f.ThemeFactory(collaborative=world.collab, name="Co-production")
    f.ThemePrincipleFactory(theme=theme, text="Patients as partners in their care", order=1)
    f.ThemePrincipleFactory(theme=theme, text="Nothing about us without us", order=2)
    world.collab.sponsors.add(world.ahsn)
    former = f.OrganisationFactory(name="Former Member NHS Trust", ods_code="RFM")
    f.MembershipFactory(
        collaborative=world.collab,
        organisation=former,
        joined_on=dt.date(2023, 1, 1),
        left_on=dt.date(2023, 12, 31),
    )
    world.workstream = ws
    return world


def test_list_is_public_and_shows_private_ones_to_members(world: Any, login: Any) -> None:
    public = Client().get("/api/collaboratives").json()
    assert [c["slug"] for c in public["items"]] == [world.collab.slug]
    mine = login(world.people["pm_o"]).get("/api/collaboratives").json()
    assert {c["slug"] for c in mine["items"]} == {world.collab.slug, world.other_collab.slug}
    item = public["items"][0]
    assert item["member_count"] == 2
    assert item["lead_organisation"] == {"slug": world.ahsn.slug, "name": world.ahsn.name}
    assert item["programme"]["name"] == world.programme.name
    assert item["kind_label"] == "Topic collaborative"


def test_public_detail_mirrors_the_public_page(structured: Any) -> None:
    w = structured
    data = Client().get(f"/api/collaboratives/{w.collab.slug}").json()
    assert [m["organisation"]["name"] for m in data["members"]] == [w.trust_a.name, w.trust_b.name]
    # Programme managers and faculty are named, but (like the page) not linked to.
    assert data["members"][0]["programme_manager"] == {"id": None, "full_name": "Pm A"}
    assert data["members"][1]["programme_manager"] is None
    assert {
        (r["person"]["full_name"], r["person"]["id"], r["role"]) for r in data["leads_and_faculty"]
    } == {
        ("Collab Lead", None, "lead"),
        ("Faculty", None, "faculty"),
    }
    assert data["former_members"] is None
    assert data["sponsors"] == [{"slug": w.ahsn.slug, "name": w.ahsn.name}]
    assert data["workstreams"] == [
        {
            "slug": w.workstream.slug,
            "name": "Reducing restrictive practice",
            "subtitle": "Safer wards",
            "description": "",
            "goal_statement": "",
        }
    ]
    assert data["themes"][0]["name"] == "Co-production"
    assert data["themes"][0]["principles"] == [
        "Patients as partners in their care",
        "Nothing about us without us",
    ]
    assert data["permissions"] == {
        "view_internals": False,
        "change": False,
        "manage_members": False,
    }


def test_members_see_internals(structured: Any, login: Any) -> None:
    w = structured
    data = login(w.people["staff_b"]).get(f"/api/collaboratives/{w.collab.slug}").json()
    assert data["members"][0]["programme_manager"] == {
        "id": w.people["pm_a"].pk,
        "full_name": "Pm A",
    }
    assert [m["organisation"]["name"] for m in data["former_members"]] == [
        "Former Member NHS Trust"
    ]
    assert data["former_members"][0]["left_on"] == "2023-12-31"
    assert data["permissions"] == {"view_internals": True, "change": False, "manage_members": False}
    lead = login(w.people["collab_lead"]).get(f"/api/collaboratives/{w.collab.slug}").json()
    assert lead["permissions"] == {"view_internals": True, "change": True, "manage_members": True}


def test_outsider_and_other_collaboratives_get_the_public_view(structured: Any, login: Any) -> None:
    for persona in ("outsider", "pm_o"):
        data = (
            login(structured.people[persona])
            .get(f"/api/collaboratives/{structured.collab.slug}")
            .json()
        )
        assert data["former_members"] is None
        assert data["permissions"]["view_internals"] is False


def test_members_endpoint_and_former_members(structured: Any, login: Any) -> None:
    w = structured
    path = f"/api/collaboratives/{w.collab.slug}/members"
    public = Client().get(path).json()
    assert public["count"] == 2
    refused = Client().get(path + "?include_former=true")
    assert refused.status_code == 403
    assert "members of the collaborative" in refused.json()["detail"]
    mine = login(w.people["staff_a"]).get(path + "?include_former=true").json()
    assert mine["count"] == 3
    assert [m["organisation"]["name"] for m in mine["items"]][-1] == "Former Member NHS Trust"


# --- Changing a collaborative ---------------------------------------------------------


def test_patch_collaborative(structured: Any, login: Any) -> None:
    w = structured
    response = call(
        login(w.people["collab_lead"]),
        "PATCH",
        f"/api/collaboratives/{w.collab.slug}",
        {"purpose": "Safer mental health care", "started_on": "2024-04-01"},
    )
    assert response.status_code == 200, response.content
    w.collab.refresh_from_db()
    assert w.collab.purpose == "Safer mental health care"
    assert w.collab.started_on == dt.date(2024, 4, 1)
    assert list(w.collab.sponsors.all()) == [w.ahsn]  # untouched
    assert w.collab.history.first().history_user == w.people["collab_lead"]
    assert response.json()["member_count"] == 2  # the former member is not counted


def test_patch_dates_in_the_wrong_order_is_422_with_the_pages_message(
    world: Any, login: Any
) -> None:
    response = call(
        login(world.people["national_admin"]),
        "PATCH",
        f"/api/collaboratives/{world.collab.slug}",
        {"started_on": "2025-04-01", "ends_on": "2025-03-01"},
    )
    assert response.status_code == 422
    assert response.json()["detail"]["ends_on"] == ["The end date must be after the start date."]


def test_patch_sponsors_by_slug(world: Any, login: Any) -> None:
    other_ahsn = f.OrganisationFactory(name="Second HIN", org_type="ahsn", ods_code="QX2")
    client = login(world.people["collab_lead"])
    path = f"/api/collaboratives/{world.collab.slug}"
    ok = call(client, "PATCH", path, {"sponsors": [other_ahsn.slug, world.ahsn.slug]})
    assert ok.status_code == 200, ok.content
    assert {s["slug"] for s in ok.json()["sponsors"]} == {other_ahsn.slug, world.ahsn.slug}
    refused = call(client, "PATCH", path, {"sponsors": [world.trust_a.slug, "nowhere"]})
    assert refused.status_code == 422
    message = refused.json()["detail"]["sponsors"][0]
    assert "AHSN" in message and world.trust_a.slug in message and "nowhere" in message
    cleared = call(client, "PATCH", path, {"sponsors": []})
    assert cleared.json()["sponsors"] == []


def test_patch_collaborative_conflict(world: Any, login: Any) -> None:
    mine, theirs = login(world.people["collab_lead"]), login(world.people["national_admin"])
    path = f"/api/collaboratives/{world.collab.slug}"
    version = mine.get(path).json()["version"]
    assert call(theirs, "PATCH", path, {"purpose": "Theirs"}).status_code == 200
    response = call(mine, "PATCH", path, {"purpose": "Mine", "version": version})
    assert response.status_code == 409
    data = response.json()
    assert data["current"]["purpose"] == "Theirs"
    assert data["current_version"] != version
    world.collab.refresh_from_db()
    assert world.collab.purpose == "Theirs"


@pytest.mark.parametrize(
    "body",
    [{"kind": "secret"}, {"is_public": "perhaps"}, {"started_on": "31/12/2024"}, {"members": []}],
)
def test_patch_collaborative_refuses_bad_shapes(world: Any, login: Any, body: Any) -> None:
    response = call(
        login(world.people["collab_lead"]),
        "PATCH",
        f"/api/collaboratives/{world.collab.slug}",
        body,
    )
    assert response.status_code == 422, response.content


def test_making_a_collaborative_private_hides_it_from_the_public(world: Any, login: Any) -> None:
    path = f"/api/collaboratives/{world.collab.slug}"
    assert (
        call(login(world.people["collab_lead"]), "PATCH", path, {"is_public": False}).status_code
        == 200
    )
    assert Client().get(path).status_code == 404
    assert login(world.people["staff_b"]).get(path).status_code == 200


# --- Memberships ----------------------------------------------------------------------


def test_add_member(world: Any, login: Any) -> None:
    response = call(
        login(world.people["collab_lead"]),
        "POST",
        f"/api/collaboratives/{world.collab.slug}/members",
        {"organisation": world.trust_o.slug, "joined_on": "2025-04-01"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    membership = CollaborativeMembership.objects.get(pk=data["id"])
    assert membership.organisation == world.trust_o
    assert membership.joined_on == dt.date(2025, 4, 1)
    assert membership.history.first().history_user == world.people["collab_lead"]


def test_adding_a_current_member_is_409_with_the_services_message(world: Any, login: Any) -> None:
    response = call(
        login(world.people["collab_lead"]),
        "POST",
        f"/api/collaboratives/{world.collab.slug}/members",
        {"organisation": world.trust_a.slug, "joined_on": "2025-04-01"},
    )
    assert response.status_code == 409
    assert (
        response.json()["detail"]
        == f"{world.trust_a.name} is already a member of {world.collab.name}."
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"organisation": "no-such-org", "joined_on": "2025-04-01"}, "organisation"),
        ({"organisation": "x", "joined_on": "2025-02-30"}, None),
        ({"organisation": "x"}, None),
        ({"joined_on": "2025-04-01"}, None),
    ],
)
def test_add_member_refuses_bad_input(world: Any, login: Any, body: Any, field: str | None) -> None:
    response = call(
        login(world.people["collab_lead"]),
        "POST",
        f"/api/collaboratives/{world.collab.slug}/members",
        body,
    )
    assert response.status_code == 422, response.content
    if field:
        assert "no-such-org" in response.json()["detail"][field][0]


def test_end_membership(world: Any, login: Any) -> None:
    membership = world.collab.memberships.get(organisation=world.trust_b)
    response = call(
        login(world.people["national_admin"]),
        "POST",
        f"/api/collaboratives/{world.collab.slug}/members/{membership.pk}/end",
        {"left_on": "2025-03-31"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["left_on"] == "2025-03-31"
    membership.refresh_from_db()
    assert membership.left_on == dt.date(2025, 3, 31)


def test_ending_before_joining_is_422_with_the_services_message(world: Any, login: Any) -> None:
    membership = world.collab.memberships.get(organisation=world.trust_b)
    response = call(
        login(world.people["national_admin"]),
        "POST",
        f"/api/collaboratives/{world.collab.slug}/members/{membership.pk}/end",
        {"left_on": "2000-01-01"},
    )
    assert response.status_code == 422
    assert response.json()["detail"]["left_on"] == [
        "The date it left must be on or after the date it joined."
    ]
    membership.refresh_from_db()
    assert membership.left_on is None


@pytest.mark.parametrize("which", ["other collaborative's", "already ended", "unknown"])
def test_ending_a_membership_not_current_here_is_404(world: Any, login: Any, which: str) -> None:
    if which == "other collaborative's":
        pk = world.other_collab.memberships.get().pk
    elif which == "already ended":
        m = world.collab.memberships.get(organisation=world.trust_b)
        m.left_on = dt.date(2025, 1, 1)
        m.save()
        pk = m.pk
    else:
        pk = 999999
    response = call(
        login(world.people["collab_lead"]),
        "POST",
        f"/api/collaboratives/{world.collab.slug}/members/{pk}/end",
        {"left_on": "2025-03-31"},
    )
    assert response.status_code == 404
    assert response.json()["detail"]


def test_non_numeric_membership_id_is_422(world: Any, login: Any) -> None:
    response = call(
        login(world.people["collab_lead"]),
        "POST",
        f"/api/collaboratives/{world.collab.slug}/members/abc/end",
        {"left_on": "2025-03-31"},
    )
    assert 400 <= response.status_code < 500
