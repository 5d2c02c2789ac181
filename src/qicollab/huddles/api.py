"""API for safety huddles: the same selectors, services and access rule as the pages.

A unit outside the caller's scope is a 404. Collaborative coordinators (counts access) get
the unit's summary (days since the last event per category, huddle compliance) and a 403
on huddles, actions and harm events, which carry free text and references.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema

from qicollab.api.schemas import InputSchema
from qicollab.core.http import found, signed_in
from qicollab.huddles import presenters, selectors, services
from qicollab.huddles.access import FULL
from qicollab.huddles.models import HarmEvent, Huddle, HuddleAction
from qicollab.organisations.models import Unit

router = Router(tags=["safety huddles"])


class HuddleUnitOut(Schema):
    id: int
    name: str
    organisation: str
    beds: int | None
    opened_on: dt.date
    access: Literal["full", "counts"]


class HarmCounterOut(Schema):
    category: str
    name: str
    days_since_last: int
    last_on: dt.date | None
    milestone_reached: int | None


class HuddleUnitSummaryOut(Schema):
    unit: HuddleUnitOut
    huddles_began_on: dt.date | None
    days_with_huddle_last_30: int
    counters: list[HarmCounterOut]


class HuddleAtRiskOut(Schema):
    category: str
    patients: int
    references: str


class HuddleOut(Schema):
    id: int
    held_on: dt.date
    shift: str
    started_at: dt.time | None
    duration_min: int | None
    attendance: dict[str, int]
    at_risk: list[HuddleAtRiskOut]
    look_back: str
    look_ahead: str
    staffing: str
    equipment: str
    environment: str
    recognition: str


class HuddleAtRiskIn(InputSchema):
    category: str = Field(description="The harm category's code, e.g. falls")
    patients: int = Field(ge=0, le=99)
    references: str = Field("", max_length=200, description="Bed numbers or local codes")


class HuddleActionIn(InputSchema):
    text: str = Field(max_length=300)
    owner: str = Field(max_length=80)
    due_on: dt.date | None = None


class HuddleIn(InputSchema):
    held_on: dt.date
    shift: Literal["early", "day", "late", "night"]
    started_at: dt.time | None = None
    duration_min: int | None = None
    attendance: dict[str, int] = {}
    at_risk: list[HuddleAtRiskIn] = []
    look_back: str = Field("", max_length=2000)
    look_ahead: str = Field("", max_length=2000)
    staffing: str = Field("", max_length=2000)
    equipment: str = Field("", max_length=2000)
    environment: str = Field("", max_length=2000)
    recognition: str = Field("", max_length=2000)
    new_actions: list[HuddleActionIn] = Field([], max_length=20)
    close_action_ids: list[int] = Field([], max_length=200)


class HuddleActionOut(Schema):
    id: int
    text: str
    owner: str
    due_on: dt.date | None
    closed_on: dt.date | None
    raised_on: dt.date | None


class HarmEventOut(Schema):
    id: int
    category: str
    occurred_on: dt.date
    occurred_at: dt.time | None
    severity: str
    incident_ref: str


class HarmEventIn(InputSchema):
    category: str = Field(description="The harm category's code, e.g. falls")
    occurred_on: dt.date
    occurred_at: dt.time | None = None
    severity: Literal["none", "low", "moderate", "severe", "death"]
    incident_ref: str = Field("", max_length=40)


def _unit(request: HttpRequest, pk: int, *, full: bool = False) -> tuple[Unit, str]:
    unit, access = found(selectors.unit_get(viewer=request.user, pk=pk))
    if full and access != FULL:
        raise PermissionDenied("Only the unit's staff and safety leads see this.")
    return unit, access


def _unit_out(unit: Unit, access: str) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "name": unit.name,
        "organisation": unit.organisation.name,
        "beds": unit.beds,
        "opened_on": unit.opened_on,
        "access": access,
    }


def _huddle_out(h: Huddle) -> dict[str, Any]:
    return {
        "id": h.pk,
        "held_on": h.held_on,
        "shift": h.shift,
        "started_at": h.started_at,
        "duration_min": h.duration_min,
        "attendance": h.attendance,
        "at_risk": [
            {"category": r.category.code, "patients": r.patients, "references": r.references}
            for r in h.at_risk.all()
        ],
        "look_back": h.look_back,
        "look_ahead": h.look_ahead,
        "staffing": h.staffing,
        "equipment": h.equipment,
        "environment": h.environment,
        "recognition": h.recognition,
    }


def _event_out(e: HarmEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "category": e.category.code,
        "occurred_on": e.occurred_on,
        "occurred_at": e.occurred_at,
        "severity": e.severity,
        "incident_ref": e.incident_ref,
    }


def _action_out(a: HuddleAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "text": a.text,
        "owner": a.owner,
        "due_on": a.due_on,
        "closed_on": a.closed_on,
        "raised_on": a.raised_at.held_on if a.raised_at else None,
    }


@router.get("/units", response=list[HuddleUnitOut])
def unit_list(request: HttpRequest) -> Any:
    """The units whose huddle data the caller sees, with how much (full or counts)."""
    return [_unit_out(u, a) for u, a in selectors.unit_list(viewer=request.user)]


@router.get("/units/{pk}/summary", response=HuddleUnitSummaryOut)
def unit_summary(request: HttpRequest, pk: int) -> Any:
    """Days since the last harm event per category and huddle compliance (counts only)."""
    unit, access = _unit(request, pk)
    cats = [
        c
        for c in services.harm_categories_ensure(
            actor=signed_in(request), organisation=unit.organisation
        )
        if c.active
    ]
    today = services.today()
    days = selectors.huddle_dates(unit=unit)
    counters = presenters.counters(
        unit=unit, categories=cats, events=selectors.event_rows(unit=unit), today=today
    )
    return {
        "unit": _unit_out(unit, access),
        "huddles_began_on": days[0] if days else None,
        "days_with_huddle_last_30": sum(1 for d in days if (today - d).days < 30),
        "counters": [
            {
                "category": c.category.code,
                "name": c.category.name,
                "days_since_last": c.days,
                "last_on": c.last_on,
                "milestone_reached": c.reached,
            }
            for c in counters
        ],
    }


@router.get("/units/{pk}/huddles", response=list[HuddleOut])
def huddle_list(request: HttpRequest, pk: int, limit: int = 30) -> Any:
    """The unit's latest huddles with their at-risk counts and notes (staff, safety leads)."""
    unit, _ = _unit(request, pk, full=True)
    limit = max(1, min(limit, 500))  # 1 to 500, newest first
    return [_huddle_out(h) for h in selectors.recent_huddles(unit=unit, limit=limit)]


@router.post("/units/{pk}/huddles", response={201: HuddleOut})
def huddle_create(request: HttpRequest, pk: int, payload: HuddleIn) -> tuple[int, Any]:
    """Record a huddle. A future date, a second huddle for the shift, a date before the unit
    opened or anything identifying a patient is refused 422, per field."""
    unit, _ = _unit(request, pk, full=True)
    actor = signed_in(request)
    by_code = {
        c.code: c.pk
        for c in services.harm_categories_ensure(actor=actor, organisation=unit.organisation)
    }
    unknown = [r.category for r in payload.at_risk if r.category not in by_code]
    if unknown:
        raise services.HuddleError(
            f"Unknown harm category: {', '.join(unknown)}. Use one of: {', '.join(by_code)}",
            field="at_risk",
        )
    huddle = services.huddle_create(
        actor=actor,
        unit=unit,
        data=services.HuddleInput(
            held_on=payload.held_on,
            shift=payload.shift,
            started_at=payload.started_at,
            duration_min=payload.duration_min,
            attendance=payload.attendance,
            at_risk={by_code[r.category]: (r.patients, r.references) for r in payload.at_risk},
            texts={
                name: getattr(payload, name)
                for name in (
                    "look_back",
                    "look_ahead",
                    "staffing",
                    "equipment",
                    "environment",
                    "recognition",
                )
            },
            new_actions=[
                services.ActionInput(a.text, a.owner, a.due_on) for a in payload.new_actions
            ],
            close_action_ids=payload.close_action_ids,
        ),
    )
    return 201, _huddle_out(found(selectors.huddle_get(unit=unit, pk=huddle.pk)))


@router.get("/units/{pk}/actions", response=list[HuddleActionOut])
def action_list(
    request: HttpRequest, pk: int, status: Literal["open", "closed", "all"] = "open"
) -> Any:
    """The unit's huddle actions (open ones come back at every huddle until closed)."""
    unit, _ = _unit(request, pk, full=True)
    return [_action_out(a) for a in selectors.actions(unit=unit, status=status)]


@router.get("/units/{pk}/harm-events", response=list[HarmEventOut])
def harm_event_list(request: HttpRequest, pk: int, limit: int = 100) -> Any:
    """The unit's harm events, newest first (staff and safety leads)."""
    unit, _ = _unit(request, pk, full=True)
    limit = max(1, min(limit, 5000))  # 1 to 5,000, newest first
    return [_event_out(e) for e in selectors.harm_events(unit=unit, limit=limit)]


@router.post("/units/{pk}/harm-events", response={201: HarmEventOut})
def harm_event_create(request: HttpRequest, pk: int, payload: HarmEventIn) -> tuple[int, Any]:
    """Record a harm event; the days-since counter of its category restarts. A future
    date, a date before the unit opened or a patient identifier as reference is a 422."""
    unit, _ = _unit(request, pk, full=True)
    actor = signed_in(request)
    cats = {
        c.code: c
        for c in services.harm_categories_ensure(actor=actor, organisation=unit.organisation)
    }
    category = cats.get(payload.category)
    if category is None:
        raise services.HuddleError(
            f"Unknown harm category. Use one of: {', '.join(cats)}", field="category"
        )
    event = services.harm_event_create(
        actor=actor,
        unit=unit,
        category=category,
        occurred_on=payload.occurred_on,
        occurred_at=payload.occurred_at,
        severity=payload.severity,
        incident_ref=payload.incident_ref,
    )
    return 201, _event_out(event)
