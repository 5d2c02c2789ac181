"""The demo's QI projects: fourteen invented projects across the 11 member trusts.

The texts are data, in ``demo/data/projects.json``; this module holds their typed shape and
loads them (:func:`qicollab.demo.loaders.load_specs`).

Written to read like the work of a mental-health improvement collaborative: restrictive
practice, missed doses, physical health checks, falls, deterioration, lithium and clozapine
monitoring, follow-up after discharge, safety huddles, sexual safety, QI capability and
learning from deaths with families. Every person is a demo person (``demo.content``);
every number is generated (``demo.measures``). Times are in months before the current
month, so the demo stays current: ``start=26`` began 26 months ago, ``end=-6`` is planned
to end in six months.
"""

from __future__ import annotations

from dataclasses import dataclass

from qicollab.demo.loaders import load_specs
from qicollab.demo.measures import BundleSpec, MeasureSpec


@dataclass(frozen=True)
class CycleSpec:
    """One PDSA cycle of a ramp; ``start`` in months before the current month."""

    title: str
    scale: str
    start: float
    days: int
    decision: str  # adopt | adapt | abandon, or "" while the cycle is under way
    prediction: str
    result: str
    learning: str
    next_steps: str = ""
    purpose: str = "test"
    studies: tuple[str, ...] = ()  # names of the measures its Study looked at


@dataclass(frozen=True)
class IdeaSpec:
    text: str
    description: str
    secondaries: tuple[int, ...]  # indexes into ProjectSpec.secondaries
    cycles: tuple[CycleSpec, ...] = ()


@dataclass(frozen=True)
class AimSpec:
    direction: str
    measure_text: str
    population: str
    setting: str
    baseline: str
    target: str
    unit: str
    months_ahead: int  # the target date: the end of the month this many months ahead


@dataclass(frozen=True)
class ProjectSpec:
    slug: str
    title: str
    summary: str
    lead_org: str
    workstream: str
    themes: tuple[str, ...]
    tags: tuple[str, ...]
    status: str
    sharing: str
    start: int
    end: int | None  # months ago (ended) or negative (planned end ahead)
    team: tuple[tuple[str, str], ...]  # (email, role)
    coproduction: tuple[tuple[str, str, str, str], ...]  # stage, level, what, who
    aim: AimSpec
    primaries: tuple[str, ...] = ()
    secondaries: tuple[tuple[str, tuple[int, ...]], ...] = ()
    ideas: tuple[IdeaSpec, ...] = ()
    final_score: float = 1.0
    faculty_ratings: bool = False
    measures: tuple[MeasureSpec, ...] = ()
    bundle: BundleSpec | None = None
    partners: tuple[str, ...] = ()
    stop_reason: str = ""
    barriers: tuple[str, ...] = ()


PROJECTS: tuple[ProjectSpec, ...] = load_specs(ProjectSpec, "projects.json")
