"""Periods must lie in the allowed window at every entry point, and period arithmetic is total.

The window runs from the period containing ``MEASURE_PERIOD_EARLIEST`` (1 January 1990)
to the one containing today plus ``MEASURE_PERIOD_DAYS_AHEAD`` days (0: the current
period). One check (:func:`qicollab.measures.importing.check_period`) serves the grid,
file imports and the API's single and bulk pushes, with the same words.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from qicollab.measures import services as ms
from qicollab.measures.importing import MeasureShape, read_rows
from qicollab.measures.models import ChartEvent, DataPoint, Measure
from qicollab.measures.periods import (
    FREQUENCIES,
    add_periods,
    period_end,
    period_label,
    period_range,
    snap,
    window_for,
)
from qicollab.measures.spc_adapter import measure_shape
from tests.measures.conftest import fill
from tests.measures.test_api import send, token_client

FAR = "Period 9999-12-01 is after the latest allowed period ("


def _this_month() -> date:
    return snap(timezone.localdate(), "monthly")


def _next_month() -> date:
    return add_periods(_this_month(), "monthly", 1)


# --- period arithmetic on any storable date (no database) -----------------------------------


@pytest.mark.parametrize("frequency", FREQUENCIES)
@pytest.mark.parametrize("week_start", [0, 3, 6])
def test_period_arithmetic_never_raises_at_the_ends_of_the_calendar(
    frequency: str, week_start: int
) -> None:
    for day in (date.min, date(1, 1, 7), date(9999, 12, 1), date(9999, 12, 27), date.max):
        start = snap(day, frequency, week_start)
        assert date.min <= start <= day
        assert add_periods(start, frequency, 1) >= start
        assert add_periods(start, frequency, -1) <= start
        assert add_periods(start, frequency, 10**7) == date.max
        assert add_periods(start, frequency, -(10**7)) == date.min
        assert period_end(start, frequency) >= start
        assert period_label(start, frequency)
    assert period_range(date(9999, 1, 1), date.max, frequency, week_start)[-1] <= date.max
    assert period_range(date.min, date(1, 2, 1), frequency, week_start)[0] == date.min


def test_the_last_periods_end_on_the_last_day() -> None:
    assert period_end(date(9999, 12, 1), "monthly") == date.max
    assert period_end(date(9999, 10, 1), "quarterly") == date.max
    assert period_end(date.max, "daily") == date.max
    assert period_range(date(9999, 10, 1), date.max, "monthly") == [
        date(9999, 10, 1),
        date(9999, 11, 1),
        date(9999, 12, 1),
    ]


def test_window_messages_name_the_period_and_the_limit() -> None:
    w = window_for("monthly", today=date(2026, 12, 7), earliest=date(1990, 1, 1))
    assert (w.earliest, w.latest) == (date(1990, 1, 1), date(2026, 12, 1))
    assert w.problem(date(9999, 12, 1)) == (
        "Period 9999-12-01 is after the latest allowed period (December 2026). Data cannot be "
        "recorded for a period that has not started yet: check the year."
    )
    assert w.problem(date(1899, 12, 1)) == (
        "Period 1899-12-01 is before the earliest allowed period (January 1990): check the year."
    )
    ahead = window_for("weekly", today=date(2026, 12, 7), earliest=date(1990, 1, 1), ahead_days=7)
    assert ahead.latest == date(2026, 12, 14)
    assert "up to 7 days ahead" in (ahead.problem(date(2026, 12, 21)) or "")


def test_an_import_refuses_periods_that_have_not_started() -> None:
    w = window_for("monthly", today=date(2026, 12, 7), earliest=date(1990, 1, 1))
    shape = MeasureShape("monthly", window=w)
    data = (
        b"Date,Value,Note\n"
        b"01/11/2026,4,\n"
        b"01/12/2026,5,so far\n"
        b"01/01/2027,6,\n"  # next month: has not started
        b"01/02/2027,,\n"  # a template's blank future row: skipped, not an error
        b"01/12/9999,7,\n"
        b"01/06/1066,1,\n"
    )
    result = read_rows(data, "falls.csv", shape)
    assert [(e.row, e.column) for e in result.errors] == [(4, "Date"), (6, "Date"), (7, "Date")]
    assert result.errors[0].message.startswith(
        "Period 2027-01-01 is after the latest allowed period (December 2026)."
    )
    assert result.errors[1].message.startswith(FAR)
    assert "before the earliest allowed period (January 1990)" in result.errors[2].message
    assert result.skipped_blank == 1 and not result.ok


# --- every entry point ------------------------------------------------------------------------


@pytest.mark.django_db
def test_file_imports_refuse_far_and_future_periods(
    count_measure: Measure, world: Any, login: Any
) -> None:
    client = login(world.people["staff_a"])
    url = reverse("measures:data_import", args=[count_measure.project.slug, count_measure.pk])
    nxt = _next_month()
    csv_data = f"Date,Value\n2024-01-01,3\n{nxt.isoformat()},4\n9999-12-01,5\n".encode()
    page = client.post(url, {"file": SimpleUploadedFile("d.csv", csv_data)}).content.decode()
    assert "Row 3, Date: Period " + nxt.isoformat() + " is after the latest allowed" in page
    assert "Row 4, Date: " + FAR in page
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Date", "Value"])
    ws.append([date(2024, 1, 1), 3])
    ws.append([date(9999, 12, 1), 5])
    buf = io.BytesIO()
    wb.save(buf)
    page = client.post(url, {"file": SimpleUploadedFile("d.xlsx", buf.getvalue())}).content.decode()
    assert "Row 3, Date: " + FAR in page
    assert not DataPoint.objects.filter(measure=count_measure).exists()


@pytest.mark.django_db
def test_the_api_refuses_far_and_future_periods(count_measure: Measure, world: Any) -> None:
    client = token_client(world.people["staff_a"])
    single = send(
        client,
        "put",
        f"/api/measures/{count_measure.pk}/points",
        {"points": [{"period": "2024-01-01", "value": 1}, {"period": "9999-12-01", "value": 2}]},
    )
    assert single.status_code == 422
    (error,) = single.json()["errors"]
    assert (error["index"], error["field"]) == (1, "period")
    assert error["message"].startswith(FAR)
    bulk = send(
        client,
        "post",
        "/api/measures/points/bulk",
        {"points": [{"measure": count_measure.pk, "period": str(_next_month()), "value": 2}]},
    )
    assert bulk.status_code == 422
    assert "has not started yet" in bulk.json()["errors"][0]["message"]
    assert not DataPoint.objects.filter(measure=count_measure).exists()
    # The current period is allowed: data "so far" this month.
    ok = send(
        client,
        "put",
        f"/api/measures/{count_measure.pk}/points",
        {"points": [{"period": str(_this_month()), "value": 2}]},
    )
    assert ok.status_code == 200, ok.content


@pytest.mark.django_db
def test_the_grid_refuses_a_far_period(count_measure: Measure, world: Any, login: Any) -> None:
    client = login(world.people["staff_a"])
    key = "9999-12-01"
    cell = reverse("measures:data_cell", args=[count_measure.project.slug, count_measure.pk, key])
    body = client.post(
        cell, {f"value-{key}": "3", f"note-{key}": ""}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Not saved" in body and FAR in body
    with pytest.raises(ms.MeasureError, match="after the latest allowed period"):
        ms.datapoint_save(
            actor=world.people["staff_a"], measure=count_measure, period=_next_month(), value=1
        )
    assert not DataPoint.objects.filter(measure=count_measure).exists()


@pytest.mark.django_db
def test_a_stored_far_point_can_be_cleared_from_the_grid(
    count_measure: Measure, world: Any, login: Any
) -> None:
    fill(count_measure, world.people["staff_a"], [3, 4, 5])
    DataPoint.objects.create(measure=count_measure, period=date(9999, 12, 1), value=9)
    client = login(world.people["staff_a"])
    grid = reverse("measures:data_grid", args=[count_measure.project.slug, count_measure.pk])
    page = client.get(grid).content.decode()
    assert "1 stored period is outside the periods data can be recorded for" in page
    assert 'name="value-9999-12-01"' in page and "(outside the allowed periods)" in page
    # The current period is still the last row of the normal window.
    assert f'name="value-{_this_month().isoformat()}"' in page
    key = "9999-12-01"
    cell = reverse("measures:data_cell", args=[count_measure.project.slug, count_measure.pk, key])
    client.post(cell, {f"value-{key}": "", f"note-{key}": ""}, HTTP_HX_REQUEST="true")
    assert not DataPoint.objects.filter(measure=count_measure, period=date(9999, 12, 1)).exists()
    assert DataPoint.objects.filter(measure=count_measure).count() == 3


@pytest.mark.django_db
def test_chart_decisions_and_bundle_audits_refuse_far_dates(
    count_measure: Measure, project: Any, world: Any
) -> None:
    actor = world.people["staff_a"]
    with pytest.raises(ms.MeasureError, match="after the latest allowed period") as exc:
        ms.chart_event_add(actor=actor, measure=count_measure, kind="rebase", on=date(9999, 12, 1))
    assert exc.value.field == "on"
    assert not ChartEvent.objects.exists()
    bundle = ms.bundle_create(
        actor=actor,
        project=project,
        data={"name": "Care bundle", "frequency": "monthly"},
        elements=["Observations", "Risk assessment"],
    )
    elements = list(bundle.elements.all())
    with pytest.raises(ms.MeasureError, match="after the latest allowed period") as exc:
        ms.bundle_audit_record(
            actor=actor,
            bundle=bundle,
            audited_on=date(9999, 12, 1),
            reference="W3-0412",
            results={e.pk: "met" for e in elements},
        )
    assert exc.value.field == "audited_on"


@pytest.mark.django_db
def test_the_window_is_a_setting(count_measure: Measure) -> None:
    nxt = _next_month()
    assert measure_shape(count_measure).window.problem(nxt)  # type: ignore[union-attr]
    with override_settings(MEASURE_PERIOD_DAYS_AHEAD=62):
        assert measure_shape(count_measure).window.problem(nxt) is None  # type: ignore[union-attr]
    with override_settings(MEASURE_PERIOD_EARLIEST=date(2020, 1, 1)):
        problem = measure_shape(count_measure).window.problem(date(2019, 12, 1))  # type: ignore[union-attr]
        assert problem and "earliest allowed period (January 2020)" in problem


def test_env_example_documents_the_settings() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    assert "MEASURE_PERIOD_EARLIEST" in text and "MEASURE_PERIOD_DAYS_AHEAD" in text
