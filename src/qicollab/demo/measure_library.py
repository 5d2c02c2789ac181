"""Demo step: a shared measure in the collaborative's library, used by several trusts.

"Percentage of inpatients with a physical-health check within 24 hours of admission" is a
library definition (version 2: the exclusions were tightened after the first learning
session). Seven projects at seven trusts created their measure from it, each with 18 months
of data; one site (Dunmere Valley) fell well below the others in the latest month, so the
cross-site view shows it below the funnel's 99.8% limit. The Avonvale project is shared
within its own trust only, so members of other trusts see it as an unnamed site.
"""

from __future__ import annotations

import random

from qicollab.demo import content as c
from qicollab.demo.context import DemoContext
from qicollab.measures.bulk import stored_points, write_points
from qicollab.measures.models import (
    DEFINITION_FIELDS,
    LibraryMeasure,
    LibraryMeasureVersion,
    Measure,
)
from qicollab.measures.periods import add_periods, snap
from qicollab.measures.services import validate_push
from qicollab.organisations.models import CollaborativeRole
from qicollab.projects.models import Project

NAME = "Percentage of inpatients with a physical-health check within 24 hours of admission"
VERSION_1 = {
    "name": NAME,
    "measure_type": "process",
    "value_type": "percentage",
    "numerator_definition": "Admissions with a completed physical-health check (observations, "
    "bloods, ECG offered) recorded within 24 hours of arrival on the ward",
    "denominator_definition": "Admissions to adult acute and PICU wards in the month",
    "inclusions": "Every adult admission to an inpatient ward, including transfers from "
    "another trust",
    "exclusions": "",
    "data_source": "Electronic patient record: admission date-time and the physical-health "
    "check form",
    "frequency": "monthly",
    "unit": "%",
    "rate_multiplier": 1,
    "chart_type": "p",
    "direction": "increase",
    "target": 90.0,
}
VERSION_2 = {
    **VERSION_1,
    "exclusions": "Admissions discharged or transferred out within 24 hours; patients who "
    "declined every part of the check (recorded as declined)",
}
NOTE_2 = (
    "Exclusions agreed at the first learning session, so that short stays and recorded "
    "refusals are counted the same way at every site."
)

#: (project slug, the site's usual proportion, the latest month's proportion or None)
SITES: tuple[tuple[str, float, float | None], ...] = (
    ("brackenmoor-physical-health-24h", 0.82, None),
    ("carrowdown-72-hour-follow-up", 0.74, None),
    ("dunmere-falls-with-harm", 0.76, 0.38),  # the site outside its funnel
    ("eastbrook-deterioration-response", 0.79, None),
    ("fernwick-lithium-monitoring", 0.71, None),
    ("hartleigh-safety-huddles", 0.77, None),
    ("avonvale-missed-doses", 0.8, None),
)
MONTHS = 18


def _library_measure(ctx: DemoContext) -> LibraryMeasure:
    collab = ctx.collaborative(c.MH_COLLABORATIVE.slug)
    role = (
        CollaborativeRole.objects.filter(collaborative=collab, role="lead")
        .select_related("person")
        .order_by("pk")
        .first()
    )
    author = role.person if role else None
    lm, _ = ctx.ensure(
        LibraryMeasure,
        key={"collaborative": collab, "name": NAME},
        values={
            **{k: VERSION_2[k] for k in DEFINITION_FIELDS if k != "name"},
            "version": 2,
            "description": "The collaborative's shared definition for the physical-health "
            "workstream: use it so that your chart can be compared with the other trusts'.",
        },
        create_only={"created_by": author},
    )
    for number, definition, note in ((1, VERSION_1, "First version."), (2, VERSION_2, NOTE_2)):
        ctx.ensure(
            LibraryMeasureVersion,
            key={"library_measure": lm, "number": number},
            values={"definition": definition, "change_note": note},
            create_only={"created_by": author},
        )
    return lm


def _points(ctx: DemoContext, measure: Measure, usual: float, latest: float | None) -> None:
    rng = random.Random(f"qicollab-demo|library|{measure.project.slug}")  # noqa: S311
    size = rng.randint(35, 160)
    last = add_periods(snap(ctx.today, "monthly"), "monthly", -1)
    items = []
    for i in range(MONTHS):
        period = add_periods(last, "monthly", i - MONTHS + 1)
        n = max(10, int(rng.gauss(size, size * 0.12)))
        p = latest if (latest is not None and i == MONTHS - 1) else usual + rng.gauss(0, 0.02)
        p = min(max(p, 0.05), 0.98)
        k = sum(1 for _ in range(n) if rng.random() < p)
        items.append({"measure": measure.pk, "period": period, "numerator": k, "denominator": n})
    valid, errors = validate_push({measure.pk: measure}, items)
    if errors:  # a bug in this generator, not something a demo user can cause
        raise ValueError(f"Demo library data breaks the rules: {errors[0].message}")
    existing = stored_points(measure.pk)
    creates = [
        (pt.period, None, pt.numerator, pt.denominator, "")
        for pt in valid.get(measure.pk, [])
        if pt.period not in existing
    ]
    write_points(
        measure_id=measure.pk, actor_id=None, creates=creates, updates=[], reason="Demo data"
    )
    ctx.stats.created += len(creates)


def build_measure_library(ctx: DemoContext) -> None:
    """The library definition, its two versions, and the seven sites that use it."""
    lm = _library_measure(ctx)
    projects = {p.slug: p for p in Project.objects.filter(slug__in=[s for s, _, _ in SITES])}
    for slug, usual, latest in SITES:
        project = projects.get(slug)
        if project is None:
            continue
        follows = 1 if slug == "fernwick-lithium-monitoring" else 2  # one site not updated yet
        definition = VERSION_1 if follows == 1 else VERSION_2
        measure, _ = ctx.ensure(
            Measure,
            key={"project": project, "name": NAME},
            values={
                **{k: definition[k] for k in DEFINITION_FIELDS if k != "name"},
                "library_measure": lm,
                "library_version": follows,
                "order": 50,
            },
        )
        _points(ctx, measure, usual, latest)
