"""Units (wards, teams, services): one name per organisation, history, admin scope."""

from __future__ import annotations

import datetime as dt

import pytest

from qicollab.organisations.models import UnitMember
from qicollab.organisations.services import UnitError, unit_create, unit_member_set
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_unit_names_are_unique_within_an_organisation_not_across() -> None:
    org, other = OrganisationFactory(), OrganisationFactory()
    ward = unit_create(actor=None, organisation=org, name="Ash Ward", opened_on=dt.date(2024, 1, 1))
    assert ward.slug == "ash-ward" and ward.opened_on == dt.date(2024, 1, 1)
    with pytest.raises(UnitError, match="already has a unit called"):
        unit_create(actor=None, organisation=org, name="  ash ward ")
    assert unit_create(actor=None, organisation=other, name="Ash Ward").slug == "ash-ward"
    with pytest.raises(UnitError, match="Enter the unit's name"):
        unit_create(actor=None, organisation=org, name="   ")


def test_member_set_creates_then_changes_role_and_records_who() -> None:
    org = OrganisationFactory()
    lead, nurse = PersonFactory(), PersonFactory()
    ward = unit_create(actor=lead, organisation=org, name="Birch Ward")
    unit_member_set(actor=lead, unit=ward, person=nurse, role="member")
    unit_member_set(actor=lead, unit=ward, person=nurse, role="leader")
    member = UnitMember.objects.get(unit=ward, person=nurse)
    assert member.role == "leader"
    assert member.history.count() == 2
    assert member.history.first().history_user == lead
