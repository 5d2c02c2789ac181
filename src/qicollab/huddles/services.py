"""Writes of the huddles app: categories, huddles, actions and harm events.

Every refusal is a :class:`HuddleError` with the field it belongs to, so the page puts it on
the form (keeping what was typed) and the API answers it 422.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from qicollab.core.services import ServiceError, save_as
from qicollab.core.text import text_problem
from qicollab.deaths.deid import check_reference, check_text
from qicollab.huddles.models import (
    ATTENDANCE_ROLES,
    TEXT_FIELDS,
    HarmCategory,
    HarmEvent,
    Huddle,
    HuddleAction,
    HuddleAtRisk,
    Severity,
    Shift,
)
from qicollab.organisations.models import Organisation, Unit

#: The categories every organisation starts with (issue 16); each may be renamed or hidden.
DEFAULT_CATEGORIES = (
    ("falls", "Falls"),
    ("pressure-ulcers", "Pressure ulcers"),
    ("restraint", "Restraint"),
    ("self-harm", "Self-harm"),
    ("violence", "Violence and aggression"),
    ("medication", "Medication incidents"),
)


class HuddleError(ServiceError):
    """A huddle, action or harm event the rules refuse."""


def today() -> dt.date:
    """The local date (one place, so tests can reason about 'the future')."""
    return timezone.localdate()


@transaction.atomic
def harm_categories_ensure(*, actor: Any, organisation: Organisation) -> list[HarmCategory]:
    """The organisation's harm categories, creating the six defaults the first time."""
    existing = list(HarmCategory.objects.filter(organisation=organisation))
    if existing:
        return existing
    out = []
    for order, (code, name) in enumerate(DEFAULT_CATEGORIES):
        cat = HarmCategory(organisation=organisation, code=code, name=name, order=order)
        save_as(cat, actor)
        out.append(cat)
    return out


@transaction.atomic
def harm_category_create(
    *, actor: Any, organisation: Organisation, name: str, milestones: Sequence[int] = (10, 30, 100)
) -> HarmCategory:
    """Add a harm category to an organisation (e.g. "Infections")."""
    from django.utils.text import slugify

    name = name.strip()
    if not name:
        raise HuddleError("Enter the category's name", field="name")
    code = slugify(name)[:40] or "category"
    if HarmCategory.objects.filter(organisation=organisation, code=code).exists():
        raise HuddleError(f"{organisation} already has a category called {name}", field="name")
    cleaned = _milestones(milestones)
    order = HarmCategory.objects.filter(organisation=organisation).count()
    cat = HarmCategory(
        organisation=organisation, code=code, name=name, order=order, milestones=cleaned
    )
    save_as(cat, actor)
    return cat


def _milestones(values: Sequence[int]) -> list[int]:
    out = sorted({int(v) for v in values})
    if not out or any(v < 1 or v > 3650 for v in out):
        raise HuddleError(
            "Milestones must be whole numbers of days between 1 and 3650", field="milestones"
        )
    return out


# --- free text --------------------------------------------------------------------------


def _text(value: str, *, field_name: str, label: str, errors: dict[str | None, list[str]]) -> str:
    """Check one shared free-text field: storable, and nothing that identifies a patient.

    Huddle notes are read by the whole unit team and its safety leads, so the platform's
    de-identification check (``deaths.deid``, the one used for shared learning summaries)
    refuses NHS numbers, dates of birth, full dates, postcodes, phone numbers and emails.
    """
    value = (value or "").strip()
    problem = text_problem(value, what=label)
    if problem:
        errors.setdefault(field_name, []).append(problem)
        return value
    findings = check_text(value)
    if findings:
        errors.setdefault(field_name, []).append(
            f"{label} must not identify a patient. "
            + " ".join(dict.fromkeys(f.message for f in findings))
        )
    return value


def _references(value: str, *, field_name: str, errors: dict[str | None, list[str]]) -> str:
    """Pseudonymous references (bed numbers, local codes), comma-separated: never names."""
    value = (value or "").strip()
    problem = text_problem(value, what="The references")
    if problem:
        errors.setdefault(field_name, []).append(problem)
        return value
    for ref in (r.strip() for r in value.split(",")):
        if ref and check_reference(ref):
            errors.setdefault(field_name, []).append(
                f"“{ref}” looks like it identifies a patient. Use a bed number or a local "
                "code, never a name, NHS number or date of birth."
            )
    return value


# --- huddles ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    """A new action agreed at a huddle."""

    text: str
    owner: str
    due_on: dt.date | None = None


@dataclass(frozen=True)
class HuddleInput:
    """What a huddle form or the API sends (typed, not a dict)."""

    held_on: dt.date
    shift: str
    started_at: dt.time | None = None
    duration_min: int | None = None
    attendance: Mapping[str, int] = field(default_factory=dict)
    #: category id -> (patients at risk, pseudonymous references)
    at_risk: Mapping[int, tuple[int, str]] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)
    new_actions: Sequence[ActionInput] = ()
    close_action_ids: Sequence[int] = ()


@transaction.atomic
def huddle_create(*, actor: Any, unit: Unit, data: HuddleInput) -> Huddle:
    """Record a huddle: refuses a future date, a second huddle for the same shift, a date
    before the unit opened, and anything in the shared text that identifies a patient."""
    errors: dict[str | None, list[str]] = {}
    if data.held_on > today():
        errors["held_on"] = ["The huddle date cannot be in the future"]
    elif data.held_on < unit.opened_on:
        errors["held_on"] = [
            f"The huddle date cannot be before {unit.name} opened on {unit.opened_on:%-d %B %Y}"
        ]
    if data.shift not in Shift.values:
        errors["shift"] = ["Choose the shift"]
    elif Huddle.objects.filter(unit=unit, held_on=data.held_on, shift=data.shift).exists():
        label = Shift(data.shift).label.lower()
        article = "an" if label[0] in "aeiou" else "a"
        errors["shift"] = [
            f"{unit.name} already has {article} {label} shift huddle on {data.held_on:%-d %B %Y}"
        ]
    if data.duration_min is not None and not 1 <= data.duration_min <= 120:
        errors["duration_min"] = ["Minutes must be between 1 and 120"]
    roles = dict(ATTENDANCE_ROLES)
    attendance: dict[str, int] = {}
    for role, count in data.attendance.items():
        if role not in roles:
            errors.setdefault("attendance", []).append(f"Unknown staff role: {role}")
        elif not 0 <= int(count) <= 200:
            errors.setdefault(f"attend_{role}", []).append(
                f"{roles[role]} present must be between 0 and 200"
            )
        elif count:
            attendance[role] = int(count)
    labels = dict(TEXT_FIELDS)
    texts = {
        name: _text(data.texts.get(name, ""), field_name=name, label=labels[name], errors=errors)
        for name in labels
    }
    unknown = set(data.texts) - set(labels)
    if unknown:
        errors.setdefault(None, []).append(f"Unknown field: {', '.join(sorted(unknown))}")
    categories = {
        c.pk: c for c in HarmCategory.objects.filter(organisation_id=unit.organisation_id)
    }
    risks: list[HuddleAtRisk] = []
    for cat_id, (patients, refs) in data.at_risk.items():
        cat = categories.get(cat_id)
        if cat is None:
            errors.setdefault("at_risk", []).append("Unknown harm category")
            continue
        if not 0 <= patients <= 99:
            errors.setdefault(f"risk_{cat_id}", []).append(
                f"Patients at risk of {cat.name.lower()} must be between 0 and 99"
            )
            continue
        refs = _references(refs, field_name=f"refs_{cat_id}", errors=errors)
        if patients or refs:
            risks.append(HuddleAtRisk(category=cat, patients=patients, references=refs[:200]))
    for i, action in enumerate(data.new_actions, start=1):
        # Field names match the form's action rows (action1_text, action2_owner…).
        _text(action.text, field_name=f"action{i}_text", label="The action", errors=errors)
        if not action.text.strip():
            errors.setdefault(f"action{i}_text", []).append("Enter what the action is")
        if not action.owner.strip():
            errors.setdefault(f"action{i}_owner", []).append("Enter who owns the action")
        if action.due_on is not None and action.due_on < data.held_on:
            errors.setdefault(f"action{i}_due_on", []).append(
                "The action's due date cannot be before the huddle"
            )
    to_close = list(
        HuddleAction.objects.filter(
            unit=unit, pk__in=list(data.close_action_ids), closed_on__isnull=True
        )
    )
    if errors:
        raise HuddleError(errors=errors)
    huddle = Huddle(
        unit=unit,
        held_on=data.held_on,
        shift=data.shift,
        started_at=data.started_at,
        duration_min=data.duration_min,
        facilitator=actor,
        attendance=attendance,
        recorded_by=actor,
        **texts,
    )
    save_as(huddle, actor)
    for risk in risks:
        risk.huddle = huddle
    HuddleAtRisk.objects.bulk_create(risks)
    for action in data.new_actions:
        save_as(
            HuddleAction(
                unit=unit,
                raised_at=huddle,
                text=action.text.strip()[:300],
                owner=action.owner.strip()[:80],
                due_on=action.due_on,
            ),
            actor,
        )
    for open_action in to_close:
        open_action.closed_on = data.held_on
        open_action.closed_at = huddle
        save_as(open_action, actor)
    return huddle


@transaction.atomic
def huddle_action_close(*, actor: Any, action: HuddleAction, on: dt.date | None = None) -> None:
    """Close an open action (it stops coming back to huddles)."""
    if action.closed_on is not None:
        raise HuddleError("This action is already closed", field="closed_on")
    action.closed_on = on or today()
    save_as(action, actor)


# --- harm events ------------------------------------------------------------------------


@transaction.atomic
def harm_event_create(
    *,
    actor: Any,
    unit: Unit,
    category: HarmCategory,
    occurred_on: dt.date,
    severity: str,
    occurred_at: dt.time | None = None,
    incident_ref: str = "",
) -> HarmEvent:
    """Record a harm event: not in the future, not before the unit opened, and an incident
    reference that is a code, not anything that identifies the patient."""
    errors: dict[str | None, list[str]] = {}
    if category.organisation_id != unit.organisation_id:
        errors["category"] = ["Choose one of this organisation's harm categories"]
    if occurred_on > today():
        errors["occurred_on"] = ["The date of the event cannot be in the future"]
    elif occurred_on < unit.opened_on:
        errors["occurred_on"] = [
            f"The date of the event cannot be before {unit.name} opened on "
            f"{unit.opened_on:%-d %B %Y}"
        ]
    elif (
        occurred_on == today()
        and occurred_at is not None
        and occurred_at > timezone.localtime().time()
    ):
        errors["occurred_at"] = ["The time of the event cannot be in the future"]
    if severity not in Severity.values:
        errors["severity"] = ["Choose how severe the harm was"]
    incident_ref = (incident_ref or "").strip()
    if text_problem(incident_ref, what="The incident reference"):
        errors["incident_ref"] = [str(text_problem(incident_ref, what="The incident reference"))]
    elif incident_ref and check_reference(incident_ref):
        errors["incident_ref"] = [
            "The incident reference must be your incident system's number (like W123456), "
            "not anything that identifies the patient"
        ]
    if errors:
        raise HuddleError(errors=errors)
    event = HarmEvent(
        unit=unit,
        category=category,
        occurred_on=occurred_on,
        occurred_at=occurred_at,
        severity=severity,
        incident_ref=incident_ref,
        recorded_by=actor,
    )
    save_as(event, actor)
    return event
