"""Organisers' writes: learning sessions, action periods and agenda items.

Every function checks ``events.manage_session`` (or ``events.organise`` for a new session)
itself, so a view that forgot to would still be refused. Edits carry the version the form
was loaded at; :func:`qicollab.core.services.check_version` raises ``EditConflict`` if
someone else saved in between.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from qicollab.core.services import apply_fields, check_version, delete_as, save_as
from qicollab.events.models import (
    ActionPeriod,
    AgendaItem,
    AgendaKind,
    BookingStatus,
    LearningSession,
    Registration,
    WorkshopBooking,
)
from qicollab.events.services import session_waiting_list_promote, workshop_waiting_list_promote
from qicollab.organisations.models import Collaborative

SESSION_FIELDS = (
    "title",
    "starts_on",
    "ends_on",
    "venue",
    "online_link",
    "capacity",
    "ask_needs",
    "description",
)
PERIOD_FIELDS = ("title", "starts_on", "ends_on")
AGENDA_FIELDS = (
    "kind",
    "title",
    "day",
    "starts_at",
    "ends_at",
    "presenter",
    "room",
    "description",
    "subject",
    "level",
    "workstream",
    "capacity",
)


def _pick(data: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {k: data[k] for k in names if k in data}


def _unique_slug(collaborative: Collaborative, title: str) -> str:
    base = slugify(title)[:70] or "learning-session"
    slug, n = base, 2
    while LearningSession.objects.filter(collaborative=collaborative, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _require_manage(actor: Any, session: LearningSession) -> None:
    if not actor.has_perm("events.manage_session", session):
        raise PermissionDenied


# --- learning sessions ---------------------------------------------------------------


@transaction.atomic
def learning_session_create(
    *, actor: Any, collaborative: Collaborative, data: Mapping[str, Any]
) -> LearningSession:
    """Add a learning session to the collaborative's calendar."""
    if not actor.has_perm("events.organise", collaborative):
        raise PermissionDenied
    fields = _pick(data, SESSION_FIELDS)
    session = LearningSession(
        collaborative=collaborative, slug=_unique_slug(collaborative, fields["title"]), **fields
    )
    save_as(session, actor)
    return session


def _check_capacity_and_days(session: LearningSession) -> None:
    if session.capacity is not None:
        booked = Registration.objects.filter(session=session, status=BookingStatus.BOOKED).count()
        if session.capacity < booked:
            raise ValidationError(
                {
                    "capacity": f"{booked} people already have a place, so there must be at "
                    f"least {booked} places. Cancel places first if the venue is smaller."
                }
            )
    days = (session.ends_on - session.starts_on).days + 1
    late = AgendaItem.objects.filter(session=session, day__gt=days).order_by("day").first()
    if late is not None:
        raise ValidationError(
            {
                "ends_on": f"The agenda has items on day {late.day} (“{late.title}”). Move or "
                "delete them before making the session shorter."
            }
        )


@transaction.atomic
def learning_session_update(
    *,
    actor: Any,
    session: LearningSession,
    data: Mapping[str, Any],
    loaded_version: str = "",
) -> LearningSession:
    """Change a session's details; raises ``EditConflict`` if someone saved it meanwhile.

    The number of places cannot drop below the places already given, and the session cannot
    be shortened past days that still have agenda items.
    """
    _require_manage(actor, session)
    check_version(session, loaded_version)
    fresh = LearningSession.objects.select_for_update().get(pk=session.pk)
    changed = apply_fields(fresh, _pick(data, SESSION_FIELDS))
    if changed:
        _check_capacity_and_days(fresh)
        save_as(fresh, actor)
    if "capacity" in changed:
        # More places go to the people already waiting, in order, before anyone new.
        session_waiting_list_promote(session=fresh, actor=actor)
    return fresh


@transaction.atomic
def learning_session_delete(*, actor: Any, session: LearningSession) -> None:
    """Delete a session with its agenda, places and workshop bookings (the page warns first)."""
    _require_manage(actor, session)
    delete_as(session, actor)


# --- action periods ------------------------------------------------------------------


def _require_organise(actor: Any, collaborative: Collaborative) -> None:
    if not actor.has_perm("events.organise", collaborative):
        raise PermissionDenied


@transaction.atomic
def action_period_create(
    *, actor: Any, collaborative: Collaborative, data: Mapping[str, Any]
) -> ActionPeriod:
    """Add an action period: the weeks between sessions when teams test changes at home."""
    _require_organise(actor, collaborative)
    period = ActionPeriod(collaborative=collaborative, **_pick(data, PERIOD_FIELDS))
    save_as(period, actor)
    return period


@transaction.atomic
def action_period_update(
    *, actor: Any, period: ActionPeriod, data: Mapping[str, Any], loaded_version: str = ""
) -> ActionPeriod:
    _require_organise(actor, period.collaborative)
    check_version(period, loaded_version)
    if apply_fields(period, _pick(data, PERIOD_FIELDS)):
        save_as(period, actor)
    return period


@transaction.atomic
def action_period_delete(*, actor: Any, period: ActionPeriod) -> None:
    _require_organise(actor, period.collaborative)
    delete_as(period, actor)


# --- agenda --------------------------------------------------------------------------


def _check_workshop_capacity(item: AgendaItem) -> None:
    if item.pk is None or item.capacity is None:
        return
    booked = WorkshopBooking.objects.filter(workshop=item, status=BookingStatus.BOOKED).count()
    if item.capacity < booked:
        raise ValidationError(
            {
                "capacity": f"{booked} people already have a place at this workshop, so it "
                f"needs at least {booked} places."
            }
        )


def _check_kind_change(item: AgendaItem) -> None:
    if item.pk is None or item.kind == AgendaKind.WORKSHOP:
        return
    if (
        WorkshopBooking.objects.filter(workshop=item)
        .exclude(status=BookingStatus.CANCELLED)
        .exists()
    ):
        raise ValidationError(
            {
                "kind": "People have booked this workshop. Keep it a workshop, or delete it "
                "(their bookings are cancelled) and add a new item."
            }
        )


def _check_subject(item: AgendaItem, session: LearningSession) -> None:
    if (
        item.subject_id is not None and item.subject.collaborative_id != session.collaborative_id  # type: ignore[union-attr]
    ):
        raise ValidationError({"subject": "Choose one of this collaborative's subject areas."})
    if (
        item.workstream_id is not None
        and item.workstream.collaborative_id != session.collaborative_id  # type: ignore[union-attr]
    ):
        raise ValidationError({"workstream": "Choose one of this collaborative's workstreams."})


@transaction.atomic
def agenda_item_create(
    *, actor: Any, session: LearningSession, data: Mapping[str, Any]
) -> AgendaItem:
    """Add a plenary, national presenter, workshop or break to the session's agenda."""
    _require_manage(actor, session)
    item = AgendaItem(session=session, **_pick(data, AGENDA_FIELDS))
    _check_subject(item, session)
    save_as(item, actor)
    return item


@transaction.atomic
def agenda_item_update(
    *, actor: Any, item: AgendaItem, data: Mapping[str, Any], loaded_version: str = ""
) -> AgendaItem:
    """Change an agenda item; a booked workshop keeps enough places for its bookings."""
    _require_manage(actor, item.session)
    check_version(item, loaded_version)
    fresh = AgendaItem.objects.select_for_update().select_related("session").get(pk=item.pk)
    changed = apply_fields(fresh, _pick(data, AGENDA_FIELDS))
    if changed:
        _check_subject(fresh, fresh.session)
        _check_kind_change(fresh)
        _check_workshop_capacity(fresh)
        save_as(fresh, actor)
    if "capacity" in changed and fresh.kind == AgendaKind.WORKSHOP:
        workshop_waiting_list_promote(workshop=fresh, actor=actor)
    return fresh


@transaction.atomic
def agenda_item_delete(*, actor: Any, item: AgendaItem) -> None:
    """Delete an agenda item; a workshop's bookings go with it (the page warns first)."""
    _require_manage(actor, item.session)
    delete_as(item, actor)
