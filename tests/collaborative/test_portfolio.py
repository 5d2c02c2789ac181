"""The portfolio page and API: who sees which projects, filters, states, queries, one batch."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qicollab import spc
from qicollab.insights import portfolio as pf
from qicollab.measures.spc_adapter import build_series
from qicollab.projects.models import ProgressReport
from tests import factories as f
from tests.collaborative.portfolio_data import BASELINE, SHIFT, measure, project

pytestmark = pytest.mark.django_db


@pytest.fixture
def pf_world(world: Any, scale: Any) -> dict[str, Any]:
    ws = f.WorkstreamFactory(collaborative=world.collab, name="Medication", slug="medication")
    theme = f.ThemeFactory(collaborative=world.collab, name="Co-production", slug="co-production")
    people = world.people
    a_private = project(world, title="Ward 3 falls", sharing="private", workstream=ws)
    a_shared = project(world, title="Clinic letters", sharing="collaborative", status="active")
    b_private = project(
        world, title="Brook secret project", org=world.trust_b, lead=people["staff_b"]
    )
    b_public = project(world, title="Brook open project", org=world.trust_b, lead=people["staff_b"])
    b_public.sharing = "public"
    b_public.save()
    b_public.themes.add(theme)
    o_project = project(
        world,
        title="Other region project",
        org=world.trust_o,
        collab=world.other_collab,
        lead=people["pm_o"],
        sharing="collaborative",
    )
    improving = measure(a_private, SHIFT, name="Ward 3 falls")
    concerning = measure(b_private, SHIFT, name="Brook restraint", direction="increase")
    measure(a_shared, BASELINE, name="Letters sent late")
    measure(b_public, SHIFT[:5], name="Open measure")
    measure(o_project, SHIFT, name="Other falls")
    ProgressReport.objects.create(
        project=a_private, month=date(2025, 1, 1), rater_type="self", score=Decimal("2.5"),
        scale=scale, rater=people["staff_a"],
    )  # fmt: skip
    ProgressReport.objects.create(
        project=a_private, month=date(2025, 2, 1), rater_type="self", score=Decimal("3.0"),
        scale=scale, rater=people["staff_a"],
    )  # fmt: skip
    ProgressReport.objects.create(
        project=a_private, month=date(2025, 2, 1), rater_type="faculty", score=Decimal("3.5"),
        scale=scale, rater=people["faculty"],
    )  # fmt: skip
    ProgressReport.objects.create(
        project=a_shared, month=date(2025, 2, 1), rater_type="self", score=Decimal("1.5"),
        scale=scale, rater=people["staff_a"],
    )  # fmt: skip
    return {
        "ws": ws,
        "theme": theme,
        "a_private": a_private,
        "a_shared": a_shared,
        "b_private": b_private,
        "b_public": b_public,
        "o_project": o_project,
        "improving": improving,
        "concerning": concerning,
    }


def _url(world: Any, slug: str | None = None) -> str:
    return reverse("insights:portfolio", args=[slug or world.collab.slug])


def _titles(html: str, d: dict[str, Any]) -> set[str]:
    keys = ("a_private", "a_shared", "b_private", "b_public", "o_project")
    return {d[k].title for k in keys if d[k].title in html}


ALL_C = {"Ward 3 falls", "Clinic letters", "Brook secret project", "Brook open project"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("national_admin", ALL_C),
        ("collab_lead", ALL_C),
        ("faculty", ALL_C),
        ("pm_a", {"Ward 3 falls", "Clinic letters", "Brook open project"}),
        ("staff_a", {"Ward 3 falls", "Clinic letters", "Brook open project"}),
        ("viewer_a", {"Clinic letters", "Brook open project"}),
        ("staff_b", {"Clinic letters", "Brook secret project", "Brook open project"}),
        ("pm_o", {"Brook open project"}),
        ("outsider", {"Brook open project"}),
        (None, {"Brook open project"}),
    ],
)
def test_portfolio_lists_only_visible_projects(
    world: Any, pf_world: Any, login: Any, persona: str | None, expected: set[str]
) -> None:
    person = world.people[persona] if persona else None
    response = login(person).get(_url(world))
    assert response.status_code == 200
    assert _titles(response.content.decode(), pf_world) == expected


def test_private_collaborative_portfolio_is_404_outside_it(
    world: Any, pf_world: Any, login: Any
) -> None:
    url = _url(world, world.other_collab.slug)
    for persona in ("outsider", "staff_a", "faculty", "collab_lead"):
        assert login(world.people[persona]).get(url).status_code == 404
    assert login(None).get(url).status_code == 404
    page = login(world.people["pm_o"]).get(url)
    assert page.status_code == 200 and "Other region project" in page.content.decode()
    assert login(world.people["faculty"]).get(_url(world, "no-such")).status_code == 404


def test_states_scores_and_organisations_are_shown(world: Any, pf_world: Any, login: Any) -> None:
    pf_world["a_private"].partner_organisations.add(world.trust_b)
    html = login(world.people["faculty"]).get(_url(world)).content.decode()
    rows = {r.split("</tr>")[0] for r in html.split('<tr class="nhsuk-table__row">')[2:]}
    row = {title: next(r for r in rows if title in r) for title in ALL_C}
    assert "Improving" in row["Ward 3 falls"]
    assert "a shift of 7 months below the centre line (mean) since" in row["Ward 3 falls"]
    assert "Special cause improvement (low)" in row["Ward 3 falls"]  # the MDC icon's text
    assert "3.5" in row["Ward 3 falls"] and "faculty" in row["Ward 3 falls"]
    assert "Brook Test Partnership NHS Trust" in row["Ward 3 falls"]  # the partner
    assert "Concerning" in row["Brook secret project"]
    assert "No signal" in row["Clinic letters"] and "team (self-rating)" in row["Clinic letters"]
    assert "Not enough data" in row["Brook open project"]
    assert "Not rated" in row["Brook open project"]


def test_outcome_states_match_the_engine_one_by_one(world: Any, pf_world: Any) -> None:
    projects = [pf_world[k] for k in ("a_private", "a_shared", "b_private", "b_public")]
    with mock.patch("qicollab.spc.batch", wraps=spc.batch) as batch:
        states = pf.outcome_states(projects)
    assert batch.call_count == 1
    for key in ("improving", "concerning"):
        m = pf_world[key]
        series = build_series(m, list(m.points.order_by("period")))
        alone = spc.chart(series.y, chart="c", direction=m.direction)
        assert states[m.project_id].icon_name == alone.variation_icon
    assert states[pf_world["a_private"].pk].state == pf.OutcomeState.IMPROVING
    assert states[pf_world["b_private"].pk].state == pf.OutcomeState.CONCERNING
    assert states[pf_world["a_shared"].pk].state == pf.OutcomeState.NO_SIGNAL
    assert states[pf_world["b_public"].pk].state == pf.OutcomeState.NOT_ENOUGH_DATA


def test_project_without_main_outcome_says_so(world: Any, login: Any) -> None:
    project(world, title="Fresh start", sharing="collaborative")
    html = login(world.people["staff_b"]).get(_url(world)).content.decode()
    assert "Fresh start" in html and "No main outcome" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("organisation=brook-test", {"Brook secret project", "Brook open project"}),
        ("workstream=medication", {"Ward 3 falls"}),
        ("theme=co-production", {"Brook open project"}),
        ("status=active", {"Clinic letters"}),
        ("score=3.0", {"Ward 3 falls"}),
        ("score=1.5", {"Ward 3 falls", "Clinic letters"}),
        ("status=active&organisation=brook-test", set()),
    ],
)
def test_filters(world: Any, pf_world: Any, login: Any, query: str, expected: set[str]) -> None:
    world.trust_b.slug = "brook-test"
    world.trust_b.save()
    html = login(world.people["faculty"]).get(_url(world) + "?" + query).content.decode()
    assert _titles(html, pf_world) == expected
    if not expected:
        assert "No projects you can see match these filters" in html


def test_bad_filters_are_explained_and_kept(world: Any, pf_world: Any, login: Any) -> None:
    response = login(world.people["faculty"]).get(_url(world) + "?workstream=nope&score=9")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose a workstream of this collaborative from the list" in html
    assert "Select a score from the list" in html
    # The invalid filters are left out, so every visible project still shows.
    assert _titles(html, pf_world) == ALL_C


def test_other_collaboratives_workstream_is_not_a_choice(
    world: Any, pf_world: Any, login: Any
) -> None:
    f.WorkstreamFactory(collaborative=world.other_collab, slug="secret", name="Secret stream")
    html = login(world.people["faculty"]).get(_url(world) + "?workstream=secret").content.decode()
    assert "Secret stream" not in html
    assert "Choose a workstream of this collaborative" in html


def test_sort_by_score_puts_the_highest_first(world: Any, pf_world: Any, login: Any) -> None:
    html = login(world.people["faculty"]).get(_url(world) + "?sort=score").content.decode()
    assert html.index("Ward 3 falls") < html.index("Clinic letters") < html.index("Brook open")
    html = login(world.people["faculty"]).get(_url(world) + "?sort=title").content.decode()
    assert html.index("Brook open") < html.index("Clinic letters") < html.index("Ward 3 falls")


def test_htmx_gets_only_the_table(world: Any, pf_world: Any, login: Any) -> None:
    response = login(world.people["faculty"]).get(
        _url(world) + "?status=active", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="portfolio-results"')
    assert "<h1>" not in html and "Clinic letters" in html and "Ward 3 falls" not in html


def test_empty_portfolio_explains_itself(world: Any, login: Any) -> None:
    html = login(world.people["staff_b"]).get(_url(world)).content.decode()
    assert "There are no projects in Test Mental Health Collaborative that you can see" in html


def _many(world: Any, count: int) -> None:
    for i in range(count):
        p = project(world, title=f"Bulk project {i:02d}", sharing="collaborative")
        p.partner_organisations.add(world.trust_b)
        measure(p, SHIFT if i % 2 else BASELINE, name=f"Bulk measure {i}")


def test_query_count_does_not_grow_with_the_page(world: Any, login: Any, scale: Any) -> None:
    client = login(world.people["faculty"])
    _many(world, 5)
    client.get(_url(world))  # warm the per-process caches (scale, content types)
    with CaptureQueriesContext(connection) as five:
        assert client.get(_url(world)).status_code == 200
    _many(world, 20)
    with (
        mock.patch("qicollab.spc.batch", wraps=spc.batch) as batch,
        CaptureQueriesContext(connection) as twenty_five,
    ):
        html = client.get(_url(world)).content.decode()
    assert html.count("Bulk project") == 25
    assert len(twenty_five) == len(five)
    assert batch.call_count == 1
    assert len(set(batch.call_args.args[0])) == 25  # the page's 25 measures, no more


def test_one_batch_call_for_only_the_page(world: Any, login: Any, scale: Any) -> None:
    _many(world, 27)
    client = login(world.people["faculty"])
    with mock.patch("qicollab.spc.batch", wraps=spc.batch) as batch:
        html = client.get(_url(world) + "?page=2").content.decode()
    assert batch.call_count == 1
    assert len(set(batch.call_args.args[0])) == 2
    # The results are real: the odd projects had a shift of improvement, the even none.
    assert "Bulk project 25" in html and "Bulk project 26" in html
    assert html.count("Improving") - html.count(">Improving</strong></dt>") == 1
    assert html.count(">No signal</strong>") - 1 == 1


def test_query_count_bound(
    world: Any, login: Any, scale: Any, django_assert_max_num_queries: Any
) -> None:
    _many(world, 25)
    client = login(world.people["faculty"])
    client.get(_url(world))
    with django_assert_max_num_queries(30):
        client.get(_url(world))


# --- API --------------------------------------------------------------------------------


def _api(world: Any, slug: str | None = None) -> str:
    return f"/api/collaboratives/{slug or world.collab.slug}/portfolio"


def test_api_lists_visible_projects_with_states(world: Any, pf_world: Any, login: Any) -> None:
    body = login(world.people["staff_a"]).get(_api(world)).json()
    titles = {p["title"] for p in body["items"]}
    assert titles == {"Ward 3 falls", "Clinic letters", "Brook open project"}
    falls = next(p for p in body["items"] if p["title"] == "Ward 3 falls")
    assert falls["main_outcome"]["state"] == "improving"
    assert falls["main_outcome"]["variation_icon"] == "improvement_low"
    assert falls["main_outcome"]["signal"] == "a shift of 7 months below the centre line (mean)"
    assert falls["main_outcome"]["measure_id"] == pf_world["improving"].pk
    assert falls["latest_score"] == 3.5 and falls["latest_score_by"] == "faculty"
    assert body["count"] == 3 and body["page"] == 1


def test_api_filters_and_pages(world: Any, pf_world: Any, login: Any) -> None:
    client = login(world.people["faculty"])
    body = client.get(_api(world) + "?score=3&per_page=1").json()
    assert [p["title"] for p in body["items"]] == ["Ward 3 falls"]
    body = client.get(_api(world) + "?per_page=2&page=2&sort=title").json()
    assert [p["title"] for p in body["items"]] == ["Clinic letters", "Ward 3 falls"]
    assert body["pages"] == 2


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("workstream=nope", "workstream"),
        ("score=seven", "score"),
        ("score=9", "score"),
        ("sort=sideways", "sort"),
        ("page=0", "page"),
        ("page=99", "page"),
        ("per_page=1000", "per_page"),
    ],
)
def test_api_bad_filters_are_422_with_a_reason(
    world: Any, pf_world: Any, login: Any, query: str, field: str
) -> None:
    response = login(world.people["faculty"]).get(_api(world) + "?" + query)
    assert response.status_code == 422
    assert field in response.json()["detail"]


def test_api_private_collaborative_is_404(world: Any, pf_world: Any, login: Any) -> None:
    assert (
        login(world.people["outsider"]).get(_api(world, world.other_collab.slug)).status_code == 404
    )
    body = login(world.people["pm_o"]).get(_api(world, world.other_collab.slug)).json()
    assert [p["title"] for p in body["items"]] == ["Other region project"]


def test_collaborative_page_and_bar_link_to_portfolio_and_signals(
    world: Any, login: Any, client: Any
) -> None:
    portfolio, signals = _url(world), reverse("insights:signals", args=[world.collab.slug])
    public = client.get(world.collab.get_absolute_url()).content.decode()
    assert portfolio in public and signals in public
    # The collaborative bar under the header, on any page, for the current collaborative.
    home = login(world.people["staff_a"]).get(reverse("projects:project_list")).content.decode()
    bar = home.split('class="app-collab-bar"')[1].split("</div>")[0]
    assert portfolio in bar and signals in bar
