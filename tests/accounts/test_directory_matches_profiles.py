"""The people directory and the profile pages follow one rule: every person listed can be
opened, and nobody who can be opened is missing from the list."""

from __future__ import annotations

from typing import Any

import pytest

from qicollab.accounts.models import Person
from qicollab.accounts.rules import can_view_person
from qicollab.accounts.selectors import person_list
from tests import factories as f
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", PERSONAS)
def test_directory_and_profile_rule_agree(world: Any, who: str) -> None:
    # A lay sponsor of the collaborative (affiliated to a non-member trust as a viewer):
    # named on the hub page, so a contact every member may look up.
    sponsor = f.PersonFactory(email="sponsor@example.org", full_name="Lay Sponsor")
    f.CollaborativeRoleFactory(person=sponsor, collaborative=world.collab, role="sponsor")
    viewer = world.people[who]
    listed = set(person_list(viewer=viewer).values_list("pk", flat=True))
    viewable = {p.pk for p in Person.objects.all() if can_view_person(viewer, p)}
    assert listed == viewable
    if who in ("staff_a", "pm_a", "faculty", "partner_a"):
        assert sponsor.pk in listed


def test_member_opens_the_sponsor_profile_listed_in_the_directory(world: Any, login: Any) -> None:
    sponsor = f.PersonFactory(email="sponsor@example.org", full_name="Lay Sponsor")
    f.CollaborativeRoleFactory(person=sponsor, collaborative=world.collab, role="sponsor")
    c = login(world.people["staff_a"])
    assert "Lay Sponsor" in c.get("/accounts/people/").content.decode()
    assert c.get(f"/accounts/people/{sponsor.pk}/").status_code == 200
    # outside the collaborative the sponsor's profile does not exist for them
    assert login(world.people["outsider"]).get(f"/accounts/people/{sponsor.pk}/").status_code == 404
