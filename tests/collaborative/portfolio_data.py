"""Hand-made series for the portfolio and signal feed tests, dated up to this month.

Every series is monthly and ends in the current month, so "the last 30 days" always holds
its newest point. The shapes are chosen so that the Making Data Count rules give a known
answer on a C chart (the counts were checked by hand against the rules):

* ``BASELINE``: 14 values that wander around 10.6, no run of 7, nothing near the limits;
* ``SHIFT``: 12 baseline values, then 7 values well below (a shift of 7 below the mean).
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.utils import timezone

from qicollab.measures.models import DataPoint, Measure
from qicollab.projects.models import Project, ProjectMember, TeamRole

BASELINE = [10, 12, 9, 11, 10, 13, 8, 11, 12, 10, 9, 11, 10, 12]
SHIFT = [10, 12, 9, 11, 10, 13, 8, 11, 12, 10, 9, 11, 6, 5, 7, 6, 5, 6, 7]

_n = itertools.count(1)


def months_to_now(count: int) -> list[date]:
    """``count`` month starts ending with the current month."""
    today = timezone.localdate()
    y, m = today.year, today.month
    out: list[date] = []
    for _ in range(count):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def project(world: Any, *, title: str, org: Any = None, collab: Any = None, **kw: Any) -> Project:
    """A project led by ``lead`` (staff_a by default) at ``org`` (trust A) in ``collab`` (C)."""
    i = next(_n)
    lead = kw.pop("lead", world.people["staff_a"])
    p = Project.objects.create(
        title=title,
        slug=f"pf-{i}-{title.lower().replace(' ', '-')[:40]}",
        collaborative=collab or world.collab,
        lead_organisation=org or world.trust_a,
        **kw,
    )
    ProjectMember.objects.create(project=p, person=lead, role=TeamRole.LEAD)
    return p


def measure(
    p: Project,
    values: list[float],
    *,
    name: str = "Falls on the ward",
    direction: str = "decrease",
    main: bool = True,
) -> Measure:
    """A monthly count measure (C chart) with ``values`` ending this month."""
    m = Measure.objects.create(
        project=p,
        name=name,
        measure_type="outcome",
        is_main_outcome=main,
        value_type="count",
        chart_type="c",
        frequency="monthly",
        direction=direction,
    )
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v)
        for d, v in zip(months_to_now(len(values)), values, strict=True)
    )
    return m
