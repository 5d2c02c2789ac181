"""Hub pages: who sees what, marking evidence, and query counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from qicollab.collaborative import selectors, services
from qicollab.collaborative.models import PrincipleEvidence, ProgrammeGoal
from tests import factories as f
from tests.collaborative.conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(world: Any) -> Any:
    ws = f.WorkstreamFactory(collaborative=world.collab, name="Medication", slug="medication")
    theme = f.ThemeFactory(collaborative=world.collab, name="Co-production", slug="co-production")
    p1 = f.ThemePrincipleFactory(theme=theme, text="Patients as partners in their care", order=1)
    p2 = f.ThemePrincipleFactory(theme=theme, text="Family as care givers", order=2)
    private = make_project(world, title="Private ward project", workstream=ws, sharing="private")
    shared = make_project(
        world, title="Shared clinic project", workstream=ws, sharing="collaborative"
    )
    other_ws = f.WorkstreamFactory(collaborative=world.other_collab, slug="secret")
    return {
        "ws": ws,
        "theme": theme,
        "p1": p1,
        "p2": p2,
        "private": private,
        "shared": shared,
        "other_ws": other_ws,
    }


def _ws_url(world: Any, slug: str = "medication") -> str:
    return reverse("collaborative:workstream_detail", args=[world.collab.slug, slug])


def _theme_url(world: Any) -> str:
    return reverse("collaborative:theme_detail", args=[world.collab.slug, "co-production"])


def test_workstream_lists_only_projects_the_viewer_may_see(
    world: Any, hub: Any, login: Any, client: Any
) -> None:
    staff_a = login(world.people["staff_a"]).get(_ws_url(world)).content.decode()
    assert "Private ward project" in staff_a and "Shared clinic project" in staff_a
    staff_b = login(world.people["staff_b"]).get(_ws_url(world)).content.decode()
    assert "Private ward project" not in staff_b and "Shared clinic project" in staff_b
    anon = client.get(_ws_url(world)).content.decode()
    assert "Medication" in anon and "Shared clinic project" not in anon


def test_private_collaborative_pages_are_404_to_outsiders(world: Any, hub: Any, login: Any) -> None:
    url = reverse("collaborative:workstream_detail", args=[world.other_collab.slug, "secret"])
    assert login(world.people["outsider"]).get(url).status_code == 404
    assert login(world.people["staff_a"]).get(url).status_code == 404
    assert login(world.people["pm_o"]).get(url).status_code == 200
    goals_url = reverse("insights:goal_list", args=[world.other_collab.slug])
    assert login(world.people["outsider"]).get(goals_url).status_code == 404
    assert login(world.people["outsider"]).get(_ws_url(world, "nope")).status_code == 404


def test_collaborative_page_links_to_workstream_theme_and_goals(
    world: Any, hub: Any, client: Any
) -> None:
    page = client.get(world.collab.get_absolute_url()).content.decode()
    assert _ws_url(world) in page and _theme_url(world) in page
    assert reverse("insights:goal_list", args=[world.collab.slug]) in page


def test_staff_b_cannot_mark_trust_a_project(world: Any, hub: Any, login: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.principle_evidence_mark(
            actor=world.people["staff_b"], project=hub["shared"], principle=hub["p1"]
        )
    # Through the page: staff_b can edit no project here, so posting is refused outright.
    r = login(world.people["staff_b"]).post(
        _theme_url(world), {"project": hub["shared"].pk, "principle": hub["p1"].pk}
    )
    assert r.status_code == 403
    # A viewer at trust A can read the shared project but not edit it: no form, no mark.
    viewer = login(world.people["viewer_a"])
    assert b"Mark a principle" not in viewer.get(_theme_url(world)).content
    assert (
        viewer.post(
            _theme_url(world), {"project": hub["shared"].pk, "principle": hub["p1"].pk}
        ).status_code
        == 403
    )
    assert not PrincipleEvidence.objects.exists()


def test_team_member_marks_and_counts_follow_visibility(world: Any, hub: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    r = c.post(
        _theme_url(world),
        {"project": hub["private"].pk, "principle": hub["p1"].pk, "note": "Carers on the team"},
    )
    assert r.status_code == 302
    c.post(_theme_url(world), {"project": hub["shared"].pk, "principle": hub["p1"].pk})
    ev = PrincipleEvidence.objects.get(project=hub["private"], principle=hub["p1"])
    assert ev.note == "Carers on the team" and ev.marked_by == world.people["staff_a"]
    rows = {
        r.principle.pk: r.count
        for r in selectors.theme_evidence(viewer=world.people["staff_a"], theme=hub["theme"])
    }
    assert rows == {hub["p1"].pk: 2, hub["p2"].pk: 0}
    # staff_b cannot see the private project, so it is not counted for them.
    rows = {
        r.principle.pk: r.count
        for r in selectors.theme_evidence(viewer=world.people["staff_b"], theme=hub["theme"])
    }
    assert rows == {hub["p1"].pk: 1, hub["p2"].pk: 0}
    page = login(world.people["staff_b"]).get(_theme_url(world)).content.decode()
    assert "Shared clinic project" in page and "Private ward project" not in page
    # Removing the mark.
    c.post(
        _theme_url(world),
        {"project": hub["shared"].pk, "principle": hub["p1"].pk, "action": "remove"},
    )
    assert PrincipleEvidence.objects.filter(principle=hub["p1"]).count() == 1


def test_bad_evidence_input_is_explained_not_500(world: Any, hub: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    r = c.post(_theme_url(world), {"project": "", "principle": "999999", "note": "x" * 2001})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Select the project that evidences the principle" in body
    assert "Select one of this theme" in body
    assert "2,000 characters" in body
    # A project of another collaborative cannot be smuggled in.
    other = make_project(world, org=world.trust_o, collab=world.other_collab)
    r = c.post(_theme_url(world), {"project": other.pk, "principle": hub["p1"].pk})
    assert r.status_code == 200 and "Select one of your projects" in r.content.decode()


def _goals(world: Any, n: int, metric: str = "projects_at_score_pct") -> None:
    for i in range(n):
        ProgrammeGoal.objects.create(
            collaborative=world.collab,
            slug=f"goal-{i}",
            statement=f"Goal {i}",
            metric_key=metric,
            unit="%",
            baseline_date=date(2025, 1, 1),
            target_value=Decimal("60"),
            deadline=date(2030, 3, 31),
        )


def test_goal_pages_render_with_a_chart_and_the_table(world: Any, hub: Any, client: Any) -> None:
    _goals(world, 1, metric="organisations_engaged")
    r = client.get(reverse("insights:goal_detail", args=[world.collab.slug, "goal-0"]))
    body = r.content.decode()
    assert r.status_code == 200
    assert "data:image/svg+xml;base64," in body and "The figures behind the chart" in body
    assert "How the status is decided" in body
    assert (
        client.get(reverse("insights:goal_detail", args=[world.collab.slug, "nope"])).status_code
        == 404
    )
    assert (
        "Goal 0"
        in client.get(reverse("insights:goal_list", args=[world.collab.slug])).content.decode()
    )


def test_goal_page_queries_do_not_grow_with_projects(
    world: Any, hub: Any, login: Any, django_assert_max_num_queries: Any, scale: Any
) -> None:
    from qicollab.projects.models import ProgressReport

    def scored(month: date, score: str) -> None:
        ProgressReport.objects.create(
            project=make_project(world),
            month=month,
            scale=scale,
            score=Decimal(score),
            rater_type="self",
        )

    _goals(world, 1)
    scored(date(2025, 2, 1), "4.0")
    url = reverse("insights:goal_detail", args=[world.collab.slug, "goal-0"])
    c = login(world.people["collab_lead"])
    assert b"data:image/svg+xml" in c.get(url).content  # also warms the chart cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        c.get(url)
    for i in range(15):
        scored(date(2025, 1 + i % 12, 1), "3.0")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get(url).status_code == 200
