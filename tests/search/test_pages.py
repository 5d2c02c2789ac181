"""The search page, its API and the project page's similar work, persona by persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qicollab.api.api import api  # noqa: F401 - the routers are registered on import
from qicollab.search.index import rebuild
from tests.conftest import PERSONAS
from tests.search.conftest import SECRET, Falls

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


@pytest.mark.parametrize("persona", [None, *PERSONAS])
def test_every_persona_may_search_and_anonymous_visitors_log_in(
    world: Any, falls: Falls, login: Any, persona: str | None
) -> None:
    client = login(world.people[persona] if persona else None)
    response = client.get(URL, {"q": SECRET})
    if persona is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    assert response.status_code == 200
    viewer = world.people[persona]
    may_open = viewer.has_perm("projects.view_project", falls.private_a)
    # The words searched for are echoed; the project's title and snippet only when allowed.
    assert (falls.private_a.title.encode() in response.content) == may_open
    assert (b"<mark>" + SECRET.encode() in response.content) == may_open


def test_search_falls_finds_another_trusts_project(world: Any, falls: Falls, login: Any) -> None:
    page = login(world.people["staff_a"]).get(URL, {"q": "falls"})
    html = page.content.decode()
    assert "Preventing falls with harm" in html
    assert world.trust_b.name in html
    assert "<mark>" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("x" * 10_000, "200 characters or fewer"),
        ("falls\x00", "null character"),
        ('"))) OR ***', None),
        ("*** ((( )))", "Enter the words"),
    ],
)
def test_bad_input_on_the_page(
    world: Any, falls: Falls, login: Any, query: str, message: str | None
) -> None:
    page = login(world.people["staff_b"]).get(URL, {"q": query})
    assert page.status_code == 200
    if message:
        assert message in page.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "falls", "organisation": "not-a-number"},
        {"q": "falls", "workstream": "99999999999999999999999"},
        {"q": "falls", "theme": "-1"},
        {"q": "falls", "kind": "nonsense"},
        {"q": "falls", "page": "99999999999999999999"},
    ],
)
def test_bad_filters_are_form_errors(
    world: Any, falls: Falls, login: Any, params: dict[str, str]
) -> None:
    assert login(world.people["staff_b"]).get(URL, params).status_code == 200


def test_filters_offer_only_what_the_viewer_may_see(world: Any, falls: Falls, login: Any) -> None:
    html = login(world.people["staff_b"]).get(URL).content.decode()
    assert world.trust_o.name not in html  # another collaborative's trust
    assert "Falls prevention" in html


def test_htmx_gets_the_results_fragment(world: Any, falls: Falls, login: Any) -> None:
    page = login(world.people["staff_b"]).get(URL, {"q": "falls"}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert 'id="search-results"' in html and "<html" not in html


def test_search_page_query_count_is_constant(
    world: Any, falls: Falls, login: Any, django_assert_max_num_queries: Any
) -> None:
    from qicollab.projects import services as projects

    client = login(world.people["staff_b"])
    client.get(URL, {"q": "falls"})
    for i in range(25):
        projects.project_create(
            actor=world.people["staff_b"],
            collaborative=world.collab,
            lead_organisation=world.trust_b,
            title=f"Falls {i}",
            sharing="collaborative",
        )
    rebuild()
    with django_assert_max_num_queries(20):
        assert client.get(URL, {"q": "falls"}).status_code == 200


# --- API ---------------------------------------------------------------------------------


def test_api_search(world: Any, falls: Falls, login: Any) -> None:
    client = login(world.people["staff_a"])
    body = client.get("/api/search", {"q": "falls", "kind": "project"}).json()
    assert {r["title"] for r in body["results"]} >= {"Preventing falls with harm"}
    hit = next(r for r in body["results"] if r["title"] == "Preventing falls with harm")
    assert "<mark>" in hit["snippet_html"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_search_never_leaks(world: Any, falls: Falls, login: Any, persona: str) -> None:
    viewer = world.people[persona]
    body = login(viewer).get("/api/search", {"q": SECRET}).json()
    may_open = viewer.has_perm("projects.view_project", falls.private_a)
    assert (body["total"] > 0) == may_open
    assert (SECRET in str(body["results"])) == may_open


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": "x" * 10_000}, 422),
        ({"q": "falls\x00"}, 422),
        ({"q": "((("}, 422),
        ({"q": "falls", "kind": "nonsense"}, 422),
        ({"q": "falls", "organisation": "99999999999999999999999"}, 422),
        ({}, 422),
    ],
)
def test_api_bad_input(
    world: Any, falls: Falls, login: Any, params: dict[str, str], status: int
) -> None:
    response = login(world.people["staff_b"]).get("/api/search", params)
    assert response.status_code == status
    assert response.json()["detail"]


def test_api_needs_a_login(world: Any, falls: Falls, login: Any) -> None:
    assert login(None).get("/api/search", {"q": "falls"}).status_code == 401


# --- similar work ---------------------------------------------------------------------------


def test_similar_work_shows_other_trusts_visible_projects(
    world: Any, falls: Falls, login: Any
) -> None:
    page = login(world.people["staff_a"]).get(falls.private_a.get_absolute_url())
    html = page.content.decode()
    section = html[html.index('id="similar-work"') :]
    assert "Preventing falls with harm" in section
    assert "Same workstream" in section
    assert "Sexual safety" not in section


def test_similar_work_never_shows_a_private_project(world: Any, falls: Falls, login: Any) -> None:
    page = login(world.people["staff_b"]).get(falls.shared_b.get_absolute_url())
    section = page.content.decode().split('id="similar-work"', 1)[1]
    assert falls.private_a.title not in section
    assert "No other project you can see" in section


def test_similar_work_query_count_is_constant(
    world: Any, falls: Falls, login: Any, django_assert_max_num_queries: Any
) -> None:
    from qicollab.search.similar import similar_projects

    viewer = world.people["staff_a"]
    similar_projects(viewer=viewer, project=falls.private_a)
    with django_assert_max_num_queries(3):
        got = similar_projects(viewer=viewer, project=falls.private_a)
    assert [s.title for s in got] == ["Preventing falls with harm"]


def test_htmx_fragment_shows_the_error(world: Any, login: Any) -> None:
    page = login(world.people["staff_b"]).get(URL, {"q": "x" * 300}, HTTP_HX_REQUEST="true")
    assert "200 characters or fewer" in page.content.decode()
