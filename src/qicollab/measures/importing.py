"""Read measure data from CSV and Excel files into validated rows (pure: no Django).

Two layouts are recognised from the column headings (case, spacing and bracketed units
are ignored, so ``Denominator (bed days)`` is a denominator):

* **plain**: a date column and either a value column or numerator and denominator
  columns, with an optional note. A file without headings is read by position:
  date, value[, note] or date, numerator, denominator[, note].
* **Making Data Count**: the layout of NHS England's Making Data Count SPC tools, where
  the value column is called *Data* (or *Value*/*Measure value*), with optional *Target*,
  *Annotation*, *Rebase* / *Recalculate limits* (a new phase starts at this point) and
  *Ghost* (the point is shown but left out of the calculations) columns. The heading row
  need not be the first row: tools often have a title above the table.

Reading is all-or-nothing: :func:`read_rows` returns every valid row *and* every problem,
each with the spreadsheet row number and a reason written for a QI lead; callers write
nothing unless :attr:`ImportResult.ok`.

>>> shape = MeasureShape(frequency="monthly")
>>> result = read_rows(b"Date,Value\\n01/01/2025,4\\n01/02/2025,five\\n", "data.csv", shape)
>>> [(e.row, e.column) for e in result.errors]
[(3, 'Value')]
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from qicollab.core.text import text_problem
from qicollab.measures.periods import PeriodWindow, grid_problem, long_date, snap

__all__ = [
    "IMPORT_COLUMNS",
    "ImportResult",
    "ImportRow",
    "MeasureShape",
    "RowError",
    "check_period",
    "check_point",
    "parse_date",
    "parse_number",
    "read_rows",
]

MAX_NOTE_LENGTH = 500
#: How far down a sheet the heading row is looked for.
HEADER_SEARCH_ROWS = 30

# Accepted headings for each column, after normalisation (see _normalise).
_HEADINGS: dict[str, tuple[str, ...]] = {
    "date": (
        "date",
        "period",
        "period start",
        "period starting",
        "start date",
        "day",
        "week",
        "week commencing",
        "week beginning",
        "week starting",
        "w/c",
        "month",
        "quarter",
        "reporting period",
        "sample date",
        "date of data",
        "date/period",
    ),
    "value": (
        "value",
        "data",
        "measure value",
        "result",
        "values",
        "data value",
        "y",
        "count",
        "rate",
        "percentage",
        "proportion",
        "measure",
    ),
    "numerator": ("numerator", "num", "events", "number of events"),
    "denominator": (
        "denominator",
        "denom",
        "den",
        "opportunities",
        "sample size",
        "n",
        "population",
        "total",
    ),
    "note": ("note", "notes", "annotation", "annotations", "comment", "comments", "narrative"),
    "target": ("target", "targets", "target value"),
    "rebase": (
        "rebase",
        "recalculate",
        "recalculate limits",
        "recalculate limits flag",
        "recalculation",
        "recalc",
        "new phase",
        "phase change",
        "step change",
    ),
    "exclude": (
        "ghost",
        "ghost flag",
        "ghosted",
        "ghost point",
        "exclude",
        "excluded",
        "exclude point",
    ),
}
_HEADING_LOOKUP = {h: col for col, names in _HEADINGS.items() for h in names}
#: What each column is called in messages.
IMPORT_COLUMNS: dict[str, str] = {
    "date": "Date",
    "value": "Value",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "note": "Note",
    "target": "Target",
    "rebase": "Rebase",
    "exclude": "Ghost",
}
_MDC_MARKERS = {"target", "rebase", "exclude"}

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_MONTHS.update(
    {
        name: i + 1
        for i, name in enumerate(
            (
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            )
        )
    }
)
_MONTHS["sept"] = 9

_TRUE = {"1", "y", "yes", "true", "x", "✓", "rebase", "ghost"}
_FALSE = {"", "0", "n", "no", "false", "-"}


@dataclass(frozen=True)
class MeasureShape:
    """What a measure's data must look like (built from the Measure by the caller)."""

    frequency: str
    week_start: int = 0
    #: Numerator and denominator are recorded (p and u charts, or a run/I chart of a ratio).
    uses_denominator: bool = False
    #: The numerator cannot exceed the denominator (a proportion, not a rate).
    is_proportion: bool = False
    #: Values, numerators and denominators must be whole numbers (counts).
    whole_numbers: bool = False
    #: Values may be negative (a measurement such as a change in weight).
    allow_negative: bool = False
    max_rows: int = 5000
    #: The periods data may be recorded for (``None``: any; the pages always set it).
    window: PeriodWindow | None = None


@dataclass(frozen=True)
class ImportRow:
    """One period of valid data. ``row`` is the spreadsheet row number (1 = first row)."""

    row: int
    period: date
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    note: str = ""
    target: float | None = None
    rebase: bool = False
    exclude: bool = False


@dataclass(frozen=True)
class RowError:
    """A problem with one row (``row`` None: the whole file)."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row is not None else "File"
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    """Everything read from one file. Nothing may be written unless :attr:`ok`."""

    layout: str = "plain"
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: Rows with a date but no data (templates often list future periods).
    skipped_blank: int = 0
    #: Monthly/quarterly dates moved to the first day of their period.
    snapped: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def layout_label(self) -> str:
        return {
            "mdc": "Making Data Count SPC tool layout",
            "plain": "a table with a heading row",
            "headerless": "columns without headings, read by position",
        }.get(self.layout, self.layout)

    def file_error(self, message: str) -> ImportResult:
        self.errors.append(RowError(None, None, message))
        return self


class _CellError(ValueError):
    """A cell's content cannot be used; the message is shown to the person."""


# ---------------------------------------------------------------------------------------
# Cell parsing
# ---------------------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+),? (\d{4})$")
_MONTH_Y = re.compile(r"^([a-z]+)[ \-'](\d{2}|\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_EXCEL_EPOCH = date(1899, 12, 30)


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if len(text) == 2 else y


def _make_date(y: int, m: int, d: int, raw: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        hint = ""
        if m > 12 and d <= 12:
            hint = f" Dates are read day first (UK order): did you mean {m:02d}/{d:02d}/{y}?"
        raise _CellError(f"'{raw}' is not a real date.{hint}") from None


def parse_date(value: Any, *, allow_month_only: bool = True) -> tuple[date, bool]:
    """Read a date cell. Returns ``(date, month_only)``; raises ValueError with a reason.

    Accepts Excel dates, ISO dates (2025-03-01), UK dates (01/03/2025, 1.3.25), written
    dates (1 March 2025) and, for monthly and quarterly measures, months (March 2025,
    Mar-25, 2025-03).

    >>> parse_date("01/03/2025")
    (datetime.date(2025, 3, 1), False)
    >>> parse_date("Mar-25")
    (datetime.date(2025, 3, 1), True)
    """
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, bool):
        raise _CellError(f"'{value}' is not a date.")
    if isinstance(value, int | float):
        # An Excel date stored as a plain number (a cell formatted as General).
        if 20000 <= value <= 80000 and float(value).is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(value)), False
        raise _CellError(f"'{_show(value)}' is a number, not a date.")
    raw = str(value).strip()
    text = raw.lower().replace(",", " ").replace("  ", " ").strip()
    if m := _ISO.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), raw), False
    if m := _DMY.match(text):
        return _make_date(_year(m[3]), int(m[2]), int(m[1]), raw), False
    if (m := _D_MONTH_Y.match(text)) and m[2] in _MONTHS:
        return _make_date(int(m[3]), _MONTHS[m[2]], int(m[1]), raw), False
    month: tuple[int, int] | None = None
    if (m := _MONTH_Y.match(text)) and m[1] in _MONTHS:
        month = (_year(m[2]), _MONTHS[m[1]])
    elif (m := _ISO_MONTH.match(text)) and 1 <= int(m[2]) <= 12:
        month = (int(m[1]), int(m[2]))
    if month:
        if not allow_month_only:
            raise _CellError(
                f"'{raw}' names a month, but this measure needs the date of each period "
                "(for example 03/03/2025)."
            )
        return date(month[0], month[1], 1), True
    raise _CellError(
        f"'{raw}' is not a date we recognise. Use day/month/year (for example 01/03/2025) "
        "or 2025-03-01."
    )


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(value: Any, *, percent_ok: bool = True) -> float | None:
    """Read a number cell: ``None`` when blank; raises ValueError when it is not a number.

    >>> parse_number("1,234.5"), parse_number(" 45% "), parse_number("")
    (1234.5, 45.0, None)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _CellError(f"'{value}' is not a number.")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if text == "":
            return None
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        if percent_ok and text.endswith("%"):
            text = text[:-1]
        try:
            number = float(text)
        except ValueError:
            raise _CellError(
                f"'{str(value).strip()}' is not a number. Use digits only, and leave the cell "
                "empty when there is no data."
            ) from None
    if not math.isfinite(number):
        raise _CellError(f"'{value}' is not a number we can chart.")
    return number


def _parse_flag(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _CellError(f"'{value}' is not understood: put Yes (or 1) here, or leave it empty.")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


# ---------------------------------------------------------------------------------------
# File reading
# ---------------------------------------------------------------------------------------


def check_period(day: date, shape: MeasureShape) -> date:
    """The period ``day`` identifies, or ValueError with the reason it cannot be used.

    The one check of a period's date, shared by file imports, the data-entry grid and the
    API: the date must be on the measure's grid (monthly and quarterly dates are snapped
    to the period's first day) and inside the shape's :class:`PeriodWindow`.

    >>> from qicollab.measures.periods import window_for
    >>> w = window_for("monthly", today=date(2026, 12, 7), earliest=date(1990, 1, 1))
    >>> check_period(date(2026, 3, 17), MeasureShape("monthly", window=w))
    datetime.date(2026, 3, 1)
    >>> try:
    ...     check_period(date(2027, 1, 1), MeasureShape("monthly", window=w))
    ... except ValueError as exc:
    ...     print(str(exc)[:64])
    Period 2027-01-01 is after the latest allowed period (December 2
    """
    problem = grid_problem(day, shape.frequency, shape.week_start)
    if problem:
        raise _CellError(problem)
    period = snap(day, shape.frequency, shape.week_start)
    if shape.window is not None and (problem := shape.window.problem(period)):
        raise _CellError(problem)
    return period


def check_point(
    shape: MeasureShape,
    *,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
) -> dict[str, str]:
    """Business checks of one period's numbers: column -> reason (empty when fine).

    Shared by file imports, the data-entry grid and the API's bulk push so that the same
    data is accepted or refused, with the same words, whichever way it arrives.

    >>> check_point(MeasureShape("monthly", uses_denominator=True, is_proportion=True),
    ...             numerator=11, denominator=10)["numerator"][:40]
    'The numerator (11) is greater than the d'
    """
    problems: dict[str, str] = {}
    named = {
        "value": "this measure's values",
        "numerator": "a numerator",
        "denominator": "a denominator",
    }
    given = {"value": value, "numerator": numerator, "denominator": denominator}
    for column, number in given.items():
        if number is None:
            continue
        if not math.isfinite(number):
            problems[column] = f"{number} is not a number we can chart."
        elif number < 0 and not (column == "value" and shape.allow_negative):
            problems[column] = f"{_show(number)} is negative; {named[column]} cannot be below zero."
        elif shape.whole_numbers and not float(number).is_integer():
            problems[column] = (
                f"{_show(number)} is not a whole number; {named[column]} must be a count."
            )
    if problems:
        return problems
    if shape.uses_denominator:
        if (numerator is None) != (denominator is None):
            missing = "denominator" if denominator is None else "numerator"
            problems[missing] = (
                f"The {missing} is missing. Enter both the numerator and the denominator, or "
                "leave both empty for a period with no data."
            )
        elif numerator is not None and denominator is not None:
            if shape.is_proportion and numerator > denominator:
                problems["numerator"] = (
                    f"The numerator ({_show(numerator)}) is greater than the denominator "
                    f"({_show(denominator)}); a proportion cannot be more than 100%."
                )
            elif denominator == 0 and numerator > 0:
                problems["denominator"] = (
                    f"The denominator is 0 but the numerator is {_show(numerator)}; a rate "
                    "needs a denominator above 0. (0 and 0 is fine: a period with no data.)"
                )
    return problems


def _normalise(heading: Any) -> str:
    """'Denominator (bed days)' -> 'denominator'; 'GhostFlag' -> 'ghost flag'."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(heading or "").strip()).lower()
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)  # units in brackets
    text = re.sub(r"[*:_]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


#: Problems found while reading the file, by row number: (cell position, message, whether
#: to report it even when the cell is in a column that is not imported).
RowProblems = dict[int, list[tuple[int, str, bool]]]


class _FileError(ValueError):
    """The whole file cannot be read; the message is shown to the person."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAVE_AS_CSV = (
    "In Excel choose Save As and pick 'CSV UTF-8 (Comma delimited)', then upload that file."
)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark: every other byte of plain text is zero."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) > 0.9 * len(zeros) and other.count(0) < 0.1 * len(other):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without a BOM), UTF-16 or UTF-32 with a BOM
    (Excel's "Unicode text"), UTF-16 without one, or Windows-1252 (older Excel's "CSV").

    Raises :class:`_FileError` with a message for what cannot be text.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise _FileError(
                    f"The file starts like {encoding.upper().replace('-SIG', '')} text but "
                    f"part of it is not. {_SAVE_AS_CSV}"
                ) from None
    if data.startswith(b"PK\x03\x04"):
        raise _FileError(
            "This is an Excel workbook (or another zip file) with a .csv name. Upload it "
            "with its .xlsx name, or save it as CSV."
        )
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None:
            return text
        try:
            # Text with a stray null character: read it, and the cell it is in is reported.
            text = data.decode("utf-8")
            if text.count("\x00") <= max(10, len(text) // 100):
                return text
        except UnicodeDecodeError:
            pass
        raise _FileError(
            "The file is not plain text (it contains null bytes): it may be a spreadsheet "
            f"or another kind of file saved with a .csv name. {_SAVE_AS_CSV}"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class _CsvRows:
    """Rows of a CSV file; the delimiter (comma, semicolon or tab) is read from the first line.

    csv.Sniffer also guesses quoting rules and gets them wrong on notes with quotes in
    them, so only the delimiter is detected; quoting is always Excel's. A quote mark that
    is never closed (or closed rows later) swallows the rows after it into one cell: such a
    cell's lines that look like rows of their own (a date, then the delimiter) are
    reported in :attr:`problems`, not merged.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        first = next((line for line in text.splitlines() if line.strip()), "")
        self.delimiter = max((",", ";", "\t"), key=first.count) if first else ","
        self.problems: RowProblems = {}

    def _looks_like_a_row(self, line: str) -> bool:
        if self.delimiter not in line:
            return False
        first = line.split(self.delimiter, 1)[0].strip().strip('"')
        try:
            parse_date(first)
        except ValueError:
            return False
        return True

    def __iter__(self) -> Iterator[Sequence[Any]]:
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        number = 0
        for row in reader:
            number += 1
            for pos, cell in enumerate(row):
                if "\n" not in cell and "\r" not in cell:
                    continue
                swallowed = [ln for ln in cell.splitlines()[1:] if self._looks_like_a_row(ln)]
                if swallowed:
                    self.problems[number] = [(pos, _swallowed_message(swallowed), True)]
                    break
            yield row


def _swallowed_message(lines: list[str]) -> str:
    n = len(lines)
    shown = lines[0].strip()
    if len(shown) > 40:
        shown = shown[:40] + "…"
    return (
        'A quote mark (") in this row opens a quoted cell that is not closed where the cell '
        f"ends, so the next {'row' if n == 1 else f'{n} rows'} ('{shown}'"
        f"{' and more' if n > 1 else ''}) {'was' if n == 1 else 'were'} read into this cell "
        "instead of as rows of their own. Check the quote marks in this row: a quote inside "
        'a cell must be doubled ("").'
    )


def _sheet_rows(ws: Any) -> Iterator[Sequence[Any]]:
    yield from ws.iter_rows(min_row=1, values_only=True)


_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - ord("A") + 1
    return index - 1


def _uncached_formulas(data: bytes, worksheet_path: str) -> dict[int, dict[int, str]]:
    """Formula cells with no saved result, by row number and column index (0-based).

    A workbook written by a program that does not calculate (openpyxl, some reporting
    tools) has formulas but no results; reading results only, such a cell looks empty,
    and a row of them would be skipped as blank.
    """
    # The archive's size was checked before openpyxl opened it; expat refuses entity bombs.
    from xml.etree.ElementTree import iterparse

    found: dict[int, dict[int, str]] = {}
    with (
        zipfile.ZipFile(io.BytesIO(data)) as archive,
        archive.open(worksheet_path.lstrip("/")) as fh,
    ):
        for _event, el in iterparse(fh):  # noqa: S314
            if el.tag != f"{_MAIN_NS}c":
                continue
            formula = el.find(f"{_MAIN_NS}f")
            if formula is not None:
                value = el.find(f"{_MAIN_NS}v")
                if value is None or not (value.text or "").strip():
                    m = _CELL_REF.match(el.get("r", ""))
                    if m:
                        text = "=" + formula.text if formula.text else "a shared formula"
                        found.setdefault(int(m[2]), {})[_column_index(m[1])] = text
            el.clear()
    return found


def _find_header(
    rows: Iterable[Sequence[Any]],
) -> tuple[int, dict[int, str], list[str], list[Sequence[Any]]]:
    """Find the heading row within the first rows; returns (index, columns, ignored, seen)."""
    seen: list[Sequence[Any]] = []
    for index, row in enumerate(rows):
        seen.append(row)
        mapping: dict[int, str] = {}
        ignored: list[str] = []
        for pos, cell in enumerate(row):
            name = _HEADING_LOOKUP.get(_normalise(cell))
            if name and name not in mapping.values():
                mapping[pos] = name
            elif not _blank(cell):
                ignored.append(str(cell).strip())
        has_data = {"value", "numerator", "denominator"} & set(mapping.values())
        if "date" in mapping.values() and has_data:
            return index, mapping, ignored, seen
        if index + 1 >= HEADER_SEARCH_ROWS:
            break
    return -1, {}, [], seen


def _open_workbook(data: bytes, result: ImportResult) -> Any | None:
    import openpyxl  # local: only spreadsheet uploads need it

    from qicollab.core.uploads import NotAnArchive, UploadRefused, check_zip_archive

    try:
        # An .xlsx is a zip archive: bound what it unpacks to before openpyxl reads any of it.
        check_zip_archive(data, what="workbook")
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except NotAnArchive:
        pass
    except UploadRefused as exc:
        result.file_error(str(exc))
        return None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        pass
    result.file_error(
        "We could not open this Excel file. Save it again as an Excel workbook (.xlsx) "
        "or as CSV, and try again."
    )
    return None


def _formula_problems(data: bytes, ws: Any) -> RowProblems:
    path = getattr(ws, "_worksheet_path", None)
    if not path:
        return {}
    try:
        cells = _uncached_formulas(data, path)
    except (zipfile.BadZipFile, KeyError, OSError, SyntaxError):
        return {}
    problems: RowProblems = {}
    for row, by_column in cells.items():
        for pos, formula in by_column.items():
            ref = f"{_column_letters(pos)}{row}"
            problems.setdefault(row, []).append(
                (
                    pos,
                    f"Cell {ref} holds a formula ({formula}) whose result was not saved in the "
                    "file, so its value cannot be read. Open the workbook in Excel or "
                    "LibreOffice and save it again (that calculates the formulas), or paste "
                    "the values only.",
                    False,
                )
            )
    return problems


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_rows(data: bytes, filename: str, shape: MeasureShape) -> ImportResult:
    """Parse and validate a CSV or Excel file for a measure of the given shape."""
    result = ImportResult()
    name = filename.lower()
    if not data:
        return result.file_error("The file is empty.")
    if name.endswith((".xlsx", ".xlsm")):
        wb = _open_workbook(data, result)
        if wb is None:
            return result
        try:
            sheets = sorted(wb.worksheets, key=lambda s: s.title.strip().lower() != "data")
            for ws in sheets:
                rows = _sheet_rows(ws)
                header = _find_header(rows)
                if header[0] >= 0:
                    result.sheet = ws.title
                    problems = _formula_problems(data, ws)
                    return _read_table(rows, header, shape, result, problems=problems)
            return result.file_error(_no_header_message(shape, sheets=True))
        except (SyntaxError, ValueError, KeyError, TypeError, OSError, zipfile.BadZipFile):
            # Sheets are read as they are parsed: a damaged one (malformed XML, a character
            # reference to no character) fails half-way through.
            result.rows.clear()
            result.errors.clear()
            return result.file_error(
                "Part of this Excel file is damaged and cannot be read"
                + (f" (the sheet '{result.sheet}')" if result.sheet else "")
                + ". Open it in Excel or LibreOffice, save it again as an Excel workbook "
                "(.xlsx) or as CSV, and try again."
            )
        finally:
            wb.close()
    if name.endswith(".xls"):
        return result.file_error(
            "Old Excel files (.xls) cannot be read. In Excel choose Save As and pick "
            "'Excel Workbook (.xlsx)' or 'CSV', then upload that file."
        )
    if not name.endswith((".csv", ".txt", ".tsv")):
        return result.file_error("Upload a CSV file (.csv) or an Excel workbook (.xlsx).")
    try:
        source = _CsvRows(_decode(data))
    except _FileError as exc:
        return result.file_error(str(exc))
    csv_problems = source.problems  # filled as the rows are read
    rows = iter(source)
    header = _find_header(rows)
    if header[0] >= 0:
        return _read_table(rows, header, shape, result, problems=csv_problems)
    # No headings: read by position if the first non-empty row starts with a date.
    seen = [r for r in header[3] if any(not _blank(c) for c in r)]
    if seen:
        try:
            parse_date(seen[0][0])
        except ValueError:
            return result.file_error(_no_header_message(shape))
        cols = (
            ["date", "numerator", "denominator", "note"]
            if shape.uses_denominator
            else ["date", "value", "note"]
        )
        mapping = dict(enumerate(cols))
        result.layout = "headerless"
        start = header[3].index(seen[0])
        return _read_table(
            iter(header[3][start:] + list(rows)),
            (-1, mapping, [], []),
            shape,
            result,
            first_row_number=start + 1,
            problems=csv_problems,
        )
    return result.file_error(_no_header_message(shape))


def _no_header_message(shape: MeasureShape, sheets: bool = False) -> str:
    cols = (
        "Date, Numerator, Denominator and Note"
        if shape.uses_denominator
        else ("Date, Value and Note")
    )
    where = " on any sheet" if sheets else ""
    return (
        f"We could not find the column headings{where}. The table needs a heading row "
        f"naming its columns, for example {cols} (a Making Data Count tool's Date, Data, "
        "Target and Annotation columns also work)."
    )


def _read_table(
    rows: Iterator[Sequence[Any]],
    header: tuple[int, dict[int, str], list[str], list[Sequence[Any]]],
    shape: MeasureShape,
    result: ImportResult,
    first_row_number: int | None = None,
    problems: RowProblems | None = None,
) -> ImportResult:
    index, mapping, ignored, _seen = header
    problems = {} if problems is None else problems
    names = set(mapping.values())
    if result.layout != "headerless":
        result.layout = "mdc" if (names & _MDC_MARKERS or _uses_data_heading(header)) else "plain"
    result.columns = {IMPORT_COLUMNS[n]: n for n in mapping.values()}
    result.ignored_columns = ignored
    if shape.uses_denominator:
        missing = [IMPORT_COLUMNS[c] for c in ("numerator", "denominator") if c not in names]
        if missing:
            return result.file_error(
                "This measure is recorded as a numerator and a denominator, but the file has "
                f"no {' or '.join(missing)} column. Add {' and '.join(missing)} columns "
                "(the value is calculated from them)."
            )
        if "value" in names:
            result.ignored_columns.append("Value (calculated from the numerator and denominator)")
    elif "value" not in names:
        return result.file_error(
            "This measure records one value per period, but the file has no Value (or Data) column."
        )
    row_number = first_row_number if first_row_number is not None else index + 2
    first_seen: dict[date, int] = {}
    count = 0
    for raw in rows:
        number = row_number
        row_number += 1
        cells = {name: (raw[pos] if pos < len(raw) else None) for pos, name in mapping.items()}
        # A cell that could not be read (an unsaved formula result, a quote that swallowed
        # the next rows) makes the row an error, even if it looks empty.
        found = [
            (IMPORT_COLUMNS[mapping[pos]] if pos in mapping else None, message)
            for pos, message, always in problems.get(number) or ()
            if always or pos in mapping
        ]
        if found:
            count += 1
            result.errors.extend(RowError(number, column, message) for column, message in found)
            continue
        if all(_blank(v) for v in cells.values()):
            continue
        count += 1
        if count > shape.max_rows:
            result.rows.clear()
            return result.file_error(
                f"The file has more than {shape.max_rows:,} rows of data, the most one upload "
                "can hold. Split it into smaller files, or send it through the API's bulk push."
            )
        row = _read_row(number, cells, shape, result, first_seen)
        if row is not None:
            result.rows.append(row)
    if not result.rows and not result.errors:
        result.file_error("The file has headings but no rows of data.")
    return result


def _uses_data_heading(header: tuple[int, dict[int, str], list[str], list[Sequence[Any]]]) -> bool:
    index, mapping, _ignored, seen = header
    heading_row = seen[index] if 0 <= index < len(seen) else []
    return any(
        name == "value" and _normalise(heading_row[pos]) == "data" for pos, name in mapping.items()
    )


def _read_row(
    number: int,
    cells: dict[str, Any],
    shape: MeasureShape,
    result: ImportResult,
    first_seen: dict[date, int],
) -> ImportRow | None:
    errors_before = len(result.errors)

    def error(column: str | None, message: str) -> None:
        result.errors.append(RowError(number, IMPORT_COLUMNS.get(column or "", column), message))

    # The date: required, real, on the measure's grid, in the allowed window (checked once
    # the row is known to hold data: templates list future periods) and not repeated.
    period: date | None = None
    outside_window: str | None = None
    if _blank(cells.get("date")):
        error("date", "The date is missing. Every row of data needs the date of its period.")
    else:
        try:
            parsed, _month_only = parse_date(
                cells["date"], allow_month_only=shape.frequency in ("monthly", "quarterly")
            )
        except ValueError as exc:
            error("date", str(exc))
        else:
            problem = grid_problem(parsed, shape.frequency, shape.week_start)
            if problem:
                error("date", problem)
            else:
                period = snap(parsed, shape.frequency, shape.week_start)
                if period != parsed:
                    result.snapped += 1
                if shape.window is not None:
                    outside_window = shape.window.problem(period)
                if period in first_seen:
                    same = "" if period == parsed else f" ({long_date(parsed)} is in that period)"
                    error(
                        "date",
                        f"{long_date(period)} is already on row {first_seen[period]}{same}. "
                        "Each period can have only one value.",
                    )
                else:
                    first_seen[period] = number

    def number_cell(column: str) -> float | None:
        if column not in cells:
            return None
        try:
            return parse_number(cells[column], percent_ok=column == "value")
        except ValueError as exc:
            error(column, str(exc))
            return None

    value = numerator = denominator = None
    if shape.uses_denominator:
        numerator, denominator = number_cell("numerator"), number_cell("denominator")
    else:
        value = number_cell("value")
    target = number_cell("target")
    note = "" if _blank(cells.get("note")) else str(cells["note"]).strip()
    if note[:1] == "'" and note[1:2] in ("=", "+", "-", "@"):
        note = note[1:]  # our exports guard formula-like text with an apostrophe
    if len(note) > MAX_NOTE_LENGTH:
        error("note", f"The note is {len(note)} characters long; the limit is {MAX_NOTE_LENGTH}.")
    elif unstorable := text_problem(note, what="The note"):
        error("note", unstorable)
    flags: dict[str, bool] = {}
    for column in ("rebase", "exclude"):
        try:
            flags[column] = _parse_flag(cells.get(column))
        except ValueError as exc:
            error(column, str(exc))
    if len(result.errors) > errors_before:
        return None
    problems = check_point(shape, value=value, numerator=numerator, denominator=denominator)
    if target is not None and target < 0 and not shape.allow_negative:
        problems["target"] = f"{_show(target)} is negative; a target cannot be below zero."
    for column, message in problems.items():
        error(column, message)
    if problems:
        return None
    has_data = value is not None or numerator is not None
    if not has_data and not note and not any(flags.values()):
        # A date with nothing else: templates list future periods in advance.
        result.skipped_blank += 1
        if period is not None:
            del first_seen[period]
        return None
    if outside_window:
        error("date", outside_window)
        return None
    assert period is not None
    return ImportRow(
        row=number,
        period=period,
        value=value,
        numerator=numerator,
        denominator=denominator,
        note=note,
        target=target,
        rebase=flags.get("rebase", False),
        exclude=flags.get("exclude", False),
    )
