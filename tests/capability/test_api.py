from __future__ import annotations

from typing import Any

from qicollab.capability.services import Answer, self_assessment_create
from tests.events.conftest import make_session


def test_aggregates_and_sessions_api_are_scoped(world: Any, login: Any, subjects: list) -> None:
    self_assessment_create(
        actor=world.people["staff_a"],
        collaborative=world.collab,
        answers={s.pk: Answer(1) for s in subjects},
    )
    make_session(world.collab, title="API session")
    c = login(world.people["staff_b"])
    r = c.get(f"/api/capability/{world.collab.slug}/aggregates")
    assert r.status_code == 200
    data = r.json()
    assert data["members_assessed"] == 1
    assert data["subjects"][0]["learn"] == 1
    assert "Staff A" not in r.content.decode()
    s = c.get(f"/api/learning-sessions/{world.collab.slug}/sessions")
    assert s.status_code == 200 and s.json()[0]["title"] == "API session"
    out = login(world.people["outsider"])
    assert out.get(f"/api/capability/{world.collab.slug}/aggregates").status_code == 404
    assert out.get(f"/api/learning-sessions/{world.collab.slug}/sessions").status_code == 404
