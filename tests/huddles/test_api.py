"""The huddles API: same access as the pages, refusals per field, no free text for counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from qicollab.huddles.models import HarmEvent, Huddle
from tests.conftest import PERSONAS, World
from tests.huddles.factories import Ward
from tests.huddles.test_pages import EXPECTED

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_access_matches_the_pages(
    persona: str,
    world: World,
    ward: Ward,
    token_client: Any,
) -> None:
    client = token_client(world.people[persona])
    base = f"/api/huddles/units/{ward.unit.pk}"
    units = client.get("/api/huddles/units").json()
    summary = client.get(f"{base}/summary")
    expected = EXPECTED[persona]
    if expected == 404:
        assert ward.unit.pk not in [u["id"] for u in units]
        assert summary.status_code == 404
        for path in ("huddles", "actions", "harm-events"):
            assert client.get(f"{base}/{path}").status_code == 404
        return
    assert summary.status_code == 200
    falls = next(c for c in summary.json()["counters"] if c["category"] == "falls")
    assert falls["days_since_last"] == 12
    assert "SECRET" not in summary.content.decode()
    code = 200 if expected == "full" else 403
    for path in ("huddles", "actions", "harm-events"):
        assert client.get(f"{base}/{path}").status_code == code, path
    if expected == "full":
        assert "SECRET-NOTE" in client.get(f"{base}/huddles").content.decode()


def test_recording_through_the_api_and_refusals_per_field(
    world: World,
    ward: Ward,
    token_client: Any,
) -> None:
    client = token_client(world.people["staff_a"])
    base = f"/api/huddles/units/{ward.unit.pk}"
    r = client.post(
        f"{base}/huddles",
        {
            "held_on": TODAY.isoformat(),
            "shift": "day",
            "attendance": {"nurses": 3},
            "at_risk": [{"category": "falls", "patients": 2, "references": "Bed 9"}],
            "new_actions": [{"text": "Order more mats", "owner": "Sam"}],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["at_risk"] == [{"category": "falls", "patients": 2, "references": "Bed 9"}]
    again = client.post(
        f"{base}/huddles",
        {"held_on": TODAY.isoformat(), "shift": "day", "look_back": "DOB 1/2/1950"},
        content_type="application/json",
    )
    assert again.status_code == 422
    text = again.content.decode()
    assert "already has a day shift huddle" in text and "date of birth" in text
    r = client.post(
        f"{base}/harm-events",
        {"category": "falls", "occurred_on": TODAY.isoformat(), "severity": "low"},
        content_type="application/json",
    )
    assert r.status_code == 201
    bad = client.post(
        f"{base}/harm-events",
        {"category": "falls", "occurred_on": "2001-01-01", "severity": "low",
         "incident_ref": "John Smith"},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 422
    assert "before Ash Ward opened" in bad.content.decode()
    assert "not anything that identifies" in bad.content.decode()
    nope = client.post(
        f"{base}/harm-events",
        {"category": "dragons", "occurred_on": TODAY.isoformat(), "severity": "low"},
        content_type="application/json",
    )
    assert nope.status_code == 422
    assert Huddle.objects.filter(held_on=TODAY).count() == 1
    assert HarmEvent.objects.count() == 2
    summary = client.get(f"{base}/summary").json()
    assert next(c for c in summary["counters"] if c["category"] == "falls")["days_since_last"] == 0


def test_coordinators_cannot_record(world: World, ward: Ward, token_client: Any) -> None:
    client = token_client(world.people["faculty"])
    r = client.post(
        f"/api/huddles/units/{ward.unit.pk}/harm-events",
        {"category": "falls", "occurred_on": TODAY.isoformat(), "severity": "low"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert HarmEvent.objects.count() == 1


def test_admin_is_scoped_to_the_safety_leads_organisation(
    world: World,
    ward: Ward,
    login: Any,
) -> None:
    from qicollab.huddles import services

    other = services.harm_categories_ensure(actor=None, organisation=world.trust_b)
    assert other
    pm = world.people["pm_a"]
    pm.is_staff = True
    pm.save()
    client = login(pm)
    assert client.get("/admin/huddles/harmevent/").status_code == 200
    assert "W998877" in client.get("/admin/huddles/harmevent/").content.decode()
    cats = client.get("/admin/huddles/harmcategory/").content.decode()
    assert cats.count("Pressure ulcers") == 1  # trust A's, not trust B's
    faculty = world.people["faculty"]
    faculty.is_staff = True
    faculty.save()
    body = login(faculty).get("/admin/huddles/harmevent/")
    assert body.status_code in (302, 403) or "W998877" not in body.content.decode()
