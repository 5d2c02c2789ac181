"""The coaching view: who may open it, quiet projects, score distribution and rating gaps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qicollab.insights import coaching
from qicollab.measures.models import DataPoint, Measure
from qicollab.projects.models import PdsaCycle, ProgressReport, Project, ScaleDefinition
from tests import factories as f
from tests.collaborative.conftest import make_project

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


def _url(collab: Any, query: str = "") -> str:
    return reverse("insights:coaching", args=[collab.slug]) + query


def _ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def _point(project: Project, *, at: datetime, period: date = date(2025, 1, 1)) -> None:
    m, _ = Measure.objects.get_or_create(project=project, name="Falls")
    DataPoint.objects.create(measure=m, period=period, value=3)
    DataPoint.objects.filter(measure=m, period=period).update(created_at=at)


def _cycle(project: Project, *, at: datetime, edited: datetime | None = None) -> None:
    c = PdsaCycle.objects.create(project=project, title="Test a checklist", cycle_number=1)
    PdsaCycle.objects.filter(pk=c.pk).update(updated_at=edited or at, created_at=at)


def _rate(
    project: Project, scale: ScaleDefinition, month: date, score: str, rater: str, at: Any = None
) -> None:
    r = ProgressReport.objects.create(
        project=project, month=month, scale=scale, score=Decimal(score), rater_type=rater
    )
    if at is not None:
        ProgressReport.objects.filter(pk=r.pk).update(created_at=at)


# --- who may open it ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("national_admin", 200),
        ("collab_lead", 200),
        ("faculty", 200),
        ("pm_a", 200),  # the projects trust A leads
        ("staff_a", 403),
        ("partner_a", 403),
        ("viewer_a", 403),
        ("staff_b", 403),  # trust B has no programme manager
        ("pm_o", 403),  # manages trust O, which is not a member of C
        ("outsider", 403),
    ],
)
def test_coaching_personas(world: Any, login: Any, persona: str, status: int) -> None:
    assert login(world.people[persona]).get(_url(world.collab)).status_code == status


def test_coaching_anonymous_and_private(world: Any, login: Any, client: Any) -> None:
    assert client.get(_url(world.collab)).status_code == 302
    assert login(world.people["outsider"]).get(_url(world.other_collab)).status_code == 404
    assert login(world.people["faculty"]).get(_url(world.other_collab)).status_code == 404
    # pm_o coaches trust O's projects in D.
    assert login(world.people["pm_o"]).get(_url(world.other_collab)).status_code == 200


def test_programme_manager_sees_only_their_organisations_projects(world: Any, login: Any) -> None:
    make_project(world, title="Avon quiet project", status="active")
    make_project(world, title="Brook quiet project", status="active", org=world.trust_b)
    pm = login(world.people["pm_a"]).get(_url(world.collab)).content.decode()
    assert "Avon quiet project" in pm and "Brook quiet project" not in pm
    assert "your organisation leads" in pm
    fac = login(world.people["faculty"]).get(_url(world.collab)).content.decode()
    assert "Avon quiet project" in fac and "Brook quiet project" in fac


# --- quiet projects -------------------------------------------------------------------


def test_quiet_projects_name_what_is_stale_and_since_when(
    world: Any, scale: ScaleDefinition
) -> None:
    """Quiet = the last activity (the latest record of any kind) is older than the window.

    Before, a project was quiet when any one kind was stale, so a team that had entered
    data and a score that very week was listed for want of a new PDSA cycle.
    """
    busy = make_project(world, title="Busy", status="active")
    _point(busy, at=_ago(3))
    _cycle(busy, at=_ago(10))
    _rate(busy, scale, date(2025, 6, 1), "2.0", "self", at=_ago(20))

    old_data = make_project(world, title="Old data, new cycle", status="sustaining")
    _point(old_data, at=_ago(40))  # more than 4 weeks, but a cycle and a report since
    _cycle(old_data, at=_ago(2))
    _rate(old_data, scale, date(2025, 6, 1), "2.0", "self", at=_ago(5))

    all_quiet = make_project(world, title="All quiet", status="active")
    _point(all_quiet, at=_ago(50))
    _cycle(all_quiet, at=_ago(45), edited=_ago(1))  # editing an old cycle is not new activity
    _rate(all_quiet, scale, date(2025, 4, 1), "2.0", "self", at=_ago(40))

    never = make_project(
        world, title="Never anything", status="active", start_date=date(2025, 2, 1)
    )
    make_project(world, title="Stopped long ago", status="stopped", stop_reason="Merged")
    make_project(world, title="Just an idea")

    qs = Project.objects.filter(collaborative=world.collab)
    quiet = coaching.quiet_projects(projects=qs, weeks=4, now=NOW)
    assert [q.title for q in quiet] == ["Never anything", "All quiet"]
    first, second = quiet
    assert [a.kind for a in first.stale] == ["data", "pdsa", "report"]
    assert first.since == date(2025, 2, 1)  # never recorded anything: since its start
    assert first.pk == never.pk and first.last_activity is None
    assert [a.kind for a in second.stale] == ["data", "pdsa", "report"]
    assert second.since == _ago(40).date()  # the latest record: the report
    assert second.last_activity == _ago(40)
    assert [a.last for a in second.activities] == [_ago(50), _ago(45), _ago(40)]

    # Six weeks' grace: the report entered 40 days ago is recent enough.
    assert [q.title for q in coaching.quiet_projects(projects=qs, weeks=6, now=NOW)] == [
        "Never anything"
    ]


def test_portfolio_and_coaching_share_one_last_activity(
    world: Any, scale: ScaleDefinition, login: Any
) -> None:
    """The coaching view's "quiet since" is the portfolio's "Last activity", page and API."""
    from qicollab.insights import portfolio

    p = make_project(world, title="Went quiet", status="active", sharing="collaborative")
    _point(p, at=_ago(70))
    _rate(p, scale, date(2025, 3, 1), "2.0", "self", at=_ago(65))
    Project.objects.filter(pk=p.pk).update(updated_at=NOW)  # a title edit is not activity

    row = portfolio.portfolio_projects(
        viewer=world.people["faculty"], collaborative=world.collab, filters={}
    ).get(pk=p.pk)
    assert row.last_activity == _ago(65)
    (q,) = coaching.quiet_projects(projects=Project.objects.filter(pk=p.pk), now=NOW)
    assert q.last_activity == row.last_activity and q.since == _ago(65).date()

    c = login(world.people["faculty"])
    api = c.get(f"/api/collaboratives/{world.collab.slug}/portfolio").json()
    (item,) = [i for i in api["items"] if i["slug"] == p.slug]
    assert item["last_activity"].startswith(_ago(65).date().isoformat())


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?weeks=abc", "Enter the number of weeks as a whole number"),
        ("?weeks=0", "Enter at least 1 week"),
        ("?weeks=60", "Enter 52 weeks or fewer"),
        ("?months=6", "Show at least 12 months"),
        ("?months=30", "Show 24 months or fewer"),
    ],
)
def test_bad_settings_are_explained_and_defaults_used(
    world: Any, login: Any, query: str, message: str
) -> None:
    response = login(world.people["faculty"]).get(_url(world.collab, query))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "nhsuk-error-summary" in html
    # The defaults are used meanwhile (4 weeks, 12 months).
    assert "Quiet for more than 4 weeks" in html
    assert "in the last 12 months" in html


def test_settings_are_used_and_kept_in_the_form(world: Any, login: Any) -> None:
    response = login(world.people["faculty"]).get(_url(world.collab, "?weeks=8&months=18"))
    html = response.content.decode()
    assert 'value="8"' in html and "Quiet for more than 8 weeks" in html
    assert 'value="18"' in html and "in the last 18 months" in html
    assert html.count('<th scope="row" class="nhsuk-table__header">') == 18  # one per month


# --- scores over time -----------------------------------------------------------------


def test_month_starts_cross_the_year() -> None:
    starts = coaching.month_starts(months=12, today=date(2025, 3, 15))
    assert starts[0] == date(2024, 4, 1) and starts[-1] == date(2025, 3, 1)
    assert len(starts) == 12


def test_monthly_distribution_and_gaps(world: Any, scale: ScaleDefinition) -> None:
    p1, p2, p3, p4 = (make_project(world, title=t) for t in ("P1", "P2", "P3", "P4"))
    may, jun = date(2025, 5, 1), date(2025, 6, 1)
    # June: p1 faculty 4.0 (self 4.5 ignored for the distribution), p2 self 3.0,
    # p3 faculty 2.0 -> scores 4.0, 3.0, 2.0: median 3.0, 2 of 3 at 3.0+, 1 of 3 at 4.0+.
    _rate(p1, scale, jun, "4.0", "faculty")
    _rate(p1, scale, jun, "4.5", "self")
    _rate(p2, scale, jun, "3.0", "self")
    _rate(p3, scale, jun, "2.0", "faculty")
    # May: p1 faculty 2.5 and self 3.5 (gap -1.0); p3 faculty 3.0 and self 2.0 (gap +1.0).
    _rate(p1, scale, may, "2.5", "faculty")
    _rate(p1, scale, may, "3.5", "self")
    _rate(p3, scale, may, "3.0", "faculty")
    _rate(p3, scale, may, "2.0", "self")
    # Outside the window, and another collaborative's project: not counted.
    _rate(p4, scale, date(2023, 1, 1), "5.0", "faculty")
    other = make_project(world, title="D1", collab=world.other_collab, org=world.trust_o)
    _rate(other, scale, jun, "5.0", "faculty")

    qs = Project.objects.filter(collaborative=world.collab)
    trends = coaching.score_trends(projects=qs, months=12, today=date(2025, 6, 20))
    by_month = {m.month: m for m in trends.months}
    assert len(trends.months) == 12
    june = by_month[jun]
    assert (june.teams, june.median) == (3, 3.0)
    assert round(june.pct_3, 1) == 66.7 and round(june.pct_4, 1) == 33.3
    assert june.counts == {Decimal("2.0"): 1, Decimal("3.0"): 1, Decimal("4.0"): 1}
    assert (june.gaps, june.mean_gap) == (1, -0.5)
    may_row = by_month[may]
    assert (may_row.teams, may_row.median, may_row.pct_3, may_row.pct_4) == (2, 2.75, 50.0, 0.0)
    assert (may_row.gaps, may_row.mean_gap) == (2, 0.0)
    assert by_month[date(2025, 1, 1)].teams == 0 and by_month[date(2025, 1, 1)].median is None

    # Each team's latest month with both ratings, widest gap first.
    gaps = [(g.title, g.month, g.gap) for g in trends.gaps]
    assert gaps == [
        ("P3", may, Decimal("1.0")),
        ("P1", jun, Decimal("-0.5")),
    ]


def test_chart_has_a_text_alternative_and_a_table(
    world: Any, scale: ScaleDefinition, login: Any
) -> None:
    from django.utils import timezone

    p = make_project(world, title="Charted")
    this_month = timezone.localdate().replace(day=1)
    _rate(p, scale, this_month, "4.0", "faculty")
    _rate(p, scale, this_month, "3.0", "self")
    html = login(world.people["faculty"]).get(_url(world.collab)).content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert "1 team rated: median 4.0, 100% at 3.0 or more, 100% at 4.0 or more" in html
    assert "Teams&#39; progress scores in the last 12 months" in html or (
        "Teams' progress scores in the last 12 months" in html
    )
    assert "Charted" in html  # in the gap table: self 3.0, faculty 4.0
    assert "+1.0" in html


def test_trend_spec_is_vega_lite_with_both_series() -> None:
    months = [
        coaching.MonthScores(date(2025, 5, 1), 2, 2.75, 50.0, 0.0, {}, 0, None),
        coaching.MonthScores(date(2025, 6, 1), 0, None, None, None, {}, 0, None),
    ]
    spec = coaching.trend_spec(months, summary="s")
    assert spec["$schema"].endswith("v6.json")
    assert [(v["month"], v["pct"]) for v in spec["data"]["values"]] == [
        ("2025-05-01", 50.0),
        ("2025-05-01", 0.0),
    ]


# --- speed ----------------------------------------------------------------------------


def _count(world: Any) -> int:
    qs = coaching.coaching_projects(viewer=world.people["faculty"], collaborative=world.collab)
    with CaptureQueriesContext(connection) as ctx:
        coaching.quiet_projects(projects=qs, now=NOW)
        coaching.score_trends(projects=qs, today=NOW.date())
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_projects(
    world: Any, scale: ScaleDefinition, login: Any, django_assert_max_num_queries: Any
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            p = make_project(world, title=f"Team {n}-{i}", status="active")
            _point(p, at=_ago(50))
            _cycle(p, at=_ago(1))
            _rate(p, scale, date(2025, 6, 1), "3.0", "faculty", at=_ago(2))
            _rate(p, scale, date(2025, 6, 1), "2.5", "self", at=_ago(2))

    add(2)
    before = _count(world)
    client = login(world.people["faculty"])
    with CaptureQueriesContext(connection) as ctx:
        client.get(_url(world.collab))
    page_before = len(ctx.captured_queries)
    add(10)
    assert _count(world) == before
    with django_assert_max_num_queries(page_before):
        assert client.get(_url(world.collab)).status_code == 200


def test_sponsor_may_not_coach(world: Any, login: Any) -> None:
    sponsor = f.PersonFactory(email="sp@example.nhs.uk")
    f.CollaborativeRoleFactory(person=sponsor, collaborative=world.collab, role="sponsor")
    assert login(sponsor).get(_url(world.collab)).status_code == 403


# --- API ------------------------------------------------------------------------------


def test_api_coaching_lists_and_validation(world: Any, scale: ScaleDefinition, login: Any) -> None:
    make_project(world, title="Avon quiet", status="active")
    make_project(world, title="Brook quiet", status="active", org=world.trust_b)
    api = f"/api/collaboratives/{world.collab.slug}/coaching"
    pm = login(world.people["pm_a"]).get(api + "?weeks=6").json()
    assert pm["weeks"] == 6 and pm["months"] == 12 and pm["own_organisation_only"] is True
    assert [q["title"] for q in pm["quiet"]] == ["Avon quiet"]
    assert pm["quiet"][0]["stale"] == ["data", "pdsa", "report"]
    assert len(pm["monthly_scores"]) == 12
    fac = login(world.people["faculty"]).get(api).json()
    assert sorted(q["title"] for q in fac["quiet"]) == ["Avon quiet", "Brook quiet"]
    assert fac["own_organisation_only"] is False

    bad = login(world.people["faculty"]).get(api + "?weeks=0&months=abc")
    assert bad.status_code == 422
    detail = bad.json()["detail"]
    assert "Enter at least 1 week." in detail["weeks"]
    assert "whole number" in detail["months"][0]


def test_quiet_projects_read_each_kind_of_activity_once(world: Any, scale: ScaleDefinition) -> None:
    """One query, and each kind's newest record is asked for once per project (issue 18:
    filtering on the greatest of the three made the database evaluate them twice)."""
    p = make_project(world, title="Quiet team", status="active")
    _point(p, at=_ago(50))
    qs = coaching.coaching_projects(viewer=world.people["faculty"], collaborative=world.collab)
    with CaptureQueriesContext(connection) as ctx:
        quiet = coaching.quiet_projects(projects=qs, now=NOW)
    assert len(ctx.captured_queries) == 1
    sql = ctx.captured_queries[0]["sql"]
    assert sql.count("ORDER BY") <= 4  # three subqueries and the page's order, no more
    assert "Quiet team" in {q.title for q in quiet}
