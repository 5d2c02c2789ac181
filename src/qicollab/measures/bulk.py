"""Fast writes of many data points with their audit history (imports and bulk pushes).

The ORM's ``bulk_create``/``bulk_update`` spend nearly all of a large push building SQL
field by field (and ``bulk_update`` writes one CASE expression per row and field), so a
200,000-point feed took minutes. Here each batch is one parameterised statement run with
``executemany`` over plain tuples, on SQLite and PostgreSQL alike, and the history rows
that simple_history would write are written the same way (``+`` for a new point, ``~``
for a change, with the person and the reason). Callers validate everything first and run
this inside their transaction: it writes, it does not check.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from qicollab.measures.models import DataPoint

CHUNK = 5000
#: simple_history's change-reason column is 100 characters long.
REASON_LENGTH = 100


@dataclass(frozen=True)
class Stored:
    """A stored data point, read as plain values (much cheaper than model instances)."""

    id: int
    value: float | None
    numerator: float | None
    denominator: float | None
    note: str


def stored_points(measure_id: int) -> dict[date, Stored]:
    """Every stored point of a measure by period (one query, no model instances)."""
    rows = DataPoint.objects.filter(measure_id=measure_id).values_list(
        "period", "id", "value", "numerator", "denominator", "note"
    )
    return {r[0]: Stored(*r[1:]) for r in rows}


def _chunks(rows: Sequence[tuple[Any, ...]]) -> Iterator[Sequence[tuple[Any, ...]]]:
    for i in range(0, len(rows), CHUNK):
        yield rows[i : i + CHUNK]


def _columns(model: Any, names: Sequence[str]) -> str:
    fields = {f.name: str(f.column) for f in model._meta.concrete_fields}
    return ", ".join(connection.ops.quote_name(fields[n]) for n in names)


def write_points(
    *,
    measure_id: int,
    actor_id: int | None,
    creates: Sequence[tuple[date, float | None, float | None, float | None, str]],
    updates: Sequence[tuple[Stored, date, float | None, float | None, float | None, str]],
    reason: str,
) -> None:
    """Insert new points and update changed ones, with one history row for each.

    ``creates``: (period, value, numerator, denominator, note);
    ``updates``: (stored point, period, value, numerator, denominator, note).
    """
    ops = connection.ops
    now = timezone.now()
    stamp = ops.adapt_datetimefield_value(now)
    reason = reason[:REASON_LENGTH]
    history = DataPoint.history.model
    table = ops.quote_name(DataPoint._meta.db_table)
    history_table = ops.quote_name(history._meta.db_table)
    point_cols = (
        "created_at",
        "updated_at",
        "measure",
        "period",
        "value",
        "numerator",
        "denominator",
        "note",
        "entered_by",
    )
    history_cols = (
        "id",
        "created_at",
        "updated_at",
        "measure",
        "period",
        "value",
        "numerator",
        "denominator",
        "note",
        "entered_by",
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user",
    )
    # Table and column names come from the models' metadata, quoted; values are parameters.
    insert_point = (
        f"INSERT INTO {table} ({_columns(DataPoint, point_cols)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(point_cols))})"
    )
    insert_history = (
        f"INSERT INTO {history_table} ({_columns(history, history_cols)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(history_cols))})"
    )
    cols = {f.name: ops.quote_name(str(f.column)) for f in DataPoint._meta.concrete_fields}
    update_point = (
        f"UPDATE {table} SET {cols['value']} = %s, {cols['numerator']} = %s, "  # noqa: S608
        f"{cols['denominator']} = %s, {cols['note']} = %s, {cols['entered_by']} = %s, "
        f"{cols['updated_at']} = %s WHERE {cols['id']} = %s"
    )
    with connection.cursor() as cursor:
        if creates:
            rows = [
                (stamp, stamp, measure_id, ops.adapt_datefield_value(p), v, n, d, note, actor_id)
                for p, v, n, d, note in creates
            ]
            for chunk in _chunks(rows):
                cursor.executemany(insert_point, chunk)
            new_ids = dict(
                DataPoint.objects.filter(measure_id=measure_id).values_list("period", "id")
            )
            history_rows = [
                (
                    new_ids[p],
                    stamp,
                    stamp,
                    measure_id,
                    ops.adapt_datefield_value(p),
                    v,
                    n,
                    d,
                    note,
                    actor_id,
                    stamp,
                    reason,
                    "+",
                    actor_id,
                )
                for p, v, n, d, note in creates
            ]
            for chunk in _chunks(history_rows):
                cursor.executemany(insert_history, chunk)
        if updates:
            # History rows copy the whole point, including when it was first created.
            created = dict(
                DataPoint.objects.filter(measure_id=measure_id).values_list("id", "created_at")
            )
            changes = [
                (v, n, d, note, actor_id, stamp, old.id) for old, _p, v, n, d, note in updates
            ]
            for chunk in _chunks(changes):
                cursor.executemany(update_point, chunk)
            history_rows = [
                (
                    old.id,
                    ops.adapt_datetimefield_value(created[old.id]),
                    stamp,
                    measure_id,
                    ops.adapt_datefield_value(p),
                    v,
                    n,
                    d,
                    note,
                    actor_id,
                    stamp,
                    reason,
                    "~",
                    actor_id,
                )
                for old, p, v, n, d, note in updates
            ]
            for chunk in _chunks(history_rows):
                cursor.executemany(insert_history, chunk)
