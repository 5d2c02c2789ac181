"""Reads for learning sessions, scoped by the viewer's collaboratives."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from qicollab.accounts.roles import roles_for
from qicollab.events.models import (
    ActionPeriod,
    AgendaItem,
    AgendaKind,
    BookingStatus,
    LearningSession,
    Registration,
    WorkshopBooking,
)
from qicollab.organisations.models import Affiliation, Collaborative


def _visible(viewer: Any) -> QuerySet[LearningSession]:
    r = roles_for(viewer)
    qs = LearningSession.objects.select_related("collaborative")
    return qs if r.is_superuser else qs.filter(collaborative_id__in=r.visible_collab_ids)


def session_list(*, viewer: Any, collaborative: Collaborative) -> QuerySet[LearningSession]:
    return (
        _visible(viewer)
        .filter(collaborative=collaborative)
        .annotate(
            booked=Count("registrations", filter=Q(registrations__status=BookingStatus.BOOKED))
        )
    )


def action_periods(*, collaborative: Collaborative) -> QuerySet[ActionPeriod]:
    return ActionPeriod.objects.filter(collaborative=collaborative)


def session_get(*, viewer: Any, pk: int) -> LearningSession | None:
    return _visible(viewer).filter(pk=pk).first()


AGENDA_ORDER = ("day", "starts_at", "ends_at", "title", "pk")


def agenda(*, session: LearningSession) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(session=session)
        .select_related("subject", "workstream")
        .annotate(
            booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)),
            waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
        )
        # Explicit: Meta.ordering is not applied to a query with aggregates, so the agenda
        # came back in insertion order.
        .order_by(*AGENDA_ORDER)
    )


def workshop_get(*, viewer: Any, pk: int) -> AgendaItem | None:
    return (
        AgendaItem.objects.filter(session__in=_visible(viewer), pk=pk, kind=AgendaKind.WORKSHOP)
        .select_related("session")
        .first()
    )


def next_session(*, viewer: Any, collaborative: Collaborative) -> LearningSession | None:
    return (
        _visible(viewer)
        .filter(collaborative=collaborative, ends_on__gte=timezone.localdate())
        .order_by("starts_on")
        .first()
    )


def recommended_workshops(*, session: LearningSession, levels: dict[int, int]) -> list[AgendaItem]:
    """Workshops whose subject and level match the member's own level in that subject."""
    if not levels:
        return []
    q = Q()
    for subject_id, level in levels.items():
        q |= Q(subject_id=subject_id, level=level)
    return list(agenda(session=session).filter(kind=AgendaKind.WORKSHOP).filter(q))


def booked_count(*, session: LearningSession) -> int:
    """Places taken at ``session``."""
    return Registration.objects.filter(session=session, status=BookingStatus.BOOKED).count()


def my_registration(*, person: Any, session: LearningSession) -> Registration | None:
    return Registration.objects.filter(session=session, person_id=person.pk).first()


def my_workshop_bookings(*, person: Any, session: LearningSession) -> dict[int, WorkshopBooking]:
    return {
        b.workshop_id: b
        for b in WorkshopBooking.objects.filter(
            person_id=person.pk, workshop__session=session
        ).exclude(status=BookingStatus.CANCELLED)
    }


def check_in_list(*, session: LearningSession) -> QuerySet[Registration]:
    """Organisers only (the view checks): booked people, with their organisations."""
    return (
        Registration.objects.filter(session=session, status=BookingStatus.BOOKED)
        .select_related("person", "checked_in_by")
        .prefetch_related("person__affiliations__organisation")
        .order_by("person__full_name", "person__email")
    )


def waiting_list(*, session: LearningSession) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(session=session, status=BookingStatus.WAITING)
        .select_related("person")
        .order_by("created_at", "pk")
    )


def my_sessions(*, person: Any) -> QuerySet[LearningSession]:
    return LearningSession.objects.filter(
        registrations__person_id=person.pk, registrations__status=BookingStatus.BOOKED
    ).prefetch_related(Prefetch("agenda", queryset=AgendaItem.objects.order_by(*AGENDA_ORDER)))


def action_period_get(*, viewer: Any, pk: int) -> ActionPeriod | None:
    """An action period of one of the viewer's collaboratives."""
    r = roles_for(viewer)
    qs = ActionPeriod.objects.select_related("collaborative")
    if not r.is_superuser:
        qs = qs.filter(collaborative_id__in=r.visible_collab_ids)
    return qs.filter(pk=pk).first()


def agenda_item_get(*, viewer: Any, pk: int) -> AgendaItem | None:
    """Any agenda item (not only workshops) of a session the viewer may see."""
    return (
        AgendaItem.objects.filter(session__in=_visible(viewer), pk=pk)
        .select_related("session__collaborative", "subject", "workstream")
        .annotate(booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
        .first()
    )


def feed_sessions(*, person: Any) -> QuerySet[LearningSession]:
    """The sessions in a person's calendar feed: those they have a place at, in collaboratives
    they still belong to (someone who left keeps no window onto its calendar)."""
    return my_sessions(person=person).filter(pk__in=_visible(person).values("pk")).distinct()


# --- My work -----------------------------------------------------------------------------


def my_upcoming_places(*, person: Any, today: date, limit: int = 5) -> list[Registration]:
    """The person's places (booked or waiting) at sessions not yet over, soonest first, in
    collaboratives they still belong to (one query)."""
    return list(
        Registration.objects.filter(
            person_id=person.pk,
            status__in=[BookingStatus.BOOKED, BookingStatus.WAITING],
            session__ends_on__gte=today,
            session__in=_visible(person),
        )
        .select_related("session")
        .order_by("session__starts_on", "pk")[:limit]
    )


def upcoming_bookings_by_organisation(
    *, organisation_ids: Iterable[int], today: date
) -> dict[int, int]:
    """Organisation id -> places booked at sessions not yet over by its current people
    (one query; someone in two of the organisations counts for each)."""
    ids = list(organisation_ids)
    if not ids:
        return {}
    rows = (
        Affiliation.objects.filter(organisation_id__in=ids, ended_on__isnull=True)
        .filter(
            person__event_registrations__status=BookingStatus.BOOKED,
            person__event_registrations__session__ends_on__gte=today,
        )
        .values("organisation_id")
        .annotate(n=Count("person__event_registrations"))
    )
    return {r["organisation_id"]: r["n"] for r in rows}
