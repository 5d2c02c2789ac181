"""Hand-built fixtures for the hub: projects made row by row so every count is a hand count."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from qicollab.projects.models import Project, ProjectMember, ScaleDefinition, TeamRole
from qicollab.projects.selectors import scale_for

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
def scale(world: Any) -> ScaleDefinition:
    # Not ``ScaleDefinition.objects.first()``: a browser test earlier on the same worker
    # flushes the migration's scales; this seeds them again when they are missing.
    return scale_for(collaborative=world.collab)


Q1 = (date(2025, 1, 1), date(2025, 3, 31))
