"""The learning-from-deaths API: same permissions, same services, same access log."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.utils import timezone

from qicollab.accounts.models import ApiToken, hash_token
from qicollab.deaths.models import CaseAccess, Death


def _bearer(person: Any) -> Client:
    raw = ApiToken.generate_key()
    ApiToken.objects.create(
        person=person, name="script", key_prefix=raw[:8], key_hash=hash_token(raw)
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


CASE = {
    "case_reference": "API-1",
    "date_of_death": "2025-05-10",
    "age_band": "45-54",
    "setting": "community",
    "service": "CMHT",
    "category": "expected_natural",
    "notified_by": "ward",
}


def _post(client: Client, slug: str, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/deaths/organisations/{slug}/cases", json.dumps(body), content_type="application/json"
    )


def test_team_member_records_and_reads_a_case_by_token(teams: Any) -> None:
    client = _bearer(teams.people["staff_a"])
    slug = teams.trust_a.slug
    r = _post(client, slug, {**CASE, "nhs_number": "943 476 5919"})
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["quarter"] == "2025-Q1"
    assert not CaseAccess.objects.exists()
    detail = client.get(f"/api/deaths/organisations/{slug}/cases/{pk}")
    assert detail.status_code == 200
    assert detail.json()["nhs_number"] == "9434765919" and detail.json()["reviews"] == []
    assert CaseAccess.objects.get().action == "api"
    assert [
        c["case_reference"] for c in client.get(f"/api/deaths/organisations/{slug}/cases").json()
    ] == ["API-1"]


def test_api_validation_errors_are_specific(teams: Any) -> None:
    client = _bearer(teams.people["staff_a"])
    slug = teams.trust_a.slug
    r = _post(client, slug, {**CASE, "age_band": "old"})
    assert r.status_code == 422 and "age_band" in r.json()["detail"]
    r = _post(client, slug, {**CASE, "learning_disability": True})
    assert r.status_code == 422 and "leder_status" in r.json()["detail"]
    r = _post(client, slug, {**CASE, "nhs_number": "943 476 5918"})
    assert r.status_code == 422 and "not a valid NHS number" in str(r.json()["detail"])
    r = _post(
        client,
        slug,
        {
            **CASE,
            "date_of_death": str(timezone.localdate().replace(year=timezone.localdate().year + 1)),
        },
    )
    assert r.status_code == 422 and "date_of_death" in r.json()["detail"]
    assert not Death.objects.exists()


def test_other_trust_cannot_create_or_read_by_token(case_a: Any, teams: Any) -> None:
    client = _bearer(teams.people["reviewer_b"])
    slug = teams.trust_a.slug
    assert _post(client, slug, {**CASE, "case_reference": "X"}).status_code == 404
    assert client.get(f"/api/deaths/organisations/{slug}/cases/{case_a.pk}").status_code == 404
    assert client.get(f"/api/deaths/organisations/{slug}/dashboard").status_code == 404
    assert not CaseAccess.objects.exists()
    assert Death.objects.count() == 1


def test_library_api_for_members(teams: Any) -> None:
    url = f"/api/deaths/collaboratives/{teams.collab.slug}/learning"
    assert _bearer(teams.people["staff_b"]).get(url).json() == []
    assert _bearer(teams.people["pm_o"]).get(url).status_code == 404
