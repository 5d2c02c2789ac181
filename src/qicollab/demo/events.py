"""Demo step ``events``: a year of learning sessions for the demo collaborative.

Three past two-day sessions and two upcoming ones (dates follow the demo's "today"), the
action periods between them, an agenda with plenaries, a national presenter and workshops
at all three levels of the 3 L's (each tagged with a subject area and a workstream), places
(the next session is full, with a waiting list), check-ins at the past sessions and
workshop bookings. All names, venues and links are fictional.

Idempotent: sessions are found by collaborative and slug, agenda items by session, day,
start time and title, places by session and person, bookings by workshop and person. The
many places and bookings are written in bulk (they have no audit history), so the step stays
fast. The subject areas are the capability defaults, created here only if missing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q

from qicollab.accounts.models import Person
from qicollab.capability.defaults import DEFAULT_SUBJECTS
from qicollab.capability.models import SubjectArea
from qicollab.collaborative.models import Workstream
from qicollab.demo import content as c
from qicollab.demo.context import DemoContext
from qicollab.events.models import (
    ActionPeriod,
    AgendaItem,
    AgendaKind,
    BookingStatus,
    LearningSession,
    Registration,
    WorkshopBooking,
)
from qicollab.organisations.models import Affiliation, AffiliationRole, Collaborative

LONDON = ZoneInfo("Europe/London")
T = dt.time


@dataclass(frozen=True)
class SessionSpec:
    slug: str
    title: str
    days_from_today: int  # roughly; moved to the following Tuesday
    venue: str
    theme: str  # the national presenter's subject
    subjects: tuple[str, ...]  # subject slugs for the six day-one workshops
    places: int
    attendees: int
    online_link: str = ""


SESSIONS: tuple[SessionSpec, ...] = (
    SessionSpec("ls10", "Learning session 10: measurement for improvement", -330,
                "Harbourside Conference Centre, Exeford", "measuring what matters to patients",
                ("measurement-spc", "model-for-improvement", "pdsa-cycles",
                 "driver-diagrams", "measurement-spc", "coaching"), 60, 30),
    SessionSpec("ls11", "Learning session 11: co-production and safety culture", -210,
                "The Corn Exchange, Marlcombe Bay", "a just and learning culture",
                ("co-production", "safety-culture", "human-factors-sbar",
                 "safety-culture", "co-production", "leading-improvement"), 60, 32),
    SessionSpec("ls12", "Learning session 12: spreading what works", -80,
                "Kingsmead Conference Centre, Dunmere", "spread and sustainability",
                ("process-mapping", "leading-improvement", "measurement-spc",
                 "pdsa-cycles", "coaching", "driver-diagrams"), 60, 31),
    SessionSpec("ls13", "Learning session 13: learning from deaths with families", 45,
                "Harbourside Conference Centre, Exeford", "learning from deaths with families",
                ("model-for-improvement", "co-production", "human-factors-sbar",
                 "measurement-spc", "safety-culture", "leading-improvement"), 30, 33),
    SessionSpec("ls14", "Learning session 14: leading improvement", 165,
                "Silverbourne Hall, Silverbourne", "leading improvement at board level",
                ("leading-improvement", "coaching", "pdsa-cycles",
                 "driver-diagrams", "process-mapping", "measurement-spc"), 80, 12,
                online_link="https://meet.example/southern-counties-ls14"),
)  # fmt: skip

SUBJECT_TITLES = {
    "model-for-improvement": ("The three questions", "Writing aims that stick",
                              "Coaching teams on the Model for Improvement"),
    "pdsa-cycles": ("Your first small test", "Ramps of linked PDSA cycles",
                    "Learning from tests that failed"),
    "measurement-spc": ("Run charts from scratch", "Reading SPC charts and their signals",
                        "Designing a measurement strategy"),
    "driver-diagrams": ("Reading a driver diagram", "Building your team's driver diagram",
                        "Facilitating driver diagram sessions"),
    "process-mapping": ("Why map a process?", "Mapping with the people who do the work",
                        "Running a mapping event"),
    "human-factors-sbar": ("Human factors: an introduction", "SBAR in daily handovers",
                           "Teaching human factors"),
    "co-production": ("Partners, not participants", "Co-producing a change idea",
                      "Building co-production into your trust"),
    "coaching": ("What an improvement coach does", "Coaching a team through a project",
                 "Developing a coaching network"),
    "leading-improvement": ("The leader's role in improvement",
                            "Sponsoring improvement in your service",
                            "Leading an improvement strategy"),
    "safety-culture": ("What is a just culture?", "Huddles and SCORE with your team",
                       "Leading culture change"),
}  # fmt: skip

FACULTY = (
    "Dr Harriet Quillfeather",
    "Cerys Kestrelmoor",
    "Yusuf Alderwick",
    "Dr Ifeoma Tansyworth",
    "Grace Rowanbridge",
    "Felix Yarrowcombe",
    "Dr Tobias Fennelby",
)
NATIONAL_PRESENTER = "Dr Anselm Brightwater, National Patient Safety Improvement Office"
WORKSTREAM_ORDER = ("medication", "physical-health", "safe-and-reliable-care", "leadership")
# Owen Brackenholt (the demo's "staff member at trust A") went to the past sessions and has
# not booked the next ones yet, so whoever tries the demo as him can book.
DEMO_MEMBER = "Owen Brackenholt"


def _tuesday(d: dt.date) -> dt.date:
    return d + dt.timedelta(days=(1 - d.weekday()) % 7)


def _ensure_subjects(ctx: DemoContext, collab: Collaborative) -> dict[str, SubjectArea]:
    """The capability defaults, if the capability step has not made them (never overwritten)."""
    for order, (slug, name, learn, live, lead) in enumerate(DEFAULT_SUBJECTS):
        ctx.ensure(
            SubjectArea,
            key={"collaborative": collab, "slug": slug},
            create_only={
                "name": name,
                "order": order,
                "learn_descriptor": learn,
                "live_descriptor": live,
                "lead_descriptor": lead,
            },
        )
    return {s.slug: s for s in SubjectArea.objects.filter(collaborative=collab)}


def _agenda(
    spec: SessionSpec,
    subjects: dict[str, SubjectArea],
    workstreams: list[Workstream],
) -> list[dict[str, object]]:
    lead = c.MH_ROLES[0].person
    items: list[dict[str, object]] = [
        {"kind": AgendaKind.PLENARY, "title": "Welcome and the story so far", "day": 1,
         "starts_at": T(9, 30), "ends_at": T(10, 0), "presenter": lead, "room": "Main hall"},
        {"kind": AgendaKind.NATIONAL, "title": f"National perspective: {spec.theme}", "day": 1,
         "starts_at": T(10, 0), "ends_at": T(10, 45), "presenter": NATIONAL_PRESENTER,
         "room": "Main hall"},
        {"kind": AgendaKind.BREAK, "title": "Coffee and storyboards", "day": 1,
         "starts_at": T(10, 45), "ends_at": T(11, 0)},
        {"kind": AgendaKind.BREAK, "title": "Lunch and the storyboard gallery", "day": 1,
         "starts_at": T(12, 15), "ends_at": T(13, 0)},
        {"kind": AgendaKind.PLENARY, "title": "Storyboard round: teams share their tests",
         "day": 1, "starts_at": T(14, 30), "ends_at": T(15, 30), "room": "Main hall"},
        {"kind": AgendaKind.PLENARY, "title": "Patient and carer voices", "day": 2,
         "starts_at": T(9, 30), "ends_at": T(10, 15), "presenter": "Felix Yarrowcombe",
         "room": "Main hall"},
        {"kind": AgendaKind.PLENARY, "title": "Plans for the next action period", "day": 2,
         "starts_at": T(12, 0), "ends_at": T(12, 45), "presenter": lead, "room": "Main hall"},
    ]  # fmt: skip
    # Two day-one slots of three parallel workshops, one at each level.
    slots = ((1, T(11, 0), T(12, 15)), (1, T(13, 0), T(14, 15)))
    n = 0
    for slot, (day, start, end) in enumerate(slots):
        for level in (1, 2, 3):
            slug = spec.subjects[slot * 3 + level - 1]
            items.append(
                {
                    "kind": AgendaKind.WORKSHOP,
                    "title": SUBJECT_TITLES[slug][level - 1],
                    "day": day,
                    "starts_at": start,
                    "ends_at": end,
                    "presenter": FACULTY[n % len(FACULTY)],
                    "room": f"Room {level}",
                    "subject": subjects[slug],
                    "level": level,
                    "workstream": workstreams[n % len(workstreams)] if workstreams else None,
                    "capacity": 20,
                }
            )
            n += 1
    # Day two: workstream workshops, one per workstream, at the level most members are at.
    for i, ws in enumerate(workstreams):
        items.append(
            {
                "kind": AgendaKind.WORKSHOP,
                "title": f"{ws.name}: testing changes together",
                "day": 2,
                "starts_at": T(10, 30),
                "ends_at": T(11, 45),
                "presenter": FACULTY[(n + i) % len(FACULTY)],
                "room": f"Room {i + 1}",
                "subject": subjects["pdsa-cycles"],
                "level": 2,
                "workstream": ws,
                "capacity": 25,
            }
        )
    return items


def _attendee_pool(collab: Collaborative) -> list[Person]:
    """Staff, partners and programme managers of the current member trusts, in a fixed order."""
    affs = (
        Affiliation.objects.filter(
            organisation__collaborative_memberships__collaborative=collab,
            organisation__collaborative_memberships__left_on__isnull=True,
            role__in=[
                AffiliationRole.STAFF,
                AffiliationRole.PARTNER,
                AffiliationRole.PROGRAMME_MANAGER,
            ],
        )
        .filter(Q(ended_on__isnull=True))
        .select_related("person")
        .order_by("person__email")
    )
    seen: dict[int, Person] = {}
    for a in affs:
        seen.setdefault(a.person_id, a.person)
    return list(seen.values())


def build_events(ctx: DemoContext) -> None:
    collab = ctx.collaborative(c.MH_COLLABORATIVE.slug)
    subjects = _ensure_subjects(ctx, collab)
    by_slug = {w.slug: w for w in Workstream.objects.filter(collaborative=collab)}
    workstreams = [by_slug[s] for s in WORKSTREAM_ORDER if s in by_slug]
    pool = _attendee_pool(collab)
    demo_member = next((p for p in pool if p.full_name == DEMO_MEMBER), None)

    sessions: list[LearningSession] = []
    for spec in SESSIONS:
        start = _tuesday(ctx.today + dt.timedelta(days=spec.days_from_today))
        s, _ = ctx.ensure(
            LearningSession,
            key={"collaborative": collab, "slug": spec.slug},
            values={
                "title": spec.title,
                "starts_on": start,
                "ends_on": start + dt.timedelta(days=1),
                "venue": spec.venue,
                "online_link": spec.online_link,
                "capacity": spec.places,
                "ask_needs": True,
                "description": "Two days of learning together: national and local speakers, "
                "workshops for every level of the 3 L's, and the storyboard gallery where "
                "teams share (and steal) each other's ideas.",
            },
        )
        sessions.append(s)
        for item in _agenda(spec, subjects, workstreams):
            ctx.ensure(
                AgendaItem,
                key={
                    "session": s,
                    "day": item["day"],
                    "starts_at": item["starts_at"],
                    "title": item["title"],
                },
                values={k: v for k, v in item.items() if k not in ("day", "starts_at", "title")},
            )

    # Action periods: from the day after each session to the day before the next.
    for n, (before, after) in enumerate(itertools.pairwise(sessions), start=10):
        ctx.ensure(
            ActionPeriod,
            key={"collaborative": collab, "title": f"Action period {n}"},
            values={
                "starts_on": before.ends_on + dt.timedelta(days=1),
                "ends_on": after.starts_on - dt.timedelta(days=1),
            },
        )

    for spec, s in zip(SESSIONS, sessions, strict=True):
        _places(ctx, spec, s, pool, demo_member)


def _places(
    ctx: DemoContext,
    spec: SessionSpec,
    s: LearningSession,
    pool: list[Person],
    demo_member: Person | None,
) -> None:
    """Places, waiting list, check-ins and workshop bookings for one session, in bulk."""
    rng = ctx.rng("events", spec.slug)
    past = s.ends_on < ctx.today
    others = [p for p in pool if p is not demo_member]
    chosen = rng.sample(others, k=min(spec.attendees, len(others)))
    if past and demo_member is not None:
        chosen = [demo_member, *chosen[:-1]]
    wanted: dict[int, tuple[str, dt.datetime | None]] = {}
    for i, person in enumerate(chosen):
        status = BookingStatus.BOOKED if i < spec.places else BookingStatus.WAITING
        checked_in = None
        # Nine in ten people with a place came; they arrived between 08:45 and 09:45.
        if past and status == BookingStatus.BOOKED and rng.random() < 0.9:
            checked_in = dt.datetime.combine(s.starts_on, T(8, 45), tzinfo=LONDON) + dt.timedelta(
                minutes=rng.randint(0, 60)
            )
        wanted[person.pk] = (status, checked_in)

    existing = {r.person_id: r for r in Registration.objects.filter(session=s)}
    new = [
        Registration(session=s, person_id=pid, status=st, checked_in_at=ci)
        for pid, (st, ci) in wanted.items()
        if pid not in existing
    ]
    Registration.objects.bulk_create(new)
    changed: list[Registration] = []
    for pid, (st, ci) in wanted.items():
        reg = existing.get(pid)
        if reg is not None and ctx.refresh and (reg.status, reg.checked_in_at) != (st, ci):
            reg.status, reg.checked_in_at = st, ci
            changed.append(reg)
    if changed:
        Registration.objects.bulk_update(changed, ["status", "checked_in_at"])
    ctx.stats.created += len(new)
    ctx.stats.updated += len(changed)
    ctx.stats.unchanged += len(existing) - len(changed)

    # Workshop bookings: most people with a place pick one workshop in each slot.
    workshops = list(
        AgendaItem.objects.filter(session=s, kind=AgendaKind.WORKSHOP).order_by(
            "day", "starts_at", "room"
        )
    )
    slots: dict[tuple[int, dt.time], list[AgendaItem]] = {}
    for w in workshops:
        slots.setdefault((w.day, w.starts_at), []).append(w)
    have = set(
        WorkshopBooking.objects.filter(workshop__session=s).values_list("workshop_id", "person_id")
    )
    bookings: list[WorkshopBooking] = []
    for pid, (st, _) in wanted.items():
        if st != BookingStatus.BOOKED:
            continue
        for options in slots.values():
            if rng.random() < 0.75:
                w = options[rng.randrange(len(options))]
                if (w.pk, pid) not in have:
                    bookings.append(
                        WorkshopBooking(workshop=w, person_id=pid, status=BookingStatus.BOOKED)
                    )
    WorkshopBooking.objects.bulk_create(bookings)
    ctx.stats.created += len(bookings)
