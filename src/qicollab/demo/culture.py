"""Demo step: a year of safety-culture surveys at Avonvale (entirely invented answers).

Three surveyed units: Larkspur ward and the north community team (large enough for position
breakdowns) and the psychology team (too small for them). A baseline wave 13 months ago, a
completed debrief on Larkspur ward with three actions (one became a QI project), and a repeat
wave last month in which Larkspur's teamwork and learning have improved. Idempotent: a wave
that exists is left alone, with its responses.
"""

from __future__ import annotations

import datetime as dt
import random

from qicollab.accounts.models import Person
from qicollab.culture import services
from qicollab.culture.models import (
    CultureAction,
    Debrief,
    Instrument,
    Response,
    Wave,
    WaveUnit,
)
from qicollab.demo.context import DemoContext
from qicollab.demo.personas import persona
from qicollab.organisations.models import Unit

ORG = "avonvale"
COLLABORATIVE = "southern-counties-mh"
INSTRUMENT = "qicollab-team-climate"
# name, kind, eligible, responses at baseline, responses at repeat
UNITS = (
    ("Larkspur ward", "ward", 28, 19, 23),
    ("Community mental health team (north)", "team", 22, 14, 16),
    ("Psychology team", "team", 8, 6, 6),
)
# How favourable each domain's answers are (mean on 1-5) at baseline and at repeat, per unit.
MOOD = {
    "Larkspur ward": (
        {"TEAM": 3.6, "LEARN": 3.3, "LEAD": 3.6, "STRAIN": 3.8},
        {"TEAM": 4.3, "LEARN": 4.0, "LEAD": 3.9, "STRAIN": 3.2},
    ),
    "Community mental health team (north)": (
        {"TEAM": 3.9, "LEARN": 3.5, "LEAD": 3.4, "STRAIN": 3.0},
        {"TEAM": 3.9, "LEARN": 3.6, "LEAD": 3.5, "STRAIN": 3.1},
    ),
    "Psychology team": (
        {"TEAM": 4.1, "LEARN": 3.8, "LEAD": 3.9, "STRAIN": 2.8},
        {"TEAM": 4.2, "LEARN": 3.9, "LEAD": 4.0, "STRAIN": 2.7},
    ),
}
ACTIONS = (
    ("Start a five-minute safety huddle at every handover", "Ward manager", 30, True),
    (
        "Tell the team what changed after each incident report, at the Friday huddle",
        "Band 6 lead",
        45,
        False,
    ),
    ("Protect breaks: a named person covers the bay", "Nurse in charge", 21, False),
)


def _answers(
    rng: random.Random, items: list[tuple[str, str, bool]], mood: dict[str, float]
) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for code, domain, reverse in items:
        v = round(rng.gauss(mood[domain], 0.8))
        v = min(5, max(1, v))
        # A reverse-scored item is worded negatively: a good team disagrees with it.
        out[code] = 6 - v if reverse else v
        if rng.random() < 0.03:
            out[code] = None  # not applicable
    return out


def _wave(
    ctx: DemoContext,
    *,
    title: str,
    instrument: Instrument,
    opens: dt.date,
    leader: Person,
    facilitator: Person,
    units: list[tuple[Unit, int, int]],
    phase: int,
    previous: Wave | None,
) -> Wave:
    org = ctx.org(ORG)
    found = Wave.objects.filter(organisation=org, title=title).first()
    if found is not None:
        ctx.stats.unchanged += 1
        return found
    wave = services.wave_create(
        actor=ctx.person(persona("pm_a").email),
        organisation=org,
        data=services.WaveInput(
            title=title,
            instrument=instrument,
            opens_on=opens,
            closes_on=opens + dt.timedelta(days=21),
            facilitator=facilitator,
            team_leader=leader,
            units=[(u, n) for u, n, _ in units],
            number=phase + 1,
            previous=previous,
        ),
    )
    ctx.stats.created += 1
    items = [(i.code, i.domain.code, i.reverse) for i in instrument.items.select_related("domain")]
    bands = ["nursing", "nursing", "nursing", "support", "support", "medical", "ahp", "admin", ""]
    tenure = ["lt1", "1to5", "1to5", "gt5", "gt5", ""]
    for unit, _, answered in units:
        wu = WaveUnit.objects.get(wave=wave, unit=unit)
        rng = ctx.rng("culture", title, unit.name)
        Response.objects.bulk_create(
            Response(
                wave_unit=wu,
                answers=_answers(rng, items, MOOD[unit.name][phase]),
                position_band=rng.choice(bands) if wu.ask_bands else "",
                tenure_band=rng.choice(tenure) if wu.ask_bands else "",
            )
            for _ in range(answered)
        )
    return wave


def build_culture(ctx: DemoContext) -> None:
    """Instruments, three surveyed units, two waves, a debrief with actions and a project."""
    services.load_default_instruments(actor=None)
    instrument = Instrument.objects.get(code=INSTRUMENT, version="1.0")
    org = ctx.org(ORG)
    leader = ctx.person(persona("staff_a").email)
    facilitator = (
        Person.objects.filter(
            affiliations__organisation=org, affiliations__role="staff", is_active=True
        )
        .exclude(pk=leader.pk)
        .order_by("full_name")
        .first()
    ) or ctx.person(persona("pm_a").email)
    units = []
    for name, kind, eligible, base, repeat in UNITS:
        unit, _ = ctx.ensure(
            Unit,
            key={"organisation": org, "name": name},
            create_only={
                "slug": name.lower().replace(" ", "-").replace("(", "").replace(")", "")[:70],
                "kind": kind,
                "opened_on": dt.date(2015, 4, 1),
            },
        )
        units.append((unit, eligible, base, repeat))
    today = ctx.today
    baseline = _wave(
        ctx,
        title="Team culture survey 2025",
        instrument=instrument,
        opens=today - dt.timedelta(days=400),
        leader=leader,
        facilitator=facilitator,
        units=[(u, n, b) for u, n, b, _ in units],
        phase=0,
        previous=None,
    )
    _wave(
        ctx,
        title="Team culture survey 2026 (repeat)",
        instrument=instrument,
        opens=today - dt.timedelta(days=35),
        leader=leader,
        facilitator=facilitator,
        units=[(u, n, r) for u, n, _, r in units],
        phase=1,
        previous=baseline,
    )
    larkspur = WaveUnit.objects.get(wave=baseline, unit=units[0][0])
    held = baseline.closes_on + dt.timedelta(days=16)
    debrief = Debrief.objects.filter(wave_unit=larkspur, held_on=held).first()
    if debrief is None:
        debrief = services.debrief_record(
            actor=facilitator,
            wave_unit=larkspur,
            data=services.DebriefInput(
                held,
                14,
                list(instrument.items.filter(code__in=["T3", "L2"])),
                "We looked at speaking up and hearing back after reporting. People said night "
                "staff rarely hear what happened after an incident. What would it take for "
                "everyone to hear back within a week?",
            ),
        )
        ctx.stats.created += 1
    for title, owner, days, becomes_project in ACTIONS:
        action = CultureAction.objects.filter(debrief=debrief, title=title).first()
        if action is None:
            action = services.action_save(
                actor=facilitator,
                debrief=debrief,
                data=services.ActionInput(title, owner, held + dt.timedelta(days=days), "done"),
            )
            ctx.stats.created += 1
        if becomes_project and action.project_id is None:
            services.action_start_project(
                actor=leader, action=action, collaborative=ctx.collaborative(COLLABORATIVE)
            )
            ctx.stats.updated += 1
