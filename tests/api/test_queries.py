"""List endpoints cost a fixed number of queries, however many rows they return."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories as f

# Unique trust-shaped ODS codes (the factory's own sequence repeats after 16).
_codes = (
    f"T{a}{b}"
    for a in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for b in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)


def _org(**kwargs: Any) -> Any:
    return f.OrganisationFactory(ods_code=next(_codes), **kwargs)


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def _grow_organisations(world: Any, n: int) -> None:
    for _ in range(n):
        f.MembershipFactory(collaborative=world.collab, organisation=_org())


def _grow_people(world: Any, n: int) -> None:
    for _ in range(n):
        f.AffiliationFactory(organisation=world.trust_a, role="staff")


def _grow_collaboratives(world: Any, n: int) -> None:
    for _ in range(n):
        lead = f.OrganisationFactory(org_type="ahsn", ods_code="")
        c = f.CollaborativeFactory(lead_organisation=lead, programme=world.programme)
        f.MembershipFactory(collaborative=c, organisation=world.trust_a)


def _grow_members(world: Any, n: int) -> None:
    for _ in range(n):
        pm = f.PersonFactory()
        f.MembershipFactory(collaborative=world.collab, organisation=_org(), programme_manager=pm)


def _grow_roles(world: Any, n: int) -> None:
    _grow_members(world, n)
    for _ in range(n):
        f.CollaborativeRoleFactory(collaborative=world.collab, role="faculty")
        f.WorkstreamFactory(collaborative=world.collab)
        theme = f.ThemeFactory(collaborative=world.collab)
        f.ThemePrincipleFactory(theme=theme)


# Authentication (2) + the viewer's Roles snapshot (5) + count and page, plus one query per
# related list on the detail endpoints. Measured, then written down: a new query shows up.
CASES: list[tuple[str, str, Callable[[Any, int], None], int]] = [
    ("/api/organisations?page_size=100", "pm_a", _grow_organisations, 9),
    ("/api/organisations/{A}/people?page_size=100", "pm_a", _grow_people, 10),
    ("/api/people?page_size=100", "pm_a", _grow_people, 9),
    ("/api/collaboratives?page_size=100", "staff_a", _grow_collaboratives, 9),
    (
        "/api/collaboratives/{C}/members?page_size=100&include_former=true",
        "staff_a",
        _grow_members,
        10,
    ),
    ("/api/collaboratives/{C}", "staff_a", _grow_roles, 17),
    ("/api/organisations/{A}", "pm_a", _grow_collaboratives, 9),
]


@pytest.mark.parametrize(("path", "persona", "grow", "most"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("auth", ["session", "token"])
def test_query_count_does_not_grow_with_rows(
    world: Any,
    api_client: Any,
    django_assert_max_num_queries: Any,
    path: str,
    persona: str,
    grow: Callable[[Any, int], None],
    most: int,
    auth: str,
) -> None:
    url = path.format(A=world.trust_a.slug, C=world.collab.slug)
    grow(world, 5)
    few = _queries(api_client(world.people[persona], auth), url)
    grow(world, 15)
    client = api_client(world.people[persona], auth)
    with django_assert_max_num_queries(most):
        many = _queries(client, url)
    assert many == few
    assert client.get(url).json()  # and it did return the rows
