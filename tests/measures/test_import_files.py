"""Files that used to be misread: other encodings, swallowed rows, unsaved formulas, zip bombs,
and text that cannot be stored."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import openpyxl
import pytest
from django.test import override_settings

from qicollab.core.uploads import UploadRefused, check_zip_archive
from qicollab.measures.importing import MeasureShape, read_rows

MONTHLY = MeasureShape(frequency="monthly")
TEXT = "Date,Value,Note\n01/01/2025,4,Café opened\n01/02/2025,5,\n"


def xlsx(rows: list[list[Any]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Data"
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        TEXT.encode("utf-8-sig"),
        TEXT.encode("utf-16"),  # with a byte-order mark: Excel's "Unicode text"
        TEXT.encode("utf-16-le"),  # without one
        TEXT.encode("utf-16-be"),
        TEXT.encode("utf-32"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le", "utf-16-be", "utf-32-bom", "cp1252"],
)
def test_text_encodings_are_decoded(data: bytes) -> None:
    result = read_rows(data, "falls.csv", MONTHLY)
    assert result.ok, result.errors
    assert [(r.value, r.note) for r in result.rows] == [(4, "Café opened"), (5, "")]


def test_a_binary_file_named_csv_gets_an_accurate_message() -> None:
    workbook = read_rows(xlsx([["Date", "Value"]]), "falls.csv", MONTHLY)
    assert "Excel workbook (or another zip file) with a .csv name" in str(workbook.errors[0])
    binary = read_rows(b"\x00\x01\x02\xff" * 50, "falls.csv", MONTHLY)
    assert "not plain text (it contains null bytes)" in str(binary.errors[0])
    broken = read_rows(b"\xff\xfe" + b"\x00\xd8" + "Date".encode("utf-16-le"), "a.csv", MONTHLY)
    assert "starts like UTF-16 text but part of it is not" in str(broken.errors[0])


# --- an unbalanced quote -----------------------------------------------------------------------


def test_a_quote_that_swallows_the_next_rows_is_reported_on_its_row() -> None:
    data = (
        b"Date,Value,Note\n"
        b'01/01/2025,4,"Ward closed\n'  # the quote is never closed where the cell ends...
        b"01/02/2025,5,\n"
        b'01/03/2025,6,reopened"\n'  # ...but here, two rows later
        b"01/04/2025,7,\n"
    )
    result = read_rows(data, "falls.csv", MONTHLY)
    assert not result.ok
    (error,) = result.errors
    assert (error.row, error.column) == (2, "Note")
    assert 'A quote mark (") in this row opens a quoted cell' in error.message
    assert "the next 2 rows ('01/02/2025,5,' and more)" in error.message


def test_a_quote_never_closed_is_reported() -> None:
    data = b'Date,Value,Note\n01/01/2025,4,\n01/02/2025,5,"oops\n01/03/2025,6,\n'
    result = read_rows(data, "falls.csv", MONTHLY)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Note")]
    assert "the next row ('01/03/2025,6,')" in result.errors[0].message


def test_a_note_on_several_lines_is_still_one_note() -> None:
    data = b'Date,Value,Note\n01/01/2025,4,"Ward closed\nfor a week, then reopened"\n'
    result = read_rows(data, "falls.csv", MONTHLY)
    assert result.ok and result.rows[0].note == "Ward closed\nfor a week, then reopened"


# --- workbooks whose formulas have no saved results --------------------------------------------


def test_formulas_without_saved_results_are_named_cell_by_cell() -> None:
    # openpyxl writes formulas without their results, as some reporting tools do.
    data = xlsx(
        [
            ["Date", "Value", "Note"],
            ["2025-01-01", 4, None],
            ["2025-02-01", "=B2+1", None],
            ["=DATE(2025,3,1)", "=B3*2", None],
            ["2025-04-01", 3, '="see "&B2'],
        ]
    )
    result = read_rows(data, "falls.xlsx", MONTHLY)
    assert not result.ok
    found = {(e.row, e.column): e.message for e in result.errors}
    assert set(found) == {(3, "Value"), (4, "Date"), (4, "Value"), (5, "Note")}
    assert found[(3, "Value")].startswith(
        "Cell B3 holds a formula (=B2+1) whose result was not saved in the file"
    )
    assert "Cell A4 holds a formula (=DATE(2025,3,1))" in found[(4, "Date")]


def test_formulas_in_columns_that_are_not_imported_do_not_matter() -> None:
    data = xlsx([["Date", "Value", "Mean"], ["2025-01-01", 4, "=AVERAGE(B:B)"]])
    assert read_rows(data, "falls.xlsx", MONTHLY).ok


# --- zip bombs ---------------------------------------------------------------------------------


def _bomb(size: int) -> bytes:
    """A small workbook whose shared strings unpack to ``size`` bytes."""
    base = zipfile.ZipFile(io.BytesIO(xlsx([["Date", "Value"], ["2025-01-01", 4]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in base.infolist():
            z.writestr(info, base.read(info.filename))
        chunk = "<si><t>" + "A" * 1000 + "</t></si>"
        body = "<sst>" + chunk * (size // len(chunk)) + "</sst>"
        z.writestr("xl/sharedStrings.xml", body)
    return out.getvalue()


def test_an_xlsx_zip_bomb_is_refused_quickly() -> None:
    data = _bomb(300 * 1024 * 1024)
    assert len(data) < 1_000_000  # under a megabyte on disk...
    started = time.perf_counter()
    result = read_rows(data, "falls.xlsx", MONTHLY)
    assert time.perf_counter() - started < 0.5  # ...refused without unpacking it
    (error,) = result.errors
    assert error.row is None and "xl/sharedStrings.xml" in error.message
    assert not result.rows


def test_archive_limits_each_name_the_problem() -> None:
    small = _bomb(3 * 1024 * 1024)
    limits = {"max_members": 100, "max_uncompressed": 10**9, "max_member": 10**9}
    with pytest.raises(UploadRefused, match=r"compressed .* times over"):
        check_zip_archive(small, max_ratio=100, **limits)
    assert check_zip_archive(small, max_ratio=10_000, **limits).members > 3
    with pytest.raises(UploadRefused, match="more than the 3 an upload may have"):
        check_zip_archive(small, **{**limits, "max_members": 3}, max_ratio=10_000)
    with pytest.raises(UploadRefused, match="unpacks to 3 MB, more than the 1 MB allowed"):
        check_zip_archive(small, **{**limits, "max_member": 2**20}, max_ratio=10_000)
    with pytest.raises(UploadRefused, match="This workbook unpacks to 3 MB, more than the 2 MB"):
        check_zip_archive(
            small, **{**limits, "max_uncompressed": 2 * 2**20}, max_ratio=10_000, what="workbook"
        )
    with pytest.raises(UploadRefused, match="damaged"):
        check_zip_archive(b"not a zip", **limits, max_ratio=100)


def test_the_archive_limits_are_settings() -> None:
    small = _bomb(3 * 1024 * 1024)
    with (
        override_settings(UPLOAD_ZIP_MAX_RATIO=10_000, UPLOAD_ZIP_MAX_MEMBERS=3),
        pytest.raises(UploadRefused, match="more than the 3 an upload may have"),
    ):
        check_zip_archive(small)
    with override_settings(UPLOAD_ZIP_MAX_RATIO=10_000):
        assert check_zip_archive(small).uncompressed > 3 * 1024 * 1024


# --- text that cannot be stored ----------------------------------------------------------------


def test_a_note_with_a_null_character_is_a_row_error() -> None:
    data = b"Date,Value,Note\n01/01/2025,4,Ward\x00closed\n01/02/2025,5,\n"
    result = read_rows(data, "falls.csv", MONTHLY)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Note")]
    assert "contains a null character (U+0000)" in result.errors[0].message


def test_a_damaged_sheet_is_a_file_error_not_a_crash() -> None:
    # openpyxl writes a lone surrogate as a character reference that no XML parser accepts.
    data = xlsx([["Date", "Value", "Note"], ["2025-01-01", 4, "ok"], ["2025-02-01", 5, "W\udce9"]])
    result = read_rows(data, "falls.xlsx", MONTHLY)
    assert [str(e) for e in result.errors] == [
        "File: Part of this Excel file is damaged and cannot be read (the sheet 'Data'). Open "
        "it in Excel or LibreOffice, save it again as an Excel workbook (.xlsx) or as CSV, and "
        "try again."
    ]
    assert not result.rows
