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


def test_people_trained_api_suppresses_small_counts(world: Any, login: Any) -> None:
    from datetime import date

    from tests import factories as f

    cohort = f.CohortFactory(
        course=f.CourseFactory(collaborative=world.collab, category="human_factors"),
        starts_on=date(2025, 1, 1),
    )
    for who in ("staff_a", "partner_a"):
        f.EnrolmentFactory(
            cohort=cohort,
            person=world.people[who],
            status="completed",
            completed_on=date(2025, 2, 1),
        )
    url = f"/api/capability/{world.collab.slug}/people-trained"
    member = login(world.people["staff_b"]).get(url).json()
    assert member["total"] is None and member["by_category"]["human_factors"] is None
    assert member["by_category"]["qi"] == 0
    lead = login(world.people["collab_lead"]).get(url).json()
    assert lead["total"] == 2 and lead["by_kind"] == {"staff": 1, "lived_experience": 1, "other": 0}
    early = login(world.people["collab_lead"]).get(url + "?until=2025-01-31").json()
    assert early["total"] == 0
    assert login(world.people["collab_lead"]).get(url + "?since=nonsense").status_code == 422
    assert login(world.people["outsider"]).get(url).status_code == 404
    mine = login(world.people["partner_a"]).get("/api/capability/me/training").json()
    assert [m["status"] for m in mine] == ["completed"]
    assert login(world.people["outsider"]).get("/api/capability/me/training").json() == []
