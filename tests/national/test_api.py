"""The national figures through the API: same selector, same permissions, reasons for 4xx."""

from __future__ import annotations

from typing import Any

import pytest

from tests.national.conftest import Nation, Q

pytestmark = pytest.mark.django_db


def url(n: Nation, query: str = "") -> str:
    return f"/api/national/{n.world.programme.slug}/figures{query}"


def test_admin_gets_every_level(nation: Nation, login: Any) -> None:
    resp = login(nation.world.people["national_admin"]).get(
        url(nation, f"?quarter={Q.slug}&level=organisation")
    )
    assert resp.status_code == 200
    body = resp.json()
    assert (body["quarter"], body["start"], body["end"]) == ("2025-Q1", "2025-04-01", "2025-06-30")
    levels = [r["level"] for r in body["rows"]]
    assert levels.count("collaborative") == 2 and levels.count("organisation") == 3
    national = body["rows"][0]
    assert national["figures"]["projects_started"] == 3
    trust_a = next(r for r in body["rows"] if r["slug"] == nation.world.trust_a.slug)
    assert trust_a["figures"]["projects_started"] == 2
    assert trust_a["collaborative"] == nation.world.collab.slug
    assert not any(k.startswith("trained") for k in trust_a["figures"])


def test_collaborative_level_by_default_and_lead_sees_own_rows(nation: Nation, login: Any) -> None:
    body = login(nation.world.people["collab_lead"]).get(url(nation, f"?quarter={Q.slug}")).json()
    assert [r["level"] for r in body["rows"]] == ["national", "collaborative"]
    assert body["rows"][1]["slug"] == nation.world.collab.slug


@pytest.mark.parametrize(
    ("quarter", "reason"),
    [("2025-Q7", "is not a quarter"), ("soon", "is not a quarter"), ("2099-Q1", "not started")],
)
def test_bad_quarter_is_422_with_a_reason(
    nation: Nation, login: Any, quarter: str, reason: str
) -> None:
    resp = login(nation.world.people["national_admin"]).get(url(nation, f"?quarter={quarter}"))
    assert resp.status_code == 422
    assert reason in str(resp.json()["detail"])


def test_bad_level_and_unknown_programme(nation: Nation, login: Any) -> None:
    c = login(nation.world.people["national_admin"])
    assert c.get(url(nation, "?level=ward")).status_code == 422
    assert c.get("/api/national/nope/figures").status_code == 404


def test_outsiders_and_members(nation: Nation, login: Any) -> None:
    w = nation.world
    assert login(w.people["outsider"]).get(url(nation)).status_code == 404
    assert login(w.people["pm_o"]).get(url(nation)).status_code == 404
    assert login(w.people["faculty"]).get(url(nation)).status_code == 403
    assert login(None).get(url(nation)).status_code == 401
