"""The LfE world: trust A's ward, a recipient, her line manager, a ward leader and an LfE lead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests import factories as f
from tests.conftest import World
from tests.excellence import factories as xf


@dataclass
class Lfe:
    world: World
    ward: Any
    recipient: Any
    manager: Any
    ward_leader: Any
    lead: Any
    p: dict[str, Any]


@pytest.fixture
def lfe(world: World) -> Lfe:
    a = world.trust_a
    people = {}
    for name in ("recipient", "manager", "ward_leader", "lead"):
        person = f.PersonFactory(
            email=f"{name}@example.nhs.uk", full_name=name.replace("_", " ").title()
        )
        f.AffiliationFactory(person=person, organisation=a, role="staff")
        people[name] = person
    ward = f.UnitFactory(organisation=a, name="Ward 7", slug="ward-7")
    from qicollab.organisations.models import UnitMember

    UnitMember.objects.create(unit=ward, person=people["ward_leader"], role="leader")
    xf.lead(people["lead"], a, title="Chief Nurse")
    return Lfe(
        world,
        ward,
        people["recipient"],
        people["manager"],
        people["ward_leader"],
        people["lead"],
        {**world.people, **people},
    )
