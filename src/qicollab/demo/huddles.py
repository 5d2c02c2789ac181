"""Demo step: three Avonvale wards huddling daily, with harm events before and after.

Larkspur ward (Owen Brackenholt, the ward manager persona, leads it) had about four falls a
month before its huddles began and about one a month since: its falls chart shows a
special-cause shift and the page shows the falls potentially avoided. Foxglove and
Meadowsweet wards huddle too, with no change in their falls, so their pages say "no change
shown". Huddle and event rows are keyed by their natural keys (unit, date, shift; unit,
category, date, demo incident reference) and created in bulk when missing.
"""

from __future__ import annotations

import datetime as dt
import random

from qicollab.demo import content as c
from qicollab.demo.context import DemoContext
from qicollab.huddles.models import HarmCategory, HarmEvent, Huddle, HuddleAction, HuddleAtRisk
from qicollab.huddles.services import harm_categories_ensure
from qicollab.organisations.models import Unit, UnitMember
from qicollab.organisations.services import unit_create, unit_member_set

ORG = "avonvale"
# name, beds, falls a month before huddles, falls a month since, leader
WARDS = (
    ("Larkspur ward", 24, 4.0, 1.0, "Owen Brackenholt"),
    ("Foxglove ward", 20, 2.0, 2.0, None),
    ("Meadowsweet ward", 18, 1.5, 1.5, None),
)
OPENED_DAYS_AGO = 730
HUDDLES_DAYS_AGO = 300
OTHER_HARM_PER_MONTH = {"pressure-ulcers": 0.6, "violence": 0.8, "medication": 0.5}


def _days_with_events(
    rng: random.Random, start: dt.date, end: dt.date, per_month: float
) -> list[dt.date]:
    """Days with an event, each day independently (a Poisson process, day by day)."""
    p = per_month / 30.4
    out, d = [], start
    while d <= end:
        if rng.random() < p:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def _unit(ctx: DemoContext, name: str, beds: int) -> Unit:
    org = ctx.org(ORG)
    unit = Unit.objects.filter(organisation=org, name=name).first()
    created = unit is None
    if unit is None:
        unit = unit_create(
            actor=ctx.actor,
            organisation=org,
            name=name,
            opened_on=ctx.today - dt.timedelta(days=OPENED_DAYS_AGO),
            beds=beds,
        )
    ctx.counted(created=created, changed=False)
    return unit


def build_huddles(ctx: DemoContext) -> None:
    """Three wards, their staff, two years of harm events and ten months of huddles."""
    org = ctx.org(ORG)
    cats = {cat.code: cat for cat in harm_categories_ensure(actor=ctx.actor, organisation=org)}
    staff = [p for p in c.NAMED_PEOPLE if p.org == ORG]
    start = ctx.today - dt.timedelta(days=HUDDLES_DAYS_AGO)
    for name, beds, before, after, leader in WARDS:
        unit = _unit(ctx, name, beds)
        rng = ctx.rng("huddles", name)
        for spec in staff:
            person = ctx.person(spec.email)
            role = "leader" if spec.full_name == leader else "member"
            if not UnitMember.objects.filter(unit=unit, person=person, role=role).exists():
                unit_member_set(actor=ctx.actor, unit=unit, person=person, role=role)
        _events(ctx, unit, cats, rng, start, before, after)
        _huddles(ctx, unit, cats, rng, start)


def _events(
    ctx: DemoContext,
    unit: Unit,
    cats: dict[str, HarmCategory],
    rng: random.Random,
    start: dt.date,
    before: float,
    after: float,
) -> None:
    have = set(
        HarmEvent.objects.filter(unit=unit, incident_ref__startswith="DEMO-").values_list(
            "incident_ref", flat=True
        )
    )
    yesterday = ctx.today - dt.timedelta(days=1)
    wanted: list[tuple[str, dt.date]] = [
        ("falls", d)
        for d in _days_with_events(rng, unit.opened_on, start - dt.timedelta(days=1), before)
    ]
    wanted += [("falls", d) for d in _days_with_events(rng, start, yesterday, after)]
    for code, rate in OTHER_HARM_PER_MONTH.items():
        wanted += [(code, d) for d in _days_with_events(rng, unit.opened_on, yesterday, rate)]
    rows = []
    for code, day in wanted:
        ref = f"DEMO-{unit.pk}-{code[:4].upper()}-{day:%Y%m%d}"
        # Drawn whether or not the event exists, so later draws match on every run.
        severity = rng.choices(["none", "low", "moderate", "severe"], [45, 40, 12, 3])[0]
        at = dt.time(rng.randint(0, 23), rng.choice([0, 15, 30, 45]))
        if ref in have:
            continue
        rows.append(
            HarmEvent(
                unit=unit,
                category=cats[code],
                occurred_on=day,
                occurred_at=at,
                severity=severity,
                incident_ref=ref,
            )
        )
    HarmEvent.objects.bulk_create(rows)
    ctx.counted(created=bool(rows), changed=False)


LOOK_AHEAD = (
    "Two new admissions expected this afternoon.",
    "Bay 3 needs 1:1 observation overnight.",
    "Pharmacy review of high-risk medicines due today.",
    "One patient on enhanced observation for falls; sensor mat in place.",
)
RECOGNITION = (
    "Healthcare assistant spotted a loose handrail before anyone fell.",
    "Thanks to the night team for a calm handover.",
    "Student nurse escalated a NEWS2 of 5 promptly.",
)
ACTIONS = (
    ("Replace the broken bed alarm in bay 2", "Ward manager"),
    ("Check sensor mats are charged", "Nurse in charge"),
    ("Ask estates to fix the corridor light", "Ward clerk"),
    ("Book falls training for new starters", "Practice educator"),
)


def _huddles(
    ctx: DemoContext,
    unit: Unit,
    cats: dict[str, HarmCategory],
    rng: random.Random,
    start: dt.date,
) -> None:
    have = set(Huddle.objects.filter(unit=unit).values_list("held_on", "shift"))
    new: list[Huddle] = []
    risks: list[tuple[Huddle, HarmCategory, int]] = []
    day = start
    while day <= ctx.today:
        # Most days; fewer at weekends, as real wards find.
        chance = 0.8 if day.weekday() >= 5 else 0.95
        # Every day's draws are made on every run, so a second run plans the same huddles
        # and creates only those missing (idempotent).
        if rng.random() < chance:
            h = Huddle(
                unit=unit,
                held_on=day,
                shift="early",
                started_at=dt.time(7, 45),
                duration_min=rng.randint(6, 12),
                attendance={
                    "nurses": rng.randint(3, 6),
                    "healthcare_assistants": rng.randint(2, 4),
                    "doctors": rng.randint(0, 2),
                },
                look_ahead=rng.choice(LOOK_AHEAD),
                recognition=rng.choice(RECOGNITION) if rng.random() < 0.3 else "",
            )
            planned = [(h, cats["falls"], rng.randint(1, 5))]
            if rng.random() < 0.5:
                planned.append((h, cats["pressure-ulcers"], rng.randint(0, 3)))
            if (day, "early") not in have:
                new.append(h)
                risks.extend(planned)
        day += dt.timedelta(days=1)
    Huddle.objects.bulk_create(new)
    HuddleAtRisk.objects.bulk_create(
        [HuddleAtRisk(huddle=h, category=cat, patients=n) for h, cat, n in risks if n]
    )
    ctx.counted(created=bool(new), changed=False)
    if new and not HuddleAction.objects.filter(unit=unit).exists():
        recent = sorted(new, key=lambda h: h.held_on)[-len(ACTIONS) :]
        for i, (h, (text, owner)) in enumerate(zip(recent, ACTIONS, strict=False)):
            # The older half are done; the newest come back at every huddle until closed.
            done = i < len(ACTIONS) // 2
            ctx.ensure(
                HuddleAction,
                key={"unit": unit, "text": text},
                values={
                    "raised_at": h,
                    "owner": owner,
                    "due_on": h.held_on + dt.timedelta(days=7),
                    "closed_on": h.held_on + dt.timedelta(days=2) if done else None,
                },
            )
