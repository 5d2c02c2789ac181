"""The culture API: same rules as the pages, never a suppressed figure."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PERSONAS
from tests.culture.factories import add_responses, make_wave

pytestmark = pytest.mark.django_db


def _get(login: Any, world: Any, who: str | None, url: str) -> Any:
    return login(world.people[who] if who else None).get(url)


def test_results_route_permissions_and_suppression(
    world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    wave = make_wave(
        world,
        sizes={"Big ward": 30, "Tiny team": 6},
        leader=world.people["staff_a"],
        facilitator=world.people["partner_a"],
    )
    big, tiny = (
        wave.wave_units.get(unit__name="Big ward"),
        wave.wave_units.get(unit__name="Tiny team"),
    )
    add_responses(big, 12)
    add_responses(tiny, 3)
    url = f"/api/culture/waves/{wave.pk}/units/{big.pk}/results"
    expect = dict.fromkeys(PERSONAS, 404)
    expect.update(staff_a=200, partner_a=200, pm_a=403, viewer_a=403)
    assert {p: _get(login, world, p, url).status_code for p in PERSONAS} == expect
    assert _get(login, world, None, url).status_code == 401
    with django_assert_max_num_queries(30):
        body = _get(login, world, "staff_a", url).json()
    assert body["responses"] == 12 and body["domains"][0]["positive"] is not None
    small = _get(
        login, world, "staff_a", f"/api/culture/waves/{wave.pk}/units/{tiny.pk}/results"
    ).json()
    assert (
        small["responses"] is None
        and small["domains"] == []
        and "fewer than 5" in small["withheld_reason"]
    )
    # Counts: the tiny team's 3 is withheld, and so is the total it could be worked out from.
    w = _get(login, world, "pm_a", f"/api/culture/waves/{wave.pk}").json()
    counts = {u["unit"]: u["responses"] for u in w["units"]}
    assert counts == {"Big ward": None, "Tiny team": None}
    assert _get(login, world, "viewer_a", f"/api/culture/waves/{wave.pk}").json()["units"] is None
    assert _get(login, world, "faculty", f"/api/culture/waves/{wave.pk}").status_code == 404


def test_participation_and_instruments(world: Any, login: Any) -> None:
    wave = make_wave(world)
    add_responses(wave.wave_units.get(), 7)
    url = f"/api/culture/collaboratives/{world.collab.slug}/participation"
    expect = dict.fromkeys(PERSONAS, 403)
    expect.update(collab_lead=200, faculty=200, national_admin=200, pm_a=200)
    assert {p: _get(login, world, p, url).status_code for p in PERSONAS} == expect
    rows = {r["organisation"]: r for r in _get(login, world, "faculty", url).json()}
    row = rows[world.trust_a.name]
    assert row["teams_surveyed"] == 1 and row["responses"] == 7 and "positive" not in row
    insts = _get(login, world, "outsider", "/api/culture/instruments").json()
    saq = next(i for i in insts if i["code"] == "saq-short-form")
    assert all(it["text"] == "" for d in saq["domains"] for it in d["items"])
