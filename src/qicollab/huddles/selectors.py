"""Reads of the huddles app, scoped by the viewer (see :mod:`qicollab.huddles.access`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from qicollab.accounts.roles import roles_for
from qicollab.huddles.access import Access, member_unit_ids, unit_access
from qicollab.huddles.models import HarmCategory, HarmEvent, Huddle, HuddleAction
from qicollab.organisations.models import Unit


def visible_units(*, viewer: Any) -> QuerySet[Unit]:
    """Every unit whose huddle data the viewer may see at least as counts."""
    roles = roles_for(viewer)
    if not roles.is_authenticated:
        return Unit.objects.none()
    qs = Unit.objects.select_related("organisation")
    if roles.is_superuser:
        return qs
    return qs.filter(
        Q(pk__in=member_unit_ids(viewer))
        | Q(organisation_id__in=roles.managed_org_ids | roles.coordinated_org_ids)
    )


def unit_get(*, viewer: Any, pk: int) -> tuple[Unit, Access] | None:
    """The unit and the viewer's access to it, or ``None`` (answered 404)."""
    unit = Unit.objects.select_related("organisation").filter(pk=pk).first()
    if unit is None:
        return None
    access = unit_access(viewer, unit)
    return None if access is None else (unit, access)


def unit_list(*, viewer: Any) -> list[tuple[Unit, Access]]:
    """The viewer's units with their access, for the huddles index page."""
    units = list(visible_units(viewer=viewer))
    out: list[tuple[Unit, Access]] = []
    for unit in units:
        access = unit_access(viewer, unit)
        if access is not None:
            out.append((unit, access))
    return out


def categories(*, unit: Unit, active_only: bool = True) -> list[HarmCategory]:
    """The harm categories of the unit's organisation, in their order."""
    qs = HarmCategory.objects.filter(organisation_id=unit.organisation_id)
    if active_only:
        qs = qs.filter(active=True)
    return list(qs)


@dataclass(frozen=True)
class EventRow:
    """What the counts, calendar and charts need of a harm event (no reference, no text)."""

    category_id: int
    occurred_on: dt.date
    severity: str


def event_rows(*, unit: Unit) -> list[EventRow]:
    """Every harm event of the unit as plain rows, oldest first (safe at counts access)."""
    return [
        EventRow(c, d, s)
        for c, d, s in HarmEvent.objects.filter(unit=unit)
        .order_by("occurred_on", "occurred_at", "id")
        .values_list("category_id", "occurred_on", "severity")
    ]


def huddle_dates(*, unit: Unit) -> list[dt.date]:
    """Days on which the unit held at least one huddle, oldest first."""
    return sorted(
        set(Huddle.objects.filter(unit=unit).values_list("held_on", flat=True).distinct())
    )


def recent_huddles(*, unit: Unit, limit: int = 10) -> list[Huddle]:
    """The unit's latest huddles with their at-risk counts (full access only)."""
    return list(
        Huddle.objects.filter(unit=unit)
        .select_related("facilitator")
        .prefetch_related("at_risk__category")[:limit]
    )


def huddle_get(*, unit: Unit, pk: int) -> Huddle | None:
    """One huddle of the unit (the caller has checked full access)."""
    return (
        Huddle.objects.filter(unit=unit, pk=pk)
        .select_related("facilitator")
        .prefetch_related("at_risk__category", "actions", "closed_actions")
        .first()
    )


def open_actions(*, unit: Unit) -> list[HuddleAction]:
    """Actions not yet closed, oldest due first: they come back at every huddle."""
    return list(
        HuddleAction.objects.filter(unit=unit, closed_on__isnull=True)
        .select_related("raised_at")
        .order_by("due_on", "id")
    )


def actions(*, unit: Unit, status: str = "open") -> list[HuddleAction]:
    """The unit's actions: ``open``, ``closed`` or ``all``."""
    qs = HuddleAction.objects.filter(unit=unit).select_related("raised_at", "closed_at")
    if status == "open":
        qs = qs.filter(closed_on__isnull=True)
    elif status == "closed":
        qs = qs.filter(closed_on__isnull=False).order_by("-closed_on", "-id")
    return list(qs)


def action_get(*, unit: Unit, pk: int) -> HuddleAction | None:
    return HuddleAction.objects.filter(unit=unit, pk=pk).first()


def harm_events(*, unit: Unit, limit: int | None = 50) -> list[HarmEvent]:
    """The unit's harm events, newest first, with their category (full access only)."""
    qs = HarmEvent.objects.filter(unit=unit).select_related("category")
    return list(qs if limit is None else qs[:limit])


def huddles_for_export(*, unit: Unit) -> Iterable[Huddle]:
    """Every huddle of the unit with its at-risk counts, oldest first (full access only)."""
    return (
        Huddle.objects.filter(unit=unit)
        .order_by("held_on", "started_at", "id")
        .select_related("facilitator")
        .prefetch_related("at_risk__category")
    )


@dataclass(frozen=True)
class UnitOpenActions:
    """Open huddle actions of one unit (for the My work page)."""

    unit: Unit
    open: int
    overdue: int


def my_open_actions(*, viewer: Any, today: dt.date) -> list[UnitOpenActions]:
    """Open huddle actions in the units the viewer works in, counted per unit (two queries
    at most, whatever the number of units: their ids are cached for the request)."""
    ids = member_unit_ids(viewer)
    if not ids:
        return []
    rows = (
        HuddleAction.objects.filter(unit_id__in=ids, closed_on__isnull=True)
        .values("unit_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    counts = {r["unit_id"]: r for r in rows}
    if not counts:
        return []
    units = Unit.objects.select_related("organisation").in_bulk(list(counts))
    return [
        UnitOpenActions(units[u], counts[u]["open"], counts[u]["overdue"])
        for u in sorted(counts, key=lambda u: units[u].name)
    ]
