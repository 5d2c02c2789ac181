"""The innovations API: same permissions as the pages, refusals as 422 with a message."""

from __future__ import annotations

from typing import Any

from qicollab.innovations.models import Adoption
from tests.innovations import factories as fi


def test_list_and_detail_follow_the_pages_permissions(world: Any, login: Any) -> None:
    inn = fi.innovation(world)
    url = f"/api/collaboratives/{world.collab.slug}/innovations"
    rows = login(world.people["staff_b"]).get(url).json()
    assert [r["slug"] for r in rows] == [inn.slug] and rows[0]["outcome_improvement"] is True
    assert login(None).get(url).json() == []
    detail = login(world.people["staff_b"]).get(f"/api/innovations/{inn.slug}")
    assert (
        detail.status_code == 200
        and detail.json()["ideas"][0]["primary_driver"] == "Early recognition"
    )
    assert login(world.people["pm_o"]).get(f"/api/innovations/{inn.slug}").status_code == 404


def test_adopt_twice_and_status_over_the_api(world: Any, login: Any) -> None:
    inn = fi.innovation(world)
    c = login(world.people["staff_b"])
    body = {"organisation": world.trust_b.slug, "status": "testing", "on": "2026-03-02"}
    r = c.post(f"/api/innovations/{inn.slug}/adoptions", body, content_type="application/json")
    assert r.status_code == 201, r.content
    again = c.post(f"/api/innovations/{inn.slug}/adoptions", body, content_type="application/json")
    assert again.status_code == 422 and "already records" in again.content.decode()
    pk = r.json()["id"]
    bad = c.post(
        f"/api/adoptions/{pk}/status",
        {"status": "abandoned", "on": "2026-04-01"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "Say why you stopped" in bad.content.decode()
    ok = c.post(
        f"/api/adoptions/{pk}/status",
        {"status": "abandoned", "on": "2026-04-01", "why_abandoned": "No staff"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["why_abandoned"] == "No staff"
    other = login(world.people["staff_a"]).post(
        f"/api/adoptions/{pk}/status",
        {"status": "adopted", "on": "2026-04-02"},
        content_type="application/json",
    )
    assert other.status_code == 403
    assert (
        login(world.people["outsider"])
        .post(f"/api/adoptions/{pk}/start-project", {}, content_type="application/json")
        .status_code
        == 404
    )
    started = c.post(
        f"/api/adoptions/{pk}/start-project",
        {"aim_statement": "Less"},
        content_type="application/json",
    )
    assert started.status_code == 201
    assert Adoption.objects.get().project.slug == started.json()["slug"]


def test_adopting_for_an_organisation_you_do_not_work_for(world: Any, login: Any) -> None:
    inn = fi.innovation(world)
    r = login(world.people["staff_b"]).post(
        f"/api/innovations/{inn.slug}/adoptions",
        {
            "organisation": world.trust_o.slug,
            "status": "testing",
            "on": "2026-03-02",
            "surprise": 1,
        },
        content_type="application/json",
    )
    assert r.status_code == 422
    r = login(world.people["staff_b"]).post(
        f"/api/innovations/{inn.slug}/adoptions",
        {"organisation": world.trust_o.slug, "status": "testing", "on": "2026-03-02"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "Choose an organisation" in r.content.decode()
