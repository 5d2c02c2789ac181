"""Learning-session feedback: who may answer, the anonymous write, and suppressed results.

Anonymity (to faculty, leads, admins and anyone else using the platform):

* a :class:`~qicollab.events.models.FeedbackResponse` has no person, no timestamps and a
  random UUID key; a separate :class:`~qicollab.events.models.FeedbackReceipt` says only that
  a person answered. Nothing in the two rows lines up (no shared ids, no times), and
  responses are always listed in random-key or alphabetical order, never in the order given;
* responses have no audit history: django-simple-history would store the respondent as
  ``history_user``;
* results are withheld while a session has fewer than :data:`MIN_RESPONSES` responses, so a
  small group cannot be told apart; pooled figures leave out withheld sessions, so a pooled
  total minus the shown sessions cannot reveal a withheld one;
* nothing is published while feedback is open (until :data:`FEEDBACK_WINDOW_DAYS` after the
  session ends), not even the number of responses: results that changed as answers came in
  would let an organiser who knew when someone answered isolate that answer. When the window
  closes every result appears at once and never changes again (no more answers are taken).

Someone with direct access to the database server could still guess from storage details
(PostgreSQL ``xmin``/``ctid``, SQLite ``rowid``): the promise is to the platform's users, not
to the database administrator. See docs/learning-sessions.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qicollab.events.models import (
    POSITIVE_RATINGS,
    BookingStatus,
    Contribution,
    FeedbackReceipt,
    FeedbackResponse,
    LearningSession,
    Rating,
    Registration,
)
from qicollab.organisations.models import Collaborative

#: Results of a session with fewer responses than this are withheld.
MIN_RESPONSES = 5

#: Feedback stays open this many days after a session's last day; results appear after.
FEEDBACK_WINDOW_DAYS = 14


def feedback_closes_on(session: LearningSession) -> dt.date:
    """The last day on which feedback on ``session`` can be given."""
    return session.ends_on + dt.timedelta(days=FEEDBACK_WINDOW_DAYS)


def results_published(session: LearningSession) -> bool:
    """Results are shown only once feedback has closed, all at once."""
    return timezone.localdate() > feedback_closes_on(session)


def not_yet_published(session: LearningSession) -> str:
    """Why results are not shown yet (said the same way on the page and in the API)."""
    d = feedback_closes_on(session)
    return (
        f"Results are published all at once when feedback closes after {d.day} {d:%B %Y}, "
        "so that no single answer can be picked out by when it was given."
    )


WITHHELD = (
    f"Results are withheld until at least {MIN_RESPONSES} people have responded, "
    "so that nobody's answers can be picked out."
)


# --- who may answer -----------------------------------------------------------------------


def has_responded(*, person: Any, session: LearningSession) -> bool:
    return FeedbackReceipt.objects.filter(session=session, person_id=person.pk).exists()


def why_not_give(*, person: Any, session: LearningSession) -> str | None:
    """The reason ``person`` may not give feedback on ``session`` now, or ``None`` if they may.

    People with a place (booked, or checked in) may answer once the session has started.
    """
    if session.starts_on > timezone.localdate():
        return (
            f"Feedback opens when the session starts, on {session.starts_on.day} "
            f"{session.starts_on:%B %Y}. "
            "Come back after the session."
        )
    if results_published(session):
        d = feedback_closes_on(session)
        return f"Feedback on this learning session closed on {d.day} {d:%B %Y}."
    attended = Registration.objects.filter(
        Q(status=BookingStatus.BOOKED) | Q(checked_in_at__isnull=False),
        session=session,
        person_id=person.pk,
    ).exists()
    if not attended:
        return "Only people who had a place at this learning session can give feedback on it."
    if has_responded(person=person, session=session):
        return "You have already given feedback on this learning session. Thank you."
    return None


def eligible_count(*, session: LearningSession) -> int:
    """How many people may answer (had a place, or were checked in): the response rate's base."""
    return (
        Registration.objects.filter(
            Q(status=BookingStatus.BOOKED) | Q(checked_in_at__isnull=False), session=session
        )
        .values("person_id")
        .distinct()
        .count()
    )


# --- the write ----------------------------------------------------------------------------


def feedback_submit(
    *,
    actor: Any,
    session: LearningSession,
    rating: int,
    learning: str,
    patient_care: str,
    do_differently: str = "",
    comments: str = "",
) -> None:
    """Record one anonymous response and, separately, that ``actor`` has answered.

    Returns nothing on purpose: no caller should hold the response and the person together.
    A second response from the same person is refused (the receipt is unique per session and
    person, so two simultaneous submissions cannot both get through).
    """
    if not actor.has_perm("events.view_session", session):
        raise PermissionDenied
    reason = why_not_give(person=actor, session=session)
    if reason is not None:
        raise ValidationError(reason)
    if rating not in Rating.values:
        raise ValidationError("Choose an overall rating from 1 (very poor) to 5 (excellent).")
    if learning not in Contribution.values or patient_care not in Contribution.values:
        raise ValidationError("Answer yes, partly or no.")
    try:
        with transaction.atomic():
            FeedbackReceipt.objects.create(session=session, person=actor)
            FeedbackResponse.objects.create(
                session=session,
                rating=rating,
                learning=learning,
                patient_care=patient_care,
                do_differently=do_differently.strip(),
                comments=comments.strip(),
            )
    except IntegrityError:
        raise ValidationError(
            "You have already given feedback on this learning session. Thank you."
        ) from None


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    pct: float


@dataclass(frozen=True)
class SessionResults:
    """A session's results. When ``withheld`` only ``responses`` is filled in."""

    session: LearningSession
    responses: int
    withheld: bool
    positive: int = 0
    published: bool = True
    ratings: list[Bar] = field(default_factory=list)
    learning: list[Bar] = field(default_factory=list)
    patient_care: list[Bar] = field(default_factory=list)
    do_differently: list[Comment] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def positive_pct(self) -> float | None:
        if self.withheld or not self.responses:
            return None
        return 100.0 * self.positive / self.responses

    @property
    def withheld_reason(self) -> str:
        if not self.published:
            return not_yet_published(self.session)
        return WITHHELD if self.withheld else ""


def _bars(counts: Counter[Any], choices: list[tuple[Any, str]], total: int) -> list[Bar]:
    return [Bar(label, counts[value], 100.0 * counts[value] / total) for value, label in choices]


@dataclass(frozen=True)
class Comment:
    text: str
    count: int


def _texts(values: list[str]) -> list[Comment]:
    """Free-text answers, identical ones once with a count, in alphabetical order.

    Alphabetical, because a list in the order given could be matched against who answered
    when; grouped, because twenty copies of "Use SBAR at handover" say less than one and a 20.
    """
    counts = Counter(" ".join(v.split()) for v in values if v.strip())
    return [Comment(t, n) for t, n in sorted(counts.items(), key=lambda kv: kv[0].casefold())]


def session_results(*, session: LearningSession) -> SessionResults:
    """Distribution, % positive (rating 4 or 5 of 5) and comments, or withheld below the minimum.

    Nothing, not even the count, while feedback is still open.
    """
    if not results_published(session):
        return SessionResults(session=session, responses=0, withheld=True, published=False)
    rows = list(
        FeedbackResponse.objects.filter(session=session).values_list(
            "rating", "learning", "patient_care", "do_differently", "comments"
        )
    )
    n = len(rows)
    if n < MIN_RESPONSES:
        return SessionResults(session=session, responses=n, withheld=True)
    ratings = Counter(r[0] for r in rows)
    return SessionResults(
        session=session,
        responses=n,
        withheld=False,
        positive=sum(ratings[v] for v in POSITIVE_RATINGS),
        # Best first, as people read a rating scale.
        ratings=_bars(ratings, list(reversed(Rating.choices)), n),
        learning=_bars(Counter(r[1] for r in rows), list(Contribution.choices), n),
        patient_care=_bars(Counter(r[2] for r in rows), list(Contribution.choices), n),
        do_differently=_texts([r[3] for r in rows]),
        comments=_texts([r[4] for r in rows]),
    )


@dataclass(frozen=True)
class SessionRow:
    session: LearningSession
    responses: int
    positive: int
    published: bool = True

    @property
    def withheld(self) -> bool:
        return not self.published or self.responses < MIN_RESPONSES

    @property
    def positive_pct(self) -> float | None:
        return None if self.withheld else 100.0 * self.positive / self.responses


@dataclass(frozen=True)
class OverTime:
    rows: list[SessionRow]
    responses: int
    positive: int
    withheld_sessions: int

    @property
    def positive_pct(self) -> float | None:
        return 100.0 * self.positive / self.responses if self.responses else None


def _with_counts(qs: QuerySet[LearningSession]) -> QuerySet[LearningSession]:
    return qs.annotate(
        n_responses=Count("feedback_responses"),
        n_positive=Count(
            "feedback_responses", filter=Q(feedback_responses__rating__in=POSITIVE_RATINGS)
        ),
    )


def _pool(sessions: QuerySet[LearningSession]) -> OverTime:
    rows = [
        SessionRow(s, s.n_responses, s.n_positive)  # type: ignore[attr-defined]
        if results_published(s)
        else SessionRow(s, 0, 0, published=False)
        for s in _with_counts(sessions)
    ]
    shown = [r for r in rows if not r.withheld]
    return OverTime(
        rows=rows,
        responses=sum(r.responses for r in shown),
        positive=sum(r.positive for r in shown),
        withheld_sessions=sum(1 for r in rows if r.withheld and r.responses),
    )


def results_over_time(*, collaborative: Collaborative) -> OverTime:
    """Every session of the collaborative that has started, oldest first, and the pooled share
    positive over the sessions whose results are shown (withheld ones are left out)."""
    return _pool(
        LearningSession.objects.filter(
            collaborative=collaborative, starts_on__lte=timezone.localdate()
        ).order_by("starts_on", "pk")
    )


def positive_share(*, collaborative: Collaborative, start: dt.date, end: dt.date) -> OverTime:
    """Responses to sessions that started in ``start`` to ``end`` (responses carry no date of
    their own, so they count at their session's start), pooled as in :func:`results_over_time`.
    """
    return _pool(
        LearningSession.objects.filter(
            collaborative=collaborative, starts_on__gte=start, starts_on__lte=end
        ).order_by("starts_on", "pk")
    )
