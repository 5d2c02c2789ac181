"""Search fixtures: falls projects at two trusts, one private, one shared, indexed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from qicollab.projects import services as projects
from qicollab.search.index import rebuild
from tests import factories as f

SECRET = "kestrelwing"  # a word only trust A's private project holds


@dataclass
class Falls:
    private_a: Any  # trust A, private; its change idea holds SECRET
    shared_b: Any  # trust B, shared with the collaborative
    other: Any  # trust B, collaborative-shared, about something else
    workstream: Any
    theme: Any


def make_falls(world: Any) -> Falls:
    p = world.people
    ws = f.WorkstreamFactory(collaborative=world.collab, name="Falls prevention")
    theme = f.ThemeFactory(collaborative=world.collab, name="Learning from harm")
    private_a = projects.project_create(
        actor=p["staff_a"],
        collaborative=world.collab,
        lead_organisation=world.trust_a,
        title="Reducing inpatient falls on Willow ward",
        summary="Falls with harm at night <script>alert(1)</script> on older adult wards.",
        workstream=ws,
    )
    projects.node_add(
        actor=p["staff_a"],
        project=private_a,
        kind="idea",
        text=f"Lying and standing blood pressure ({SECRET}) at admission",
    )
    shared_b = projects.project_create(
        actor=p["staff_b"],
        collaborative=world.collab,
        lead_organisation=world.trust_b,
        title="Preventing falls with harm",
        summary="Falls at night: a falls huddle and lying and standing blood pressure.",
        sharing="collaborative",
        workstream=ws,
        themes=[theme],
    )
    other = projects.project_create(
        actor=p["staff_b"],
        collaborative=world.collab,
        lead_organisation=world.trust_b,
        title="Sexual safety on acute wards",
        summary="Safer wards for women: a sexual safety charter.",
        sharing="collaborative",
    )
    rebuild()
    return Falls(private_a, shared_b, other, ws, theme)


@pytest.fixture
def falls(world: Any) -> Falls:
    return make_falls(world)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The engine's table or index also under ``--nomigrations`` (idempotent)."""
    import importlib

    from django.db import connection

    engines = importlib.import_module("qicollab.search.migrations.0002_engines")
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        engines.forwards(None, editor)
