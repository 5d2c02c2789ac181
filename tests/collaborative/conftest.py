"""Hand-built fixtures for the hub: projects made row by row so every count is a hand count."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from qicollab.projects.models import Project, ProjectMember, ScaleDefinition, TeamRole

_n = itertools.count(1)


def make_project(world: Any, *, org: Any = None, collab: Any = None, **kw: Any) -> Project:
    """A project at ``org`` (trust A) in ``collab`` (C), led by staff_a unless told otherwise."""
    i = next(_n)
    lead = kw.pop("lead", world.people["staff_a"])
    project = Project.objects.create(
        title=kw.pop("title", f"Project {i}"),
        slug=f"hub-project-{i}",
        collaborative=collab or world.collab,
        lead_organisation=org or world.trust_a,
        **kw,
    )
    ProjectMember.objects.create(project=project, person=lead, role=TeamRole.LEAD)
    return project


@pytest.fixture
def scale() -> ScaleDefinition:
    return ScaleDefinition.objects.order_by("pk").first()  # type: ignore[return-value]


Q1 = (date(2025, 1, 1), date(2025, 3, 31))
