"""Reading measure data from CSV and Excel: layouts, every error kind with its row number."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from qicollab.measures.importing import MeasureShape, parse_date, parse_number, read_rows

MONTHLY = MeasureShape(frequency="monthly")
WEEKLY = MeasureShape(frequency="weekly", week_start=0)
PROPORTION = MeasureShape(
    frequency="monthly", uses_denominator=True, is_proportion=True, whole_numbers=True
)
RATE = MeasureShape(frequency="monthly", uses_denominator=True)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def xlsx_bytes(rows: list[list[object]], title: str = "Data", extra_sheets: int = 0) -> bytes:
    wb = openpyxl.Workbook()
    for i in range(extra_sheets):
        wb.active.title = f"Instructions {i}"
        wb.active.append(["Read me first"])
        wb.create_sheet()
        wb.active = len(wb.worksheets) - 1
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def messages(result: object) -> list[tuple[int | None, str | None, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]  # type: ignore[attr-defined]


# --- plain layout ------------------------------------------------------------------------


def test_plain_csv_reads_values_and_notes() -> None:
    result = read_rows(
        csv_bytes("Date,Value,Note", "01/01/2025,4,", "2025-02-01,5.5,New rota", "1 March 2025,6,"),
        "data.csv",
        MONTHLY,
    )
    assert result.ok, messages(result)
    assert result.layout == "plain"
    assert [(r.row, r.period, r.value, r.note) for r in result.rows] == [
        (2, date(2025, 1, 1), 4.0, ""),
        (3, date(2025, 2, 1), 5.5, "New rota"),
        (4, date(2025, 3, 1), 6.0, ""),
    ]


def test_headings_are_matched_case_insensitively_with_units_in_brackets() -> None:
    result = read_rows(
        csv_bytes(
            "  MONTH ; Numerator (patients) ; Denominator (Discharges) ; COMMENTS",
            "Jan-25;3;10;",
            "Feb-25;4;12;audit late",
        ),
        "data.csv",
        PROPORTION,
    )
    assert result.ok, messages(result)
    assert [(r.numerator, r.denominator, r.note) for r in result.rows] == [
        (3, 10, ""),
        (4, 12, "audit late"),
    ]


def test_headerless_file_is_read_by_position() -> None:
    result = read_rows(csv_bytes("2025-01-01,3,10", "2025-02-01,4,12"), "d.csv", PROPORTION)
    assert result.ok, messages(result)
    assert result.layout == "headerless"
    assert [r.row for r in result.rows] == [1, 2]


def test_monthly_dates_are_snapped_to_the_first_of_the_month() -> None:
    result = read_rows(csv_bytes("Date,Value", "31/01/2025,1", "28/02/2025,2"), "d.csv", MONTHLY)
    assert result.ok
    assert [r.period for r in result.rows] == [date(2025, 1, 1), date(2025, 2, 1)]
    assert result.snapped == 2


def test_rows_with_a_date_and_nothing_else_are_skipped_not_errors() -> None:
    result = read_rows(
        csv_bytes("Date,Value", "01/01/2025,1", "01/02/2025,", "01/03/2025,"), "d.csv", MONTHLY
    )
    assert result.ok
    assert len(result.rows) == 1 and result.skipped_blank == 2


def test_a_note_without_a_value_is_kept_as_a_gap() -> None:
    result = read_rows(csv_bytes("Date,Value,Note", "01/01/2025,,Ward closed"), "d.csv", MONTHLY)
    assert result.ok
    assert result.rows[0].value is None and result.rows[0].note == "Ward closed"


def test_thousands_separators_percent_signs_and_cp1252_text() -> None:
    data = 'Date,Value,Note\n01/01/2025,"1,234",caf\xe9\n01/02/2025,45%,\n'.encode("cp1252")
    result = read_rows(data, "d.csv", MONTHLY)
    assert result.ok, messages(result)
    assert [r.value for r in result.rows] == [1234.0, 45.0]
    assert result.rows[0].note == "café"


# --- each error kind, with its row number ------------------------------------------------


def test_bad_date_names_the_row_and_the_cell() -> None:
    result = read_rows(
        csv_bytes("Date,Value", "01/01/2025,1", "31/02/2025,2", "soon,3"), "d.csv", MONTHLY
    )
    assert not result.ok
    assert [(r, c) for r, c, _ in messages(result)] == [(3, "Date"), (4, "Date")]
    assert "'31/02/2025' is not a real date" in result.errors[0].message
    assert "day/month/year" in result.errors[1].message


def test_us_style_date_gets_a_day_first_hint() -> None:
    result = read_rows(csv_bytes("Date,Value", "03/25/2025,1"), "d.csv", MONTHLY)
    assert "did you mean 25/03/2025" in result.errors[0].message


def test_duplicate_date_points_to_the_first_row() -> None:
    result = read_rows(
        csv_bytes("Date,Value", "01/01/2025,1", "01/02/2025,2", "15/02/2025,3"), "d.csv", MONTHLY
    )
    assert messages(result) == [
        (
            4,
            "Date",
            "1 February 2025 is already on row 3 (15 February 2025 is in that period). "
            "Each period can have only one value.",
        )
    ]


def test_text_in_a_number_column() -> None:
    result = read_rows(csv_bytes("Date,Value", "01/01/2025,n/a"), "d.csv", MONTHLY)
    assert messages(result)[0][:2] == (2, "Value")
    assert "'n/a' is not a number" in result.errors[0].message


def test_numerator_greater_than_denominator() -> None:
    result = read_rows(
        csv_bytes("Date,Numerator,Denominator", "01/01/2025,11,10"), "d.csv", PROPORTION
    )
    assert messages(result)[0][:2] == (2, "Numerator")
    assert "greater than the denominator" in result.errors[0].message


def test_numerator_may_exceed_denominator_for_a_rate() -> None:
    result = read_rows(csv_bytes("Date,Numerator,Denominator", "01/01/2025,11,10"), "d.csv", RATE)
    assert result.ok


def test_events_with_a_zero_denominator_are_refused_but_zero_over_zero_is_a_gap() -> None:
    result = read_rows(
        csv_bytes("Date,Numerator,Denominator", "01/01/2025,0,0", "01/02/2025,2,0"), "d.csv", RATE
    )
    assert messages(result)[0][:2] == (3, "Denominator")
    ok = read_rows(csv_bytes("Date,Numerator,Denominator", "01/01/2025,0,0"), "d.csv", RATE)
    assert ok.ok and ok.rows[0].denominator == 0


def test_negative_count() -> None:
    result = read_rows(
        csv_bytes("Date,Numerator,Denominator", "01/01/2025,-1,10"), "d.csv", PROPORTION
    )
    assert messages(result)[0][:2] == (2, "Numerator")
    assert "negative" in result.errors[0].message


def test_negative_value_allowed_only_for_measurements() -> None:
    assert not read_rows(csv_bytes("Date,Value", "01/01/2025,-2"), "d.csv", MONTHLY).ok
    shape = MeasureShape(frequency="monthly", allow_negative=True)
    assert read_rows(csv_bytes("Date,Value", "01/01/2025,-2"), "d.csv", shape).ok


def test_fractional_count() -> None:
    result = read_rows(
        csv_bytes("Date,Numerator,Denominator", "01/01/2025,2.5,10"), "d.csv", PROPORTION
    )
    assert "not a whole number" in result.errors[0].message


def test_missing_value_where_required() -> None:
    result = read_rows(
        csv_bytes("Date,Numerator,Denominator", "01/01/2025,3,", ",4,5"), "d.csv", PROPORTION
    )
    assert [(r, c) for r, c, _ in messages(result)] == [(2, "Denominator"), (3, "Date")]
    assert "The denominator is missing" in result.errors[0].message
    assert "The date is missing" in result.errors[1].message


def test_weekly_date_off_the_grid_is_reported_with_a_suggestion() -> None:
    result = read_rows(csv_bytes("Date,Value", "03/03/2025,1", "16/03/2025,2"), "d.csv", WEEKLY)
    assert messages(result) == [
        (
            3,
            "Date",
            "16 March 2025 is a Sunday, but this measure's weeks start on a Monday. "
            "Did you mean Monday 10 March 2025 (the start of that week)?",
        )
    ]


def test_month_only_dates_are_refused_for_weekly_measures() -> None:
    result = read_rows(csv_bytes("Date,Value", "Mar-25,1"), "d.csv", WEEKLY)
    assert "names a month" in result.errors[0].message


def test_too_many_rows_is_a_file_error_and_returns_no_rows() -> None:
    shape = MeasureShape(frequency="daily", max_rows=3)
    lines = ["Date,Value"] + [f"2025-01-{d:02d},1" for d in range(1, 6)]
    result = read_rows(csv_bytes(*lines), "d.csv", shape)
    assert not result.ok and result.rows == []
    assert result.errors[0].row is None
    assert "more than 3 rows" in result.errors[0].message


def test_every_bad_row_is_reported_and_nothing_is_ok() -> None:
    result = read_rows(
        csv_bytes("Date,Value", "01/01/2025,1", "bad,2", "01/03/2025,x", "01/04/2025,4"),
        "d.csv",
        MONTHLY,
    )
    assert not result.ok
    assert [e.row for e in result.errors] == [3, 4]
    assert str(result.errors[0]).startswith("Row 3, Date: ")


def test_ratio_measure_needs_numerator_and_denominator_columns() -> None:
    result = read_rows(csv_bytes("Date,Value", "01/01/2025,1"), "d.csv", PROPORTION)
    assert result.errors[0].row is None
    assert "no Numerator or Denominator column" in result.errors[0].message


def test_no_headings_found() -> None:
    result = read_rows(csv_bytes("Ward,Score", "A,1"), "d.csv", MONTHLY)
    assert "could not find the column headings" in result.errors[0].message


def test_unsupported_and_broken_files() -> None:
    assert "Upload a CSV file" in read_rows(b"x", "d.pdf", MONTHLY).errors[0].message
    assert "Old Excel files" in read_rows(b"x", "d.xls", MONTHLY).errors[0].message
    assert (
        "could not open this Excel file"
        in read_rows(b"not a zip", "d.xlsx", MONTHLY).errors[0].message
    )
    assert "empty" in read_rows(b"", "d.csv", MONTHLY).errors[0].message
    assert (
        "no rows of data" in read_rows(csv_bytes("Date,Value"), "d.csv", MONTHLY).errors[0].message
    )


# --- Excel and the Making Data Count layout ----------------------------------------------


def test_xlsx_with_excel_dates_and_numbers() -> None:
    data = xlsx_bytes([["Date", "Value"], [datetime(2025, 1, 1), 3], [datetime(2025, 2, 1), 4.5]])
    result = read_rows(data, "data.xlsx", MONTHLY)
    assert result.ok, messages(result)
    assert [(r.row, r.value) for r in result.rows] == [(2, 3.0), (3, 4.5)]


def test_making_data_count_layout_with_title_rows_target_annotation_rebase_and_ghost() -> None:
    data = xlsx_bytes(
        [
            ["Restrictive practice incidents per 1,000 occupied bed days"],
            [],
            ["Date", "Data", "Target", "Annotation", "Recalculate limits", "Ghost"],
            [datetime(2025, 1, 1), 12.5, 10, None, None, None],
            [datetime(2025, 2, 1), 11.0, 10, "Safety huddles start", "Yes", None],
            [datetime(2025, 3, 1), 30.0, 10, "Data error", None, 1],
            [datetime(2025, 4, 1), None, 10, None, None, None],  # template's future period
        ],
        title="Data",
        extra_sheets=1,
    )
    result = read_rows(data, "SPC tool.xlsm", MONTHLY)
    assert result.ok, messages(result)
    assert result.layout == "mdc" and result.sheet == "Data"
    assert [r.row for r in result.rows] == [4, 5, 6]
    assert result.rows[1].note == "Safety huddles start" and result.rows[1].rebase
    assert result.rows[2].exclude and result.rows[0].target == 10
    assert result.skipped_blank == 1


def test_xlsx_errors_carry_the_spreadsheet_row_number() -> None:
    data = xlsx_bytes([["Title"], ["Date", "Data"], [datetime(2025, 1, 1), "abc"]])
    result = read_rows(data, "d.xlsx", MONTHLY)
    assert messages(result)[0][:2] == (3, "Value")


def test_unclear_flag_value_is_an_error() -> None:
    result = read_rows(csv_bytes("Date,Data,Rebase", "01/01/2025,1,maybe"), "d.csv", MONTHLY)
    assert messages(result)[0][:2] == (2, "Rebase")


# --- cell parsers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-01", date(2025, 3, 1)),
        ("2025-03-01 00:00:00", date(2025, 3, 1)),
        ("1/3/25", date(2025, 3, 1)),
        ("01.03.2025", date(2025, 3, 1)),
        ("1st March 2025", date(2025, 3, 1)),
        ("1 Mar, 2025", date(2025, 3, 1)),
        ("March 2025", date(2025, 3, 1)),
        ("2025-03", date(2025, 3, 1)),
        (45717, date(2025, 3, 1)),
    ],
)
def test_parse_date_formats(text: object, expected: date) -> None:
    assert parse_date(text)[0] == expected


@pytest.mark.parametrize("bad", ["", "1/2", "2025-13-01", True, 3.5, "Smarch 2025"])
def test_parse_date_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_date(bad)


def test_parse_number_rejects_infinity_and_booleans() -> None:
    for bad in ("inf", "nan", True, "1,23"):
        with pytest.raises(ValueError):
            parse_number(bad)


def test_making_data_count_sql_tool_headings() -> None:
    """The MDC SQL/Power BI tool names its columns in CamelCase and snake_case."""
    result = read_rows(
        csv_bytes(
            "Reporting_Period,Measure_Value,Target,RecalculateLimitsFlag,GhostFlag,Annotation",
            "2024-01-31,12,10,0,0,",
            "2024-02-29,11,10,1,0,New rota",
            "2024-03-31,30,10,0,1,Counting error",
        ),
        "spc.csv",
        MONTHLY,
    )
    assert result.ok, messages(result)
    assert result.layout == "mdc"
    assert [(r.period, r.rebase, r.exclude) for r in result.rows] == [
        (date(2024, 1, 1), False, False),
        (date(2024, 2, 1), True, False),
        (date(2024, 3, 1), False, True),
    ]
