"""Fixtures for project tests: a project at trust A led by staff_a, with partner_a on the team."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from qicollab.projects import services
from qicollab.projects.models import Project
from tests import factories as f


@pytest.fixture
def make_project(world: Any) -> Any:
    """``make_project(sharing=...)``: a trust A project, staff_a its lead, partner_a a partner."""

    def _make(
        sharing: str = "private", title: str = "Safer observations on Willow ward", **kw: Any
    ) -> Project:
        return f.project_with_team(world, title=title, sharing=sharing, **kw)

    return _make


@pytest.fixture
def project(make_project: Any) -> Project:
    return make_project()  # type: ignore[no-any-return]


@pytest.fixture
def full_project(project: Project, world: Any) -> Project:
    """A project with an aim, a small driver diagram, two PDSA cycles and ratings."""
    actor = world.people["staff_a"]
    services.aim_update(
        actor=actor,
        project=project,
        data={
            "direction": "reduce",
            "measure_text": "restrictive practice incidents",
            "population": "adult inpatients",
            "setting": "Willow ward",
            "baseline_value": Decimal("12"),
            "target_value": Decimal("6"),
            "unit": "per 1,000 occupied bed days",
            "target_date": dt.date(2030, 3, 31),
        },
    )
    p1 = services.node_add(
        actor=actor, project=project, kind="primary", text="Safe and therapeutic ward environment"
    )
    p2 = services.node_add(
        actor=actor, project=project, kind="primary", text="Skilled & confident staff"
    )
    s1 = services.node_add(
        actor=actor,
        project=project,
        kind="secondary",
        text="Safety huddles every shift",
        links=[p1],
    )
    s2 = services.node_add(
        actor=actor,
        project=project,
        kind="secondary",
        text="De-escalation training",
        links=[p1, p2],
    )
    i1 = services.node_add(
        actor=actor,
        project=project,
        kind="idea",
        text="Safety huddle at handover <with> patients",
        links=[s1],
    )
    i2 = services.node_add(
        actor=actor,
        project=project,
        kind="idea",
        text="Safewards calm-down methods",
        links=[s1, s2],
    )
    services.node_add(actor=actor, project=project, kind="idea", text="Sensory room", links=[])
    services.pdsa_cycle_create(
        actor=actor,
        project=project,
        change_ideas=[i1],
        data={
            "title": "Huddle on one shift",
            "scale": "1 ward, 1 shift",
            "status": "complete",
            "act_decision": "adapt",
        },
    )
    services.pdsa_cycle_create(
        actor=actor,
        project=project,
        change_ideas=[i1],
        data={"title": "Huddle all week", "scale": "1 ward, 1 week", "status": "do"},
    )
    services.pdsa_cycle_create(
        actor=actor,
        project=project,
        change_ideas=[i2],
        data={
            "title": "Calm-down box",
            "scale": "2 patients",
            "status": "complete",
            "act_decision": "adopt",
        },
    )
    services.progress_report_save(
        actor=actor, project=project, rater_type="self", month=dt.date(2025, 1, 1), score="1.5"
    )
    services.progress_report_save(
        actor=actor,
        project=project,
        rater_type="self",
        month=dt.date(2025, 3, 1),
        score="2.5",
        progress="Two cycles done",
        barriers="Staffing",
        help_needed="Data support",
    )
    services.progress_report_save(
        actor=world.people["faculty"],
        project=project,
        rater_type="faculty",
        month=dt.date(2025, 3, 1),
        score="2.0",
    )
    project.refresh_from_db()
    return project
