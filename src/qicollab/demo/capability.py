"""Demo step: the 3 L's and training records for the mental-health collaborative.

Subject areas and the "+30%" capability goal; self-assessments by members across the trusts
at four learning sessions over the past ~16 months, more people each time and some moving
up a level; and training: Bronze to Gold QI, culture, safety leadership, measurement, SBAR
and a six-month patient-safety programme, with cohorts, attendance and completions
(lived-experience partners among them).

Dates follow the demo's "today". Idempotent: rows are found by natural key (collaborative
+ slug, person + date, cohort + person...) and only what is missing is made; all choices
come from seeded random sources, so a second run asks for exactly the same rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from qicollab.accounts.models import Person
from qicollab.capability.defaults import DEFAULT_SUBJECTS
from qicollab.capability.models import (
    AssessmentItem,
    Attendance,
    CapabilityGoal,
    Cohort,
    CohortSession,
    Course,
    Enrolment,
    EnrolmentStatus,
    SelfAssessment,
    SubjectArea,
)
from qicollab.collaborative.models import GoalDirection, Period, ProgrammeGoal, Workstream
from qicollab.demo import content as c
from qicollab.demo.context import DemoContext
from qicollab.organisations.models import Collaborative

#: Learning sessions at which members (re-)assessed, in days before the demo's today. The
#: first falls before the goal's baseline (the start of the quarter a year ago).
ASSESSMENT_ROUNDS = (480, 360, 240, 110)

#: Subjects most members are still learning, so the aggregates suggest the next workshops.
SLOW = frozenset({"measurement-spc", "coaching", "driver-diagrams"})


def _next_march(today: dt.date) -> dt.date:
    march = dt.date(today.year if today.month <= 3 else today.year + 1, 3, 31)
    return march if (march - today).days >= 120 else march.replace(year=march.year + 1)


def _members(ctx: DemoContext) -> list[tuple[Person, int]]:
    """(person, organisation id) for the staff, programme managers and partners of the
    current member trusts, from the demo's content (not the database, so edits made while
    trying the demo cannot change which rows a later run asks for)."""
    from qicollab.demo.people import all_people

    trusts = {t.slug for t in c.MH_TRUSTS}
    specs = sorted(
        (p for p in all_people() if p.org in trusts and p.role in (c.STAFF, c.PM, c.PARTNER)),
        key=lambda p: p.email,
    )
    return [(ctx.person(p.email), ctx.org(p.org).pk) for p in specs]


def _subjects(ctx: DemoContext, collab: Collaborative) -> list[SubjectArea]:
    out = []
    for order, (slug, name, learn, live, lead) in enumerate(DEFAULT_SUBJECTS):
        s, _ = ctx.ensure(
            SubjectArea,
            key={"collaborative": collab, "slug": slug},
            values={
                "name": name,
                "order": order,
                "learn_descriptor": learn,
                "live_descriptor": live,
                "lead_descriptor": lead,
            },
        )
        out.append(s)
    return out


def _assessments(
    ctx: DemoContext,
    collab: Collaborative,
    subjects: list[SubjectArea],
    members: list[tuple[Person, int]],
) -> None:
    """Half the members assess at the first session, more join at each later one; those who
    started re-assess most times, sometimes a level higher in a subject."""
    days = [ctx.today - dt.timedelta(days=d) for d in ASSESSMENT_ROUNDS]
    for person, org_id in members:
        rng = ctx.rng("capability", "assess", person.email)
        start = rng.choices(range(len(days) + 1), weights=(55, 6, 5, 5, 29))[0]
        if start >= len(days):
            continue  # has not assessed yet
        levels = {
            s.pk: rng.choices((1, 2, 3), weights=(82, 15, 3) if s.slug in SLOW else (60, 30, 10))[0]
            for s in subjects
        }
        slow = {s.pk for s in subjects if s.slug in SLOW}
        for i, day in enumerate(days[start:]):
            if i and rng.random() < 0.15:
                continue  # missed this learning session
            if i:
                for sid, lvl in levels.items():
                    if lvl < 3 and rng.random() < (0.08 if sid in slow else 0.2):
                        levels[sid] = lvl + 1
            a, created = ctx.ensure(
                SelfAssessment,
                key={"person": person, "collaborative": collab, "assessed_on": day},
                values={"organisation_id": org_id},
                create_only={"note": "Learning session self-assessment"},
            )
            if created:
                AssessmentItem.objects.bulk_create(
                    AssessmentItem(assessment=a, subject_id=sid, level=lvl)
                    for sid, lvl in levels.items()
                )


def _goal(ctx: DemoContext, collab: Collaborative) -> None:
    today = ctx.today
    # The same baseline as the programme goal "learn-live-lead" (demo/collaborative.py).
    baseline = dt.date(today.year - 1, 3 * ((today.month - 1) // 3) + 1, 1)
    ctx.ensure(
        CapabilityGoal,
        key={"collaborative": collab},
        values={
            "rule": CapabilityGoal.Rule.AT_LEVEL,
            "min_level": 1,
            "baseline_on": baseline,
            "target_on": _next_march(today),
            "target_percent": Decimal(30),
        },
    )


@dataclass(frozen=True)
class CourseSpec:
    slug: str
    title: str
    category: str
    level: str
    duration: str
    provider: str
    description: str
    # cohorts: (name, start days ago, taught dates as days after the start, places)
    cohorts: tuple[tuple[str, int, tuple[int, ...], int | None], ...]
    facilitator: str
    size: int  # people per cohort
    partners: bool = False  # lived-experience partners are invited


COURSES: tuple[CourseSpec, ...] = (
    CourseSpec(
        "bronze-qi", "Bronze QI: introduction to improvement", "qi", "bronze",
        "About two hours online", "Improvement academy e-learning",
        "Free online introduction to the Model for Improvement and practical QI tools, for "
        "everyone in health and care.",
        (("Rolling, last year", 420, (0,), None), ("Rolling, this year", 150, (0,), None)),
        "Cerys Kestrelmoor", 14, partners=True,
    ),
    CourseSpec(
        "silver-qi", "Silver QI: how to run a QI project", "qi", "silver",
        "Four months: six taught hours and coaching clinics", "The collaborative's faculty",
        "In-depth sessions on applying QI methods, ending with a graduation presentation of "
        "your project.",
        (("Spring cohort", 400, (0, 42, 98), 16), ("Autumn cohort", 200, (0, 42, 98), 16)),
        "Yusuf Alderwick", 9,
    ),
    CourseSpec(
        "gold-qi", "Gold QI: train the trainer", "qi", "gold",
        "Three days over six weeks", "The collaborative's faculty",
        "For Silver graduates who will teach QI in their own trust.",
        (("Gold cohort 1", 300, (0, 21, 42), 8),),
        "Cerys Kestrelmoor", 5,
    ),
    CourseSpec(
        "cultural-awareness", "Cultural awareness for safer care", "cultural_awareness", "",
        "Half a day", "Co-delivered by staff and lived-experience partners",
        "How culture, identity and power shape people's experience of mental health care.",
        (("Winter workshop", 330, (0,), 30), ("Summer workshop", 120, (0,), 30)),
        "Felix Yarrowcombe", 10, partners=True,
    ),
    CourseSpec(
        "safety-leadership", "Safety leadership", "safety_leadership", "",
        "Two days", "The collaborative's faculty",
        "For ward and team leaders: psychological safety, just culture and safety huddles.",
        (("Leaders' cohort", 260, (0, 1), 20),),
        "Dr Tobias Fennelby", 8,
    ),
    CourseSpec(
        "measurement-for-improvement", "Measurement for improvement and SPC", "measurement",
        "practitioner", "One day", "Measurement for improvement advisors",
        "Run charts, SPC charts and their rules, and building a family of measures.",
        (("Measurement day 1", 380, (0,), 24), ("Measurement day 2", 90, (0,), 24)),
        "Dr Harriet Quillfeather", 9,
    ),
    CourseSpec(
        "sbar-human-factors", "SBAR and human factors", "human_factors", "",
        "Half a day", "Human factors faculty",
        "Situation, background, assessment, recommendation: clear handovers and escalation, "
        "and designing work around people.",
        (("SBAR workshop", 280, (0,), 25),),
        "Grace Rowanbridge", 10, partners=True,
    ),
    CourseSpec(
        "patient-safety-programme", "Patient safety improvement programme",
        "patient_safety_programme", "", "Six months, monthly sessions",
        "The collaborative's faculty",
        "A six-month programme for trust teams with lived-experience partners: one day a "
        "month of teaching, coaching and sharing progress on a safety project.",
        (("Programme 2025-26", 330, (0, 30, 60, 91, 122, 152), 20),
         ("Next programme", 40, (0, 30, 60, 91, 122, 152), 20)),
        "Dr Ifeoma Tansyworth", 8, partners=True,
    ),
)  # fmt: skip


def _training(ctx: DemoContext, collab: Collaborative, members: list[tuple[Person, int]]) -> None:
    today = ctx.today
    partners = [m for m in members if m[0].lived_experience]
    staff = [m for m in members if not m[0].lived_experience]
    for spec in COURSES:
        course, _ = ctx.ensure(
            Course,
            key={"collaborative": collab, "slug": spec.slug},
            values={
                "title": spec.title,
                "category": spec.category,
                "level": spec.level,
                "duration": spec.duration,
                "provider": spec.provider,
                "description": spec.description,
                "is_active": True,
            },
        )
        facilitator = ctx.person(c.email_for(spec.facilitator, _org_of(spec.facilitator)))
        for name, ago, offsets, places in spec.cohorts:
            start = today - dt.timedelta(days=ago)
            dates = [start + dt.timedelta(days=o) for o in offsets]
            end = dates[-1]
            online = spec.level == "bronze"
            cohort, _ = ctx.ensure(
                Cohort,
                key={"course": course, "name": name},
                values={
                    "starts_on": start,
                    "ends_on": end,
                    "delivery": "online" if online else "in_person",
                    "venue": "" if online else "Marl Hills education centre, Avonvale",
                    "online_link": "https://learning.example.org/bronze-qi" if online else "",
                    "facilitator": facilitator,
                    "capacity": places,
                },
            )
            sessions = []
            if len(dates) > 1:
                for n, day in enumerate(dates, start=1):
                    s, _ = ctx.ensure(
                        CohortSession,
                        key={"cohort": cohort, "held_on": day},
                        values={"title": f"Session {n}"},
                    )
                    sessions.append(s)
            _enrol(ctx, cohort, spec, staff, partners, sessions, end)


def _enrol(
    ctx: DemoContext,
    cohort: Cohort,
    spec: CourseSpec,
    staff: list[tuple[Person, int]],
    partners: list[tuple[Person, int]],
    sessions: list[CohortSession],
    end: dt.date,
) -> None:
    today = ctx.today
    rng = ctx.rng("capability", "cohort", spec.slug, cohort.name)
    n_partners = min(len(partners), 3 if spec.partners else 0)
    chosen = rng.sample(staff, k=min(len(staff), spec.size - n_partners))
    chosen += rng.sample(partners, k=n_partners)
    finished = end < today
    for person, org_id in chosen:
        roll = rng.random()
        if finished and roll < 0.82:
            values = {"status": EnrolmentStatus.COMPLETED, "completed_on": end}
        elif roll > 0.92:
            withdrawn = min(today, cohort.starts_on + dt.timedelta(days=10))
            values = {"status": EnrolmentStatus.WITHDRAWN, "withdrawn_on": withdrawn}
        else:
            values = {"status": EnrolmentStatus.ENROLLED}
        e, _ = ctx.ensure(
            Enrolment,
            key={"cohort": cohort, "person": person},
            values={
                "organisation_id": org_id,
                "enrolled_on": cohort.starts_on - dt.timedelta(days=21),
                "completed_on": None,
                "withdrawn_on": None,
                **values,
            },
        )
        for s in sessions:
            if s.held_on > today or (e.withdrawn_on and s.held_on > e.withdrawn_on):
                continue
            present = e.status == EnrolmentStatus.COMPLETED or rng.random() < 0.8
            if e.status == EnrolmentStatus.COMPLETED and rng.random() < 0.1:
                present = False  # missed one date and caught up
            ctx.ensure(Attendance, key={"enrolment": e, "session": s}, values={"present": present})


def _org_of(full_name: str) -> str:
    return next(p.org for p in c.NAMED_PEOPLE if p.full_name == full_name)


def _training_goal(ctx: DemoContext, collab: Collaborative) -> None:
    """A programme goal measured by the people_trained metric."""
    today = ctx.today
    ws = Workstream.objects.filter(collaborative=collab, slug="leadership").first()
    ctx.ensure(
        ProgrammeGoal,
        key={"collaborative": collab, "slug": "people-trained"},
        values={
            "statement": "Train 60 members a year in QI and patient safety, lived-experience "
            "partners included",
            "metric_key": "people_trained",
            "metric_params": {},
            "period": Period.YEAR,
            "baseline_date": dt.date(today.year - 2 if today.month < 4 else today.year - 1, 4, 1),
            "target_value": Decimal(60),
            "unit": "people",
            "deadline": _next_march(today),
            "direction": GoalDirection.INCREASE,
            "order": 4,
            "workstream": ws,
        },
    )


def build_capability(ctx: DemoContext) -> None:
    collab = ctx.collaborative(c.MH_COLLABORATIVE.slug)
    subjects = _subjects(ctx, collab)
    _goal(ctx, collab)
    members = _members(ctx)
    _assessments(ctx, collab, subjects, members)
    _training(ctx, collab, members)
    _training_goal(ctx, collab)
