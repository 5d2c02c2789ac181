"""Helpers exposed to templates (display only: no queries beyond what the caller passed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, IntegerField, Value


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
    """Turn django-simple-history records (newest first) into 'who changed what, when'.

    A fixed number of queries however long the history: the records, one query for the
    sets every shown record held in all its many-to-many fields, and one per changed
    many-to-many field for the names. (simple-history's own ``diff_against`` runs two
    queries per record and many-to-many field.)
    """
    records = list(records[: limit + 1])
    fields = list(getattr(records[0], "_history_m2m_fields", ())) if records else []
    held = _m2m_sets(records, fields)
    # (record index, field index, ids before, ids after) for every changed set shown
    m2m_changes: list[tuple[int, int, frozenset[Any], frozenset[Any]]] = []
    for i, rec in enumerate(records[:limit]):
        if rec.history_type == "~" and i + 1 < len(records):
            prev = records[i + 1]
            for n in range(len(fields)):
                old, new = held.get((n, prev.pk), frozenset()), held.get((n, rec.pk), frozenset())
                if old != new:
                    m2m_changes.append((i, n, old, new))
    names = _m2m_names(fields, m2m_changes)
    entries: list[HistoryEntry] = []
    for i, rec in enumerate(records[:limit]):
        changes: list[tuple[str, str, str]] = []
        prev = records[i + 1] if i + 1 < len(records) else None
        if rec.history_type == "~" and prev is not None:
            delta = rec.diff_against(prev, excluded_fields=[f.name for f in fields])
            for change in delta.changes:
                field = rec.instance_type._meta.get_field(change.field)
                label = str(getattr(field, "verbose_name", change.field)).capitalize()
                changes.append((label, _display(change.old), _display(change.new)))
            for _, n, old, new in (c for c in m2m_changes if c[0] == i):
                label = str(getattr(fields[n], "verbose_name", fields[n].name)).capitalize()
                changes.append((label, _names(old, names[n]), _names(new, names[n])))
        who = str(rec.history_user) if rec.history_user else "System"
        entries.append(
            HistoryEntry(rec.history_date, who, _ACTIONS.get(rec.history_type, "?"), changes)
        )
    return entries


def _m2m_sets(records: list[Any], fields: list[Any]) -> dict[tuple[int, Any], frozenset[Any]]:
    """(field index, history id) -> the ids that record held in that many-to-many field,
    for every record, in one ``UNION ALL`` query over the fields' history tables."""
    if not records or not fields:
        return {}
    ids = [r.pk for r in records]
    arms = [
        getattr(records[0], f.name)
        .model.objects.filter(history_id__in=ids)
        .order_by()
        .annotate(_field=Value(n, IntegerField()), _target=F(f"{f.m2m_reverse_field_name()}_id"))
        .values_list("_field", "history_id", "_target")
        for n, f in enumerate(fields)
    ]
    query = arms[0].union(*arms[1:], all=True) if len(arms) > 1 else arms[0]
    held: dict[tuple[int, Any], set[Any]] = {}
    for n, history_id, target in query:
        held.setdefault((n, history_id), set()).add(target)
    return {k: frozenset(v) for k, v in held.items()}


def _m2m_names(
    fields: list[Any], changes: list[tuple[int, int, frozenset[Any], frozenset[Any]]]
) -> dict[int, dict[Any, str]]:
    """field index -> id -> display name, for the ids in changed sets (a query per field)."""
    wanted: dict[int, set[Any]] = {}
    for _, n, old, new in changes:
        wanted.setdefault(n, set()).update(old | new)
    return {
        n: {pk: str(obj) for pk, obj in fields[n].related_model._base_manager.in_bulk(ids).items()}
        for n, ids in wanted.items()
    }


def _names(ids: frozenset[Any], names: dict[Any, str]) -> str:
    if not ids:
        return "(blank)"
    return ", ".join(sorted(names.get(i, f"(deleted #{i})") for i in ids))


def _display(value: Any) -> str:
    if value in (None, ""):
        return "(blank)"
    if isinstance(value, list):
        return ", ".join(str(v.get("id", v)) if isinstance(v, dict) else str(v) for v in value)
    return str(value)
