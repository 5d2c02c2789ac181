"""Export measure data to CSV and Excel in the layout the importer reads back unchanged.

Dates are ISO (2025-03-01), numbers are written exactly (``repr`` of the stored float) and
text that a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP's
advice against CSV injection); the importer removes that apostrophe again, so exporting
and then importing a file changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from qicollab.measures.models import DataPoint, Measure, ValueType

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(text: str) -> str:
    """Neutralise text a spreadsheet would treat as a formula.

    >>> safe_text("=HYPERLINK(...)"), safe_text("ward closed")
    ("'=HYPERLINK(...)", 'ward closed')
    """
    return "'" + text if text.startswith(FORMULA_START) else text


def number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _csv_number(value: float | None) -> str:
    n = number(value)
    return "" if n is None else (str(n) if isinstance(n, int) else repr(n))


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
                    _calculated(measure, p),
                    safe_text(p.note),
                ]
            )
        else:
            out.append([p.period, number(p.value), safe_text(p.note)])
    return out


def measure_csv(measure: Measure, points: Iterable[DataPoint]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headings(measure))
    for row in rows(measure, points):
        w.writerow(
            [row[0].isoformat()] + [v if isinstance(v, str) else _csv_number(v) for v in row[1:]]
        )
    # A byte-order mark so Excel opens the file as UTF-8 (names, notes with accents).
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _sheet_title(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:28] or "Measure"
    title, n = base, 2
    while title.lower() in used or title.lower() == "data":
        title = f"{base[:25]} ({n})"
        n += 1
    used.add(title.lower())
    return title


def _write_sheet(ws: Any, measure: Measure, points: Sequence[DataPoint]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)
    header = []
    for h in headings(measure):
        c = WriteOnlyCell(ws, value=h)
        c.font = bold
        header.append(c)
    ws.append(header)
    for row in rows(measure, points):
        cells = []
        for i, v in enumerate(row):
            c = WriteOnlyCell(ws, value=v)
            if i == 0:
                c.number_format = "yyyy-mm-dd"
            elif isinstance(v, str):
                c.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(c)
        ws.append(cells)


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
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    _write_sheet(wb.create_sheet("Data"), measure, points)
    about = wb.create_sheet("About this measure")
    for key, value in _about_rows(measure):
        about.append([key, safe_text(value or "")])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def project_xlsx(measures: Sequence[tuple[Measure, Sequence[DataPoint]]]) -> bytes:
    """Every measure of a project: an index sheet, then one sheet per measure."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    index = wb.create_sheet("Measures")
    index.append(["Sheet", "Measure", "Type", "Each value is", "Frequency", "Chart", "Points"])
    used: set[str] = {"measures"}
    sheets = []
    for measure, points in measures:
        title = _sheet_title(measure.name, used)
        sheets.append((title, measure, points))
        index.append(
            [
                title,
                safe_text(measure.name),
                measure.get_measure_type_display(),
                measure.get_value_type_display(),
                measure.get_frequency_display(),
                measure.get_chart_type_display(),
                len(points),
            ]
        )
    for title, measure, points in sheets:
        _write_sheet(wb.create_sheet(title), measure, points)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def project_csv(measures: Sequence[tuple[Measure, Sequence[DataPoint]]]) -> bytes:
    """Every measure's data in long format: one row per measure and period."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["Measure ID", "Measure", "Date", "Value", "Numerator", "Denominator", "Note"])
    for measure, points in measures:
        for p in points:
            w.writerow(
                [
                    measure.pk,
                    safe_text(measure.name),
                    p.period.isoformat(),
                    _csv_number(p.value),
                    _csv_number(p.numerator),
                    _csv_number(p.denominator),
                    safe_text(p.note),
                ]
            )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
