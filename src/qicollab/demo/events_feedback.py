"""Demo step ``events_feedback``: storyboards, steals and feedback at past learning sessions.

Runs after the ``events`` step (sessions, registrations, attendance) and the demo projects,
and tolerates their absence: with no past sessions it does nothing; with no registrations it
makes storyboards but no feedback (only people who had a place may answer).

Idempotent: storyboards are found by session and project (or session, organisation and
title), steals by storyboard and person, and a feedback response is written only together
with the new receipt of its respondent, so a re-run creates neither twice. Poster images are
drawn with Pillow and stored under names derived from SECRET_KEY (stable, so a re-run reuses
them; unguessable without the key).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from qicollab.collaborative.models import GoalDirection, Period, ProgrammeGoal, Workstream
from qicollab.demo import content as c
from qicollab.demo.context import DemoContext
from qicollab.events.models import (
    BookingStatus,
    Contribution,
    FeedbackReceipt,
    FeedbackResponse,
    LearningSession,
    Registration,
    Storyboard,
    StoryboardKind,
    StoryboardSteal,
)
from qicollab.events.storyboard_files import DIR, THUMB_WIDTH
from qicollab.events.storyboards import member_ids_at
from qicollab.organisations.models import Affiliation, Organisation
from qicollab.projects.models import Project, Sharing

# (title, the idea, workstream slug)
POSTER_IDEAS = [
    (
        "Safety huddles at every shift change",
        "A five-minute huddle before handover",
        "safe-and-reliable-care",
    ),
    (
        "Fewer restrictive interventions",
        "Safety pods and a de-escalation prompt card",
        "safe-and-reliable-care",
    ),
    (
        "Physical health checks within 72 hours",
        "A Lester tool checklist in admission packs",
        "physical-health",
    ),
    (
        "Medicines reconciliation in 24 hours",
        "Pharmacy technicians on the admissions ward",
        "medication",
    ),
    (
        "Sharing learning from deaths",
        "A monthly bulletin co-written with families",
        "safe-and-reliable-care",
    ),
    (
        "Sexual safety on inpatient wards",
        "A ward charter agreed with patients",
        "safe-and-reliable-care",
    ),
    (
        "Reducing falls in older adults' wards",
        "Falls sensors and a 'bay tag' rota",
        "physical-health",
    ),
    ("Co-produced care plans", "Care plans written with patients, in their words", "leadership"),
    (
        "Zero suicide ambition",
        "Safety plans for everyone leaving the ward",
        "safe-and-reliable-care",
    ),
    ("Learning from excellence", "Thank-you notes that capture what went right", "leadership"),
    ("Omitted doses of critical medicines", "A red tray for time-critical medicines", "medication"),
]

STEAL_NOTES = [
    "We will test this on one ward first.",
    "Trying it with our crisis team next month.",
    "",
    "Could you share your checklist?",
    "Our matron wants to adapt this for older adults.",
    "",
]

DO_DIFFERENTLY = [
    "Start a daily safety huddle on our ward.",
    "Plot our data on a run chart before changing anything.",
    "Test one small change with one patient next week.",
    "Involve a lived-experience partner from the start.",
    "Share our PDSA cycles with the team every month.",
    "Use SBAR at handover.",
    "Ask the night staff what gets in their way.",
    "Try the safety pods idea from the storyboard walk.",
    "Write our aim as a SMART statement with the team.",
    "Add a balancing measure to our family of measures.",
    "Meet the pharmacy team about omitted doses.",
    "Invite a carer to our next project meeting.",
]

COMMENTS = [
    "Really useful to hear what other trusts are trying.",
    "The storyboard walk was the best part.",
    "More time for questions in the plenary, please.",
    "Great energy in the room.",
    "The SPC workshop finally made sense of our charts.",
    "The venue was hard to reach by public transport.",
    "Loved hearing from the lived-experience partners.",
    "Could the slides be shared before the day?",
    "The workshop at Learn level was pitched just right.",
    "Too much in the afternoon; a longer break would help.",
]

# Overall ratings, mostly positive (about 96% rate 4 or 5), as a learning session usually is.
RATINGS = [5] * 55 + [4] * 41 + [3] * 3 + [2] * 1


def _secret_name(*parts: str) -> str:
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, "|".join(("storyboard-demo", *parts)).encode(), hashlib.sha256)
    return f"{DIR}/demo-{digest.hexdigest()[:40]}"


@functools.cache
def _font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _poster(title: str, org: str, idea: str, seed: str) -> tuple[bytes, bytes]:
    """A simple storyboard poster (PNG, A-series landscape) and its thumbnail."""
    from PIL import Image, ImageDraw

    rng = DemoContext.rng("poster", seed)
    img = Image.new("RGB", (800, 566), (240, 244, 245))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 800, 88), fill=(0, 94, 184))
    d.text((26, 18), title, fill="white", font=_font(27))
    d.text((26, 55), org, fill="white", font=_font(17))
    d.text((26, 112), "What we changed", fill=(33, 43, 50), font=_font(17))
    d.text((26, 140), idea, fill=(66, 84, 98), font=_font(15))
    # A run chart with a shift: the change worked.
    d.rectangle((26, 186, 506, 520), outline=(174, 183, 189), width=2)
    points = [(40 + i * 19, (413 if i < 12 else 313) + rng.randint(-30, 30)) for i in range(24)]
    d.line((33, 413, 500, 413), fill=(174, 183, 189), width=1)
    d.line(points, fill=(0, 94, 184), width=3)
    for x, y in points[12:]:
        d.ellipse((x - 4, y - 4, x + 4, y + 4), fill=(237, 139, 0))
    d.text((533, 200), "What we learned", fill=(33, 43, 50), font=_font(17))
    lessons = [
        "Start small: one ward,",
        "one shift, one week.",
        "Ask patients first.",
        "Plot the data weekly.",
    ]
    for i, line in enumerate(lessons):
        d.text((533, 233 + i * 27), line, fill=(66, 84, 98), font=_font(15))
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=1)
    thumb = img.resize((THUMB_WIDTH, round(566 * THUMB_WIDTH / 800)), Image.Resampling.BILINEAR)
    tout = io.BytesIO()
    thumb.save(tout, format="PNG", compress_level=1)
    return out.getvalue(), tout.getvalue()


def _ensure_file(name: str, data: bytes) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)  # half of a pair from an interrupted run
    default_storage.save(name, ContentFile(data))


def _attendees(session: LearningSession) -> list[Any]:
    regs = Registration.objects.filter(
        Q(status=BookingStatus.BOOKED) | Q(checked_in_at__isnull=False), session=session
    ).select_related("person")
    return sorted((r.person for r in regs), key=lambda p: p.email)


def _member_staff(session: LearningSession) -> list[Any]:
    affs = Affiliation.objects.filter(
        organisation_id__in=member_ids_at(session), role__in=["staff", "programme_manager"]
    ).select_related("person")
    return sorted({a.person for a in affs}, key=lambda p: p.email)


def _storyboards(
    ctx: DemoContext, session: LearningSession, projects: list[Project], last: bool
) -> list[Storyboard]:
    rng = ctx.rng("storyboards", session.slug)
    members = list(Organisation.objects.filter(pk__in=member_ids_at(session)).order_by("slug"))
    # Every member presents at the latest session ("100% presented"); one or two miss earlier ones.
    missing = (
        set()
        if last
        else {o.pk for o in rng.sample(members, k=min(2, len(members)) if members else 0)}
    )
    boards: list[Storyboard] = []
    workstreams = {
        w.slug: w for w in Workstream.objects.filter(collaborative_id=session.collaborative_id)
    }
    by_org: dict[int, list[Project]] = defaultdict(list)
    for p in projects:
        if p.start_date is None or p.start_date <= session.starts_on:
            by_org[p.lead_organisation_id].append(p)
    for i, org in enumerate(members):
        if org.pk in missing:
            continue
        org_projects = by_org.get(org.pk, [])
        if org_projects and (last or rng.random() < 0.5):
            project = org_projects[0]
            board, _ = ctx.ensure(
                Storyboard,
                key={"session": session, "project": project},
                values={
                    "kind": StoryboardKind.PROJECT,
                    "title": project.title,
                    "summary": project.summary[:1000],
                    "organisation": org,
                    "workstream_id": project.workstream_id,
                },
            )
        else:
            title, idea, ws = POSTER_IDEAS[(i + session.starts_on.month) % len(POSTER_IDEAS)]
            seed = f"{session.uid}:{org.slug}"
            file_name = _secret_name(seed)
            thumb_name = _secret_name(seed, "thumb")
            if default_storage.exists(file_name) and default_storage.exists(thumb_name):
                size = default_storage.size(file_name)  # a re-run: the poster is there
            else:
                poster, thumb = _poster(title, org.name, idea, seed)
                _ensure_file(file_name, poster)
                _ensure_file(thumb_name, thumb)
                size = len(poster)
            board, _ = ctx.ensure(
                Storyboard,
                key={"session": session, "organisation": org, "title": title},
                values={
                    "kind": StoryboardKind.UPLOAD,
                    "summary": idea,
                    "workstream": workstreams.get(ws),
                },
                create_only={
                    "file_name": file_name,
                    "thumb_name": thumb_name,
                    "content_type": "image/png",
                    "file_size": size,
                    "original_name": f"{org.slug}-storyboard.png",
                },
            )
        boards.append(board)
    return boards


def _steals(
    ctx: DemoContext, session: LearningSession, boards: list[Storyboard], people: list[Any]
) -> None:
    if not people:
        return
    rng = ctx.rng("steals", session.slug)
    org_of = dict(
        Affiliation.objects.filter(person__in=people).values_list("person_id", "organisation_id")
    )
    for board in boards:
        others = [p for p in people if org_of.get(p.pk) != board.organisation_id]
        for person in rng.sample(others, k=min(len(others), rng.randint(0, 4))):
            ctx.ensure(
                StoryboardSteal,
                key={"storyboard": board, "person": person},
                values={"note": rng.choice(STEAL_NOTES)},
                # The demo sends no email; mark the team as told.
                create_only={
                    "notified_at": timezone.make_aware(
                        dt.datetime.combine(session.ends_on, dt.time(17))
                    )
                },
            )


def _feedback(ctx: DemoContext, session: LearningSession, people: list[Any]) -> None:
    rng = ctx.rng("feedback", session.slug)
    answered = set(
        FeedbackReceipt.objects.filter(session=session).values_list("person_id", flat=True)
    )
    receipts: list[FeedbackReceipt] = []
    responses: list[FeedbackResponse] = []
    for person in people:
        if rng.random() > 0.75:  # about three in four attendees answer
            continue
        rating = rng.choice(RATINGS)
        answers = {
            "rating": rating,
            "learning": Contribution.YES if rating >= 4 else rng.choice(list(Contribution.values)),
            "patient_care": Contribution.YES
            if rating >= 4 and rng.random() < 0.9
            else Contribution.PARTLY,
            # About half answer each free-text question.
            "do_differently": rng.choice(DO_DIFFERENTLY) if rng.random() < 0.5 else "",
            "comments": rng.choice(COMMENTS) if rng.random() < 0.4 else "",
        }
        if person.pk in answered:
            ctx.counted(created=False, changed=False)
            continue
        # A response only with a new receipt, so a re-run adds no second response.
        receipts.append(FeedbackReceipt(session=session, person=person))
        responses.append(FeedbackResponse(session=session, **answers))
    # In bulk: neither model has audit history (see events/feedback.py). Shuffled, so not even
    # the storage order of the two tables lines up.
    rng.shuffle(responses)
    FeedbackReceipt.objects.bulk_create(receipts)
    FeedbackResponse.objects.bulk_create(responses)
    ctx.stats.created += len(receipts) + len(responses)


def _goal(ctx: DemoContext, collab: Any) -> None:
    today = ctx.today
    march = date(today.year if today.month <= 3 else today.year + 1, 3, 31)
    ctx.ensure(
        ProgrammeGoal,
        key={"collaborative": collab, "slug": "learning-sessions-positive"},
        values={
            "statement": "95% of attendees rate our learning sessions good or excellent",
            "metric_key": "session_positive_pct",
            "metric_params": {},
            "period": Period.YEAR,
            # The start of last financial year: the demo's sessions run for about a year.
            "baseline_date": date((today.year if today.month >= 4 else today.year - 1) - 1, 4, 1),
            "target_value": Decimal("95"),
            "deadline": march,
            "unit": "%",
            "direction": GoalDirection.INCREASE,
            "order": 20,
        },
    )


def build_events_feedback(ctx: DemoContext) -> None:
    """Storyboards (mostly every member trust), steals and mostly positive feedback."""
    collab = ctx.collaborative(c.MH_COLLABORATIVE.slug)
    past = list(
        LearningSession.objects.filter(collaborative=collab, starts_on__lt=ctx.today).order_by(
            "starts_on"
        )
    )
    if past:
        projects = list(
            Project.objects.filter(
                collaborative=collab, sharing__in=[Sharing.COLLABORATIVE, Sharing.PUBLIC]
            ).order_by("slug")
        )
        for i, session in enumerate(past):
            people = _attendees(session)
            boards = _storyboards(ctx, session, projects, last=i == len(past) - 1)
            # Without registrations (no events step), staff of member trusts still steal.
            _steals(ctx, session, boards, people or _member_staff(session))
            _feedback(ctx, session, people)
    _goal(ctx, collab)
