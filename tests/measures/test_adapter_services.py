"""The spc adapter (grid, gaps, zero denominators, decisions) and the measure services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qicollab.core.services import EditConflict
from qicollab.measures import services as ms
from qicollab.measures.models import ChartEvent, DataPoint, EventKind, Measure
from qicollab.measures.spc_adapter import (
    build_series,
    engine_options,
    measure_chart,
    measure_charts,
)
from qicollab.projects import services as ps
from tests.measures.conftest import fill, months

pytestmark = pytest.mark.django_db
D = dt.date


def test_missing_periods_and_empty_values_are_gaps(count_measure: Measure, world: Any) -> None:
    actor = world.people["staff_a"]
    fill(count_measure, actor, [3, 4, 5])
    # A fourth value two months after the third: February is missing from the grid.
    ms.datapoint_save(actor=actor, measure=count_measure, period=D(2023, 5, 1), value=6)
    ms.datapoint_save(actor=actor, measure=count_measure, period=D(2023, 6, 1), note="Ward closed")
    series = build_series(count_measure, count_measure.points.all())
    assert series.periods == months(6)
    assert series.y == [3, 4, 5, None, 6, None]
    assert series.notes == {"2023-06-01": "Ward closed"}
    chart = measure_chart(count_measure)
    assert chart.has_chart
    assert [p["y"] for p in chart.result["points"]] == [3, 4, 5, None, 6, None]  # type: ignore[index]


def test_events_between_rare_events_have_no_grid_and_no_gaps(make_measure: Any, world: Any) -> None:
    """Days between falls: each value is an event on its day; the days in between are not
    missing data, so the chart and its table show the events only."""
    g = make_measure(
        name="Days between falls with harm",
        value_type="days_between",
        chart_type="g",
        frequency="daily",
        direction="increase",
    )
    actor = world.people["staff_a"]
    days = [D(2024, 1, 3), D(2024, 1, 20), D(2024, 3, 2), D(2024, 5, 30)]
    for day, value in zip(days, [5, 17, 42, 89], strict=True):
        ms.datapoint_save(actor=actor, measure=g, period=day, value=value)
    series = build_series(g, g.points.all())
    assert series.periods == days
    assert series.y == [5, 17, 42, 89]
    chart = measure_chart(g)
    assert "No data" not in [r["value"] for r in chart.table()]


def test_zero_denominator_is_a_gap_not_an_error(pct_measure: Measure, world: Any) -> None:
    fill(pct_measure, world.people["staff_a"], [(8, 10), (0, 0), (9, 10), (7, 10)])
    series = build_series(pct_measure, pct_measure.points.all())
    assert series.y == [8, None, 9, 7] and series.n == [10, None, 10, 10]
    chart = measure_chart(pct_measure)
    assert chart.meta.chart_type == "p" and chart.message == ""
    values = [r["value"] for r in chart.table()]
    assert values == ["80.0%", "No data", "90.0%", "70.0%"]


def test_target_is_converted_to_engine_units_and_decisions_to_options(
    pct_measure: Measure, world: Any
) -> None:
    actor = world.people["staff_a"]
    fill(pct_measure, actor, [(5, 10)] * 6 + [(9, 10)] * 6)
    ms.chart_event_add(
        actor=actor,
        measure=pct_measure,
        kind="rebase",
        on=D(2023, 7, 15),
        reason="Checklist adopted",
    )
    ms.chart_event_add(
        actor=actor,
        measure=pct_measure,
        kind="exclude",
        on=D(2023, 3, 1),
        reason="Audit not done properly",
    )
    ms.chart_event_add(actor=actor, measure=pct_measure, kind="freeze", points=4)
    series = build_series(pct_measure, pct_measure.points.all())
    options = engine_options(pct_measure, series.periods, pct_measure.chart_events.all())
    assert options == {
        "direction": "increase",
        "phases": [6],
        "exclude": [2],
        "target": 0.9,
        "freeze": 4,
    }
    chart = measure_chart(pct_measure)
    assert {p["phase"] for p in chart.result["points"]} == {0, 1}  # type: ignore[index]
    assert chart.result["points"][2]["excluded"] is True  # type: ignore[index]
    kinds = {a.kind for a in chart.annotations}
    assert "phase" in kinds


def test_pdsa_cycles_appear_as_annotations(
    count_measure: Measure, project: Any, world: Any
) -> None:
    actor = world.people["staff_a"]
    fill(count_measure, actor, [3, 4, 5, 4])
    idea = ps.node_add(actor=actor, project=project, kind="idea", text="Huddles", links=[])
    ps.pdsa_cycle_create(
        actor=actor,
        project=project,
        change_ideas=[idea],
        data={"title": "Huddle on one shift", "planned_start": D(2023, 2, 10)},
    )
    chart = measure_chart(count_measure)
    assert [(a.on, a.label, a.kind) for a in chart.annotations if a.kind == "pdsa"] == [
        (D(2023, 2, 10), "PDSA 1: Huddle on one shift", "pdsa")
    ]
    spec = chart.spec(width=500)
    assert any(
        "data" in layer and layer["data"]["values"][0]["text"].startswith("PDSA 1")
        for layer in spec["layer"]
    )


def test_a_single_point_is_charted_with_its_value_and_no_limits(
    make_measure: Any, world: Any
) -> None:
    """The engine charts one point (issue 11: as qicharts2/PTD) instead of refusing it, so
    the chosen chart stays; the summary must not claim the point is within limits."""
    measure = make_measure(name="Minutes to review", value_type="measurement", chart_type="i")
    fill(measure, world.people["staff_a"], [12.5])
    chart = measure_chart(measure)
    assert chart.has_chart and chart.meta.chart_type == "i" and chart.message == ""
    assert chart.summary.startswith("No limits yet: the latest value is 12.5")
    assert "within the limits" not in chart.summary


def test_a_chart_it_cannot_draw_falls_back_to_a_run_chart(make_measure: Any, world: Any) -> None:
    """Every point excluded leaves the i chart nothing to compute: a run chart of the
    values, without the decisions, says why."""
    measure = make_measure(name="Minutes to review", value_type="measurement", chart_type="i")
    fill(measure, world.people["staff_a"], [12.5, 13.0])
    for point in DataPoint.objects.filter(measure=measure):
        ChartEvent.objects.create(measure=measure, kind=EventKind.EXCLUDE, on=point.period)
    chart = measure_chart(measure)
    assert chart.has_chart and chart.meta.chart_type == "run"
    assert chart.message.startswith("Shown as a run chart for now.")


def test_no_data_gives_a_message_not_an_error(count_measure: Measure) -> None:
    chart = measure_chart(count_measure)
    assert not chart.has_chart and chart.summary == "No data has been entered for this measure yet."


def test_batch_gives_the_same_charts_as_one_by_one(
    count_measure: Measure, pct_measure: Measure, make_measure: Any, world: Any
) -> None:
    actor = world.people["staff_a"]
    fill(count_measure, actor, [3, 4, 5, 4, 6, 2, 3, 4, 5, 4, 3, 9])
    fill(pct_measure, actor, [(8, 10), (0, 0), (9, 10), (7, 10), (6, 10), (8, 10)])
    empty = make_measure(name="Empty one")
    measurement = make_measure(name="Minutes", value_type="measurement", chart_type="i")
    fill(measurement, actor, [12.5, 14.0, 13.2, 15.1, 12.0])
    many = measure_charts([count_measure, pct_measure, empty, measurement])
    for m in (count_measure, pct_measure, measurement):
        assert many[m.pk].result == measure_chart(m, with_pdsa=False).result
    assert not many[empty.pk].has_chart


# --- services ----------------------------------------------------------------------------


def test_default_chart_comes_from_the_value_type(make_measure: Any) -> None:
    assert (
        make_measure(name="a", value_type="percentage", denominator_definition="x").chart_type
        == "p"
    )
    assert (
        make_measure(name="b", value_type="rate", denominator_definition="bed days").chart_type
        == "u"
    )
    assert make_measure(name="c", value_type="days_between").chart_type == "g"
    assert make_measure(name="d", value_type="count").chart_type == "c"


def test_one_main_outcome_per_project(make_measure: Any) -> None:
    first = make_measure(name="First", is_main_outcome=True)
    second = make_measure(name="Second", is_main_outcome=True)
    first.refresh_from_db()
    assert second.is_main_outcome and not first.is_main_outcome


def test_unsuitable_chart_type_is_refused(make_measure: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="does not suit"):
        make_measure(name="x", value_type="count", chart_type="p")


def test_frequency_cannot_change_once_there_is_data(count_measure: Measure, world: Any) -> None:
    actor = world.people["staff_a"]
    fill(count_measure, actor, [1, 2])
    with pytest.raises(ms.MeasureError, match="already has data"):
        ms.measure_update(actor=actor, measure=count_measure, data={"frequency": "weekly"})


def test_concurrent_edit_is_detected(count_measure: Measure, world: Any) -> None:
    from qicollab.core.services import version_token

    token = version_token(count_measure)
    ms.measure_update(
        actor=world.people["staff_a"],
        measure=Measure.objects.get(pk=count_measure.pk),
        data={"name": "Renamed by someone else"},
    )
    with pytest.raises(EditConflict):
        ms.measure_update(
            actor=world.people["staff_a"],
            measure=count_measure,
            data={"name": "Mine"},
            loaded_version=token,
        )


def test_grid_save_validates_and_an_empty_row_removes_the_point(
    pct_measure: Measure, world: Any
) -> None:
    actor = world.people["staff_a"]
    with pytest.raises(ms.MeasureError, match="greater than the denominator"):
        ms.datapoint_save(
            actor=actor, measure=pct_measure, period=D(2024, 1, 1), numerator=11, denominator=10
        )
    ms.datapoint_save(
        actor=actor, measure=pct_measure, period=D(2024, 1, 20), numerator=9, denominator=10
    )
    point = DataPoint.objects.get(measure=pct_measure)
    assert point.period == D(2024, 1, 1) and point.entered_by == actor
    assert point.history.first().history_user == actor  # type: ignore[union-attr]
    ms.datapoint_save(actor=actor, measure=pct_measure, period=D(2024, 1, 1))
    assert not DataPoint.objects.filter(measure=pct_measure).exists()


def test_excluding_needs_a_reason_and_a_point(count_measure: Measure, world: Any) -> None:
    actor = world.people["staff_a"]
    fill(count_measure, actor, [1, 2, 3])
    with pytest.raises(ms.MeasureError, match="no data for 1 June 2023"):
        ms.chart_event_add(
            actor=actor, measure=count_measure, kind="exclude", on=D(2023, 6, 1), reason="x"
        )
    with pytest.raises(ms.MeasureError, match="Say why"):
        ms.chart_event_add(actor=actor, measure=count_measure, kind="exclude", on=D(2023, 2, 1))
    event = ms.chart_event_add(
        actor=actor,
        measure=count_measure,
        kind="exclude",
        on=D(2023, 2, 1),
        reason="Counting error",
    )
    assert event.history.first().history_user == actor  # type: ignore[union-attr]
    # Freezing twice changes the one freeze, recorded in history.
    ms.chart_event_add(actor=actor, measure=count_measure, kind="freeze", points=12)
    ms.chart_event_add(actor=actor, measure=count_measure, kind="freeze", points=20)
    freeze = ChartEvent.objects.get(measure=count_measure, kind=EventKind.FREEZE)
    assert freeze.points == 20 and freeze.history.count() == 2


def test_nhs_numbers_are_refused_as_audit_references(project: Any, world: Any) -> None:
    actor = world.people["staff_a"]
    bundle = ms.bundle_create(
        actor=actor,
        project=project,
        data={"name": "Clozapine monitoring"},
        elements=["Bloods", "ECG", "Weight"],
    )
    elements = list(bundle.elements.all())
    results = {e.pk: "met" for e in elements}
    with pytest.raises(ms.MeasureError, match="looks like an NHS number"):
        ms.bundle_audit_record(
            actor=actor,
            bundle=bundle,
            audited_on=D(2025, 1, 5),
            reference="943 476 5919",
            results=results,
        )
    # Ten digits failing the check are not an NHS number (e.g. a phone-like audit code).
    ms.bundle_audit_record(
        actor=actor,
        bundle=bundle,
        audited_on=D(2025, 1, 5),
        reference="9434765918",
        results=results,
    )
    with pytest.raises(ms.MeasureError, match="Missing: ECG"):
        ms.bundle_audit_record(
            actor=actor,
            bundle=bundle,
            audited_on=D(2025, 1, 5),
            reference="A2",
            results={elements[0].pk: "met", elements[2].pk: "na"},
        )
    with pytest.raises(ms.MeasureError, match="already been audited"):
        ms.bundle_audit_record(
            actor=actor,
            bundle=bundle,
            audited_on=D(2025, 1, 20),
            reference="9434765918",
            results=results,
        )


def test_bundle_charts_and_reliability(project: Any, world: Any) -> None:
    from qicollab.measures.spc_adapter import bundle_charts

    actor = world.people["staff_a"]
    bundle = ms.bundle_create(
        actor=actor, project=project, data={"name": "Obs bundle"}, elements=["A", "B", "C"]
    )
    a, b, c = bundle.elements.all()
    rows = [
        ("met", "met", "met"),
        ("met", "not_met", "met"),
        ("met", "met", "met"),
        ("not_met", "not_met", "met"),
    ]
    for i, r in enumerate(rows):
        ms.bundle_audit_record(
            actor=actor,
            bundle=bundle,
            audited_on=D(2025, 1, 3 + i),
            reference=f"P{i}",
            results=dict(zip([a.pk, b.pk, c.pk], r, strict=True)),
        )
    charts = bundle_charts(bundle)
    [period] = charts.periods
    assert period.composite.percent == 75.0 and period.all_or_none.percent == 50.0
    assert charts.all_or_none is not None and charts.all_or_none.table()[0]["value"] == "50.0%"
    assert len(charts.elements) == 3


def test_pdsa_cycles_that_studied_a_measure(
    count_measure: Measure, project: Any, world: Any, login: Any
) -> None:
    from qicollab.measures.selectors import pdsa_studying

    actor = world.people["staff_a"]
    idea = ps.node_add(actor=actor, project=project, kind="idea", text="Huddles", links=[])
    studied = ps.pdsa_cycle_create(
        actor=actor,
        project=project,
        change_ideas=[idea],
        data={"title": "Huddle test", "study_measure_ids": [count_measure.pk]},
    )
    ps.pdsa_cycle_create(actor=actor, project=project, change_ideas=[idea], data={"title": "Other"})
    assert pdsa_studying(measure=count_measure) == [studied]
    page = login(actor).get(count_measure.get_absolute_url()).content.decode()
    assert "PDSA cycles that studied this measure" in page and "Huddle test" in page
