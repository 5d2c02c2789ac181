"""The hub API answers under the same permissions as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from qicollab.collaborative import services
from qicollab.collaborative.models import ProgrammeGoal
from tests import factories as f
from tests.collaborative.conftest import make_project

pytestmark = pytest.mark.django_db


def test_goals_with_series(world: Any, login: Any) -> None:
    make_project(world, start_date=date(2025, 2, 1))
    ProgrammeGoal.objects.create(
        collaborative=world.collab,
        slug="start",
        statement="Start projects",
        metric_key="projects_started",
        baseline_date=date(2025, 1, 1),
        target_value=Decimal("5"),
        deadline=date(2030, 1, 1),
    )
    r = login(world.people["staff_b"]).get(f"/api/collaboratives/{world.collab.slug}/goals")
    assert r.status_code == 200
    [goal] = r.json()
    assert goal["metric_key"] == "projects_started" and goal["status"] in {
        "on_track",
        "not_on_track",
    }
    assert goal["series"][0]["period_start"] == "2025-01-01" and goal["series"][0]["value"] == 1.0
    one = login(world.people["staff_b"]).get(f"/api/collaboratives/{world.collab.slug}/goals/start")
    assert one.status_code == 200 and one.json()["slug"] == "start"


def test_private_collaborative_is_404(world: Any, login: Any) -> None:
    for path in ("goals", "themes", "workstreams"):
        r = login(world.people["staff_a"]).get(
            f"/api/collaboratives/{world.other_collab.slug}/{path}"
        )
        assert r.status_code == 404, path


def test_theme_counts_and_workstream_projects_follow_visibility(world: Any, login: Any) -> None:
    ws = f.WorkstreamFactory(collaborative=world.collab, slug="medication")
    theme = f.ThemeFactory(collaborative=world.collab, slug="co-production")
    principle = f.ThemePrincipleFactory(theme=theme)
    private = make_project(world, title="Private", workstream=ws, sharing="private")
    shared = make_project(world, title="Shared", workstream=ws, sharing="collaborative")
    for p in (private, shared):
        services.principle_evidence_mark(
            actor=world.people["staff_a"], project=p, principle=principle
        )

    def count(person: str) -> int:
        r = login(world.people[person]).get(f"/api/collaboratives/{world.collab.slug}/themes")
        return int(r.json()[0]["principles"][0]["projects_evidencing"])

    assert count("staff_a") == 2 and count("staff_b") == 1
    r = login(world.people["staff_b"]).get(f"/api/collaboratives/{world.collab.slug}/workstreams")
    assert [p["title"] for p in r.json()[0]["projects"]] == ["Shared"]
