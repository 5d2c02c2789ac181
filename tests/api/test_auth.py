"""Tokens for scripts, the session (with CSRF) for pages, and a reason with every 401."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from qicollab.accounts.models import ApiToken
from tests.api.conftest import call


def _bearer(raw: str) -> Client:
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})


def test_valid_token_is_accepted_and_its_use_recorded(world: Any, make_token: Any) -> None:
    raw = make_token(world.people["pm_a"])
    response = _bearer(raw).get("/api/me")
    assert response.status_code == 200
    assert response.json()["email"] == "pm_a@example.nhs.uk"
    assert ApiToken.objects.get(key_prefix=raw[:8]).last_used_at is not None


def test_revoked_token_is_refused_with_a_reason(world: Any, make_token: Any) -> None:
    raw = make_token(world.people["pm_a"], revoked=True)
    response = _bearer(raw).get("/api/me")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer qic_not-a-real-token",
        "Bearer not-even-our-prefix",
        "Bearer ",
        "Basic cG1fYTpwYXNzd29yZA==",
        "qic_token-without-scheme",
    ],
)
def test_wrong_credentials_are_refused(world: Any, make_token: Any, header: str) -> None:
    make_token(world.people["pm_a"])  # a real token exists; the one sent is not it
    response = Client(headers={"Authorization": header}).get("/api/organisations")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_token_of_a_closed_account_is_refused(world: Any, make_token: Any) -> None:
    person = world.people["pm_a"]
    raw = make_token(person)
    person.is_active = False
    person.save()
    assert _bearer(raw).get("/api/me").status_code == 401


def test_no_credentials_at_all_says_how_to_authenticate(db: Any) -> None:
    response = Client().get("/api/me")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_wrong_token_on_a_public_endpoint_is_still_refused(world: Any) -> None:
    """Silently answering with the public view would hide a broken token from a script."""
    response = _bearer("qic_wrong").get("/api/collaboratives")
    assert response.status_code == 401
    assert Client().get("/api/collaboratives").status_code == 200


def test_token_post_needs_no_csrf_token(world: Any, make_token: Any) -> None:
    client = _bearer(make_token(world.people["national_admin"]))
    response = call(
        client,
        "POST",
        "/api/organisations",
        {
            "name": "Token Made NHS Trust",
            "org_type": "nhs_trust",
            "ods_code": "RTK",
            "region": "lon",
        },
    )
    assert response.status_code == 201, response.content


def test_session_post_without_csrf_token_is_refused(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        world.people["national_admin"], backend="django.contrib.auth.backends.ModelBackend"
    )
    body = {"name": "Forged NHS Trust", "org_type": "nhs_trust", "ods_code": "RFG", "region": "lon"}
    response = call(client, "POST", "/api/organisations", body)
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not world.trust_a.__class__.objects.filter(name="Forged NHS Trust").exists()


def test_session_patch_without_csrf_token_is_refused(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["pm_a"], backend="django.contrib.auth.backends.ModelBackend")
    response = call(
        client, "PATCH", f"/api/organisations/{world.trust_a.slug}", {"description": "x"}
    )
    assert response.status_code == 403
    world.trust_a.refresh_from_db()
    assert world.trust_a.description == ""


def test_session_post_with_csrf_token_is_accepted(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        world.people["national_admin"], backend="django.contrib.auth.backends.ModelBackend"
    )
    client.get("/api/docs")  # any page that sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    body = {
        "name": "Session Made NHS Trust",
        "org_type": "nhs_trust",
        "ods_code": "RSM",
        "region": "lon",
    }
    response = client.post(
        "/api/organisations",
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content


def test_session_get_needs_no_csrf_token(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["pm_a"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/me").status_code == 200


def test_anonymous_post_is_401_not_a_csrf_refusal(world: Any) -> None:
    response = call(Client(enforce_csrf_checks=True), "POST", "/api/organisations", {"name": "x"})
    assert response.status_code == 401


def test_token_wins_over_a_session_of_someone_else(world: Any, make_token: Any) -> None:
    client = Client(headers={"Authorization": f"Bearer {make_token(world.people['staff_b'])}"})
    client.force_login(world.people["pm_a"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/me").json()["email"] == "staff_b@example.nhs.uk"
