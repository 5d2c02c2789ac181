"""Builders for the innovation tests: a source project with real data, and its innovation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qicollab.innovations import services
from qicollab.innovations.models import Adoption, Innovation
from qicollab.measures.models import DataPoint, Measure
from qicollab.measures.services import measure_create
from qicollab.projects.models import Project
from qicollab.projects.services.aims import aim_update
from qicollab.projects.services.drivers import node_add
from tests import factories as f

#: Twelve months around 10, then eight months around 4: a shift that is a special-cause
#: improvement for a measure where lower is better.
SHIFT = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 4, 3, 4, 5, 3, 4, 4, 3]


def source_project(
    world: Any, *, sharing: str = "collaborative", title: str = "Safety huddles on Willow ward"
) -> Project:
    """A trust A project (staff_a leads) with an aim, a driver diagram and two measures."""
    p = world.people
    project = f.project_with_team(world, title=title, sharing=sharing)
    actor = p["staff_a"]
    aim_update(
        actor=actor, project=project, data={"statement": "Halve restrictive practice by March."}
    )
    primary = node_add(actor=actor, project=project, kind="primary", text="Early recognition")
    secondary = node_add(
        actor=actor, project=project, kind="secondary", text="Shared risk picture", links=[primary]
    )
    node_add(
        actor=actor,
        project=project,
        kind="idea",
        text="Twice-daily safety huddle",
        links=[secondary],
        description="Ten minutes at 09:00 and 21:00.",
    )
    outcome = measure_create(
        actor=actor,
        project=project,
        data={
            "name": "Restrictive practice incidents",
            "measure_type": "outcome",
            "value_type": "count",
            "frequency": "monthly",
            "direction": "decrease",
            "numerator_definition": "Incidents of restraint or seclusion on Datix",
            "is_main_outcome": True,
        },
    )
    measure_create(
        actor=actor,
        project=project,
        data={
            "name": "Huddles held",
            "measure_type": "process",
            "value_type": "percentage",
            "frequency": "weekly",
            "numerator_definition": "Huddles held",
            "denominator_definition": "Huddles planned",
        },
    )
    add_points(outcome, SHIFT)
    return project


def add_points(measure: Measure, values: list[float], start: dt.date = dt.date(2024, 1, 1)) -> None:
    DataPoint.objects.bulk_create(
        DataPoint(
            measure=measure,
            period=dt.date(
                start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1, 1
            ),
            value=v,
        )
        for n, v in enumerate(values)
    )


def innovation(
    world: Any, *, sharing: str = "collaborative", project: Project | None = None, **kw: Any
) -> Innovation:
    project = project or source_project(
        world, sharing="public" if sharing == "public" else "collaborative"
    )
    data = services.InnovationInput(title=kw.pop("title", project.title), sharing=sharing, **kw)
    return services.innovation_create(actor=world.people["staff_a"], project=project, data=data)


def adopt(
    world: Any,
    inn: Innovation,
    who: str = "staff_b",
    organisation: Any = None,
    status: str = "testing",
    **kw: Any,
) -> Adoption:
    return services.adoption_create(
        actor=world.people[who],
        innovation=inn,
        organisation=organisation or world.trust_b,
        data=services.StatusInput(status=status, on=kw.pop("on", dt.date(2026, 3, 2)), **kw),
    )
