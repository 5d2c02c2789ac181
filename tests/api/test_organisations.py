"""Organisations: lists and filters, details, people, adding and changing (with conflicts)."""

from __future__ import annotations

from typing import Any

import pytest

from qicollab.organisations.models import Organisation
from tests import factories as f
from tests.api.conftest import call

NEW = {"name": "Newtown NHS Trust", "org_type": "nhs_trust", "ods_code": "RNT", "region": "lon"}


def test_list_shows_what_the_page_shows(world: Any, login: Any) -> None:
    data = login(world.people["staff_b"]).get("/api/organisations").json()
    assert data["count"] == 2
    assert [o["name"] for o in data["items"]] == [world.trust_a.name, world.trust_b.name]
    first = data["items"][0]
    assert first["slug"] == world.trust_a.slug
    assert first["org_type"] == "nhs_trust"
    assert first["org_type_label"] == "NHS trust"
    assert first["region_label"] == "South West"
    assert first["page_url"] == f"/organisations/{world.trust_a.slug}/"
    assert first["version"]


def test_outsider_gets_an_empty_list(world: Any, login: Any) -> None:
    assert login(world.people["outsider"]).get("/api/organisations").json() == {
        "items": [],
        "count": 0,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=brook", ["Brook Test Partnership NHS Trust"]),
        ("?q=RA1", ["Avon Test Partnership NHS Trust"]),
        ("?q=ra1", ["Avon Test Partnership NHS Trust"]),
        ("?org_type=ahsn", []),
        ("?region=sw", ["Avon Test Partnership NHS Trust", "Brook Test Partnership NHS Trust"]),
        ("?region=lon", []),
        ("?q=other", []),  # trust O exists but is not the viewer's
    ],
)
def test_filters(world: Any, login: Any, query: str, expected: list[str]) -> None:
    data = login(world.people["pm_a"]).get("/api/organisations" + query).json()
    assert [o["name"] for o in data["items"]] == expected


@pytest.mark.parametrize(
    "query", ["?org_type=hospital", "?region=mars", "?page=0", "?page=x", "?page_size=0"]
)
def test_bad_filters_and_pages_are_422(world: Any, login: Any, query: str) -> None:
    response = login(world.people["pm_a"]).get("/api/organisations" + query)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_paging(world: Any, login: Any) -> None:
    client = login(world.people["pm_a"])
    first = client.get("/api/organisations?page_size=1").json()
    second = client.get("/api/organisations?page_size=1&page=2").json()
    beyond = client.get("/api/organisations?page_size=1&page=9").json()
    assert first["count"] == second["count"] == beyond["count"] == 2
    assert [o["slug"] for o in first["items"] + second["items"]] == [
        world.trust_a.slug,
        world.trust_b.slug,
    ]
    assert beyond["items"] == []


def test_detail_has_collaboratives_and_what_the_viewer_may_do(world: Any, login: Any) -> None:
    data = login(world.people["pm_a"]).get(f"/api/organisations/{world.trust_a.slug}").json()
    assert data["collaboratives"] == [
        {
            "collaborative": {"slug": world.collab.slug, "name": world.collab.name},
            "programme_manager": {"id": world.people["pm_a"].pk, "full_name": "Pm A"},
            "joined_on": world.collab.memberships.get(
                organisation=world.trust_a
            ).joined_on.isoformat(),
            "left_on": None,
        }
    ]
    assert data["permissions"] == {"change": True, "view_people": True, "invite": True}
    other = login(world.people["staff_b"]).get(f"/api/organisations/{world.trust_a.slug}").json()
    assert other["permissions"] == {"change": False, "view_people": False, "invite": False}


def test_unknown_slug_is_404_json(world: Any, login: Any) -> None:
    response = login(world.people["national_admin"]).get("/api/organisations/no-such-trust")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "no-such-trust" in response.json()["detail"]


def test_hidden_and_missing_organisations_answer_alike(world: Any, login: Any) -> None:
    client = login(world.people["pm_a"])
    hidden = client.get(f"/api/organisations/{world.trust_o.slug}")
    missing = client.get("/api/organisations/nothing-here")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(world.trust_o.slug, "X") == missing.json()[
        "detail"
    ].replace("nothing-here", "X")


def test_people_of_an_organisation(world: Any, login: Any) -> None:
    data = (
        login(world.people["staff_a"]).get(f"/api/organisations/{world.trust_a.slug}/people").json()
    )
    assert data["count"] == 4
    by_name = {row["person"]["full_name"]: row for row in data["items"]}
    assert set(by_name) == {"Pm A", "Staff A", "Partner A", "Viewer A"}
    assert by_name["Pm A"]["role"] == "programme_manager"
    assert by_name["Pm A"]["role_label"] == "Programme manager"
    assert by_name["Staff A"]["email"] == "staff_a@example.nhs.uk"
    assert by_name["Staff A"]["job_title"] == "Ward manager"
    assert "lived_experience" not in by_name["Partner A"]


def test_people_list_withholds_the_email_of_a_closed_account(world: Any, login: Any) -> None:
    closed = world.people["viewer_a"]
    closed.is_active = False
    closed.save()
    data = login(world.people["pm_a"]).get(f"/api/organisations/{world.trust_a.slug}/people").json()
    row = next(r for r in data["items"] if r["person"]["full_name"] == "Viewer A")
    assert row["email"] is None


def test_staff_of_another_trust_gets_403_with_a_reason(world: Any, login: Any) -> None:
    response = login(world.people["staff_b"]).get(f"/api/organisations/{world.trust_a.slug}/people")
    assert response.status_code == 403
    assert response.json()["detail"]


# --- Adding ---------------------------------------------------------------------------


def test_add_organisation(world: Any, login: Any) -> None:
    response = call(
        login(world.people["collab_lead"]),
        "POST",
        "/api/organisations",
        {**NEW, "ods_code": " rnt "},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    org = Organisation.objects.get(slug=data["slug"])
    assert org.name == "Newtown NHS Trust"
    assert org.ods_code == "RNT"  # trimmed and upper-cased, as on the page
    assert org.history.first().history_user == world.people["collab_lead"]
    assert data["collaboratives"] == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"ods_code": "XYZ"},
            "ods_code",
            "An NHS trust's ODS code has 3 characters and starts with R or T",
        ),
        ({"ods_code": "R!"}, "ods_code", "Enter an ODS code of 3 to 6 capital letters and numbers"),
        ({"ods_code": ""}, "ods_code", "Enter the trust's ODS code"),
        ({"name": "Avon Test Partnership NHS Trust"}, "name", "already exists"),
        ({"name": "   "}, "name", "required"),
        ({"website": "not a web address"}, "website", "Enter a web address"),
    ],
)
def test_add_organisation_refuses_bad_input_with_the_pages_message(
    world: Any, login: Any, change: dict[str, str], field: str, message: str
) -> None:
    response = call(
        login(world.people["national_admin"]), "POST", "/api/organisations", {**NEW, **change}
    )
    assert response.status_code == 422, response.content
    assert any(message in m for m in response.json()["detail"][field])
    assert not Organisation.objects.filter(name="Newtown NHS Trust").exists()


def test_add_organisation_with_a_taken_ods_code_is_422(world: Any, login: Any) -> None:
    # The message is the model constraint's own (a form-wide error), as on the page.
    response = call(
        login(world.people["national_admin"]),
        "POST",
        "/api/organisations",
        {**NEW, "ods_code": "RA1"},
    )
    assert response.status_code == 422
    assert response.json()["detail"]
    assert not Organisation.objects.filter(name="Newtown NHS Trust").exists()


@pytest.mark.parametrize(
    "body",
    [
        {**NEW, "org_type": "hospital"},
        {**NEW, "region": 7},
        {k: v for k, v in NEW.items() if k != "name"},
        {**NEW, "colour": "blue"},  # a misspelt field is refused, not ignored
        [NEW],
        "a string",
    ],
)
def test_add_organisation_refuses_wrong_shapes(world: Any, login: Any, body: Any) -> None:
    response = call(login(world.people["national_admin"]), "POST", "/api/organisations", body)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "raw", ['{"name": "Broken', "", "not json at all", "\x00\xff", '{"name": "x"} trailing']
)
def test_malformed_json_is_a_4xx_not_a_500(world: Any, login: Any, raw: str) -> None:
    client = login(world.people["national_admin"])
    for method in ("post", "patch"):
        path = (
            "/api/organisations" if method == "post" else f"/api/organisations/{world.trust_a.slug}"
        )
        response = getattr(client, method)(path, data=raw, content_type="application/json")
        assert 400 <= response.status_code < 500, (method, raw, response.content)
        assert response.json()["detail"]


# --- Changing -------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(world: Any, login: Any) -> None:
    client = login(world.people["pm_a"])
    response = call(
        client, "PATCH", f"/api/organisations/{world.trust_a.slug}", {"short_name": "Avon"}
    )
    assert response.status_code == 200, response.content
    world.trust_a.refresh_from_db()
    assert world.trust_a.short_name == "Avon"
    assert world.trust_a.name == "Avon Test Partnership NHS Trust"
    assert world.trust_a.ods_code == "RA1"
    assert response.json()["short_name"] == "Avon"


def test_patch_with_the_current_version_succeeds_and_moves_it_on(world: Any, login: Any) -> None:
    client = login(world.people["pm_a"])
    path = f"/api/organisations/{world.trust_a.slug}"
    version = client.get(path).json()["version"]
    response = call(client, "PATCH", path, {"description": "First change", "version": version})
    assert response.status_code == 200, response.content
    assert response.json()["version"] != version


def test_patch_with_a_stale_version_is_409_and_changes_nothing(world: Any, login: Any) -> None:
    mine, theirs = login(world.people["pm_a"]), login(world.people["national_admin"])
    path = f"/api/organisations/{world.trust_a.slug}"
    version = mine.get(path).json()["version"]
    assert call(theirs, "PATCH", path, {"description": "Their change"}).status_code == 200
    response = call(mine, "PATCH", path, {"description": "My change", "version": version})
    assert response.status_code == 409
    data = response.json()
    assert "changed by someone else" in data["detail"]
    assert data["current"]["description"] == "Their change"
    assert data["current_version"] == data["current"]["version"] != version
    world.trust_a.refresh_from_db()
    assert world.trust_a.description == "Their change"
    # With the version from the conflict answer, the change goes through.
    retry = call(
        mine, "PATCH", path, {"description": "My change", "version": data["current_version"]}
    )
    assert retry.status_code == 200


def test_patch_bad_ods_code_is_422_with_the_message(world: Any, login: Any) -> None:
    response = call(
        login(world.people["pm_a"]),
        "PATCH",
        f"/api/organisations/{world.trust_a.slug}",
        {"ods_code": "ZZ9"},
    )
    assert response.status_code == 422
    assert response.json()["detail"]["ods_code"] == [
        "An NHS trust's ODS code has 3 characters and starts with R or T, like RX2."
    ]
    world.trust_a.refresh_from_db()
    assert world.trust_a.ods_code == "RA1"


def test_patch_changing_type_rechecks_the_ods_code(world: Any, login: Any) -> None:
    """An AHSN's code QX1 is fine; turning it into a trust needs a trust-shaped code."""
    admin: Any = f.PersonFactory()
    admin.is_superuser = True
    admin.save()
    response = call(
        login(admin), "PATCH", f"/api/organisations/{world.ahsn.slug}", {"org_type": "nhs_trust"}
    )
    assert response.status_code == 422
    assert "ods_code" in response.json()["detail"]


@pytest.mark.parametrize("body", [{"name": None}, {"version": 5}, {"slug": "new-slug"}, {"id": 1}])
def test_patch_refuses_nulls_and_unknown_or_read_only_fields(
    world: Any, login: Any, body: Any
) -> None:
    response = call(
        login(world.people["pm_a"]), "PATCH", f"/api/organisations/{world.trust_a.slug}", body
    )
    assert response.status_code == 422, response.content
    world.trust_a.refresh_from_db()
    assert world.trust_a.slug != "new-slug"


def test_empty_patch_changes_nothing(world: Any, login: Any) -> None:
    before = world.trust_a.history.count()
    response = call(
        login(world.people["pm_a"]), "PATCH", f"/api/organisations/{world.trust_a.slug}", {}
    )
    assert response.status_code == 200
    assert world.trust_a.history.count() == before
