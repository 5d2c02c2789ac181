"""Every endpoint and every persona gets exactly the status the matching page would give.

The table is written out by hand from the rules (organisations/rules.py, accounts/rules.py)
and the world in tests/conftest.py, not computed from them: a change to a permission must
change this table too.

The world: collaborative C (public) has member trusts A (pm_a, staff_a, partner_a,
viewer_a) and B (staff_b); it is led by collab_lead (staff of AHSN H, which is not a
member), taught by faculty, and administered by national_admin through its national
programme. Trust O (pm_o) is the only member of private collaborative D. The outsider
belongs to nothing.

Columns: national_admin, collab_lead, faculty, pm_a, staff_a, partner_a, viewer_a,
staff_b, pm_o, outsider, anonymous. Paths are under /api. Placeholders: {A} {B} {H} {O}
organisation slugs, {C} {D} collaborative slugs, {N} the national programme's slug, {mB} {mO}
the memberships of B in C and O in D, {p:name} a persona's id.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from tests.api.conftest import call

COLUMNS = (
    "national_admin", "collab_lead", "faculty", "pm_a", "staff_a", "partner_a",
    "viewer_a", "staff_b", "pm_o", "outsider", "anonymous",
)  # fmt: skip

TABLE = """
                                            nat  lead fac  pmA  stA  parA vwA  stB  pmO  out  anon
GET    /me                                  200  200  200  200  200  200  200  200  200  200  401

GET    /organisations                       200  200  200  200  200  200  200  200  200  200  401
GET    /organisations/{A}                   200  200  200  200  200  200  200  200  404  404  401
GET    /organisations/{B}                   200  200  200  200  200  200  200  200  404  404  401
GET    /organisations/{H}                   200  200  404  404  404  404  404  404  404  404  401
GET    /organisations/{O}                   200  404  404  404  404  404  404  404  200  404  401
GET    /organisations/{A}/people            200  200  200  200  200  200  200  403  404  404  401
GET    /organisations/{B}/people            200  200  200  403  403  403  403  200  404  404  401
GET    /organisations/{O}/people            403  404  404  404  404  404  404  404  200  404  401
POST   /organisations                       201  201  403  403  403  403  403  403  403  403  401
PATCH  /organisations/{A}                   200  403  403  200  403  403  403  403  404  404  401
PATCH  /organisations/{B}                   200  403  403  403  403  403  403  403  404  404  401
PATCH  /organisations/{O}                   403  404  404  404  404  404  404  404  200  404  401

GET    /collaboratives                      200  200  200  200  200  200  200  200  200  200  200
GET    /collaboratives/{C}                  200  200  200  200  200  200  200  200  200  200  200
GET    /collaboratives/{D}                  404  404  404  404  404  404  404  404  200  404  404
GET    /collaboratives/{C}/members          200  200  200  200  200  200  200  200  200  200  200
GET    /collaboratives/{D}/members          404  404  404  404  404  404  404  404  200  404  404
PATCH  /collaboratives/{C}                  200  200  403  403  403  403  403  403  403  403  401
PATCH  /collaboratives/{D}                  404  404  404  404  404  404  404  404  403  404  401
POST   /collaboratives/{C}/members          201  201  403  403  403  403  403  403  403  403  401
POST   /collaboratives/{D}/members          404  404  404  404  404  404  404  404  403  404  401
POST   /collaboratives/{C}/members/{mB}/end 200  200  403  403  403  403  403  403  403  403  401
POST   /collaboratives/{D}/members/{mO}/end 404  404  404  404  404  404  404  404  403  404  401
GET    /collaboratives/{C}/dashboard        200  200  200  403  403  403  403  403  403  403  401
GET    /collaboratives/{D}/dashboard        404  404  404  404  404  404  404  404  403  404  401
GET    /collaboratives/{C}/coaching         200  200  200  200  403  403  403  403  403  403  401
GET    /collaboratives/{D}/coaching         404  404  404  404  404  404  404  404  200  404  401

GET    /national/{N}/figures                200  200  403  403  403  403  403  403  404  404  401

GET    /people                              200  200  200  200  200  200  200  200  200  200  401
GET    /people/{p:staff_a}                  200  200  200  200  200  200  200  404  404  404  401
GET    /people/{p:staff_b}                  200  200  200  404  404  404  404  200  404  404  401
GET    /people/{p:pm_a}                     200  200  200  200  200  200  200  200  404  404  401
GET    /people/{p:collab_lead}              200  200  200  200  200  200  200  200  404  404  401
GET    /people/{p:pm_o}                     404  404  404  404  404  404  404  404  200  404  401
GET    /people/{p:outsider}                 404  404  404  404  404  404  404  404  404  200  401
"""

NEW_ORGANISATION = {
    "name": "Newly Added NHS Trust",
    "org_type": "nhs_trust",
    "ods_code": "RZZ",
    "region": "sw",
}


def _body(method: str, path: str) -> Any:
    """A valid body for each writing endpoint, so that the status shows the permission alone."""
    if method == "GET":
        return None
    if path.endswith("/end"):
        return {"left_on": timezone.localdate().isoformat()}
    if path.endswith("/members"):
        return {"organisation": "{H}", "joined_on": "2025-04-01"}
    if method == "POST":
        return NEW_ORGANISATION
    if path.startswith("/api/organisations/"):
        return {"description": "Changed through the API."}
    return {"purpose": "Changed through the API."}


def _table() -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in TABLE.strip().splitlines()[1:]:
        if line.strip():
            method, path, *codes = line.split()
            assert len(codes) == len(COLUMNS), line
            rows.append((method, "/api" + path, codes))
    return rows


# Permissions do not depend on how a request authenticates (both set ``request.user``);
# every row runs with the session, and for a few personas with a token too.
TOKEN_PERSONAS = ("national_admin", "pm_a", "outsider")


def _rows() -> list[Any]:
    cases = []
    for method, path, codes in _table():
        for persona, code in zip(COLUMNS, codes, strict=True):
            auths = ["session", "token"] if persona in TOKEN_PERSONAS else ["session"]
            for auth in auths:
                cases.append(
                    pytest.param(
                        method,
                        path,
                        persona,
                        auth,
                        int(code),
                        id=f"{method} {path} {persona} {auth}",
                    )
                )
    return cases


def _fill(text: str, world: Any) -> str:
    values = {
        "A": world.trust_a.slug, "B": world.trust_b.slug, "H": world.ahsn.slug,
        "O": world.trust_o.slug, "C": world.collab.slug, "D": world.other_collab.slug,
        "N": world.programme.slug,
        "mB": world.collab.memberships.get(organisation=world.trust_b).pk,
        "mO": world.other_collab.memberships.get(organisation=world.trust_o).pk,
        **{f"p:{name}": person.pk for name, person in world.people.items()},
    }  # fmt: skip
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text


def _resolve(body: Any, world: Any) -> Any:
    if body is None:
        return None
    return {k: _fill(v, world) if isinstance(v, str) else v for k, v in body.items()}


@pytest.mark.parametrize(("method", "path", "persona", "auth", "expected"), _rows())
def test_status_matches_page_permissions(
    world: Any, api_client: Any, method: str, path: str, persona: str, auth: str, expected: int
) -> None:
    person = None if persona == "anonymous" else world.people[persona]
    client = api_client(person, auth)
    body = _resolve(_body(method, path), world)
    response = call(client, method, _fill(path, world), body)
    assert response.status_code == expected, response.content
    assert response["Content-Type"].startswith("application/json")
    if expected >= 400:
        assert response.json()["detail"], "every refusal gives a reason"


def test_the_table_covers_every_operation() -> None:
    """A new endpoint in these routers must be added to the table, with its expectations."""
    from qicollab.api.api import api

    schema = api.get_openapi_schema()
    every_operation = {
        (method.upper(), path) for path, ops in schema["paths"].items() for method in ops
    }
    documented = {
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if set(op.get("tags", ())) & {"people", "organisations", "collaboratives"}
    }
    in_table = set()
    for method, path, _codes in _table():
        generic = re.sub(r"\{[ABHOCDN]\}", "{slug}", path)
        generic = re.sub(r"\{m[BO]\}", "{membership_id}", generic)
        generic = re.sub(r"\{p:\w+\}", "{person_id}", generic)
        in_table.add((method, generic))
    # Every operation of these routers has a row; rows for other routers' operations (the
    # dashboard, coaching, national figures) are welcome but must name real operations.
    assert documented <= in_table, documented - in_table
    assert in_table <= every_operation, in_table - every_operation
