"""Export measure data to CSV and Excel in the layout the importer reads back unchanged.

Dates are ISO (2025-03-01) and numbers are written exactly (``repr`` of the stored float).
Every file is written by :mod:`qicollab.reports.tabular`, which prefixes text a spreadsheet
would run as a formula with an apostrophe (OWASP's advice against CSV injection); the
importer removes that apostrophe again, so exporting and then importing a file changes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from qicollab.measures.models import DataPoint, Measure, ValueType
from qicollab.reports.tabular import (
    Sheet,
    csv_bytes,
    header,
    sheet_title,
    xlsx_bytes,
)


def number(value: float | None) -> float | int | None:
    """A stored float as the number a spreadsheet shows: whole numbers without ``.0``.

    >>> number(3.0), number(2.5), number(None)
    (3, 2.5, None)
    """
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def calculated_heading(measure: Measure) -> str:
    if measure.value_type == ValueType.PERCENTAGE:
        return "Percentage (calculated)"
    per = f" per {measure.rate_multiplier:,}" if measure.rate_multiplier > 1 else ""
    return f"Rate{per} (calculated)"


def headings(measure: Measure) -> list[str]:
    if measure.uses_denominator:
        return ["Date", "Numerator", "Denominator", calculated_heading(measure), "Note"]
    return ["Date", "Value", "Note"]


def _calculated(measure: Measure, p: DataPoint) -> float | None:
    if p.numerator is None or not p.denominator:
        return None
    scale = 100 if measure.value_type == ValueType.PERCENTAGE else measure.rate_multiplier
    return round(p.numerator / p.denominator * scale, 6)


def rows(measure: Measure, points: Iterable[DataPoint]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for p in points:
        if measure.uses_denominator:
            out.append(
                [
                    p.period,
                    number(p.numerator),
                    number(p.denominator),
                    number(_calculated(measure, p)),
                    p.note,
                ]
            )
        else:
            out.append([p.period, number(p.value), p.note])
    return out


def measure_csv(measure: Measure, points: Iterable[DataPoint]) -> bytes:
    return csv_bytes([headings(measure), *rows(measure, points)])


def _data_rows(measure: Measure, points: Sequence[DataPoint]) -> Iterator[list[Any]]:
    yield header(headings(measure))
    yield from rows(measure, points)


def _about_rows(measure: Measure) -> list[tuple[str, str]]:
    return [
        ("Measure", measure.name),
        ("Project", measure.project.title),
        ("Type", measure.get_measure_type_display()),
        ("Each value is", measure.get_value_type_display()),
        ("Numerator", measure.numerator_definition),
        ("Denominator", measure.denominator_definition),
        ("Included", measure.inclusions),
        ("Excluded", measure.exclusions),
        ("Data source", measure.data_source),
        ("Frequency", measure.get_frequency_display()),
        ("Chart", measure.get_chart_type_display()),
        ("Improvement is", measure.get_direction_display()),
        ("Target", "" if measure.target is None else str(number(measure.target))),
    ]


def measure_xlsx(measure: Measure, points: Sequence[DataPoint]) -> bytes:
    about = [[key, value or ""] for key, value in _about_rows(measure)]
    return xlsx_bytes(
        [Sheet("Data", _data_rows(measure, points)), Sheet("About this measure", about)]
    )


def project_xlsx(measures: Sequence[tuple[Measure, Sequence[DataPoint]]]) -> bytes:
    """Every measure of a project: an index sheet, then one sheet per measure."""
    index: list[Sequence[object]] = [
        ["Sheet", "Measure", "Type", "Each value is", "Frequency", "Chart", "Points"]
    ]
    used: set[str] = {"measures", "data"}
    sheets = []
    for measure, points in measures:
        title = sheet_title(measure.name, used, fallback="Measure")
        sheets.append(Sheet(title, _data_rows(measure, points)))
        index.append(
            [
                title,
                measure.name,
                measure.get_measure_type_display(),
                measure.get_value_type_display(),
                measure.get_frequency_display(),
                measure.get_chart_type_display(),
                len(points),
            ]
        )
    return xlsx_bytes([Sheet("Measures", index), *sheets])


def project_csv(measures: Sequence[tuple[Measure, Sequence[DataPoint]]]) -> bytes:
    """Every measure's data in long format: one row per measure and period."""
    head = ["Measure ID", "Measure", "Date", "Value", "Numerator", "Denominator", "Note"]
    return csv_bytes(
        [
            head,
            *(
                [
                    measure.pk,
                    measure.name,
                    p.period,
                    number(p.value),
                    number(p.numerator),
                    number(p.denominator),
                    p.note,
                ]
                for measure, points in measures
                for p in points
            ),
        ]
    )
