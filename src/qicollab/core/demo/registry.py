"""The ordered list of demo steps, and running them.

A step is a function ``build(ctx)`` that makes its part of the demo idempotently: it finds
rows by natural key (slug, email, collaborative + slug…) through ``ctx.ensure`` and creates
only what is missing. Later features add a step to :data:`STEPS` after the steps whose rows
they use (projects after people and workstreams, measures after projects, and so on).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction

from qicollab.collaborative.demo import build_goals
from qicollab.core.demo import organisations, people, structure
from qicollab.core.demo.context import DemoContext, StepStats
from qicollab.deaths.demo import build_deaths


def _build_events_feedback(ctx: DemoContext) -> None:
    # Imported when run: the module imports the demo package's content.
    from qicollab.events.demo_feedback import build_events_feedback

    build_events_feedback(ctx)


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    build: Callable[[DemoContext], None]


STEPS: tuple[Step, ...] = (
    Step("organisations", "Organisations", organisations.build_organisations),
    Step("people", "People and their organisations", people.build_people),
    Step("programme", "National programme and its admins", organisations.build_programme),
    Step("collaboratives", "Collaboratives", organisations.build_collaboratives),
    Step("memberships", "Member organisations", organisations.build_memberships),
    Step("roles", "Leads and faculty", structure.build_roles),
    Step("workstreams", "Workstreams", structure.build_workstreams),
    Step("themes", "Cross-cutting themes", structure.build_themes),
    Step("deaths", "Learning from deaths: cases, reviews and shared learning", build_deaths),
    Step("goals", "Programme goals measured by the platform", build_goals),
    Step(
        "events_feedback",
        "Storyboards, steals and feedback at past learning sessions",
        _build_events_feedback,
    ),
)


class UnknownStep(ValueError):
    pass


@dataclass(frozen=True)
class StepResult:
    step: Step
    stats: StepStats
    seconds: float


def run_demo(
    *,
    refresh: bool = False,
    only: Sequence[str] = (),
    on_step: Callable[[StepResult], None] | None = None,
) -> list[StepResult]:
    """Run the demo steps in order, in one transaction (a failure leaves the database as it was).

    ``only`` limits the run to the named steps; they still expect the rows of earlier steps.
    """
    unknown = set(only) - {s.key for s in STEPS}
    if unknown:
        raise UnknownStep(
            f"No demo step called {', '.join(sorted(unknown))}. "
            f"The steps are: {', '.join(s.key for s in STEPS)}."
        )
    ctx = DemoContext(refresh=refresh)
    results: list[StepResult] = []
    with transaction.atomic():
        for step in STEPS:
            if only and step.key not in only:
                continue
            ctx.stats = StepStats()
            started = time.perf_counter()
            step.build(ctx)
            result = StepResult(step, ctx.stats, time.perf_counter() - started)
            results.append(result)
            if on_step is not None:
                on_step(result)
    return results
