"""The one writer for every CSV and Excel file the platform produces.

Every cell passes through :func:`safe_value`, so no export can hand a spreadsheet a live
formula or a character it cannot store:

* text that a spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return) gets a leading apostrophe, as OWASP advises against CSV
  injection. The measures importer removes that apostrophe again, so a round trip through a
  spreadsheet changes nothing;
* real numbers (``int``, ``float``, ``Decimal``) stay numbers: a negative *number* is not a
  formula, but a negative-looking *string* typed by a person is neutralised like any text;
* control characters that XML 1.0 (and so XLSX) cannot hold -- NUL included -- and lone
  surrogates are removed rather than failing the whole download;
* dates and times are written as dates (ISO 8601 in CSV); ``None`` is an empty cell.

Workbooks are written with openpyxl's write-only mode (rows stream to the file, so a large
export needs little memory) and may have several sheets. CSV files start with a byte-order
mark so Excel reads them as UTF-8; :func:`csv_stream` yields a large CSV row by row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# XML 1.0 forbids C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF; lone surrogates
# cannot be encoded as UTF-8 at all. openpyxl raises on the first, the encoder on the second.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")

#: A value a cell may hold after :func:`safe_value`.
Scalar = str | int | float | Decimal | bool | dt.date | dt.datetime | None


def clean_text(text: str) -> str:
    """Remove the characters a workbook cannot store (control characters, NUL, surrogates).

    >>> clean_text("ward\\x00 closed\\x1b")
    'ward closed'
    >>> clean_text("line one\\nline two\\tend")
    'line one\\nline two\\tend'
    """
    return _UNSTORABLE.sub("", text)


def neutralise(text: str) -> str:
    """Clean *text* and stop a spreadsheet treating it as a formula.

    >>> neutralise('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise("-2+3"), neutralise("@SUM(A1)"), neutralise("ward closed")
    ("'-2+3", "'@SUM(A1)", 'ward closed')
    >>> neutralise("\\x00=1+1")  # the NUL goes first, so it cannot hide the formula
    "'=1+1"
    """
    text = clean_text(text)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def safe_value(value: object) -> Scalar:
    """The value as it may be written to a cell: numbers and dates kept, text neutralised.

    >>> safe_value(-2), safe_value("-2"), safe_value(None), safe_value(Decimal("1.50"))
    (-2, "'-2", None, Decimal('1.50'))
    >>> safe_value(dt.date(2025, 4, 1)), safe_value(float("nan"))
    (datetime.date(2025, 4, 1), None)

    A spreadsheet cannot hold a time zone, so an aware time becomes local wall-clock time.
    Anything else is written as its text, neutralised.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Cell):
        return safe_value(value.value)
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        # NaN and infinity have no spreadsheet form: an empty cell, not a broken file.
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    return neutralise(str(value))


@dataclass(frozen=True)
class Cell:
    """A value with how a workbook shows it; CSV writes the value alone.

    >>> Cell(0.6, number_format="0%").value
    0.6
    """

    value: object
    bold: bool = False
    size: float | None = None
    fill: str | None = None  # an RGB hex colour, e.g. "E8EDEE"
    wrap: bool = False
    number_format: str | None = None


def header(names: Iterable[object], *, fill: str | None = None, wrap: bool = False) -> list[Cell]:
    """A bold heading row.

    >>> [c.value for c in header(["Date", "Value"])], header(["Date"])[0].bold
    (['Date', 'Value'], True)
    """
    return [Cell(n, bold=True, fill=fill, wrap=wrap) for n in names]


@dataclass
class Sheet:
    """One worksheet: a title, its rows (any iterable, consumed once) and its layout.

    ``widths`` maps columns (a letter, or a number counting from 1) to widths; ``freeze``
    is the top-left cell that stays in view when scrolling (``"B2"`` keeps the first row
    and column).
    """

    title: str
    rows: Iterable[Sequence[object]]
    widths: Mapping[str | int, float] = field(default_factory=dict)
    freeze: str | None = None


def sheet_title(name: str, used: set[str], *, fallback: str = "Sheet") -> str:
    """A valid, unique worksheet title for *name*; records it (lower case) in *used*.

    Excel forbids ``[]:*?/\\``, a leading or trailing apostrophe and more than 31
    characters; the title is also shown in cells (an index sheet), so it does not begin
    with a formula prefix either.

    >>> used = {"measures"}
    >>> sheet_title("Falls: per 1,000 bed days", used), sheet_title("=Measures", used)
    ('Falls  per 1,000 bed days', 'Measures (2)')
    """
    base = _SHEET_TITLE_BAD.sub(" ", clean_text(name))
    base = base.lstrip("".join(FORMULA_PREFIXES) + "' ").rstrip("' ")[:28].strip() or fallback
    title, n = base, 2
    while title.lower() in used:
        title = f"{base[:25]} ({n})"
        n += 1
    used.add(title.lower())
    return title


def _valid_title(title: str) -> bool:
    return (
        0 < len(title) <= 31
        and not _SHEET_TITLE_BAD.search(title)
        and clean_text(title) == title
        and not title.startswith(("'", *FORMULA_PREFIXES))
        and not title.endswith("'")
    )


# --- CSV ----------------------------------------------------------------------------------


def _csv_text(value: object) -> str:
    v = safe_value(value)
    if v is None:
        return ""
    if isinstance(v, dt.date):  # datetime too
        return v.isoformat()
    if isinstance(v, float):
        return repr(v)  # the shortest text that reads back as the same float
    return str(v)


class _Line:
    """A file-like sink that hands back what the csv module wrote, one row at a time."""

    def write(self, text: str) -> str:
        return text


def csv_stream(rows: Iterable[Sequence[object]], *, bom: bool = True) -> Iterator[bytes]:
    """Yield a CSV file row by row (for a ``StreamingHttpResponse``), every cell made safe.

    >>> b"".join(csv_stream([["Name", "Count"], ["=1+1", -2]], bom=False))
    b"Name,Count\\r\\n'=1+1,-2\\r\\n"
    """
    writer = csv.writer(_Line(), lineterminator="\r\n")
    if bom:
        # A byte-order mark so Excel opens the file as UTF-8 (names with accents, en dashes).
        yield "\ufeff".encode()
    for row in rows:
        yield str(writer.writerow([_csv_text(v) for v in row])).encode("utf-8")


def csv_bytes(rows: Iterable[Sequence[object]], *, bom: bool = True) -> bytes:
    """A whole CSV file, every cell made safe.

    >>> csv_bytes([["Note", "Value"], ["@SUM(A1)", None]], bom=False)
    b"Note,Value\\r\\n'@SUM(A1),\\r\\n"
    """
    return b"".join(csv_stream(rows, bom=bom))


# --- XLSX ---------------------------------------------------------------------------------

_DEFAULT_FORMATS: dict[type, str] = {dt.datetime: "yyyy-mm-dd hh:mm", dt.date: "yyyy-mm-dd"}


class _Styles:
    """openpyxl style objects, made once per distinct look."""

    def __init__(self) -> None:
        self._fonts: dict[tuple[bool, float | None], Any] = {}
        self._fills: dict[str, Any] = {}
        self._wrap: Any = None

    def font(self, bold: bool, size: float | None) -> Any:
        from openpyxl.styles import Font

        key = (bold, size)
        if key not in self._fonts:
            self._fonts[key] = Font(bold=bold, size=size)
        return self._fonts[key]

    def fill(self, colour: str) -> Any:
        from openpyxl.styles import PatternFill

        if colour not in self._fills:
            self._fills[colour] = PatternFill("solid", fgColor=colour)
        return self._fills[colour]

    def wrap(self) -> Any:
        from openpyxl.styles import Alignment

        if self._wrap is None:
            self._wrap = Alignment(wrap_text=True, vertical="top")
        return self._wrap


def _xlsx_cell(ws: Any, value: object, styles: _Styles) -> Any:
    from openpyxl.cell import WriteOnlyCell

    look = value if isinstance(value, Cell) else None
    v = safe_value(value)
    cell = WriteOnlyCell(ws, value=v)
    if isinstance(v, str):
        cell.data_type = "s"  # never a formula, whatever the text is
    number_format = look.number_format if look else None
    if number_format is None and isinstance(v, dt.date):
        number_format = _DEFAULT_FORMATS[dt.datetime if isinstance(v, dt.datetime) else dt.date]
    if number_format:
        cell.number_format = number_format
    if look is not None:
        if look.bold or look.size:
            cell.font = styles.font(look.bold, look.size)
        if look.fill:
            cell.fill = styles.fill(look.fill)
        if look.wrap:
            cell.alignment = styles.wrap()
    return cell


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one worksheet per :class:`Sheet`, every cell made safe.

    >>> import openpyxl
    >>> data = xlsx_bytes([Sheet("Data", [header(["Organisation"]), ["=HYPERLINK(1)"]])])
    >>> ws = openpyxl.load_workbook(io.BytesIO(data))["Data"]
    >>> ws["A2"].value, ws["A2"].data_type, ws["A1"].font.b
    ("'=HYPERLINK(1)", 's', True)
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    if not sheets:
        raise ValueError("A workbook needs at least one sheet.")
    wb = Workbook(write_only=True)
    styles = _Styles()
    used: set[str] = set()
    for sheet in sheets:
        title = sheet.title
        if _valid_title(title) and title.lower() not in used:
            used.add(title.lower())
        else:
            title = sheet_title(title, used)
        ws = wb.create_sheet(title)
        # Write-only sheets take their layout before the first row.
        for column, width in sheet.widths.items():
            letter = get_column_letter(column) if isinstance(column, int) else column
            ws.column_dimensions[letter].width = width
        if sheet.freeze:
            ws.freeze_panes = sheet.freeze
        for row in sheet.rows:
            ws.append([_xlsx_cell(ws, v, styles) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
