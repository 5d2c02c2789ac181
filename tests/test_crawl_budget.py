"""No page's SQL query count may grow with the data (issue 18, the CI-sized crawl).

For each national-scale persona (collaborative lead, faculty, programme manager, project
lead, national admin) on a small synthetic national set (``seed_national`` at scale 0.005:
2 collaboratives, 10 projects, 50 measures, ~5,000 data points), the crawler
(:mod:`qicollab.core.crawl`) discovers every GET route the person can reach, from the URL
patterns and the links on the pages (no hand-kept list: an app merged later is covered
as soon as its pages are linked), and counts each URL's queries with the cache cleared
(cold) and on a second request (warm). Then :func:`qicollab.demo.synthetic.grow` adds
more of everything to the same collaboratives (organisations, people, projects, team
members, measures, PDSA cycles, earlier data points, designations) and the same URLs are
counted again. A count that grows is a query per row somewhere (an N+1): the test fails
and names the URL, persona and both counts. It runs in the ordinary suite, so on SQLite
and on PostgreSQL in ``.ci/run``.

It also fails when a GET writes to the database (other than the session) and when the
crawl reaches too little (a broken crawler must not pass quietly). Timing is measured by
``make bench`` (``bench/bench_crawl.py``), never here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from qicollab.core import crawl
from qicollab.demo import synthetic

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

#: Routes every persona must reach (a floor, so that a crawler that finds nothing fails).
MIN_ROUTES = 40
#: Heavy downloads rendered by external engines, counted by their own tests: a chart PNG
#: (vl-convert) and PDFs (WeasyPrint) take seconds each, the whole CI crawl's time.
SKIP_SUFFIXES = (".pdf", ".png")


def _skip(route: crawl.Route) -> str:
    if route.route.endswith(SKIP_SUFFIXES):
        return "a PDF or PNG rendering (seconds each; counted by its own tests)"
    return ""


def _client(person: Any) -> Client:
    c = Client()
    c.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    return c


def test_the_crawler_excludes_what_must_not_be_requested() -> None:
    why = {r.name: crawl.exclusion(r.route, r.name) for r in crawl.routes()}
    assert why["accounts:logout"]
    assert why["projects:pdsa_delete"]
    assert why["events:cancel"]
    assert not why["projects:project_detail"]
    assert not why["insights:signals"]
    assert all(why[r.name] for r in crawl.routes() if r.route.startswith(("api/", "admin/")))


@pytest.fixture
def no_chart_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts drawn as an empty SVG: vl-convert runs no SQL, and with the cache cleared
    before every cold request it would spend most of the crawl's time drawing."""
    import vl_convert

    monkeypatch.setattr(
        vl_convert,
        "vegalite_to_svg",
        lambda spec, *a, **k: '<svg xmlns="http://www.w3.org/2000/svg"/>',
    )


@pytest.mark.parametrize("persona", synthetic.PERSONAS)
def test_no_route_costs_more_queries_with_more_data(persona: str, no_chart_engine: None) -> None:
    synthetic.build(scale=0.005, seed=2017)
    person = synthetic.personas()[persona]
    client = _client(person)
    small = crawl.crawl(client, skip=_skip)
    reached = small.reached()
    routes = {v.route for v in reached}
    assert len(routes) >= MIN_ROUTES, (
        f"{persona} reached only {len(routes)} routes: {sorted(routes)}"
    )
    writes = [f"{v.url}: {w}" for v in small.visits.values() for w in v.writes]
    assert not writes, "a GET wrote to the database:\n" + "\n".join(writes)

    counts = synthetic.grow(projects=6, organisations=2, older_points=10)
    assert counts["projects"] and counts["older_points"]

    grew = []
    for v in reached:
        cold = crawl.count_queries(client, v.url, cold=True)
        warm = crawl.count_queries(client, v.url, cold=False)
        if cold.status != 200 or warm.status != 200:
            grew.append(f"{v.url}: answered {cold.status} after the data grew")
            continue
        if cold.queries > v.cold_queries or warm.queries > v.warm_queries:
            grew.append(
                f"{v.url} ({v.name}): cold {v.cold_queries} -> {cold.queries}, "
                f"warm {v.warm_queries} -> {warm.queries}"
            )
    assert not grew, f"query counts grew with the data for {persona}:\n" + "\n".join(grew)
