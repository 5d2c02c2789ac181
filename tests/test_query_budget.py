"""What each main page costs in SQL queries, and that the cost does not grow with the data.

Each test renders a page, counts its queries, adds more of what the page lists (PDSA
cycles, scores, measures, data points, history, projects, bookings, cases…), and counts
again: the count must not grow, and must be within the page's budget. An N+1 (a query per
row) fails the first check whatever the budget. Timing is measured by ``make bench``
(bench/bench_pages.py), never here; the figures are in docs/performance.md.

Budgets (queries per request, signed in as the persona named; the session and the person
take two of them, the roles snapshot one, the header's collaborative switcher one):

================================  ============  ======
page                              persona       budget
================================  ============  ======
privacy (the trivial page)        everyone      4
project page (with its history)   project lead  24
measure page                      project lead  14
portfolio                         lead          17
collaborative dashboard           lead          15
signal feed                       lead          9
learning-session page             staff         14
mortality case list               team member   9
national roll-up                  admin         15
================================  ============  ======

The project page's budget allows for its history naming changes to all three of the
project's many-to-many fields (one query each); with fewer kinds of change shown it is 22
or 23. Before this module the project page took 103 queries on the demo data and the
privacy page 12.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qicollab.measures.models import ChartEvent, DataPoint, Measure
from qicollab.projects import services as ps
from qicollab.projects.models import PdsaCycle, ProgressReport, Project, ProjectMember, TeamRole
from qicollab.projects.selectors import scale_for
from tests import factories as f
from tests.collaborative.portfolio_data import SHIFT, months_to_now
from tests.collaborative.portfolio_data import measure as monthly_measure
from tests.collaborative.portfolio_data import project as hub_project

pytestmark = pytest.mark.django_db

# Every page with the header has one query more since the header shows the unread
# notifications count (one indexed COUNT, cached for the request; docs/notifications.md).
BUDGET = {
    "privacy": 5,
    # + discussion (thread 2, its mention list 1), similar work (2), culture actions (1) and
    # innovations (its own and the ones it started from in one query, plus the viewer's
    # visibility: 3), constant in size
    "project": 34,
    "measure": 18,  # + discussion (thread 2, its mention list 1)
    "portfolio": 18,
    "dashboard": 16,
    "signals": 11,  # 10 + the visible measures' frequencies that set the default window
    "session": 16,  # +1: the innovations harvested there (innovations app)
    "cases": 10,
    "rollup": 16,
}

_n = itertools.count(1)


def queries(client: Client, url: str) -> int:
    """Queries of one request (after a first one that warms the session and caches)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def assert_flat(client: Client, url: str, budget: int, grow: Callable[[], None]) -> None:
    """Within budget, and no more queries after ``grow`` added more rows to the page.

    (Fewer is possible: the history names what changed in its newest twenty entries, one
    query per kind of change shown.)
    """
    small = queries(client, url)
    assert small <= budget, f"{url}: {small} queries, budget {budget}"
    grow()
    big = queries(client, url)
    assert big <= small, f"{url}: {small} queries, then {big} with more data (an N+1)"


# --- the base layout ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["national_admin", "collab_lead", "faculty", "pm_a", "staff_a", "viewer_a", "pm_o"],
)
def test_the_trivial_page_costs_the_base_layout_only(world: Any, login: Any, persona: str) -> None:
    """Session, person, roles snapshot (one query) and the header's collaboratives."""
    person = world.people[persona]

    def more_memberships() -> None:
        for _ in range(3):
            org = f.OrganisationFactory()
            f.AffiliationFactory(person=person, organisation=org, role="staff")
            f.MembershipFactory(collaborative=world.collab, organisation=org)
        f.CollaborativeRoleFactory(
            person=person, collaborative=f.CollaborativeFactory(), role="faculty"
        )

    assert_flat(login(person), reverse("core:privacy"), BUDGET["privacy"], more_memberships)


def test_the_roles_snapshot_is_read_once_per_request(world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    c.get(reverse("core:privacy"))
    with CaptureQueriesContext(connection) as ctx:
        c.get(reverse("core:privacy"))
    roles = [q for q in ctx.captured_queries if "organisations_affiliation" in q["sql"]]
    assert len(roles) == 1


# --- the project page --------------------------------------------------------------------


def _cycles(project: Project, actor: Any, count: int) -> None:
    for _ in range(count):
        i = next(_n)
        primary = ps.node_add(actor=actor, project=project, kind="primary", text=f"Driver {i}")
        secondary = ps.node_add(
            actor=actor, project=project, kind="secondary", text=f"Sec {i}", links=[primary]
        )
        idea = ps.node_add(
            actor=actor, project=project, kind="idea", text=f"Idea {i}", links=[secondary]
        )
        ps.pdsa_cycle_create(
            actor=actor,
            project=project,
            change_ideas=[idea],
            data={"title": f"Cycle {i}", "scale": "1 ward", "status": "plan"},
        )


def _scores(project: Project, world: Any, months: int, start: int = 0) -> None:
    scale = scale_for(collaborative=project.collaborative_id)
    for k in range(start, start + months):
        month = dt.date(2020 + k // 12, k % 12 + 1, 1)
        for rater_type, rater in (("self", "staff_a"), ("faculty", "faculty")):
            ProgressReport.objects.create(
                project=project,
                month=month,
                rater_type=rater_type,
                score=Decimal("2.5"),
                scale=scale,
                rater=world.people[rater],
            )


def _measures(project: Project, count: int, events: int = 1) -> list[Measure]:
    made = [
        monthly_measure(project, SHIFT, name=f"Measure {next(_n)}", main=False)
        for _ in range(count)
    ]
    for m in made:
        for d in months_to_now(len(SHIFT))[:events]:
            ChartEvent.objects.create(measure=m, kind="exclude", on=d, reason="Note")
    return made


def _history(project: Project, world: Any, edits: int) -> None:
    theme = f.ThemeFactory(collaborative=world.collab)
    for k in range(edits):
        project.summary = f"Edit {next(_n)}"
        project.save()
        project.partner_organisations.add(world.trust_b) if k % 2 else project.themes.add(theme)
        if k % 2 == 0:
            project.themes.remove(theme)


@pytest.fixture
def lead_project(world: Any) -> Project:
    p = world.people
    project = ps.project_create(
        actor=p["staff_a"],
        collaborative=world.collab,
        lead_organisation=world.trust_a,
        title="Safer observations",
        sharing="collaborative",
    )
    ps.member_add(actor=p["staff_a"], project=project, person=p["partner_a"], role="partner")
    _cycles(project, p["staff_a"], 2)
    _scores(project, world, 2)
    _measures(project, 2)
    _history(project, world, 2)
    return project


def test_the_project_page_costs_the_same_with_more_cycles_scores_measures(
    world: Any, login: Any, lead_project: Project
) -> None:
    def more() -> None:
        _cycles(lead_project, world.people["staff_a"], 8)
        _scores(lead_project, world, 8, start=2)
        _measures(lead_project, 8, events=3)
        _history(lead_project, world, 8)
        for name in ("viewer_a", "pm_a"):
            ProjectMember.objects.create(
                project=lead_project, person=world.people[name], role=TeamRole.MEMBER
            )

    url = lead_project.get_absolute_url()
    assert_flat(login(world.people["staff_a"]), url, BUDGET["project"], more)
    assert PdsaCycle.objects.filter(project=lead_project).count() == 10


def test_the_project_page_names_history_changes_to_many_valued_fields(
    world: Any, login: Any, lead_project: Project
) -> None:
    """The batched history reads name what was added, rather than print raw link rows."""
    html = login(world.people["staff_a"]).get(lead_project.get_absolute_url()).content.decode()
    assert "Partner organisations: (blank) → Brook Test Partnership NHS Trust" in html
    assert "{&#39;project&#39;" not in html


def test_the_measure_page_costs_the_same_with_more_points_and_events(
    world: Any, login: Any, lead_project: Project
) -> None:
    m = Measure.objects.filter(project=lead_project).first()
    assert m is not None
    url = reverse("measures:measure_detail", args=[lead_project.slug, m.pk])

    def more() -> None:
        first = DataPoint.objects.filter(measure=m).order_by("period").first()
        assert first is not None
        start = first.period
        DataPoint.objects.bulk_create(
            DataPoint(measure=m, period=dt.date(start.year - 3 + k // 12, k % 12 + 1, 1), value=9)
            for k in range(30)
        )
        for d in months_to_now(4):
            ChartEvent.objects.get_or_create(measure=m, kind="exclude", on=d, reason="More")
        _measures(lead_project, 5)
        _cycles(lead_project, world.people["staff_a"], 5)
        for k in range(5):
            m.description = f"Edit {k}"
            m.save()

    assert_flat(login(world.people["staff_a"]), url, BUDGET["measure"], more)


# --- the collaborative's read side ---------------------------------------------------------


def _hub_projects(world: Any, count: int) -> None:
    scale = scale_for(collaborative=world.collab)
    for _ in range(count):
        i = next(_n)
        org = world.trust_a if i % 2 else world.trust_b
        lead = world.people["staff_a"] if i % 2 else world.people["staff_b"]
        p = hub_project(
            world, title=f"Hub project {i}", org=org, lead=lead, sharing="collaborative"
        )
        monthly_measure(p, SHIFT, name=f"Hub measure {i}")
        monthly_measure(p, SHIFT[:10], name=f"Hub process {i}", main=False)
        ProgressReport.objects.create(
            project=p,
            month=dt.date(2025, 1, 1),
            rater_type="self",
            score=Decimal("2.0"),
            scale=scale,
            rater=lead,
        )


@pytest.mark.parametrize(
    ("name", "page"),
    [
        ("portfolio", "insights:portfolio"),
        ("dashboard", "insights:dashboard"),
        ("signals", "insights:signals"),
    ],
)
def test_the_collaborative_pages_cost_the_same_with_more_projects(
    world: Any, login: Any, name: str, page: str
) -> None:
    _hub_projects(world, 2)
    url = reverse(page, args=[world.collab.slug])
    assert_flat(
        login(world.people["collab_lead"]), url, BUDGET[name], lambda: _hub_projects(world, 8)
    )


def test_the_learning_session_page_costs_the_same_with_more_agenda_and_bookings(
    world: Any, login: Any
) -> None:
    from qicollab.capability.models import SubjectArea
    from qicollab.capability.services import subject_areas_seed
    from qicollab.events.models import AgendaItem, BookingStatus, Registration, WorkshopBooking
    from tests.events.conftest import make_session

    subject_areas_seed(actor=world.people["collab_lead"], collaborative=world.collab)
    subjects = list(SubjectArea.objects.filter(collaborative=world.collab))
    session = make_session(world.collab, capacity=50)

    def agenda(count: int) -> None:
        for k in range(count):
            item = AgendaItem.objects.create(
                session=session,
                kind="workshop",
                title=f"Workshop {next(_n)}",
                starts_at=dt.time(9 + k % 8, 0),
                ends_at=dt.time(10 + k % 8, 0),
                capacity=10,
                subject=subjects[k % len(subjects)],
                level=1 + k % 3,
            )
            person = f.PersonFactory()
            f.AffiliationFactory(person=person, organisation=world.trust_a, role="staff")
            Registration.objects.create(session=session, person=person, status=BookingStatus.BOOKED)
            WorkshopBooking.objects.create(
                workshop=item, person=person, status=BookingStatus.BOOKED
            )

    agenda(2)
    url = reverse("events:session_detail", args=[session.pk])
    assert_flat(login(world.people["staff_a"]), url, BUDGET["session"], lambda: agenda(8))


def test_the_mortality_case_list_costs_the_same_with_more_cases(world: Any, login: Any) -> None:
    from tests.deaths.conftest import make_case, teams

    teams.__wrapped__(world)  # type: ignore[attr-defined]  # the fixture's body, called directly
    letters = iter(f"{a}{b}" for a in "ABCDEFGH" for b in "ABCDEFGH")
    for _ in range(2):
        make_case(world, case_reference=f"LfD-{next(letters)}-001")
    url = reverse("deaths:case_list", args=[world.trust_a.slug])

    def more() -> None:
        for k in range(8):
            make_case(
                world,
                case_reference=f"LfD-{next(letters)}-001",
                category="expected_natural" if k % 2 else "unexpected_natural",
            )

    assert_flat(login(world.people["staff_a"]), url, BUDGET["cases"], more)


def test_the_national_rollup_costs_the_same_with_more_collaboratives(
    world: Any, login: Any
) -> None:
    def collaboratives(count: int) -> None:
        for _ in range(count):
            c = f.CollaborativeFactory(programme=world.programme)
            for _ in range(2):
                org = f.OrganisationFactory()
                f.MembershipFactory(
                    collaborative=c, organisation=org, joined_on=dt.date(2024, 1, 1)
                )
                hub_project(world, title=f"National {next(_n)}", org=org, collab=c)

    collaboratives(1)
    url = reverse("national:rollup", args=[world.programme.slug])
    assert_flat(
        login(world.people["national_admin"]), url, BUDGET["rollup"], lambda: collaboratives(6)
    )
