"""Factories and a small ward world for the huddles tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from qicollab.huddles import services
from qicollab.huddles.models import HarmCategory
from qicollab.organisations.services import unit_create, unit_member_set
from tests import factories as f


@dataclass
class Ward:
    unit: Any
    nurse: Any
    leader: Any
    categories: dict[str, HarmCategory]


def make_ward(
    organisation: Any,
    *,
    name: str = "Ash Ward",
    opened_on: dt.date = dt.date(2024, 1, 1),
    beds: int | None = 20,
    nurse: Any = None,
) -> Ward:
    """A ward of ``organisation`` with a nurse and a leader and the default categories."""
    unit = unit_create(
        actor=None, organisation=organisation, name=name, opened_on=opened_on, beds=beds
    )
    nurse = nurse or f.PersonFactory(full_name="Ward Nurse")
    leader = f.PersonFactory(full_name="Ward Leader")
    unit_member_set(actor=None, unit=unit, person=nurse, role="member")
    unit_member_set(actor=None, unit=unit, person=leader, role="leader")
    cats = services.harm_categories_ensure(actor=None, organisation=organisation)
    return Ward(unit, nurse, leader, {c.code: c for c in cats})
