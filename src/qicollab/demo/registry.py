"""The ordered list of demo steps, and running them.

A step is a function ``build(ctx)`` that makes its part of the demo idempotently: it finds
rows by natural key (slug, email, collaborative + slug…) through ``ctx.ensure`` and creates
only what is missing. Later features add a step to :data:`STEPS` after the steps whose rows
they use (projects after people and workstreams, measures after projects, and so on), and
name those steps in ``requires`` so that ``seed_demo --only STEP`` runs them first.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from qicollab.demo import organisations, people, structure
from qicollab.demo.collaborative import build_coaching, build_goals
from qicollab.demo.context import DemoContext, StepStats
from qicollab.demo.deaths import build_deaths


def build_projects(ctx: DemoContext) -> None:
    # Imported when run: the projects' demo content imports the demo package itself.
    from qicollab.demo.projects import build_projects as build

    build(ctx)


def build_measures(ctx: DemoContext) -> None:
    from qicollab.demo.measures import build_measures as build

    build(ctx)


def _build_measure_library(ctx: DemoContext) -> None:
    # Imported when run, like the other domain steps.
    from qicollab.demo.measure_library import build_measure_library

    build_measure_library(ctx)


def _build_events_feedback(ctx: DemoContext) -> None:
    # Imported when run: the module imports the demo package's content.
    from qicollab.demo.events_feedback import build_events_feedback

    build_events_feedback(ctx)


def _build_capability(ctx: DemoContext) -> None:
    # Imported when run, like the other domain steps.
    from qicollab.demo.capability import build_capability

    build_capability(ctx)


def _build_culture(ctx: DemoContext) -> None:
    # Imported when run, like the other domain steps.
    from qicollab.demo.culture import build_culture

    build_culture(ctx)


def _build_designations(ctx: DemoContext) -> None:
    # Imported when run, like the other domain steps.
    from qicollab.demo.national import build_designations

    build_designations(ctx)


def _build_excellence(ctx: DemoContext) -> None:
    # Imported when run, like the other domain steps.
    from qicollab.demo.excellence import build_excellence

    build_excellence(ctx)


def _build_notifications(ctx: DemoContext) -> None:
    from qicollab.demo.notifications import build_notifications

    build_notifications(ctx)


def _build_huddles(ctx: DemoContext) -> None:
    # Imported when run, like the other domain steps.
    from qicollab.demo.huddles import build_huddles

    build_huddles(ctx)


def _build_discussion(ctx: DemoContext) -> None:
    # Imported when run, like the other domain steps.
    from qicollab.demo.discussion import build_discussion

    build_discussion(ctx)


def _build_innovations(ctx: DemoContext) -> None:
    # Imported when run, like the other domain steps.
    from qicollab.demo.innovations import build_innovations

    build_innovations(ctx)


def _build_events(ctx: DemoContext) -> None:
    # Imported when run: the events demo imports the demo package's content.
    from qicollab.demo.events import build_events

    build_events(ctx)


@dataclass(frozen=True)
class Step:
    """A demo step. ``requires`` names the earlier steps whose rows it uses: ``--only`` runs
    them first (they are idempotent, so they only fill in what is missing)."""

    key: str
    title: str
    build: Callable[[DemoContext], None]
    requires: tuple[str, ...] = ()


STEPS: tuple[Step, ...] = (
    Step("organisations", "Organisations", organisations.build_organisations),
    Step("people", "People and their organisations", people.build_people, ("organisations",)),
    Step(
        "programme",
        "National programme and its admins",
        organisations.build_programme,
        ("organisations", "people"),
    ),
    Step(
        "collaboratives",
        "Collaboratives",
        organisations.build_collaboratives,
        ("organisations", "programme"),
    ),
    Step(
        "memberships",
        "Member organisations",
        organisations.build_memberships,
        ("collaboratives", "people"),
    ),
    Step("roles", "Leads and faculty", structure.build_roles, ("collaboratives", "people")),
    Step("workstreams", "Workstreams", structure.build_workstreams, ("collaboratives", "people")),
    Step("themes", "Cross-cutting themes", structure.build_themes, ("collaboratives",)),
    Step(
        "capability",
        "The 3 L's and training: subject areas, self-assessments, courses, completions",
        _build_capability,
        ("memberships", "roles", "workstreams"),
    ),
    Step(
        "events",
        "Learning sessions, agendas, places",
        _build_events,
        ("memberships", "roles", "workstreams"),
    ),
    Step(
        "projects",
        "QI projects, teams, PDSA, scores",
        build_projects,
        ("memberships", "roles", "workstreams", "themes"),
    ),
    Step(
        "measures",
        "Measures, data, care bundles",
        build_measures,
        ("projects",),
    ),
    Step(
        "measure_library",
        "A shared measure in the library, used by seven trusts (one outside its funnel)",
        _build_measure_library,
        ("measures", "roles"),
    ),
    Step(
        "deaths",
        "Learning from deaths: cases, reviews and shared learning",
        build_deaths,
        ("memberships", "people"),
    ),
    Step("goals", "Programme goals measured by the platform", build_goals, ("workstreams",)),
    Step(
        "events_feedback",
        "Storyboards, steals and feedback at past learning sessions",
        _build_events_feedback,
        ("events", "projects"),
    ),
    Step(
        "coaching",
        "A sponsor, and recorded-on dates that tell the projects' story (some teams quiet)",
        build_coaching,
        ("projects", "measures"),
    ),
    Step(
        "notifications",
        "A month of notifications (signals, data due, places, approvals) and preferences",
        _build_notifications,
        ("projects", "measures", "events", "deaths", "coaching"),
    ),
    Step(
        "discussion",
        "Comments between teams, a chart point with a mention, a coaching note",
        _build_discussion,
        ("projects", "measures"),
    ),
    Step(
        "innovations",
        "The safety-huddle innovation: adopted by three trusts, adapted by one, abandoned by one",
        _build_innovations,
        ("events_feedback", "measures"),
    ),
    Step(
        "designations",
        "Safety champions and QI experts for the national roll-up",
        _build_designations,
        ("memberships", "people"),
    ),
    Step(
        "excellence",
        "Learning from Excellence: reports, themes, an inquiry, a theme that became a project",
        _build_excellence,
        ("memberships", "people"),
    ),
    Step(
        "culture",
        "Safety culture: three surveyed teams, a debrief with actions, a repeat survey",
        _build_culture,
        ("memberships", "people", "projects"),
    ),
    Step(
        "huddles",
        "Three wards' safety huddles and harm events (one with fewer falls since)",
        _build_huddles,
        ("people",),
    ),
)


class DemoStepError(ValueError):
    """A demo run that cannot go ahead; the message says why and what to do."""


class UnknownStep(DemoStepError):
    pass


class MissingPrerequisite(DemoStepError):
    pass


def with_prerequisites(only: Sequence[str]) -> list[str]:
    """The named steps and every step they require, directly or not, in run order.

    >>> with_prerequisites(["roles"])
    ['organisations', 'people', 'programme', 'collaboratives', 'roles']
    """
    by_key = {s.key: s for s in STEPS}
    wanted: set[str] = set()
    todo = list(only)
    while todo:
        key = todo.pop()
        if key in wanted or key not in by_key:
            continue
        wanted.add(key)
        todo.extend(by_key[key].requires)
    return [s.key for s in STEPS if s.key in wanted]


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

    ``only`` limits the run to the named steps and the steps they require (see
    :func:`with_prerequisites`). A step that still finds rows of an earlier step missing (one
    that does not declare ``requires``) stops the run with a message naming the earlier steps.
    """
    unknown = set(only) - {s.key for s in STEPS}
    if unknown:
        raise UnknownStep(
            f"No demo step called {', '.join(sorted(unknown))}. "
            f"The steps are: {', '.join(s.key for s in STEPS)}."
        )
    run = set(with_prerequisites(only)) if only else {s.key for s in STEPS}
    ctx = DemoContext(refresh=refresh)
    results: list[StepResult] = []
    with transaction.atomic():
        for n, step in enumerate(STEPS):
            if step.key not in run:
                continue
            ctx.stats = StepStats()
            started = time.perf_counter()
            try:
                step.build(ctx)
            except ObjectDoesNotExist as exc:
                if not only:
                    raise
                earlier = [s.key for s in STEPS[:n] if s.key not in run]
                raise MissingPrerequisite(
                    f"The demo step {step.key} needs data that an earlier step makes ({exc}). "
                    f"Run seed_demo without --only first, or add the steps it needs: "
                    f"{', '.join(earlier) or 'none left'}."
                ) from exc
            result = StepResult(step, ctx.stats, time.perf_counter() - started)
            results.append(result)
            if on_step is not None:
                on_step(result)
    return results
