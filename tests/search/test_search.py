"""The search service on both engines: visibility, ranking, highlighting, filters, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qicollab.projects import services as projects
from qicollab.search import selectors
from qicollab.search.index import rebuild
from qicollab.search.models import Kind, SearchDocument
from qicollab.search.selectors import SearchFilters, SearchInputError, search
from tests.conftest import PERSONAS
from tests.search.conftest import SECRET, Falls

pytestmark = pytest.mark.django_db


def titles(viewer: Any, q: str, **filters: Any) -> list[str]:
    return [h.title for h in search(viewer=viewer, query=q, filters=SearchFilters(**filters)).hits]


def test_the_engine_in_use_holds_the_words(falls: Falls) -> None:
    doc = SearchDocument.objects.get(kind=Kind.PROJECT, object_id=falls.shared_b.pk)
    if connection.vendor == "postgresql":
        assert doc.search_vector is not None
    else:
        with connection.cursor() as cur:
            cur.execute("SELECT title FROM search_fts WHERE rowid = %s", [doc.pk])
            assert cur.fetchone() == ("Preventing falls with harm",)


def test_another_trusts_shared_project_is_found_and_the_words_marked(
    world: Any, falls: Falls
) -> None:
    results = search(viewer=world.people["staff_a"], query="falls")
    found = {h.title: h for h in results.hits}
    assert "Preventing falls with harm" in found
    hit = found["Preventing falls with harm"]
    assert hit.organisation == world.trust_b.name
    assert hit.url == falls.shared_b.get_absolute_url()
    assert "<mark>" in str(hit.snippet) and "falls" in str(hit.snippet).lower()


def test_stemming_finds_fall_for_falls(world: Any, falls: Falls) -> None:
    assert "Preventing falls with harm" in titles(world.people["staff_b"], "fall")


def test_title_matches_rank_above_body_matches(world: Any, falls: Falls) -> None:
    projects.project_create(
        actor=world.people["staff_b"],
        collaborative=world.collab,
        lead_organisation=world.trust_b,
        title="Night-time observations",
        summary="Among other things, one falls review.",
        sharing="collaborative",
    )
    rebuild()
    got = titles(world.people["staff_b"], "falls", kind="project")
    assert got.index("Preventing falls with harm") < got.index("Night-time observations")


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_private_project_is_found_only_by_who_may_open_it(
    world: Any, falls: Falls, persona: str
) -> None:
    """Neither the result nor any snippet reveals a project the viewer may not open."""
    viewer = world.people[persona]
    may_open = viewer.has_perm("projects.view_project", falls.private_a)
    results = search(viewer=viewer, query=SECRET)
    assert bool(results.hits) == may_open
    everything = search(viewer=viewer, query="blood pressure lying standing")
    text = " ".join(f"{h.title} {h.snippet}" for h in everything.hits)
    assert (SECRET in text) == may_open
    assert (falls.private_a.title in text) == may_open


def test_outsiders_see_public_projects_only(world: Any, falls: Falls) -> None:
    outsider = world.people["outsider"]
    assert titles(outsider, "falls") == []
    projects.project_set_sharing(
        actor=world.people["staff_b"],
        project=falls.shared_b,
        sharing="public",
        partner_organisations=[],
    )
    # Visibility is decided at query time: no re-indexing needed for a change of sharing.
    assert titles(outsider, "falls", kind="project") == ["Preventing falls with harm"]


def test_markup_in_documents_is_escaped_before_marking(world: Any, falls: Falls) -> None:
    hit = next(
        h
        for h in search(viewer=world.people["staff_a"], query="night falls").hits
        if h.title == falls.private_a.title
    )
    html = str(hit.snippet)
    # SQLite's snippet keeps the text (escaped here); PostgreSQL's headline drops tags.
    assert "<script>" not in html
    assert "&lt;script&gt;" in html or "script" not in html
    assert "<mark>" in html


def test_stored_text_cannot_forge_a_mark(world: Any, falls: Falls) -> None:
    projects.project_create(
        actor=world.people["staff_b"],
        collaborative=world.collab,
        lead_organisation=world.trust_b,
        title="Marked",
        summary="falls \ue000forged\ue001 text",
        sharing="collaborative",
    )
    rebuild()
    hit = next(h for h in search(viewer=world.people["staff_b"], query="forged").hits)
    assert str(hit.snippet).count("<mark>") == 1  # only the engine's own mark


def test_filters_by_kind_organisation_workstream_and_theme(world: Any, falls: Falls) -> None:
    staff_b = world.people["staff_b"]
    assert set(titles(staff_b, "falls", organisation_id=world.trust_a.pk)) == set()
    assert titles(staff_b, "falls", organisation_id=world.trust_b.pk, kind="project") == [
        "Preventing falls with harm"
    ]
    assert titles(staff_b, "falls", workstream_id=falls.workstream.pk, kind="project") == [
        "Preventing falls with harm"
    ]
    assert titles(staff_b, "falls", theme_id=falls.theme.pk) == ["Preventing falls with harm"]
    assert titles(staff_b, "trust", kind="organisation")  # organisations are found by name
    assert titles(staff_b, "staff", kind="person")  # people by name (personas are "Staff A"…)


def test_people_results_follow_the_people_directory(world: Any, falls: Falls) -> None:
    # staff_b (trust B) may not see trust A's staff list; the programme manager is listed.
    got = titles(world.people["staff_b"], "staff", kind="person")
    assert "Staff B" in got and "Staff A" not in got


@pytest.mark.parametrize(
    "query",
    [
        '"falls',
        "falls*",
        "NEAR(falls harm)",
        "falls AND OR NOT",
        "title:falls",
        "-falls",
        "falls & | ! <-> :*",
        "'; DROP TABLE search_fts; --",
        "^falls",
        "falls\ufffd",
        "\uff26\uff21\uff2c\uff2c\uff33",  # full-width FALLS
    ],
)
def test_query_syntax_is_only_words(world: Any, falls: Falls, query: str) -> None:
    results = search(viewer=world.people["staff_b"], query=query)
    assert results.total >= 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter the words"),
        ("*** ((( )))", "Enter the words"),
        ("falls\x00", "null character"),
        ("falls " * 2000, "200 characters or fewer"),
    ],
)
def test_bad_input_has_a_clear_message(world: Any, query: str, message: str) -> None:
    with pytest.raises(SearchInputError, match=message):
        search(viewer=world.people["staff_b"], query=query)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.text(max_size=300))
def test_any_text_gives_results_or_a_message(world: Any, falls: Falls, query: str) -> None:
    try:
        results = search(viewer=world.people["staff_b"], query=query)
    except SearchInputError as exc:
        assert str(exc)
    else:
        assert results.total == len(results.hits) or results.total > len(results.hits)


def test_page_numbers_are_clamped(world: Any, falls: Falls) -> None:
    r = search(viewer=world.people["staff_b"], query="falls", page=999)
    assert r.page == r.pages == 1


def test_the_index_follows_saves_after_commit(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        project = projects.project_create(
            actor=world.people["staff_b"],
            collaborative=world.collab,
            lead_organisation=world.trust_b,
            title="Pressure ulcers",
            sharing="collaborative",
        )
    assert titles(world.people["staff_b"], "ulcers") == ["Pressure ulcers"]
    with django_capture_on_commit_callbacks(execute=True):
        projects.project_update(
            actor=world.people["staff_b"], project=project, data={"title": "Pressure injuries"}
        )
    assert titles(world.people["staff_b"], "injuries") == ["Pressure injuries"]
    assert titles(world.people["staff_b"], "ulcers") == []
    with django_capture_on_commit_callbacks(execute=True):
        project.delete()
    assert titles(world.people["staff_b"], "ulcers") == []
    assert not SearchDocument.objects.filter(object_id=project.pk, kind=Kind.PROJECT).exists()


def test_rebuild_command(world: Any, falls: Falls, capsys: Any) -> None:
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index")
    assert "documents" in capsys.readouterr().out
    assert SearchDocument.objects.filter(kind=Kind.PROJECT).count() == 3


def test_query_count_does_not_grow_with_the_index(
    world: Any, falls: Falls, django_assert_max_num_queries: Any
) -> None:
    viewer = world.people["staff_b"]
    for i in range(30):
        projects.project_create(
            actor=viewer,
            collaborative=world.collab,
            lead_organisation=world.trust_b,
            title=f"Falls project {i}",
            sharing="collaborative",
        )
    rebuild()
    with django_assert_max_num_queries(7):
        results = search(viewer=viewer, query="falls")
    assert results.total >= 31 and len(results.hits) == selectors.PER_PAGE


def test_a_failing_index_update_is_logged_not_raised(
    world: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any, caplog: Any
) -> None:
    from qicollab.search import index

    def broken(pk: int) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setitem(index.INDEXERS, "project", broken)
    with django_capture_on_commit_callbacks(execute=True):
        projects.project_create(
            actor=world.people["staff_b"],
            collaborative=world.collab,
            lead_organisation=world.trust_b,
            title="Still saved",
            sharing="collaborative",
        )
    assert "rebuild_search_index" in caplog.text
