"""Storyboards and shared learning from deaths in the index: who finds them, and when."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qicollab.deaths.models import LearningTheme
from qicollab.events.models import Storyboard
from qicollab.search.index import rebuild
from qicollab.search.selectors import SearchFilters, search
from tests.conftest import PERSONAS
from tests.deaths.conftest import make_case
from tests.deaths.conftest import teams as teams
from tests.deaths.test_sharing import _share, _summary
from tests.events.conftest import make_session

pytestmark = pytest.mark.django_db


def _titles(viewer: Any, q: str, kind: str) -> list[str]:
    return [h.title for h in search(viewer=viewer, query=q, filters=SearchFilters(kind=kind)).hits]


@pytest.fixture
def storyboard(world: Any) -> Storyboard:
    session = make_session(world.collab, days_ahead=-10)
    sb = Storyboard.objects.create(
        session=session,
        kind="upload",
        file_name="x.pdf",
        content_type="application/pdf",
        file_size=10,
        original_name="x.pdf",
        title="Bay tagging on Willow ward",
        summary="One nurse always in the bay: unwitnessed falls halved.",
        organisation=world.trust_a,
    )
    rebuild()
    return sb


@pytest.mark.parametrize("persona", PERSONAS)
def test_storyboards_are_found_by_those_who_may_see_the_session(
    world: Any, storyboard: Storyboard, persona: str
) -> None:
    viewer = world.people[persona]
    found = _titles(viewer, "unwitnessed", "storyboard") == ["Bay tagging on Willow ward"]
    assert found == viewer.has_perm("events.view_storyboards", storyboard.session)


def test_storyboard_thread_follows_the_session(
    world: Any, storyboard: Storyboard, login: Any
) -> None:
    url = reverse("discussion:thread", args=["storyboard", storyboard.pk])
    assert login(world.people["staff_b"]).get(url).status_code == 200
    assert login(world.people["pm_o"]).get(url).status_code == 404
    assert login(world.people["outsider"]).get(url).status_code == 404
    post = login(world.people["staff_b"]).post(
        reverse("discussion:comment_add", args=["storyboard", storyboard.pk]),
        {"body": "Did you need extra staff?"},
    )
    assert post.status_code == 302


def test_shared_learning_is_found_only_once_shared(teams: Any) -> None:
    LearningTheme.objects.get_or_create(
        slug="physical-health-monitoring", defaults={"name": "Physical health monitoring"}
    )
    LearningTheme.objects.get_or_create(
        slug="transitions-of-care", defaults={"name": "Transitions of care"}
    )
    staff, lead = teams.people["staff_a"], teams.people["lead_a"]
    summary = _summary(teams, make_case(teams, case_reference="LfD-A-SEARCH"), staff)
    rebuild()
    staff_b = teams.people["staff_b"]
    assert _titles(staff_b, "discharge checklists", "learning") == []  # a draft is not shared
    _share(summary, lead, teams.collab)
    rebuild()
    assert _titles(staff_b, "discharge checklists", "learning") == [summary.title]
    assert _titles(teams.people["pm_o"], "discharge checklists", "learning") == []
    assert _titles(teams.people["outsider"], "discharge checklists", "learning") == []
