"""A national programme of two collaboratives, built row by row so every figure is a hand count.

The shared ``world`` has collaborative C (trusts A and B) in the programme; here a second
collaborative S joins the programme with a care home and a GP practice, led by ``lead_s``.
Quarter: 2025-Q1 of the NHS financial year (April to June 2025).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from qicollab.deaths.identifiers import FinancialQuarter
from qicollab.organisations.models import CollaborativeMembership
from qicollab.projects.models import Project, Status
from tests import factories as f

Q = FinancialQuarter(2025, 1)
_n = itertools.count(1)


@dataclass
class Nation:
    world: Any
    second: Any
    care_home: Any
    practice: Any
    lead_s: Any


def project(collab: Any, org: Any, **kw: Any) -> Project:
    i = next(_n)
    return Project.objects.create(
        title=f"National project {i}",
        slug=f"national-project-{i}",
        collaborative=collab,
        lead_organisation=org,
        **kw,
    )


@pytest.fixture
def nation(world: Any) -> Nation:
    # The world's memberships start today; the quarter under test is in the past.
    CollaborativeMembership.objects.update(joined_on=date(2024, 1, 1))
    second = f.CollaborativeFactory(
        name="Wessex Test Patient Safety Collaborative", programme=world.programme
    )
    care_home = f.OrganisationFactory(name="Meadow View Care Home", org_type="care_home")
    practice = f.OrganisationFactory(name="Riverside Surgery", org_type="primary_care")
    f.MembershipFactory(collaborative=second, organisation=care_home, joined_on=date(2024, 1, 1))
    # Joined after the quarter: not engaged in 2025-Q1.
    f.MembershipFactory(collaborative=second, organisation=practice, joined_on=date(2025, 7, 1))
    lead_s = f.PersonFactory(email="lead_s@example.nhs.uk", full_name="Lead S")
    f.CollaborativeRoleFactory(person=lead_s, collaborative=second, role="lead")
    # Projects in C: two started at trust A in the quarter, one before; one completed at B.
    project(world.collab, world.trust_a, start_date=date(2025, 4, 1))
    project(world.collab, world.trust_a, start_date=date(2025, 6, 30))
    project(world.collab, world.trust_a, start_date=date(2025, 3, 31))
    project(
        world.collab,
        world.trust_b,
        status=Status.COMPLETED,
        start_date=date(2024, 5, 1),
        end_date=date(2025, 5, 15),
    )
    # Not completed (still active) though it has an end date in the quarter.
    project(world.collab, world.trust_b, start_date=date(2024, 5, 1), end_date=date(2025, 5, 15))
    # In S: one started at the care home.
    project(second, care_home, start_date=date(2025, 5, 1))
    return Nation(world, second, care_home, practice, lead_s)
