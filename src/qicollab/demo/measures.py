"""Demo step: the demo projects' measures, two to three years of data, chart decisions, bundles.

Data is generated, never real: each measure has a baseline level and the levels it moved to
after the team adopted a change (``changes``, in months before the current month), and each
period's number is drawn from the distribution the chart assumes (binomial for p charts,
Poisson for u and c charts, normal for I and run charts, gamma-distributed gaps for g charts) from
a random source seeded by the project, the measure and the period. So the data is the same
on every run, and the shifts are real enough for the SPC engine to flag special cause.

Points go through the measures app's own rules (:func:`qicollab.measures.services.validate_push`)
and are written by its bulk writer with their history, like an API bulk push; chart
decisions, bundles and audits are ordinary rows. Idempotent: existing points, events and
audits are left alone (``--refresh`` puts changed points back to the demo values).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from qicollab.demo.context import CHANGE_REASON, DemoContext
from qicollab.measures.bulk import stored_points, write_points
from qicollab.measures.models import (
    AuditResult,
    Bundle,
    BundleAudit,
    BundleAuditResult,
    BundleElement,
    ChartEvent,
    EventKind,
    Measure,
)
from qicollab.measures.periods import add_periods, snap
from qicollab.measures.services import validate_push
from qicollab.projects.models import Project


@dataclass(frozen=True)
class MeasureSpec:
    """One demo measure: its operational definition and how its data is generated.

    Levels are in display units (a percentage for p charts, per ``rate_multiplier`` for
    rates, days for g charts). ``changes`` are ``(months_ago, level)``: from that many
    months before the current month the process runs at the new level.
    """

    name: str
    measure_type: str  # outcome | process | balancing
    value_type: str
    chart_type: str
    baseline: float
    changes: tuple[tuple[float, float], ...] = ()
    frequency: str = "monthly"
    months: int = 30  # how far back the data goes
    until: int = 0  # the data stops this many months ago (a stopped project)
    denominator: float = 0  # typical denominator per period (bed days, patients audited)
    noise: float = 0  # standard deviation of a measurement
    direction: str = "decrease"
    target: float | None = None
    unit: str = ""
    rate_multiplier: int = 1
    numerator_definition: str = ""
    denominator_definition: str = ""
    inclusions: str = ""
    exclusions: str = ""
    data_source: str = ""
    main: bool = False
    owner: str = ""  # email of the team member who collects it
    #: (months_ago, reason): a new phase (recalculated limits) from that month.
    rebase: tuple[tuple[float, str], ...] = ()
    #: Limits of each phase from its first ``freeze`` points: the baseline the team compares
    #: the tests of change against (so a shift after a change shows as special cause).
    freeze: int | None = None
    #: (months_ago, reason): the point of that period is left out of the calculations.
    exclude: tuple[float, str] | None = None
    #: (months_ago, text): notes on points, shown on the chart.
    notes: tuple[tuple[float, str], ...] = ()
    decimals: int = 1
    seed: str = ""  # another random stream, if the default one draws a misleading pattern


@dataclass(frozen=True)
class BundleSpec:
    """A care bundle audited monthly.

    ``reliability`` is ``(months_ago, chance each element is met)`` from that month on.
    """

    name: str
    description: str
    elements: tuple[str, ...]
    reliability: tuple[tuple[float, float], ...]
    audits_per_month: int = 12
    months: int = 24
    not_applicable: dict[int, float] = field(default_factory=dict)  # element index -> chance
    prefix: str = "AUD"
    auditor: str = ""


# --- generation (pure) -----------------------------------------------------------------

GAP_SHAPE = 2.5


def anchor_month(today: date) -> date:
    """The first day of the current month: every demo date is counted back from it."""
    return today.replace(day=1)


def months_before(anchor: date, day: date) -> float:
    """How many months ``day`` is before the anchor (fractional for weeks and days)."""
    return (anchor - day).days / 30.44


def level_at(spec: MeasureSpec, months_ago: float) -> float:
    """The process level in force ``months_ago`` months before the anchor."""
    level = spec.baseline
    for when, new in sorted(spec.changes, key=lambda c: -c[0]):
        if months_ago < when:
            level = new
    return level


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 40:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(1 for _ in range(n) if rng.random() < p)


def periods_of(spec: MeasureSpec, today: date) -> list[date]:
    """The complete periods of the measure's history, oldest first (not the current one)."""
    anchor = anchor_month(today)
    if spec.frequency == "monthly":
        return [add_periods(anchor, "monthly", -k) for k in range(spec.months, spec.until, -1)]
    if spec.frequency == "weekly":
        this_week = snap(today, "weekly")
        weeks, stop = (round(m * 30.44 / 7) for m in (spec.months, spec.until))
        return [this_week - timedelta(weeks=k) for k in range(weeks, max(stop, 0), -1)]
    raise ValueError(f"Demo measures are monthly or weekly, not {spec.frequency}.")


def generate_points(
    spec: MeasureSpec, *, today: date, seed: str
) -> list[tuple[date, float | None, float | None, float | None]]:
    """(period, value, numerator, denominator) for every period of the measure's history.

    Days between rare events are one point per event, on the day it happened (a daily
    measure), with the days since the previous event as its value.
    """
    anchor = anchor_month(today)
    rng = DemoContext.rng("measure", seed)
    out: list[tuple[date, float | None, float | None, float | None]] = []
    if spec.value_type in ("days_between", "cases_between"):
        day = anchor - timedelta(days=round(spec.months * 30.44))
        while True:
            mean = level_at(spec, months_before(anchor, day))
            # Gamma rather than geometric gaps: a little more regular than pure chance, so
            # a few years of rare events tell the story the team saw.
            gap = max(1, round(rng.gammavariate(GAP_SHAPE, mean / GAP_SHAPE)))
            day += timedelta(days=gap)
            if day >= today:
                return out
            out.append((day, float(gap), None, None))
    for period in periods_of(spec, today):
        level = level_at(spec, months_before(anchor, period))
        if spec.value_type == "percentage":
            n = max(5, round(rng.gauss(spec.denominator, spec.denominator * 0.15)))
            out.append((period, None, float(_binomial(rng, n, level / 100)), float(n)))
        elif spec.value_type == "rate":
            d = round(rng.gauss(spec.denominator, spec.denominator * 0.06))
            x = _poisson(rng, level * d / spec.rate_multiplier)
            out.append((period, None, float(x), float(d)))
        elif spec.value_type == "count":
            out.append((period, float(_poisson(rng, level)), None, None))
        else:
            value = max(0.0, rng.gauss(level, spec.noise))
            out.append((period, round(value, spec.decimals), None, None))
    return out


def period_near(spec: MeasureSpec, today: date, months_ago: float) -> date:
    """The period of the measure that contains the day ``months_ago`` months before the anchor."""
    day = anchor_month(today) - timedelta(days=round(months_ago * 30.44))
    if spec.frequency == "monthly":
        return snap(day, "monthly")
    return snap(day, "weekly")


# --- the step ---------------------------------------------------------------------------


def _measure_values(spec: MeasureSpec, order: int, owner: object | None) -> dict[str, object]:
    return {
        "measure_type": spec.measure_type,
        "is_main_outcome": spec.main,
        "value_type": spec.value_type,
        "numerator_definition": spec.numerator_definition,
        "denominator_definition": spec.denominator_definition,
        "inclusions": spec.inclusions,
        "exclusions": spec.exclusions,
        "data_source": spec.data_source,
        "frequency": "daily"
        if spec.value_type in ("days_between", "cases_between")
        else spec.frequency,
        "unit": spec.unit,
        "rate_multiplier": spec.rate_multiplier,
        "chart_type": spec.chart_type,
        "direction": spec.direction,
        "target": spec.target,
        "owner": owner,
        "order": order,
    }


def ensure_points(ctx: DemoContext, measure: Measure, spec: MeasureSpec, seed: str) -> None:
    """Write the generated points the measure does not have yet (all of them, when refreshing)."""
    notes = {period_near(spec, ctx.today, ago): text for ago, text in spec.notes}
    generated = generate_points(spec, today=ctx.today, seed=seed)
    if spec.value_type in ("days_between", "cases_between"):
        # Rare-event notes go on the first event after the month they name.
        wanted = dict(notes)
        notes = {}
        for when, text in wanted.items():
            first = next((p for p, *_ in generated if p >= when), None)
            if first is not None:
                notes[first] = text
    items = [
        {
            "measure": measure.pk,
            "period": p,
            "value": v,
            "numerator": n,
            "denominator": d,
            "note": notes.get(p, ""),
        }
        for p, v, n, d in generated
    ]
    valid, errors = validate_push({measure.pk: measure}, items)
    if errors:  # a bug in the generator, not something a demo user can cause
        raise ValueError(f"Demo data for {measure} breaks the rules: {errors[0].message}")
    existing = stored_points(measure.pk)
    creates, updates = [], []
    for point in valid.get(measure.pk, []):
        old = existing.get(point.period)
        row = (point.value, point.numerator, point.denominator, point.note or "")
        if old is None:
            creates.append((point.period, *row))
        elif ctx.refresh and (old.value, old.numerator, old.denominator, old.note) != row:
            updates.append((old, point.period, *row))
    write_points(
        measure_id=measure.pk, actor_id=None, creates=creates, updates=updates, reason=CHANGE_REASON
    )
    ctx.stats.created += len(creates)
    ctx.stats.updated += len(updates)
    ctx.stats.unchanged += len(existing) - len(updates)


def ensure_events(ctx: DemoContext, measure: Measure, spec: MeasureSpec) -> None:
    """The team's chart decisions: new phases where a change was adopted, a frozen baseline
    and an excluded point."""
    if spec.freeze:
        ctx.ensure(
            ChartEvent,
            key={"measure": measure, "kind": EventKind.FREEZE},
            values={
                "points": spec.freeze,
                "reason": "Limits from the baseline, before the changes were tested.",
            },
        )
    for ago, reason in spec.rebase:
        ctx.ensure(
            ChartEvent,
            key={
                "measure": measure,
                "kind": EventKind.REBASE,
                "on": period_near(spec, ctx.today, ago),
            },
            values={"reason": reason},
        )
    if spec.exclude is not None:
        ago, reason = spec.exclude
        on = period_near(spec, ctx.today, ago)
        if measure.points.filter(period=on).exists():
            ctx.ensure(
                ChartEvent,
                key={"measure": measure, "kind": EventKind.EXCLUDE, "on": on},
                values={"reason": reason},
            )


def ensure_measures(
    ctx: DemoContext, project: Project, specs: Sequence[MeasureSpec]
) -> dict[str, Measure]:
    """The project's family of measures with their data and decisions, by name."""
    out: dict[str, Measure] = {}
    for order, spec in enumerate(specs):
        owner = ctx.person(spec.owner) if spec.owner else None
        measure, _ = ctx.ensure(
            Measure,
            key={"project": project, "name": spec.name},
            values=_measure_values(spec, order, owner),
            create_only={"created_by": owner},
        )
        ensure_points(ctx, measure, spec, f"{project.slug}|{spec.name}{spec.seed}")
        ensure_events(ctx, measure, spec)
        out[spec.name] = measure
    return out


def _results(
    rng: random.Random, spec: BundleSpec, chance: float, elements: list[BundleElement]
) -> dict[int, str]:
    out: dict[int, str] = {}
    for i, element in enumerate(elements):
        if rng.random() < spec.not_applicable.get(i, 0):
            out[element.pk] = AuditResult.NA
        else:
            out[element.pk] = AuditResult.MET if rng.random() < chance else AuditResult.NOT_MET
    return out


def ensure_bundle(ctx: DemoContext, project: Project, spec: BundleSpec) -> Bundle:
    """The bundle, its elements and monthly audits (periods already audited are left alone)."""
    auditor = ctx.person(spec.auditor) if spec.auditor else None
    bundle, _ = ctx.ensure(
        Bundle,
        key={"project": project, "name": spec.name},
        values={"description": spec.description, "frequency": "monthly"},
        create_only={"created_by": auditor},
    )
    elements = []
    for order, text in enumerate(spec.elements):
        element, _ = ctx.ensure(
            BundleElement, key={"bundle": bundle, "text": text}, values={"order": order}
        )
        elements.append(element)
    anchor = anchor_month(ctx.today)
    audited = set(bundle.audits.values_list("period", flat=True).distinct())
    audits: list[BundleAudit] = []
    results: list[tuple[BundleAudit, dict[int, str]]] = []
    for k in range(spec.months, 0, -1):
        period = add_periods(anchor, "monthly", -k)
        if period in audited:
            ctx.stats.unchanged += 1
            continue
        # Seeded by how many months ago, like the measures: the same story every month.
        rng = DemoContext.rng("bundle", project.slug, spec.name, str(k))
        chance = spec.reliability[0][1]
        for when, p in spec.reliability:
            if k < when:
                chance = p
        for i in range(1, spec.audits_per_month + 1):
            day = period + timedelta(days=min(27, 2 * i + rng.randrange(2)))
            audit = BundleAudit(
                bundle=bundle,
                period=period,
                audited_on=day,
                reference=f"{spec.prefix}-{period:%y%m}-{i:02d}",
                auditor=auditor,
            )
            audits.append(audit)
            results.append((audit, _results(rng, spec, chance, elements)))
    if audits:
        bulk_create_with_history(
            audits, BundleAudit, default_user=None, default_change_reason=CHANGE_REASON
        )
        rows = [
            BundleAuditResult(audit=audit, element_id=element_id, result=result)
            for audit, by_element in results
            for element_id, result in by_element.items()
        ]
        bulk_create_with_history(
            rows, BundleAuditResult, default_user=None, default_change_reason=CHANGE_REASON
        )
        ctx.stats.created += len(audits) + len(rows)
    return bundle


def build_measures(ctx: DemoContext) -> None:
    """Every demo project's measures, data, chart decisions and bundles; then PDSA study links."""
    from qicollab.demo.project_content import PROJECTS
    from qicollab.demo.projects import link_pdsa_to_measures

    measures: dict[str, dict[str, Measure]] = {}
    for spec in PROJECTS:
        project = Project.objects.get(slug=spec.slug)
        measures[spec.slug] = ensure_measures(ctx, project, spec.measures)
        if spec.bundle is not None:
            ensure_bundle(ctx, project, spec.bundle)
    link_pdsa_to_measures(ctx, measures)
