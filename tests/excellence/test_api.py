"""The API follows the pages' rules: visibility, anonymity, consent, 422 for bad input."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from qicollab.excellence.models import ExcellenceReport
from tests.excellence import factories as xf
from tests.excellence.conftest import Lfe


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_create_list_and_choices(lfe: Lfe, login: Any, mailoutbox: Any) -> None:
    c = login(lfe.p["staff_a"])
    body = {
        "organisation": lfe.world.trust_a.slug,
        "people": ["recipient@example.nhs.uk"],
        "what_they_did": "Ran a calm handover",
        "why_excellent": "Nothing was missed",
        "anonymous": True,
    }
    resp = _post(c, "/api/excellence/reports", body)
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    assert len(mailoutbox) == 1
    rc = login(lfe.recipient)
    got = rc.get(f"/api/excellence/reports/{pk}").json()
    assert got["reporter"] == "A colleague (anonymous)"
    assert [r["id"] for r in rc.get("/api/excellence/reports").json()] == [pk]
    assert login(lfe.p["staff_b"]).get(f"/api/excellence/reports/{pk}").status_code == 404
    assert login(lfe.p["staff_b"]).get("/api/excellence/reports").json() == []
    resp = _post(c, f"/api/excellence/reports/{pk}/choices", {"keep": True})
    assert resp.status_code == 403
    resp = _post(
        rc,
        f"/api/excellence/reports/{pk}/choices",
        {"keep": True, "tell_manager": True, "line_manager": "manager@example.nhs.uk"},
    )
    assert resp.status_code == 200
    assert login(lfe.manager).get(f"/api/excellence/reports/{pk}").status_code == 200


def test_bad_input_is_422_per_field(lfe: Lfe, login: Any) -> None:
    c = login(lfe.p["staff_a"])
    resp = _post(
        c,
        "/api/excellence/reports",
        {"organisation": lfe.world.trust_a.slug, "what_they_did": "Sat with Mrs Jones"},
    )
    assert resp.status_code == 422
    detail = resp.json()["detail"]
    assert "people" in detail and "why_excellent" in detail
    resp = _post(
        c,
        "/api/excellence/reports",
        {
            "organisation": lfe.world.trust_a.slug,
            "people": ["nobody@example.nhs.uk"],
            "what_they_did": "x",
            "why_excellent": "y",
        },
    )
    assert resp.status_code == 422 and "people" in resp.json()["detail"]
    resp = _post(c, "/api/excellence/reports", {"organisation": lfe.world.trust_b.slug})
    assert resp.status_code == 404
    assert not ExcellenceReport.objects.exists()


def test_counts_for_leads_only(lfe: Lfe, login: Any) -> None:
    xf.report(lfe.p["staff_a"], lfe.world.trust_a, people=[lfe.recipient], unit=lfe.ward)
    today = dt.date.today()  # noqa: DTZ011
    url = (
        f"/api/excellence/organisations/{lfe.world.trust_a.slug}/counts"
        f"?start={today.replace(day=1)}&end={today}"
    )
    resp = login(lfe.lead).get(url)
    assert resp.status_code == 200
    assert resp.json()["per_month"] == [1]
    assert resp.json()["by_unit"][0]["label"] == "Ward 7"
    assert login(lfe.p["pm_a"]).get(url).status_code == 403
    assert login(lfe.p["staff_b"]).get(url).status_code == 404
    assert login(lfe.p["outsider"]).get(url).status_code == 404
