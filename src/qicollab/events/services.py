"""Writes for learning sessions: registrations and workshop bookings.

Overbooking is prevented by locking the session (or workshop) row with SELECT … FOR UPDATE
before counting places, so two simultaneous bookings for the last place are serialised:
the second one sees the first and goes on the waiting list.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qicollab.events import emails
from qicollab.events.models import (
    AgendaItem,
    AgendaKind,
    BookingStatus,
    LearningSession,
    Registration,
    WorkshopBooking,
)

logger = logging.getLogger(__name__)


def _requeue(row: Registration | WorkshopBooking, status: str) -> None:
    # A person who cancels and books again joins the back of the queue.
    row.status = status
    row.created_at = timezone.now()
    row.save(update_fields=["status", "created_at", "updated_at"])


PAST_SESSION = "This learning session has already taken place, so places can no longer be changed."


def _refuse_if_over(session: LearningSession) -> None:
    # Buttons are hidden on past sessions; the rule lives here so no other route can book.
    if session.ends_on < timezone.localdate():
        raise ValidationError(PAST_SESSION)


def _free_places(capacity: int | None, booked: int, waiting: int) -> int:
    if capacity is None:
        return waiting
    return max(0, min(capacity - booked, waiting))


def session_waiting_list_promote(*, session: LearningSession) -> list[Registration]:
    """Give free places at ``session`` to the people waiting, first come first served.

    Called (inside the caller's transaction, with the session row locked) whenever places
    may have been freed or added: a cancellation, a larger capacity, or before a new booking
    so that nobody who joins now can overtake the queue. Each person promoted is emailed
    once the transaction commits. Returns them in queue order.
    """
    booked = Registration.objects.filter(session=session, status=BookingStatus.BOOKED).count()
    queue = Registration.objects.select_for_update().filter(
        session=session, status=BookingStatus.WAITING
    )
    n = _free_places(session.capacity, booked, queue.count())
    promoted = list(queue.order_by("created_at", "pk")[:n])
    for reg in promoted:
        reg.status = BookingStatus.BOOKED
        reg.save(update_fields=["status", "updated_at"])
        transaction.on_commit(lambda r=reg: emails.send_place_offered(r))  # type: ignore[misc]
    return promoted


def workshop_waiting_list_promote(*, workshop: AgendaItem) -> list[WorkshopBooking]:
    """Give free places at ``workshop`` to the people waiting, in the order they asked.

    The workshop row must be locked by the caller; see :func:`session_waiting_list_promote`.
    """
    booked = WorkshopBooking.objects.filter(workshop=workshop, status=BookingStatus.BOOKED).count()
    queue = WorkshopBooking.objects.select_for_update().filter(
        workshop=workshop, status=BookingStatus.WAITING
    )
    n = _free_places(workshop.capacity, booked, queue.count())
    promoted = list(queue.order_by("created_at", "pk")[:n])
    for b in promoted:
        b.status = BookingStatus.BOOKED
        b.save(update_fields=["status", "updated_at"])
        transaction.on_commit(lambda b=b: emails.send_workshop_place_offered(b))  # type: ignore[misc]
    return promoted


def registration_create(*, actor: Any, session: LearningSession, needs: str = "") -> Registration:
    """Book a place, or a place on the waiting list when the session is full."""
    if not actor.has_perm("events.register", session):
        raise PermissionDenied
    _refuse_if_over(session)
    with transaction.atomic():
        locked = LearningSession.objects.select_for_update().get(pk=session.pk)
        # Places that are free while people wait belong to the queue, not to whoever asks next.
        session_waiting_list_promote(session=locked)
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
            _requeue(existing, status)
            existing.save(update_fields=["needs"])
            return existing
        return Registration.objects.create(session=locked, person=actor, status=status, needs=needs)


def registration_cancel(*, actor: Any, registration: Registration) -> Registration | None:
    """Cancel a place; the first person waiting gets it and is emailed. Returns them, if any."""
    if not (
        registration.person_id == actor.pk
        or actor.has_perm("events.manage_session", registration.session)
    ):
        raise PermissionDenied
    promoted: Registration | None = None
    with transaction.atomic():
        session = LearningSession.objects.select_for_update().get(pk=registration.session_id)
        _refuse_if_over(session)
        reg = Registration.objects.select_for_update().get(pk=registration.pk)
        if reg.status == BookingStatus.CANCELLED:
            return None
        was_booked = reg.status == BookingStatus.BOOKED
        reg.status = BookingStatus.CANCELLED
        reg.needs = ""
        reg.save(update_fields=["status", "needs", "updated_at"])
        for b in WorkshopBooking.objects.filter(
            person_id=reg.person_id, workshop__session=session
        ).exclude(status=BookingStatus.CANCELLED):
            _cancel_workshop_booking_locked(b)
        if was_booked:
            first = session_waiting_list_promote(session=session)[:1]
            promoted = first[0] if first else None
    return promoted


def workshop_book(*, actor: Any, workshop: AgendaItem) -> WorkshopBooking:
    """Book a workshop; you need a place at the session first. Full workshops wait-list."""
    if workshop.kind != AgendaKind.WORKSHOP:
        raise ValidationError("Only workshops are booked; the rest of the agenda is open to all.")
    _refuse_if_over(workshop.session)
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().get(pk=workshop.pk)
        workshop_waiting_list_promote(workshop=locked)
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
            _requeue(existing, status)
            return existing
        return WorkshopBooking.objects.create(workshop=locked, person=actor, status=status)


def _cancel_workshop_booking_locked(booking: WorkshopBooking) -> WorkshopBooking | None:
    workshop = AgendaItem.objects.select_for_update().get(pk=booking.workshop_id)
    was_booked = booking.status == BookingStatus.BOOKED
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    if not was_booked:
        return None
    first = workshop_waiting_list_promote(workshop=workshop)[:1]
    return first[0] if first else None


def workshop_booking_cancel(*, actor: Any, booking: WorkshopBooking) -> WorkshopBooking | None:
    if booking.person_id != actor.pk and not actor.has_perm(
        "events.manage_session", booking.workshop.session
    ):
        raise PermissionDenied
    _refuse_if_over(booking.workshop.session)
    with transaction.atomic():
        b = WorkshopBooking.objects.select_for_update().get(pk=booking.pk)
        if b.status == BookingStatus.CANCELLED:
            return None
        return _cancel_workshop_booking_locked(b)


def registration_check_in(*, actor: Any, registration: Registration, present: bool) -> None:
    if not actor.has_perm("events.manage_session", registration.session):
        raise PermissionDenied
    if registration.status != BookingStatus.BOOKED:
        raise ValidationError("Only people with a place can be checked in.")
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["checked_in_at", "updated_at"])


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
