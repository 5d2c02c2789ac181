"""Writes for learning sessions: registrations and workshop bookings.

Overbooking is prevented by locking the session (or workshop) row with SELECT … FOR UPDATE
before counting places, so two simultaneous bookings for the last place are serialised:
the second one sees the first and goes on the waiting list.

Lock order: every write here takes its row locks in one order,
**session → workshop(s) (by id) → registration → workshop bookings**, skipping levels it
does not need but never going back up. Two transactions that took locks in opposite
orders (a cancel locking its booking then the workshop, a booking locking the workshop then
the waiting bookings) could each wait for the other, and PostgreSQL would abort one with
"deadlock detected". :func:`_lock` is the one place the session and workshop locks are taken.

Every write goes through :func:`qicollab.core.services.save_as` with the person acting.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from qicollab.core.services import save_as
from qicollab.events import emails
from qicollab.events.models import (
    AgendaItem,
    AgendaKind,
    BookingStatus,
    LearningSession,
    Registration,
    WorkshopBooking,
)
from qicollab.notifications.services import notify

if TYPE_CHECKING:
    from qicollab.accounts.models import Person

logger = logging.getLogger(__name__)


def _lock(
    session_id: int, workshop_ids: Iterable[int] = ()
) -> tuple[LearningSession, dict[int, AgendaItem]]:
    """Lock the session, then its workshops in id order: the top of the one lock order."""
    session = LearningSession.objects.select_for_update().get(pk=session_id)
    return session, _lock_workshops(workshop_ids)


def _lock_workshops(workshop_ids: Iterable[int]) -> dict[int, AgendaItem]:
    # Second step of the lock order; the caller already holds the session lock.
    ids = sorted(set(workshop_ids))
    locked = AgendaItem.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {w.pk: w for w in locked}


def _requeue(row: Registration | WorkshopBooking, status: str, actor: Person | None) -> None:
    # A person who cancels and books again joins the back of the queue.
    row.status = status
    row.created_at = timezone.now()
    save_as(row, actor, update_fields=["status", "created_at", "updated_at"])


PAST_SESSION = "This learning session has already taken place, so places can no longer be changed."


def _refuse_if_over(session: LearningSession) -> None:
    # Buttons are hidden on past sessions; the rule lives here so no other route can book.
    if session.ends_on < timezone.localdate():
        raise ValidationError(PAST_SESSION)


def _free_places(capacity: int | None, booked: int, waiting: int) -> int:
    if capacity is None:
        return waiting
    return max(0, min(capacity - booked, waiting))


def session_waiting_list_promote(
    *, session: LearningSession, actor: Person | None = None
) -> list[Registration]:
    """Give free places at ``session`` to the people waiting, first come first served.

    Called (inside the caller's transaction, with the session row locked) whenever places
    may have been freed or added: a cancellation, a larger capacity, or before a new booking
    so that nobody who joins now can overtake the queue. Each person promoted is emailed
    once the transaction commits. Returns them in queue order.
    """
    return _promote(
        Registration.objects.filter(session=session),
        capacity=session.capacity,
        actor=actor,
        notify=_place_offered,
    )


def workshop_waiting_list_promote(
    *, workshop: AgendaItem, actor: Person | None = None
) -> list[WorkshopBooking]:
    """Give free places at ``workshop`` to the people waiting, in the order they asked.

    The workshop row must be locked by the caller; see :func:`session_waiting_list_promote`.
    """
    return _promote(
        WorkshopBooking.objects.filter(workshop=workshop),
        capacity=workshop.capacity,
        actor=actor,
        notify=_workshop_place_offered,
    )


def _place_offered(reg: Registration) -> None:
    """The booking email (always sent: it confirms the place) and the in-platform notice."""
    emails.send_place_offered(reg)
    notify(
        recipients=[reg.person],
        kind="events.place_offered",
        actor=None,
        target=reg.session,
        text=f"A place has come free at {reg.session.title} and it is now yours.",
        dedupe_key=f"registration:{reg.pk}:{reg.updated_at.isoformat()}",
    )


def _workshop_place_offered(b: WorkshopBooking) -> None:
    emails.send_workshop_place_offered(b)
    notify(
        recipients=[b.person],
        kind="events.place_offered",
        actor=None,
        target=b.workshop.session,
        text=f"A place has come free at the workshop {b.workshop.title} and it is now yours.",
        dedupe_key=f"workshop-booking:{b.pk}:{b.updated_at.isoformat()}",
    )


_Place = TypeVar("_Place", Registration, WorkshopBooking)


def _promote(
    places: QuerySet[_Place],
    *,
    capacity: int | None,
    actor: Person | None,
    notify: Callable[[_Place], object],
) -> list[_Place]:
    """Book the first waiting ``places`` into the free capacity, in queue order; notify each
    once the transaction commits. The one promotion rule for sessions and workshops."""
    booked = places.filter(status=BookingStatus.BOOKED).count()
    queue = places.select_for_update().filter(status=BookingStatus.WAITING)
    n = _free_places(capacity, booked, queue.count())
    promoted = list(queue.order_by("created_at", "pk")[:n])
    for place in promoted:
        place.status = BookingStatus.BOOKED
        save_as(place, actor, update_fields=["status", "updated_at"])
        transaction.on_commit(partial(notify, place))
    return promoted


def registration_create(
    *, actor: Person, session: LearningSession, needs: str = ""
) -> Registration:
    """Book a place, or a place on the waiting list when the session is full."""
    if not actor.has_perm("events.register", session):
        raise PermissionDenied
    _refuse_if_over(session)
    with transaction.atomic():
        locked, _ = _lock(session.pk)
        # Places that are free while people wait belong to the queue, not to whoever asks next.
        session_waiting_list_promote(session=locked, actor=actor)
        existing = Registration.objects.filter(session=locked, person=actor).first()
        if existing is not None and existing.status != BookingStatus.CANCELLED:
            raise ValidationError(
                "You are already booked on this learning session."
                if existing.status == BookingStatus.BOOKED
                else "You are already on the waiting list for this learning session."
            )
        booked = Registration.objects.filter(session=locked, status=BookingStatus.BOOKED).count()
        status = (
            BookingStatus.BOOKED
            if locked.capacity is None or booked < locked.capacity
            else BookingStatus.WAITING
        )
        needs = needs.strip() if locked.ask_needs else ""
        if existing is not None:
            existing.needs = needs
            _requeue(existing, status, actor)
            save_as(existing, actor, update_fields=["needs"])
            return existing
        reg = Registration(session=locked, person=actor, status=status, needs=needs)
        save_as(reg, actor)
        return reg


def registration_cancel(*, actor: Person, registration: Registration) -> Registration | None:
    """Cancel a place; the first person waiting gets it and is emailed. Returns them, if any."""
    if not (
        registration.person_id == actor.pk
        or actor.has_perm("events.manage_session", registration.session)
    ):
        raise PermissionDenied
    promoted: Registration | None = None
    with transaction.atomic():
        session, _ = _lock(registration.session_id)
        # The person's workshops are locked before their registration and bookings, so that
        # a booking or cancel of one of those workshops cannot lock in reverse. With the
        # session locked nobody can book a new workshop of it meanwhile (workshop_book
        # locks the session first), so this list is complete.
        workshops = _lock_workshops(
            WorkshopBooking.objects.filter(
                person_id=registration.person_id, workshop__session=session
            ).values_list("workshop_id", flat=True)
        )
        _refuse_if_over(session)
        reg = Registration.objects.select_for_update().get(pk=registration.pk)
        if reg.status == BookingStatus.CANCELLED:
            return None
        was_booked = reg.status == BookingStatus.BOOKED
        reg.status = BookingStatus.CANCELLED
        reg.needs = ""
        save_as(reg, actor, update_fields=["status", "needs", "updated_at"])
        bookings = (
            WorkshopBooking.objects.select_for_update()
            .filter(person_id=reg.person_id, workshop__session=session)
            .exclude(status=BookingStatus.CANCELLED)
            .order_by("pk")
        )
        for b in bookings:
            _cancel_workshop_booking_locked(b, workshops[b.workshop_id], actor)
        if was_booked:
            first = session_waiting_list_promote(session=session, actor=actor)[:1]
            promoted = first[0] if first else None
    return promoted


def workshop_book(*, actor: Person, workshop: AgendaItem) -> WorkshopBooking:
    """Book a workshop; you need a place at the session first. Full workshops wait-list."""
    if workshop.kind != AgendaKind.WORKSHOP:
        raise ValidationError("Only workshops are booked; the rest of the agenda is open to all.")
    _refuse_if_over(workshop.session)
    with transaction.atomic():
        _, workshops = _lock(workshop.session_id, [workshop.pk])
        locked = workshops[workshop.pk]
        workshop_waiting_list_promote(workshop=locked, actor=actor)
        reg = Registration.objects.filter(session_id=locked.session_id, person=actor).first()
        if reg is None or reg.status != BookingStatus.BOOKED:
            raise ValidationError(
                "Book a place at the learning session before choosing a workshop."
            )
        clash = (
            WorkshopBooking.objects.filter(
                person=actor,
                workshop__session_id=locked.session_id,
                workshop__day=locked.day,
                workshop__starts_at__lt=locked.ends_at,
                workshop__ends_at__gt=locked.starts_at,
                status__in=[BookingStatus.BOOKED, BookingStatus.WAITING],
            )
            .exclude(workshop=locked)
            .select_related("workshop")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                f"You are already booked on “{clash.workshop.title}” at the same time. "
                "Cancel it first if you would rather go to this one."
            )
        existing = WorkshopBooking.objects.filter(workshop=locked, person=actor).first()
        if existing is not None and existing.status != BookingStatus.CANCELLED:
            raise ValidationError("You are already booked on this workshop.")
        booked = WorkshopBooking.objects.filter(
            workshop=locked, status=BookingStatus.BOOKED
        ).count()
        status = (
            BookingStatus.BOOKED
            if locked.capacity is None or booked < locked.capacity
            else BookingStatus.WAITING
        )
        if existing is not None:
            _requeue(existing, status, actor)
            return existing
        booking = WorkshopBooking(workshop=locked, person=actor, status=status)
        save_as(booking, actor)
        return booking


def _cancel_workshop_booking_locked(
    booking: WorkshopBooking, workshop: AgendaItem, actor: Person
) -> WorkshopBooking | None:
    # The caller holds the session, workshop and booking locks, in that order.
    was_booked = booking.status == BookingStatus.BOOKED
    booking.status = BookingStatus.CANCELLED
    save_as(booking, actor, update_fields=["status", "updated_at"])
    if not was_booked:
        return None
    first = workshop_waiting_list_promote(workshop=workshop, actor=actor)[:1]
    return first[0] if first else None


def workshop_booking_cancel(*, actor: Person, booking: WorkshopBooking) -> WorkshopBooking | None:
    """Cancel a workshop place; the first person waiting gets it. Returns them, if any."""
    if booking.person_id != actor.pk and not actor.has_perm(
        "events.manage_session", booking.workshop.session
    ):
        raise PermissionDenied
    _refuse_if_over(booking.workshop.session)
    with transaction.atomic():
        _, workshops = _lock(booking.workshop.session_id, [booking.workshop_id])
        b = WorkshopBooking.objects.select_for_update().get(pk=booking.pk)
        if b.status == BookingStatus.CANCELLED:
            return None
        return _cancel_workshop_booking_locked(b, workshops[b.workshop_id], actor)


def registration_check_in(*, actor: Person, registration: Registration, present: bool) -> None:
    """Mark a booked person as arrived (or undo it), recording who checked them in."""
    if not actor.has_perm("events.manage_session", registration.session):
        raise PermissionDenied
    if registration.status != BookingStatus.BOOKED:
        raise ValidationError("Only people with a place can be checked in.")
    registration.checked_in_at = timezone.now() if present else None
    registration.checked_in_by = actor if present else None
    save_as(registration, actor, update_fields=["checked_in_at", "checked_in_by", "updated_at"])


def reminders_send(*, days_ahead: int = 3) -> int:
    """Email everyone booked on a session starting within ``days_ahead`` days, once."""
    today = timezone.localdate()
    due = Registration.objects.filter(
        status=BookingStatus.BOOKED,
        reminder_sent_at__isnull=True,
        session__starts_on__gte=today,
        session__starts_on__lte=today + dt.timedelta(days=days_ahead),
    ).select_related("session", "person")
    sent = 0
    for reg in due:
        if emails.send_reminder(reg):
            # Marked per person, so a failure half-way is retried for the rest only.
            Registration.objects.filter(pk=reg.pk).update(reminder_sent_at=timezone.now())
            sent += 1
    return sent


def needs_purge() -> int:
    """Delete accessibility and dietary answers of sessions that have ended."""
    today = timezone.localdate()
    sessions = LearningSession.objects.filter(ends_on__lt=today, needs_purged_at__isnull=True)
    cleared = 0
    with transaction.atomic():
        for s in sessions.select_for_update():
            cleared += Registration.objects.filter(session=s).exclude(needs="").update(needs="")
            s.needs_purged_at = timezone.now()
            s.save(update_fields=["needs_purged_at"])
    return cleared
