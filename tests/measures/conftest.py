"""Fixtures for measures: a trust A project (staff_a leads, partner_a on the team) with measures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qicollab.measures import services as ms
from qicollab.measures.models import Measure
from qicollab.projects.models import Project
from tests import factories as f


@pytest.fixture
def make_project(world: Any) -> Any:
    def _make(sharing: str = "private", title: str = "Reducing restrictive practice") -> Project:
        return f.project_with_team(world, title=title, sharing=sharing)

    return _make


@pytest.fixture
def project(make_project: Any) -> Project:
    return make_project()  # type: ignore[no-any-return]


@pytest.fixture
def make_measure(project: Project, world: Any) -> Any:
    def _make(**data: Any) -> Measure:
        defaults: dict[str, Any] = {
            "name": "Restrictive practice incidents",
            "measure_type": "outcome",
            "value_type": "count",
            "frequency": "monthly",
            "direction": "decrease",
        }
        defaults.update(data)
        return ms.measure_create(
            actor=world.people["staff_a"], project=defaults.pop("project", project), data=defaults
        )

    return _make


@pytest.fixture
def count_measure(make_measure: Any) -> Measure:
    return make_measure()  # type: ignore[no-any-return]


@pytest.fixture
def pct_measure(make_measure: Any) -> Measure:
    return make_measure(  # type: ignore[no-any-return]
        name="Percentage of patients with a physical-health check",
        measure_type="process",
        value_type="percentage",
        numerator_definition="Patients with a completed check",
        denominator_definition="Patients on the ward on the audit day",
        direction="increase",
        target=90,
    )


def months(n: int, start: dt.date = dt.date(2023, 1, 1)) -> list[dt.date]:
    out = []
    y, m = start.year, start.month
    for _ in range(n):
        out.append(dt.date(y, m, 1))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def fill(measure: Measure, actor: Any, values: list[Any]) -> None:
    """Store values month by month from January 2023 (tuples are numerator/denominator)."""
    points = []
    for period, v in zip(months(len(values)), values, strict=True):
        if isinstance(v, tuple):
            points.append(ms.PointInput(period, numerator=v[0], denominator=v[1]))
        else:
            points.append(ms.PointInput(period, value=v))
    plan = ms.plan_points(measure=measure, points=points)
    ms.points_import(
        actor=actor, measure=measure, points=points, fingerprint=plan.fingerprint, source="test"
    )
