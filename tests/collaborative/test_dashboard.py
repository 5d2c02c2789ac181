"""The collaborative dashboard: who may open it, hand-counted figures, constant queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qicollab.collaborative.models import ProgrammeGoal
from qicollab.insights import dashboard
from qicollab.projects.models import ProgressReport, ScaleDefinition
from tests import factories as f
from tests.collaborative.conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def sponsor(world: Any) -> Any:
    person = f.PersonFactory(email="sponsor@example.nhs.uk", full_name="Sam Sponsor")
    f.CollaborativeRoleFactory(person=person, collaborative=world.collab, role="sponsor")
    return person


def _rate(project: Any, scale: ScaleDefinition, month: date, score: str, rater: str) -> None:
    ProgressReport.objects.create(
        project=project, month=month, scale=scale, score=Decimal(score), rater_type=rater
    )


@pytest.fixture
def board(world: Any, scale: ScaleDefinition) -> dict[str, Any]:
    """Five projects in C (one private) and one in D, scored by hand."""
    meds = f.WorkstreamFactory(collaborative=world.collab, name="Medication", slug="medication")
    health = f.WorkstreamFactory(
        collaborative=world.collab, name="Physical health", slug="physical-health"
    )
    a = make_project(world, title="A1", workstream=meds, status="active")
    b = make_project(world, title="A2", workstream=meds, status="active", sharing="private")
    c = make_project(
        world,
        title="B1",
        workstream=health,
        status="completed",
        org=world.trust_b,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 6, 1),
    )
    make_project(world, title="Idea", status="idea")
    d = make_project(world, title="No workstream active", status="active")
    other = make_project(world, title="D1", collab=world.other_collab, org=world.trust_o)
    # a: latest month has both ratings -> the faculty's 4.0 counts, not the self 5.0.
    _rate(a, scale, date(2025, 1, 1), "2.0", "faculty")
    _rate(a, scale, date(2025, 2, 1), "5.0", "self")
    _rate(a, scale, date(2025, 2, 1), "4.0", "faculty")
    # b: only a self-rating -> 3.0.
    _rate(b, scale, date(2025, 2, 1), "3.0", "self")
    # c: older 4.5, newer 1.5 -> 1.5.
    _rate(c, scale, date(2024, 12, 1), "4.5", "faculty")
    _rate(c, scale, date(2025, 1, 1), "1.5", "faculty")
    _rate(d, scale, date(2025, 2, 1), "3.0", "faculty")
    _rate(other, scale, date(2025, 2, 1), "5.0", "faculty")  # another collaborative
    return {"meds": meds, "health": health}


def _url(collab: Any) -> str:
    return reverse("insights:dashboard", args=[collab.slug])


# --- who may open it ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("national_admin", 200),
        ("collab_lead", 200),
        ("faculty", 200),
        ("pm_a", 403),
        ("staff_a", 403),
        ("partner_a", 403),
        ("viewer_a", 403),
        ("staff_b", 403),
        ("pm_o", 403),  # C is public: they may know it exists, not open its dashboard
        ("outsider", 403),
    ],
)
def test_dashboard_personas(world: Any, login: Any, persona: str, status: int) -> None:
    assert login(world.people[persona]).get(_url(world.collab)).status_code == status


def test_sponsor_sees_the_dashboard_but_not_the_coaching_view(
    world: Any, login: Any, sponsor: Any
) -> None:
    c = login(sponsor)
    page = c.get(_url(world.collab))
    assert page.status_code == 200
    assert "Coaching view" not in page.content.decode()
    assert c.get(reverse("insights:coaching", args=[world.collab.slug])).status_code == 403


def test_anonymous_is_sent_to_log_in(world: Any, client: Any) -> None:
    response = client.get(_url(world.collab))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_private_collaborative_dashboard_is_not_found_for_strangers(world: Any, login: Any) -> None:
    # D is private: only pm_o's organisation is a member; pm_o may not open the dashboard.
    url = _url(world.other_collab)
    assert login(world.people["outsider"]).get(url).status_code == 404
    assert login(world.people["faculty"]).get(url).status_code == 404
    assert login(world.people["pm_o"]).get(url).status_code == 403


def test_sponsor_role_is_not_a_coordinator(world: Any, sponsor: Any) -> None:
    """A sponsor sees the collaborative's member pages but no private project."""
    from qicollab.accounts.roles import roles_for
    from qicollab.projects.selectors import visible_projects

    private = make_project(world, title="Hidden", sharing="private")
    r = roles_for(sponsor)
    assert world.collab.pk in r.sponsor_collab_ids
    assert world.collab.pk in r.visible_collab_ids
    assert world.collab.pk not in r.coordinator_collab_ids
    assert private not in visible_projects(viewer=sponsor)


# --- the figures ----------------------------------------------------------------------


def test_counts_by_status_and_workstream(world: Any, board: dict[str, Any]) -> None:
    by_status, by_ws = dashboard.project_counts(collaborative=world.collab)
    assert {s.status: s.count for s in by_status} == {
        "idea": 1,
        "active": 3,
        "sustaining": 0,
        "completed": 1,
        "stopped": 0,
    }
    rows = {w.name: (w.counts, w.total) for w in by_ws}
    assert rows == {
        "Medication": ({"active": 2}, 2),
        "Physical health": ({"completed": 1}, 1),
        "Not in a workstream": ({"idea": 1, "active": 1}, 2),
    }


def test_score_distribution_uses_the_latest_faculty_preferred_score(
    world: Any, board: dict[str, Any]
) -> None:
    rows, scored, unscored = dashboard.score_distribution(collaborative=world.collab)
    counts = {str(r.value): r.count for r in rows if r.count}
    assert counts == {"1.5": 1, "3.0": 2, "4.0": 1}
    assert (scored, unscored) == (4, 1)
    assert [str(r.value) for r in rows][:2] == ["0.5", "1.0"]  # every level of the scale
    assert next(r for r in rows if str(r.value) == "3.0").percent == 50.0


def test_dashboard_page_shows_goals_counts_and_scores(
    world: Any, board: dict[str, Any], login: Any
) -> None:
    ProgrammeGoal.objects.create(
        collaborative=world.collab,
        slug="at-3-5",
        statement="Half the projects at 3.5 or more",
        metric_key="projects_at_score_pct",
        metric_params={"threshold": 3.5},
        period="quarter",
        baseline_date=date(2025, 1, 1),
        target_value=Decimal("50"),
        deadline=date(2030, 3, 31),
        unit="%",
    )
    html = login(world.people["faculty"]).get(_url(world.collab)).content.decode()
    assert "Half the projects at 3.5 or more" in html
    assert "Projects (5)" in html
    assert "4 projects scored, 1 not scored yet" in html
    # 3 of 4 scored projects at 3.0 or more; 1 of 4 at 4.0 or more.
    assert "<strong>75%</strong> at 3.0 or more" in html
    assert "<strong>25%</strong> at 4.0 or more" in html
    assert "D1" not in html and "A2" not in html  # no project is named
    assert reverse("insights:coaching", args=[world.collab.slug]) in html


def test_board_figures_match_the_goal_series(world: Any, board: dict[str, Any]) -> None:
    from qicollab.insights import goals

    goal = ProgrammeGoal.objects.create(
        collaborative=world.collab,
        slug="started",
        statement="Projects started",
        metric_key="projects_started",
        period="quarter",
        baseline_date=date(2025, 1, 1),
        target_value=Decimal("10"),
        deadline=date(2030, 3, 31),
    )
    b = dashboard.dashboard(viewer=world.people["faculty"], collaborative=world.collab)
    [series] = b.goals
    assert series.goal == goal
    assert series.status == goals.goal_series(goal).status
    assert series.latest == goals.goal_series(goal).latest


def test_outcome_states_count_every_project(world: Any, board: dict[str, Any]) -> None:
    out = dashboard.outcome_states(collaborative=world.collab)
    if not out.available:  # the portfolio feature is not in this build
        pytest.skip("portfolio not installed")
    assert sum(c.count for c in out.counts) == 5
    assert out.count("no_main_outcome") == 5  # no project has a main outcome measure yet


# --- speed ----------------------------------------------------------------------------


def _queries(world: Any) -> int:
    """Queries of a dashboard computed from scratch (nothing cached)."""
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        dashboard.dashboard(viewer=world.people["faculty"], collaborative=world.collab)
    return len(ctx.captured_queries)


def _page_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_projects(
    world: Any, board: dict[str, Any], scale: ScaleDefinition, login: Any,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    client = login(world.people["faculty"])
    before = _queries(world)
    page_before = _page_queries(client, _url(world.collab))
    ws = f.WorkstreamFactory(collaborative=world.collab, name="Another", slug="another")
    for i in range(12):
        p = make_project(world, title=f"More {i}", workstream=ws, status="active")
        _rate(p, scale, date(2025, 3, 1), "2.5", "faculty")
        _rate(p, scale, date(2025, 3, 1), "3.5", "self")
    assert _queries(world) == before
    with django_assert_max_num_queries(page_before):
        assert client.get(_url(world.collab)).status_code == 200


# --- API ------------------------------------------------------------------------------


def test_api_dashboard_matches_the_page(world: Any, board: dict[str, Any], login: Any) -> None:
    data = (
        login(world.people["collab_lead"])
        .get(f"/api/collaboratives/{world.collab.slug}/dashboard")
        .json()
    )
    assert data["total_projects"] == 5
    assert {s["status"]: s["count"] for s in data["by_status"]}["active"] == 3
    assert {s["score"]: s["count"] for s in data["scores"] if s["count"]} == {
        1.5: 1,
        3.0: 2,
        4.0: 1,
    }
    assert (data["scored"], data["unscored"], data["pct_at_3"], data["pct_at_4"]) == (
        4,
        1,
        75.0,
        25.0,
    )
    ws = {w["name"]: w["total"] for w in data["by_workstream"]}
    assert ws == {"Medication": 2, "Physical health": 1, "Not in a workstream": 2}


# --- the hub page (organisations:collaborative_detail) --------------------------------


def _hub(world: Any) -> str:
    return reverse("organisations:collaborative_detail", args=[world.collab.slug])


def test_hub_names_sponsors_and_workstream_leads_publicly_without_emails(
    world: Any, board: dict[str, Any], sponsor: Any, client: Any, login: Any
) -> None:
    from qicollab.organisations.models import CollaborativeRole

    CollaborativeRole.objects.filter(person=sponsor).update(title="Chief executive")
    board["meds"].leads.add(world.people["faculty"])
    world.collab.memberships.filter(organisation=world.trust_a)
    anon = client.get(_hub(world)).content.decode()
    assert "Sam Sponsor" in anon and "Chief executive" in anon
    assert "Led by Faculty" in anon
    assert "@example.nhs.uk" not in anon  # no one's email for the public
    assert reverse("insights:dashboard", args=[world.collab.slug]) not in anon
    # A sponsor is listed under Sponsors, not under leads and faculty.
    leads_part = anon.split('id="faculty"')[1].split('id="sponsors"')[0]
    assert "Sam Sponsor" not in leads_part

    member = login(world.people["staff_b"]).get(_hub(world)).content.decode()
    assert "pm_a@example.nhs.uk" in member  # programme managers' contact for members
    assert reverse("insights:dashboard", args=[world.collab.slug]) not in member


def test_hub_counts_only_projects_the_viewer_may_see(
    world: Any, board: dict[str, Any], login: Any
) -> None:
    import re

    def seen(html: str) -> str:
        m = re.search(r"Medication</a>.*?(\d+) projects? you can see", html, re.DOTALL)
        assert m is not None
        return m.group(1)

    # Medication holds A1 and A2, both private to their team (the default sharing).
    staff_b = login(world.people["staff_b"]).get(_hub(world)).content.decode()
    faculty = login(world.people["faculty"]).get(_hub(world)).content.decode()
    assert seen(staff_b) == "0"
    assert seen(faculty) == "2"
    assert reverse("insights:dashboard", args=[world.collab.slug]) in faculty
    assert reverse("insights:coaching", args=[world.collab.slug]) in faculty


def test_hub_links_for_programme_manager_and_sponsor(world: Any, login: Any, sponsor: Any) -> None:
    dash = reverse("insights:dashboard", args=[world.collab.slug])
    coach = reverse("insights:coaching", args=[world.collab.slug])
    pm = login(world.people["pm_a"]).get(_hub(world)).content.decode()
    assert coach in pm and dash not in pm
    sp = login(sponsor).get(_hub(world)).content.decode()
    assert dash in sp and coach not in sp


def test_cached_outcomes_are_recomputed_when_the_data_changes(
    world: Any, board: dict[str, Any]
) -> None:
    from qicollab.measures.models import Measure

    first = dashboard.outcome_states(collaborative=world.collab)
    if not first.available:
        pytest.skip("portfolio not installed")
    assert first.count("no_main_outcome") == 5
    project = world.collab.projects.get(title="A1")
    Measure.objects.create(project=project, name="Falls", is_main_outcome=True)
    again = dashboard.outcome_states(collaborative=world.collab)
    assert again.count("no_main_outcome") == 4
    assert again.count("not_enough_data") == 1
