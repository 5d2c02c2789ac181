"""Fixtures for learning from deaths: mortality-review teams at trusts A and B, and cases."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from qicollab.deaths import services
from qicollab.deaths.models import DeathsSettings, MortalityTeamMember
from tests import factories as f


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # The personas' passwords are never used here; Argon2 would make each test seconds slower.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def teams(world: Any) -> Any:
    """staff_a reviews at A; lead_a leads at A; reviewer_b reviews at B. pm_a is not on the team."""
    p = world.people
    lead_a = f.PersonFactory(email="lead_a@example.nhs.uk", full_name="Lead A")
    f.AffiliationFactory(person=lead_a, organisation=world.trust_a, role="staff")
    reviewer_b = f.PersonFactory(email="reviewer_b@example.nhs.uk", full_name="Reviewer B")
    f.AffiliationFactory(person=reviewer_b, organisation=world.trust_b, role="staff")
    MortalityTeamMember.objects.create(
        organisation=world.trust_a, person=p["staff_a"], role="reviewer"
    )
    MortalityTeamMember.objects.create(organisation=world.trust_a, person=lead_a, role="lead")
    MortalityTeamMember.objects.create(
        organisation=world.trust_b, person=reviewer_b, role="reviewer"
    )
    DeathsSettings.objects.create(organisation=world.trust_a, nhs_number_enabled=True)
    p["lead_a"] = lead_a
    p["reviewer_b"] = reviewer_b
    return world


CASE_DEFAULTS: dict[str, Any] = {
    "date_of_death": date(2025, 5, 10),
    "age_band": "45-54",
    "setting": "community",
    "service": "Community mental health team North",
    "category": "unexpected_natural",
    "notified_by": "ward",
}


def make_case(world: Any, *, org: Any = None, actor: Any = None, **overrides: Any) -> Any:
    org = org or world.trust_a
    actor = actor or world.people["staff_a"]
    data = {**CASE_DEFAULTS, **overrides}
    data.setdefault(
        "case_reference",
        f"LfD-{org.ods_code}-{MortalityTeamMember.objects.count()}-{id(data) % 100000}",
    )
    return services.case_create(actor=actor, organisation=org, data=data)


@pytest.fixture
def case_a(teams: Any) -> Any:
    return make_case(teams, case_reference="LfD-A-001", nhs_number="943 476 5919")
