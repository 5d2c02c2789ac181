"""One rule for the private lived-experience flag on every surface (issue 11).

The person, the leads and admins of their collaboratives see it; colleagues, faculty and
other trusts do not. "Lived-experience partner" as a profession says the same thing, so it
follows the same rule. Pages, API and admin are checked for every persona against the
predicate ``accounts.view_lived_experience``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from qicollab.accounts.models import Person
from qicollab.accounts.rules import can_see_lived_experience
from qicollab.accounts.selectors import lived_experience_visible_q, person_list
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

LABEL = "Lived-experience partner"
VISIBLE_TO = {"partner_a", "collab_lead", "national_admin"}


@pytest.fixture
def partner(world: Any) -> Person:
    person: Person = world.people["partner_a"]
    person.profession = "lived_experience"
    person.job_title = "Expert by experience"
    person.save()
    return person


@pytest.mark.parametrize("who", PERSONAS)
def test_the_sql_mirror_agrees_with_the_rule(world: Any, partner: Person, who: str) -> None:
    viewer = world.people[who]
    listed = set(
        Person.objects.filter(lived_experience_visible_q(viewer=viewer)).values_list(
            "pk", flat=True
        )
    )
    expected = {p.pk for p in Person.objects.all() if can_see_lived_experience(viewer, p)}
    assert listed == expected
    assert (partner.pk in listed) == (who in VISIBLE_TO)


@pytest.mark.parametrize("who", PERSONAS)
def test_directory_shows_the_lived_experience_profession_only_by_the_rule(
    world: Any, login: Any, partner: Person, who: str
) -> None:
    viewer = world.people[who]
    if not person_list(viewer=viewer).filter(pk=partner.pk).exists():
        return  # not in this persona's directory at all
    html = login(viewer).get("/accounts/people/?q=Partner").content.decode()
    assert partner.full_name in html
    assert (LABEL in html) == (who in VISIBLE_TO)


@pytest.mark.parametrize("who", ["partner_a", "collab_lead", "pm_a", "staff_a", "faculty"])
def test_person_page_follows_the_rule(world: Any, login: Any, partner: Person, who: str) -> None:
    response = login(world.people[who]).get(partner.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    profession = re.search(r"Profession\s*</dt>\s*<dd[^>]*>\s*(.*?)\s*</dd>", html, re.S)
    assert profession is not None
    assert (profession.group(1) == LABEL) == (who in VISIBLE_TO)
    assert ("Carer" in html) == (who in VISIBLE_TO)


@pytest.mark.parametrize("who", ["partner_a", "collab_lead", "pm_a", "staff_a", "faculty"])
def test_api_follows_the_rule(world: Any, login: Any, partner: Person, who: str) -> None:
    client = login(world.people[who])
    detail = client.get(f"/api/people/{partner.pk}").json()
    listed = client.get("/api/people?q=Partner").json()["items"]
    row = next(p for p in listed if p["id"] == partner.pk)
    visible = who in VISIBLE_TO
    for shape in (detail, row):
        assert (shape["profession"] == "lived_experience") == visible
        assert (shape["profession_label"] == LABEL) == visible
    assert (detail["lived_experience"] == "carer") == visible


def _operator(world: Any, who: str) -> Person:
    person: Person = world.people[who]
    person.is_staff = True
    person.save()
    return person


@pytest.mark.parametrize("who", ["pm_a", "staff_a", "faculty"])
def test_admin_hides_and_does_not_filter_by_it_for_others(
    world: Any, login: Any, partner: Person, who: str
) -> None:
    client = login(_operator(world, who))
    changelist = client.get("/admin/accounts/person/").content.decode()
    assert LABEL not in changelist and "By lived experience" not in changelist
    filtered = client.get("/admin/accounts/person/?profession=lived_experience").content.decode()
    assert partner.email not in filtered
    filtered = client.get("/admin/accounts/person/?lived_experience=carer").content.decode()
    assert partner.email not in filtered
    change = client.get(f"/admin/accounts/person/{partner.pk}/change/")
    if change.status_code == 200:
        html = change.content.decode()
        assert 'name="lived_experience"' not in html and "Carer" not in html
        assert LABEL not in html


def test_admin_shows_and_filters_by_it_for_the_lead(
    world: Any, login: Any, partner: Person
) -> None:
    client = login(_operator(world, "collab_lead"))
    changelist = client.get("/admin/accounts/person/").content.decode()
    assert LABEL in changelist and "lived experience" in changelist
    filtered = client.get("/admin/accounts/person/?lived_experience=carer").content.decode()
    assert partner.email in filtered
    html = client.get(f"/admin/accounts/person/{partner.pk}/change/").content.decode()
    assert "Carer" in html
