"""Helpers exposed to templates (display only: no queries beyond what the caller passed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def has_perm(user: Any, perm: str, obj: Any = None) -> bool:
    """``{% if has_perm(request.user, 'organisations.change_organisation', org) %}``."""
    return bool(user.has_perm(perm, obj))


@dataclass(frozen=True)
class HistoryEntry:
    when: Any
    who: str
    action: str
    changes: list[tuple[str, str, str]]


_ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def history_changes(records: Any, limit: int = 20) -> list[HistoryEntry]:
    """Turn django-simple-history records (newest first) into 'who changed what, when'."""
    entries: list[HistoryEntry] = []
    records = list(records[: limit + 1])
    for i, rec in enumerate(records[:limit]):
        changes: list[tuple[str, str, str]] = []
        prev = records[i + 1] if i + 1 < len(records) else None
        if rec.history_type == "~" and prev is not None:
            delta = rec.diff_against(prev)
            for change in delta.changes:
                field = rec.instance_type._meta.get_field(change.field)
                label = str(getattr(field, "verbose_name", change.field)).capitalize()
                changes.append((label, _display(change.old), _display(change.new)))
        who = str(rec.history_user) if rec.history_user else "System"
        entries.append(
            HistoryEntry(rec.history_date, who, _ACTIONS.get(rec.history_type, "?"), changes)
        )
    return entries


def _display(value: Any) -> str:
    if value in (None, ""):
        return "(blank)"
    if isinstance(value, list):
        return ", ".join(str(v.get("id", v)) if isinstance(v, dict) else str(v) for v in value)
    return str(value)
