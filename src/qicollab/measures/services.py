"""Writes to measures, their data, chart decisions and bundle audits.

Every write records who made it (simple_history) and runs in a transaction. Data arrives
three ways (the grid, a file import, the API's bulk push) and is checked by the same
rules (:func:`qicollab.measures.importing.check_point`); imports and bulk pushes are
all-or-nothing: nothing is written unless every point is valid.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qicollab.accounts.models import Person
from qicollab.core.identifiers import is_valid_nhs_number
from qicollab.core.services import ServiceError, apply_fields, check_version, delete_as, save_as
from qicollab.core.text import text_problem
from qicollab.measures.bulk import Stored, stored_points, write_points
from qicollab.measures.importing import (
    ImportRow,
    MeasureShape,
    RowError,
    check_period,
    check_point,
)
from qicollab.measures.models import (
    DEFAULT_CHART,
    AuditResult,
    Bundle,
    BundleAudit,
    BundleAuditResult,
    BundleElement,
    ChartEvent,
    DataPoint,
    EventKind,
    Measure,
    ValueType,
)
from qicollab.measures.periods import long_date, snap
from qicollab.measures.spc_adapter import allowed_window, measure_shape
from qicollab.projects.models import Project

MEASURE_FIELDS = frozenset(
    f.name
    for f in Measure._meta.concrete_fields
    # The library link is set by the library's services only (measures.library.services).
    if f.name
    not in (
        "id",
        "project",
        "created_at",
        "updated_at",
        "created_by",
        "library_measure",
        "library_version",
    )
)


class MeasureError(ServiceError):
    """A measure change that breaks a business rule; ``field`` names its form field."""


# --- measures ----------------------------------------------------------------------------


def _main_outcome_switch(measure: Measure, actor: Person) -> None:
    """Only one main outcome: choosing a new one demotes the previous one (recorded)."""
    if not measure.is_main_outcome:
        return
    for other in Measure.objects.filter(
        project_id=measure.project_id, is_main_outcome=True
    ).exclude(pk=measure.pk):
        other.is_main_outcome = False
        save_as(other, actor)


@transaction.atomic
def measure_create(*, actor: Person, project: Project, data: dict[str, Any]) -> Measure:
    measure = Measure(project=project, created_by=actor)
    apply_fields(measure, {k: v for k, v in data.items() if k in MEASURE_FIELDS})
    if not data.get("chart_type"):
        measure.chart_type = DEFAULT_CHART[ValueType(measure.value_type)]
    if "order" not in data:
        measure.order = project.measures.count()
    _main_outcome_switch(measure, actor)
    save_as(measure, actor)
    return measure


@transaction.atomic
def measure_update(
    *, actor: Person, measure: Measure, data: dict[str, Any], loaded_version: str = ""
) -> Measure:
    """Change the definition; raises ``EditConflict`` on a concurrent edit.

    The collection frequency and whether the measure has a denominator cannot change once
    there is data: the recorded periods and numbers would no longer fit the definition.
    """
    check_version(measure, loaded_version)
    before = (measure.frequency, measure.week_start, measure.uses_denominator)
    changed = apply_fields(measure, {k: v for k, v in data.items() if k in MEASURE_FIELDS})
    if not changed:
        return measure
    after = (measure.frequency, measure.week_start, measure.uses_denominator)
    if before != after and measure.points.exists():
        field_name = "value_type" if before[2] != after[2] else "frequency"
        raise MeasureError(
            "This measure already has data recorded "
            f"{'with' if before[2] else 'without'} a denominator and {before[0]}. Changing "
            "that would make the recorded data wrong. Export the data, create a new measure "
            "with the new definition, and import the data there.",
            field_name,
        )
    _main_outcome_switch(measure, actor)
    save_as(measure, actor)
    return measure


@transaction.atomic
def measure_delete(*, actor: Person, measure: Measure) -> None:
    delete_as(measure, actor)


# --- data points -------------------------------------------------------------------------


@dataclass(frozen=True)
class PointInput:
    """One period's data as received; ``note=None`` leaves an existing note alone."""

    period: date
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    note: str | None = None
    rebase: bool = False
    exclude: bool = False

    @classmethod
    def from_row(cls, row: ImportRow, *, has_note_column: bool) -> PointInput:
        return cls(
            period=row.period,
            value=row.value,
            numerator=row.numerator,
            denominator=row.denominator,
            note=row.note if has_note_column else None,
            rebase=row.rebase,
            exclude=row.exclude,
        )


def _numbers(p: DataPoint | PointInput | Stored) -> tuple[float | None, float | None, float | None]:
    return (p.value, p.numerator, p.denominator)


def _same(a: tuple[float | None, ...], b: tuple[float | None, ...]) -> bool:
    """Equal numbers, to 12 significant figures.

    Spreadsheets keep 15 significant figures (openpyxl writes 16), so a value that went
    out to Excel and back may differ in its last binary digit; that is not a change.
    """
    if a == b:
        return True
    return all(
        x is y or (x is not None and y is not None and math.isclose(x, y, rel_tol=1e-12))
        for x, y in zip(a, b, strict=True)
    )


@dataclass
class Change:
    period: date
    kind: str  # new | changed | unchanged
    new: PointInput
    old: Stored | None = None


@dataclass
class ImportPlan:
    """Exactly what writing a set of points would change, for the preview step."""

    changes: list[Change] = field(default_factory=list)
    new_events: list[tuple[str, date]] = field(default_factory=list)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def counts(self) -> dict[str, int]:
        return {k: len(self.of(k)) for k in ("new", "changed", "unchanged")}

    @property
    def has_changes(self) -> bool:
        return bool(self.new_events) or any(c.kind != "unchanged" for c in self.changes)

    @property
    def fingerprint(self) -> str:
        """Changes if the data changed between the preview and the confirmation."""
        h = hashlib.sha256()
        for c in self.changes:
            old = (_numbers(c.old), c.old.note) if c.old else None
            h.update(repr((c.period, c.kind, _numbers(c.new), c.new.note, old)).encode())
        h.update(repr(self.new_events).encode())
        return h.hexdigest()[:32]


def plan_points(*, measure: Measure, points: Sequence[PointInput]) -> ImportPlan:
    """Compare incoming points with the stored ones (one query)."""
    existing = stored_points(measure.pk)
    plan = ImportPlan()
    for p in points:
        old = existing.get(p.period)
        if old is None:
            plan.changes.append(Change(p.period, "new", p))
            continue
        differs = not _same(_numbers(old), _numbers(p)) or (
            p.note is not None and p.note != old.note
        )
        plan.changes.append(Change(p.period, "changed" if differs else "unchanged", p, old))
    events = {(e.kind, e.on) for e in measure.chart_events.filter(on__isnull=False)}
    for p in points:
        for kind, flag in ((EventKind.REBASE, p.rebase), (EventKind.EXCLUDE, p.exclude)):
            if flag and (kind, p.period) not in events:
                plan.new_events.append((str(kind), p.period))
    return plan


def _write(*, actor: Person, measure: Measure, plan: ImportPlan, source: str) -> dict[str, int]:
    """Apply a plan: bulk inserts and updates with their history, then chart decisions."""
    creates = [
        (c.period, c.new.value, c.new.numerator, c.new.denominator, c.new.note or "")
        for c in plan.of("new")
    ]
    updates = [
        (
            c.old,
            c.period,
            c.new.value,
            c.new.numerator,
            c.new.denominator,
            c.new.note if c.new.note is not None else c.old.note,
        )
        for c in plan.of("changed")
        if c.old is not None
    ]
    write_points(
        measure_id=measure.pk, actor_id=actor.pk, creates=creates, updates=updates, reason=source
    )
    for kind, on in plan.new_events:
        reason = f"Marked in {source}" if kind == EventKind.EXCLUDE else ""
        event = ChartEvent(measure=measure, kind=kind, on=on, reason=reason, created_by=actor)
        save_as(event, actor)
    return {"created": len(creates), "updated": len(updates), "events": len(plan.new_events)}


class ImportChanged(Exception):
    """The data changed between the preview and the confirmation."""


@transaction.atomic
def points_import(
    *,
    actor: Person,
    measure: Measure,
    points: Sequence[PointInput],
    fingerprint: str,
    source: str,
) -> dict[str, int]:
    """Write a previewed import, all or nothing; refuse if the data changed since the preview."""
    Measure.objects.select_for_update().filter(pk=measure.pk).first()
    plan = plan_points(measure=measure, points=points)
    if plan.fingerprint != fingerprint:
        raise ImportChanged(
            "The measure's data changed after the preview was made (someone else may have "
            "entered data). Check the new preview, then confirm again."
        )
    return _write(actor=actor, measure=measure, plan=plan, source=source)


@dataclass(frozen=True)
class PushError:
    index: int
    measure_id: int | None
    period: str | None
    field: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "measure": self.measure_id,
            "period": self.period,
            "field": self.field,
            "message": self.message,
        }


def _as_number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number.")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a number we can chart.")
    return number


def _plainly_fine(shape: MeasureShape, numbers: tuple[Any, Any, Any]) -> bool:
    """The common case, checked quickly: plain finite numbers that break no rule.

    Anything else goes through :func:`check_point`, which finds and words the problem, so
    the fast path never decides what is refused (it only skips work for valid points).
    """
    value, numerator, denominator = numbers
    for n in numbers:
        if n is None:
            continue
        if type(n) not in (int, float) or not math.isfinite(n):
            return False
        if shape.whole_numbers and n != int(n):
            return False
    if shape.uses_denominator:
        if value is not None or (numerator is None) != (denominator is None):
            return False
        return numerator is None or not (
            numerator < 0
            or denominator < 0
            or (shape.is_proportion and numerator > denominator)
            or (denominator == 0 and numerator > 0)
        )
    if numerator is not None or denominator is not None:
        return False
    return value is None or value >= 0 or shape.allow_negative


def validate_push(
    measures: dict[int, Measure], items: Sequence[dict[str, Any]]
) -> tuple[dict[int, list[PointInput]], list[PushError]]:
    """Check every pushed point like an import row: dates on the grid, no duplicates, numbers.

    ``items`` are dicts with ``measure`` (id), ``period`` (date or ISO string), ``value``,
    ``numerator``, ``denominator`` and optional ``note``. Hundreds of thousands of points
    arrive at once, so dates are parsed once per distinct text and plainly valid numbers
    take a fast path; every refusal is worded by the same checks as imports.
    """
    errors: list[PushError] = []
    out: dict[int, list[PointInput]] = {}
    seen: dict[tuple[int, date], int] = {}
    shapes = {pk: measure_shape(m) for pk, m in measures.items()}
    # (text, frequency, week start) -> the period start, or the reason it cannot be used.
    periods: dict[tuple[Any, str, int], date | str] = {}

    def period_of(raw: Any, shape: MeasureShape) -> date | str:
        key = (raw, shape.frequency, shape.week_start)
        found = periods.get(key)
        if found is None:
            try:
                d = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
            except ValueError:
                found = f"{raw!r} is not a date; use YYYY-MM-DD."
            else:
                try:
                    found = check_period(d, shape)
                except ValueError as exc:
                    found = str(exc)
            periods[key] = found
        return found

    for i, item in enumerate(items):
        mid = item.get("measure")
        raw_period = item.get("period")

        def err(
            field_name: str | None,
            message: str,
            *,
            i: int = i,
            mid: Any = mid,
            raw: Any = raw_period,
        ) -> None:
            shown = (
                raw.isoformat() if isinstance(raw, date) else (None if raw is None else str(raw))
            )
            errors.append(
                PushError(i, mid if isinstance(mid, int) else None, shown, field_name, message)
            )

        shape = shapes.get(mid)  # type: ignore[arg-type]
        if shape is None:
            err("measure", f"Measure {mid!r} does not exist or you cannot change it.")
            continue
        period = period_of(raw_period, shape)
        if isinstance(period, str):
            err("period", period)
            continue
        first = seen.setdefault((mid, period), i)  # type: ignore[arg-type]
        if first != i:
            err(
                "period",
                f"{long_date(period)} is already at index {first} for this measure. Each "
                "period can have only one value.",
            )
            continue
        numbers = (item.get("value"), item.get("numerator"), item.get("denominator"))
        note = item.get("note")
        if note is not None and (not isinstance(note, str) or len(note) > 500):
            err("note", "The note must be text of 500 characters or fewer.")
            continue
        if note is not None and (problem := text_problem(note, what="The note")):
            err("note", problem)
            continue
        if not _plainly_fine(shape, numbers):
            try:
                value, numerator, denominator = (_as_number(n) for n in numbers)
            except ValueError as exc:
                err(None, str(exc))
                continue
            if shape.uses_denominator and value is not None:
                err("value", "This measure takes a numerator and a denominator, not a value.")
                continue
            if not shape.uses_denominator and (numerator is not None or denominator is not None):
                err("numerator", "This measure takes a value, not a numerator and denominator.")
                continue
            problems = check_point(shape, value=value, numerator=numerator, denominator=denominator)
            for column, message in problems.items():
                err(column, message)
            if problems:
                continue
        value, numerator, denominator = (None if n is None else float(n) for n in numbers)
        out.setdefault(mid, []).append(  # type: ignore[arg-type]
            PointInput(
                period, value, numerator, denominator, None if note is None else note.strip()
            )
        )
    return out, errors


@transaction.atomic
def points_push(
    *,
    actor: Person,
    measures: dict[int, Measure],
    points: dict[int, list[PointInput]],
    source: str = "API bulk push",
) -> dict[str, int]:
    """Write validated pushed points for several measures in one transaction."""
    totals = {"created": 0, "updated": 0, "unchanged": 0, "events": 0}
    for mid, items in points.items():
        plan = plan_points(measure=measures[mid], points=items)
        counts = _write(actor=actor, measure=measures[mid], plan=plan, source=source)
        totals["created"] += counts["created"]
        totals["updated"] += counts["updated"]
        totals["unchanged"] += plan.counts["unchanged"]
    return totals


@transaction.atomic
def datapoint_save(
    *,
    actor: Person,
    measure: Measure,
    period: date,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    note: str = "",
) -> DataPoint | None:
    """Save one period from the grid; an empty row removes the point. Raises MeasureError.

    A point stored outside the allowed periods (before they were checked) can still be
    cleared, so that the team can correct it; it cannot be given new data.
    """
    shape = measure_shape(measure)
    note = (note or "").strip()
    empty = value is None and numerator is None and denominator is None and not note
    if empty:
        # Clearing the row of a stored point, whatever its date.
        stored = measure.points.select_for_update().filter(period=period).first()
        if stored is not None:
            delete_as(stored, actor)
            return None
    try:
        period = check_period(period, shape)
    except ValueError as exc:
        raise MeasureError(str(exc), "period") from exc
    if unstorable := text_problem(note, what="The note"):
        raise MeasureError(unstorable, "note")
    problems = check_point(shape, value=value, numerator=numerator, denominator=denominator)
    if problems:
        column, message = next(iter(problems.items()))
        raise MeasureError(message, column)
    existing = measure.points.select_for_update().filter(period=period).first()
    if empty:
        if existing is not None:
            delete_as(existing, actor)
        return None
    point = existing or DataPoint(measure=measure, period=period)
    if existing is not None and (_numbers(existing), existing.note) == (
        (value, numerator, denominator),
        note,
    ):
        return existing
    point.value, point.numerator, point.denominator, point.note = (
        value,
        numerator,
        denominator,
        note,
    )
    point.entered_by = actor
    try:
        save_as(point, actor)
    except ValidationError as exc:
        raise MeasureError("; ".join(exc.messages)) from exc
    return point


# --- chart decisions ---------------------------------------------------------------------


@transaction.atomic
def chart_event_add(
    *,
    actor: Person,
    measure: Measure,
    kind: str,
    on: date | None = None,
    points: int | None = None,
    reason: str = "",
) -> ChartEvent:
    """Record a new phase, a frozen baseline (replacing any earlier one) or an exclusion."""
    if kind == EventKind.FREEZE:
        existing = measure.chart_events.filter(kind=EventKind.FREEZE).first()
        if existing is not None:
            existing.points, existing.reason = points, reason
            save_as(existing, actor)
            return existing
        on = None
    elif on is not None:
        on = snap(on, measure.frequency, measure.week_start)
        outside = allowed_window(measure.frequency, measure.week_start).problem(on)
        if outside:
            raise MeasureError(outside, "on")
        if measure.chart_events.filter(kind=kind, on=on).exists():
            what = "a new phase" if kind == EventKind.REBASE else "an exclusion"
            raise MeasureError(f"There is already {what} on {long_date(on)}.", "on")
        if kind == EventKind.EXCLUDE and not measure.points.filter(period=on).exists():
            raise MeasureError(f"There is no data for {long_date(on)} to exclude.", "on")
    event = ChartEvent(
        measure=measure, kind=kind, on=on, points=points, reason=reason.strip(), created_by=actor
    )
    try:
        save_as(event, actor)
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        raise MeasureError(" ".join(messages), field_name) from exc
    return event


@transaction.atomic
def chart_event_remove(*, actor: Person, event: ChartEvent) -> None:
    delete_as(event, actor)


# --- bundles -----------------------------------------------------------------------------


def check_reference(reference: str) -> str:
    reference = (reference or "").strip()
    if not reference:
        raise MeasureError("Enter an audit reference, such as 'W3-0412'.", "reference")
    if is_valid_nhs_number(reference):
        raise MeasureError(
            "This looks like an NHS number. Do not record NHS numbers or names here: use a "
            "pseudonymous audit reference (for example the audit sheet number), and keep the "
            "key to it in the clinical record system.",
            "reference",
        )
    return reference


@transaction.atomic
def bundle_create(
    *, actor: Person, project: Project, data: dict[str, Any], elements: Iterable[str]
) -> Bundle:
    texts = [t.strip() for t in elements if t and t.strip()]
    if len(texts) < 2:
        raise MeasureError("A bundle needs at least two elements, one a line.", "elements")
    bundle = Bundle(project=project, created_by=actor)
    apply_fields(
        bundle,
        {k: v for k, v in data.items() if k in ("name", "description", "frequency", "week_start")},
    )
    save_as(bundle, actor)
    for order, text in enumerate(texts):
        save_as(BundleElement(bundle=bundle, text=text[:300], order=order), actor)
    return bundle


@transaction.atomic
def bundle_element_add(*, actor: Person, bundle: Bundle, text: str) -> BundleElement:
    text = (text or "").strip()
    if not text:
        raise MeasureError("Enter the element.", "text")
    order = bundle.elements.count()
    element = BundleElement(bundle=bundle, text=text[:300], order=order)
    save_as(element, actor)
    return element


@transaction.atomic
def bundle_audit_record(
    *,
    actor: Person,
    bundle: Bundle,
    audited_on: date,
    reference: str,
    results: dict[int, str],
) -> BundleAudit:
    """Record one patient's or episode's audit: every element met, not met or not applicable."""
    reference = check_reference(reference)
    elements = list(bundle.elements.all())
    missing = [e.text for e in elements if results.get(e.pk) not in AuditResult.values]
    if missing:
        raise MeasureError(
            "Record every element as met, not met or not applicable. Missing: "
            + "; ".join(missing)
            + ".",
            "results",
        )
    period = snap(audited_on, bundle.frequency, bundle.week_start)
    outside = allowed_window(bundle.frequency, bundle.week_start).problem(period)
    if outside:
        raise MeasureError(outside, "audited_on")
    if bundle.audits.filter(period=period, reference__iexact=reference).exists():
        raise MeasureError(
            f"'{reference}' has already been audited in this period. Use a different "
            "reference for a different patient or episode.",
            "reference",
        )
    audit = BundleAudit(
        bundle=bundle, period=period, audited_on=audited_on, reference=reference, auditor=actor
    )
    save_as(audit, actor)
    for e in elements:
        save_as(BundleAuditResult(audit=audit, element=e, result=results[e.pk]), actor)
    return audit


@transaction.atomic
def bundle_audit_delete(*, actor: Person, audit: BundleAudit) -> None:
    delete_as(audit, actor)


def errors_as_text(errors: Sequence[RowError]) -> list[str]:
    return [str(e) for e in errors]
