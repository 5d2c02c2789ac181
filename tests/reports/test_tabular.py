"""The one CSV/XLSX writer: formula prefixes neutralised, numbers kept, unstorable text cleaned."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.http import StreamingHttpResponse

from qicollab.reports.tabular import (
    FORMULA_PREFIXES,
    Cell,
    Sheet,
    csv_bytes,
    csv_stream,
    header,
    neutralise,
    safe_value,
    sheet_title,
    xlsx_bytes,
)

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "@SUM(A1)",
    "-2+3",
    "-2",
    "\t=1+1",
    "\r=1+1",
    "\x00=1+1",  # a NUL in front must not hide the formula
    "=cmd|' /C calc'!A0",
    "ward\x00 closed\x1b",  # control characters XLSX cannot store
    "lone \ud800 surrogate",
]


def read_xlsx(data: bytes) -> dict[str, list[list[Any]]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [list(row) for row in ws.iter_rows()] for ws in wb.worksheets}


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("text", HOSTILE)
def test_text_never_starts_like_a_formula(text: str) -> None:
    out = neutralise(text)
    assert not out.startswith(FORMULA_PREFIXES)
    assert "\x00" not in out and "\x1b" not in out and "\ud800" not in out


def test_numbers_stay_numbers_and_number_strings_are_text() -> None:
    assert safe_value(-2) == -2 and safe_value(-2.5) == -2.5
    assert safe_value(Decimal("-1.50")) == Decimal("-1.50")
    assert safe_value("-2") == "'-2"  # typed by a person: text, neutralised
    assert safe_value(True) is True and safe_value(None) is None
    assert safe_value(float("inf")) is None


def test_aware_datetimes_become_local_wall_clock_time(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/London"
    summer = dt.datetime(2025, 7, 1, 9, 30, tzinfo=dt.UTC)
    assert safe_value(summer) == dt.datetime(2025, 7, 1, 10, 30)


def test_xlsx_has_no_formula_and_keeps_types() -> None:
    rows: list[list[object]] = [
        header(["Text", "Number", "Date", "When", "Money"]),
        *[
            [t, -2, dt.date(2025, 4, 1), dt.datetime(2025, 4, 1, 9), Decimal("1.5")]
            for t in HOSTILE
        ],
    ]
    sheets = read_xlsx(xlsx_bytes([Sheet("Data", rows)]))
    cells = sheets["Data"]
    assert cells[0][0].font.b is True
    for row in cells[1:]:
        text, number, date, when, money = row
        assert text.data_type == "s" and not str(text.value).startswith(FORMULA_PREFIXES)
        assert number.value == -2 and number.data_type == "n"
        assert date.value == dt.datetime(2025, 4, 1) and date.number_format == "yyyy-mm-dd"
        assert when.value == dt.datetime(2025, 4, 1, 9)
        assert money.value == 1.5
    assert cells[1][0].value == "'" + HOSTILE[0]
    assert cells[8][0].value == "'=1+1"  # the NUL removed, then neutralised
    assert cells[10][0].value == "ward closed"


def test_xlsx_several_sheets_with_layout() -> None:
    data = xlsx_bytes(
        [
            Sheet(
                "Summary", [[Cell("Title", bold=True, size=14)], [Cell(0.25, number_format="0%")]]
            ),
            Sheet(
                "Organisations",
                [header(["Name"], fill="E8EDEE", wrap=True), ["=evil"]],
                widths={"A": 40, 2: 12},
                freeze="B2",
            ),
            Sheet("Summary", [["duplicate titles are made unique"]]),
            Sheet("a/b:c*?", [["bad characters replaced"]]),
        ]
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Summary", "Organisations", "Summary (2)", "a b c"]
    s, o = wb["Summary"], wb["Organisations"]
    assert s["A1"].font.sz == 14 and s["A2"].number_format == "0%"
    assert o["A1"].fill.fgColor.rgb.endswith("E8EDEE") and o["A1"].alignment.wrap_text
    assert o.column_dimensions["A"].width == 40 and o.column_dimensions["B"].width == 12
    assert o.freeze_panes == "B2" and o["A2"].value == "'=evil"


def test_sheet_titles_are_valid_unique_and_not_formulas() -> None:
    used: set[str] = set()
    titles = [sheet_title(n, used) for n in ["=SUM(A1)", "=SUM(A1)", "'quoted'", "", "x" * 40]]
    assert titles == ["SUM(A1)", "SUM(A1) (2)", "quoted", "Sheet", "x" * 28]
    assert all(len(t) <= 31 for t in titles)


def test_a_workbook_needs_a_sheet() -> None:
    with pytest.raises(ValueError, match="at least one sheet"):
        xlsx_bytes([])


def test_csv_neutralises_text_and_writes_numbers_plainly() -> None:
    data = csv_bytes(
        [
            ["Text", "Number", "Float", "Date", "Empty"],
            *[[t, -2, 0.1 + 0.2, dt.date(2025, 4, 1), None] for t in HOSTILE],
        ]
    )
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = read_csv(data)
    for row in rows[1:]:
        assert not row[0].startswith(FORMULA_PREFIXES)
        assert row[1:] == ["-2", "0.30000000000000004", "2025-04-01", ""]
    assert rows[1][0] == "'" + HOSTILE[0] and rows[4][0] == "'-2+3"


def test_csv_stream_yields_row_by_row_for_a_streaming_response() -> None:
    def many() -> Any:
        for i in range(10_000):
            yield [f"=row {i}", i]

    chunks = csv_stream(many())
    response = StreamingHttpResponse(chunks, content_type="text/csv")
    body = b"".join(response.streaming_content)  # type: ignore[arg-type]
    rows = read_csv(body)
    assert len(rows) == 10_000 and rows[-1] == ["'=row 9999", "9999"]
