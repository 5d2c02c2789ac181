"""Shared fixtures: a small world of two trusts in one collaborative, and the personas.

The world: collaborative C (public) led from AHSN H, with member trusts A and B; trust O is
in a different, private collaborative D. Personas cover every role plus an outsider.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests import factories as f

# Playwright's sync API runs an event loop in the test thread; Django then refuses ORM
# calls unless told this is deliberate. Tests only, never in settings.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""


@dataclass
class World:
    programme: Any
    collab: Any
    other_collab: Any
    ahsn: Any
    trust_a: Any
    trust_b: Any
    trust_o: Any
    people: dict[str, Any]


PERSONAS = (
    "national_admin",
    "collab_lead",
    "faculty",
    "pm_a",
    "staff_a",
    "partner_a",
    "viewer_a",
    "staff_b",
    "pm_o",
    "outsider",
)


@pytest.fixture
def world(db: Any) -> World:
    programme = f.ProgrammeFactory(name="National Patient Safety Collaborative programme")
    ahsn = f.OrganisationFactory(
        name="Testshire Health Innovation Network", org_type="ahsn", ods_code="QX1"
    )
    trust_a = f.OrganisationFactory(name="Avon Test Partnership NHS Trust", ods_code="RA1")
    trust_b = f.OrganisationFactory(name="Brook Test Partnership NHS Trust", ods_code="RB1")
    trust_o = f.OrganisationFactory(name="Other Region NHS Trust", ods_code="RO1")
    collab = f.CollaborativeFactory(
        name="Test Mental Health Collaborative",
        programme=programme,
        lead_organisation=ahsn,
        is_public=True,
    )
    other = f.CollaborativeFactory(name="Private Collaborative", is_public=False)
    p = {
        name: f.PersonFactory(
            email=f"{name}@example.nhs.uk", full_name=name.replace("_", " ").title()
        )
        for name in PERSONAS
    }
    programme.admins.add(p["national_admin"])
    f.CollaborativeRoleFactory(person=p["collab_lead"], collaborative=collab, role="lead")
    f.CollaborativeRoleFactory(person=p["faculty"], collaborative=collab, role="faculty")
    f.AffiliationFactory(person=p["collab_lead"], organisation=ahsn, role="staff")
    f.AffiliationFactory(person=p["pm_a"], organisation=trust_a, role="programme_manager")
    f.AffiliationFactory(person=p["staff_a"], organisation=trust_a, role="staff")
    f.AffiliationFactory(person=p["partner_a"], organisation=trust_a, role="partner")
    f.AffiliationFactory(person=p["viewer_a"], organisation=trust_a, role="viewer")
    f.AffiliationFactory(person=p["staff_b"], organisation=trust_b, role="staff")
    f.AffiliationFactory(person=p["pm_o"], organisation=trust_o, role="programme_manager")
    p["partner_a"].lived_experience = "carer"
    p["partner_a"].save()
    f.MembershipFactory(collaborative=collab, organisation=trust_a, programme_manager=p["pm_a"])
    f.MembershipFactory(collaborative=collab, organisation=trust_b)
    f.MembershipFactory(collaborative=other, organisation=trust_o, programme_manager=p["pm_o"])
    return World(programme, collab, other, ahsn, trust_a, trust_b, trust_o, p)


@pytest.fixture
def login(client: Client) -> Any:
    """``login(person)`` returns a client logged in as that person (``None``: anonymous)."""

    def _login(person: Any) -> Client:
        c = Client()
        if person is not None:
            c.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        return c

    return _login


# --- Browser tests (Playwright + Debian Chromium + axe-core) --------------------------


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Skip browser tests, with a one-line reason, where Chromium is not installed."""
    if CHROMIUM:
        return
    skip = pytest.mark.skip(
        reason="Chromium not found (apt-get install chromium); browser test skipped"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM}
