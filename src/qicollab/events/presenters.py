"""Words about booking that a page shows before and after the same action.

The hint beside a workshop's Book button and the message after pressing it come from here,
so the page can never promise one thing and the outcome say another.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from qicollab.events.models import BookingStatus, LearningSession, Registration

ALSO_BOOKS_PLACE = "Booking a workshop also books your place at the learning session."
SESSION_FULL = (
    "The learning session is full: booking a workshop puts you on the session's waiting "
    "list, and you can choose workshops once you have a place."
)
ON_SESSION_WAITING_LIST = (
    "You are on the learning session's waiting list: you can choose workshops once you "
    "have a place."
)


def session_is_over(session: LearningSession) -> bool:
    """Past sessions take no bookings or cancellations (the services refuse them too)."""
    return session.ends_on < timezone.localdate()


def session_is_full(session: LearningSession, booked: int) -> bool:
    return session.capacity is not None and booked >= session.capacity


def workshop_booking_hint(
    *, session: LearningSession, registration: Registration | None, booked: int
) -> str:
    """What booking a workshop will do for this person, said before they press Book."""
    status = registration.status if registration is not None else BookingStatus.CANCELLED
    if session_is_over(session) or status == BookingStatus.BOOKED:
        return ""
    if status == BookingStatus.WAITING:
        return ON_SESSION_WAITING_LIST
    return SESSION_FULL if session_is_full(session, booked) else ALSO_BOOKS_PLACE


def workshop_booking_outcome(*, title: str, booking: Any) -> str:
    """What booking a workshop did, in the words of :func:`workshop_booking_hint`."""
    if booking is None:
        # The session was full: the person joined its waiting list, as the hint said.
        return f"You have not been booked on “{title}”. {SESSION_FULL}"
    if booking.status == BookingStatus.BOOKED:
        return f"You are booked on “{title}”."
    return f"“{title}” is full, so you are on its waiting list."
