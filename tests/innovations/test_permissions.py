"""Who sees, changes and adopts an innovation: every persona and an outsider, pages and rules."""

from __future__ import annotations

from typing import Any

import pytest

from qicollab.innovations.rules import can_view_innovation
from qicollab.innovations.selectors import visible_innovations
from tests.conftest import PERSONAS
from tests.innovations import factories as fi

COLLAB = {
    "national_admin": 200,
    "collab_lead": 200,
    "faculty": 200,
    "pm_a": 200,
    "staff_a": 200,
    "partner_a": 200,
    "viewer_a": 200,
    "staff_b": 200,
    "pm_o": 404,
    "outsider": 404,
    None: 404,
}
ALL = {**COLLAB, "pm_o": 200}
PUBLIC = {**ALL, "outsider": 200, None: 200}


@pytest.mark.parametrize(
    ("sharing", "expected"), [("collaborative", COLLAB), ("all", ALL), ("public", PUBLIC)]
)
def test_detail_and_spread_follow_sharing(
    world: Any, login: Any, sharing: str, expected: dict[Any, int]
) -> None:
    inn = fi.innovation(world, sharing=sharing)
    for who, status in expected.items():
        c = login(world.people[who] if who else None)
        assert c.get(inn.get_absolute_url()).status_code == status, (who, sharing)
        assert c.get(f"{inn.get_absolute_url()}spread/").status_code == status, (who, sharing)
        assert c.get(f"{inn.get_absolute_url()}change-package.json").status_code == status, who


@pytest.mark.parametrize("sharing", ["collaborative", "all", "public"])
def test_rule_and_selector_agree_for_every_persona(world: Any, sharing: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    inn = fi.innovation(world, sharing=sharing)
    for who in (*PERSONAS, None):
        person = world.people[who] if who else AnonymousUser()
        in_list = visible_innovations(viewer=person).filter(pk=inn.pk).exists()
        assert bool(can_view_innovation(person, inn)) == in_list, (who, sharing)


ADOPT = {
    "national_admin": 403,  # no organisation to adopt for
    "collab_lead": 200,  # staff at the AHSN, a different organisation
    "faculty": 403,
    "pm_a": 403,  # the source organisation: nothing to adopt
    "staff_a": 403,
    "partner_a": 403,
    "viewer_a": 403,
    "staff_b": 200,
    "pm_o": 404,
    "outsider": 404,
}


def test_adopt_page_for_every_persona(world: Any, login: Any) -> None:
    from qicollab.organisations.models import CollaborativeMembership

    CollaborativeMembership.objects.create(collaborative=world.collab, organisation=world.ahsn)
    inn = fi.innovation(world)
    for who, status in ADOPT.items():
        r = login(world.people[who]).get(f"{inn.get_absolute_url()}adopt/")
        assert r.status_code == status, who
    assert login(None).get(f"{inn.get_absolute_url()}adopt/").status_code == 302


def test_edit_only_for_the_team_and_coordinators(world: Any, login: Any) -> None:
    inn = fi.innovation(world)
    expected = {
        "national_admin": 200,
        "collab_lead": 200,
        "faculty": 200,
        "pm_a": 200,
        "staff_a": 200,
        "partner_a": 200,
        "viewer_a": 403,
        "staff_b": 403,
        "pm_o": 404,
        "outsider": 404,
    }
    for who, status in expected.items():
        assert (
            login(world.people[who]).get(f"{inn.get_absolute_url()}edit/").status_code == status
        ), who


def test_adoption_changed_only_by_the_adopting_organisation(world: Any, login: Any) -> None:
    inn = fi.innovation(world)
    a = fi.adopt(world, inn)
    body = {"status": "adopted", "on": "2026-04-01"}
    for who, status in {"staff_a": 403, "viewer_a": 403, "pm_o": 404, "outsider": 404}.items():
        assert login(world.people[who]).post(f"/adoptions/{a.pk}/", body).status_code == status, who
        assert (
            login(world.people[who]).post(f"/adoptions/{a.pk}/start-project/", {}).status_code
            == status
        ), who
    assert login(world.people["staff_b"]).post(f"/adoptions/{a.pk}/", body).status_code == 302
    a.refresh_from_db()
    assert a.status == "adopted"


def test_evidence_charts_follow_the_project_sharing(world: Any, login: Any) -> None:
    project = fi.source_project(world, sharing="organisation")
    inn = fi.innovation(world, project=project, sharing="collaborative")
    own = login(world.people["viewer_a"]).get(inn.get_absolute_url()).content.decode()
    other = login(world.people["staff_b"]).get(inn.get_absolute_url()).content.decode()
    assert "app-chart__image" in own
    assert "app-chart__image" not in other
    assert "belong to a project that is not shared with you" in other
