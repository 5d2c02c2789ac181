"""CSV exports of a unit's huddles and harm events (through reports.tabular)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from qicollab.huddles.models import ATTENDANCE_ROLES, TEXT_FIELDS, HarmCategory, HarmEvent, Huddle
from qicollab.reports.tabular import csv_bytes


def huddles_csv(huddles: Iterable[Huddle], categories: Sequence[HarmCategory]) -> bytes:
    """One row per huddle: attendance by role, at-risk counts per category, the notes."""
    head: list[object] = ["Date", "Shift", "Start time", "Minutes"]
    head += [f"Present: {label}" for _, label in ATTENDANCE_ROLES]
    head += [f"At risk: {c.name}" for c in categories]
    head += [label for _, label in TEXT_FIELDS]
    rows: list[list[object]] = [head]
    for h in huddles:
        risk = {r.category_id: r.patients for r in h.at_risk.all()}
        rows.append(
            [h.held_on, h.get_shift_display(), h.started_at or "", h.duration_min or ""]
            + [h.attendance.get(role, 0) for role, _ in ATTENDANCE_ROLES]
            + [risk.get(c.pk, "") for c in categories]
            + [getattr(h, name) for name, _ in TEXT_FIELDS]
        )
    return csv_bytes(rows)


def events_csv(events: Iterable[HarmEvent]) -> bytes:
    """One row per harm event."""
    head: list[object] = ["Date", "Time", "Category", "Severity", "Incident reference"]
    rows: list[list[object]] = [head]
    rows.extend(
        [e.occurred_on, e.occurred_at or "", e.category.name, e.get_severity_display(),
         e.incident_ref]
        for e in events
    )  # fmt: skip
    return csv_bytes(rows)
