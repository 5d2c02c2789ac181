from __future__ import annotations

from typing import Any

from qicollab.capability.services import Answer, self_assessment_create
from tests.events.conftest import make_session

FIVE = ("staff_a", "partner_a", "viewer_a", "pm_a", "staff_b")


def test_aggregates_and_sessions_api_are_scoped(world: Any, login: Any, subjects: list) -> None:
    for who in FIVE:
        self_assessment_create(
            actor=world.people[who],
            collaborative=world.collab,
            answers={s.pk: Answer(1) for s in subjects},
        )
    make_session(world.collab, title="API session")
    c = login(world.people["staff_b"])
    r = c.get(f"/api/capability/{world.collab.slug}/aggregates")
    assert r.status_code == 200
    data = r.json()
    assert data["members_assessed"] == 5 and not data["suppressed"]
    assert data["subjects"][0]["learn"] == 5
    assert "Staff A" not in r.content.decode()
    s = c.get(f"/api/learning-sessions/{world.collab.slug}/sessions")
    assert s.status_code == 200 and s.json()[0]["title"] == "API session"
    out = login(world.people["outsider"])
    assert out.get(f"/api/capability/{world.collab.slug}/aggregates").status_code == 404
    assert out.get(f"/api/learning-sessions/{world.collab.slug}/sessions").status_code == 404


def test_api_withholds_counts_of_fewer_than_five(world: Any, login: Any, subjects: list) -> None:
    for who in FIVE[:4]:
        self_assessment_create(
            actor=world.people[who],
            collaborative=world.collab,
            answers={s.pk: Answer(2) for s in subjects},
        )
    url = f"/api/capability/{world.collab.slug}/aggregates"
    data = login(world.people["staff_b"]).get(url).json()
    assert data["suppressed"] and data["members_assessed"] is None and data["subjects"] == []
    fac = login(world.people["faculty"]).get(url).json()
    assert not fac["suppressed"] and fac["members_assessed"] == 4
