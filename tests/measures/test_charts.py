"""The chart presenter: spec layers and colours, annotations, summaries, table, server render."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from qicollab import spc
from qicollab.measures.charts import (
    CLASS_COLOURS,
    ChartAnnotation,
    ChartMeta,
    assurance_sentence,
    chart_spec,
    format_value,
    table_rows,
    text_summary,
)

MONTHS = [f"{2023 + (m // 12)}-{m % 12 + 1:02d}-01" for m in range(24)]
BASELINE = [5, 7, 6, 8, 6, 7, 5, 6, 7, 6, 8, 7]
HIGHER = [9, 10, 10, 11, 10, 12, 11, 10, 11, 12, 11, 12]
META = ChartMeta("Incidents", "monthly", "i", y_title="Incidents", direction="increase", decimals=1)


def shifted() -> dict[str, Any]:
    """12 baseline months then 12 months clearly higher: a shift flagged as improvement."""
    y = BASELINE + HIGHER
    return spc.chart(y, chart="i", x=MONTHS, direction="increase").to_dict()


def points_layer(spec: dict[str, Any]) -> dict[str, Any]:
    return next(layer for layer in spec["layer"] if layer["mark"]["type"] == "circle")


def test_rule_flagged_points_are_coloured_by_class() -> None:
    result = shifted()
    spec = chart_spec(result, META)
    colour = points_layer(spec)["encoding"]["color"]
    mapping = dict(zip(colour["scale"]["domain"], colour["scale"]["range"], strict=True))
    assert mapping["improvement"] == "#41B6E6"
    assert mapping["common"] == "#7F7F7F"
    rows = spec["data"]["values"]
    flagged = [r for r in rows if r["rules"]]
    assert flagged and all(r["class"] == "improvement" for r in flagged if r["side"] == "high")
    # The last 12 points are above the mean: a shift, improvement for "increase".
    assert all("shift" in r["rules"] for r in rows[-7:])


def test_concern_colour_when_lower_is_better() -> None:
    y = BASELINE + HIGHER
    result = spc.chart(y, chart="i", x=MONTHS, direction="decrease").to_dict()
    spec = chart_spec(result, ChartMeta("Incidents", "monthly", "i", direction="decrease"))
    colour = points_layer(spec)["encoding"]["color"]
    assert (
        dict(zip(colour["scale"]["domain"], colour["scale"]["range"], strict=True))["concern"]
        == CLASS_COLOURS["concern"]
        == "#ED8B00"
    )


def test_limits_centre_target_and_annotations_are_drawn() -> None:
    meta = ChartMeta("Incidents", "monthly", "i", direction="increase", target=9)
    notes = [
        ChartAnnotation(date(2024, 1, 10), "PDSA 1: safety huddles", "pdsa"),
        ChartAnnotation(date(2024, 6, 1), "Ward refurbished", "note"),
        ChartAnnotation(date(2030, 1, 1), "After the data: not shown", "note"),
    ]
    spec = chart_spec(shifted(), meta, notes)
    fields = {
        layer["encoding"]["y"].get("field") for layer in spec["layer"] if "y" in layer["encoding"]
    }
    assert {"ucl", "lcl", "ucl_2s", "lcl_2s", "cl", "y"} <= fields
    target = [
        layer
        for layer in spec["layer"]
        if layer["mark"]["type"] == "rule" and layer["encoding"].get("y", {}).get("datum") == 9
    ]
    assert target and target[0]["mark"]["color"] == "#DA291C"
    # The target's line and label are drawn once, not once per data row.
    target_layers = [layer for layer in spec["layer"] if layer["mark"].get("color") == "#DA291C"]
    assert len(target_layers) == 2
    assert all(layer["data"] == {"values": [{}]} for layer in target_layers)
    annotation_layers = [
        layer for layer in spec["layer"] if "data" in layer and layer not in target_layers
    ]
    texts = annotation_layers[0]["data"]["values"]
    assert [t["text"] for t in texts] == ["PDSA 1: safety huddles", "Ward refurbished"]
    assert texts[0]["date"] == "2024-01-10"
    assert "Special cause improvement (high)" in spec["title"]["subtitle"][0]


def test_phases_break_the_limit_lines() -> None:
    y = BASELINE + HIGHER
    result = spc.chart(y, chart="i", x=MONTHS, phases=[12]).to_dict()
    spec = chart_spec(result, META)
    cl_layer = next(
        layer for layer in spec["layer"] if layer["encoding"].get("y", {}).get("field") == "cl"
    )
    assert cl_layer["encoding"]["detail"] == {"field": "phase", "type": "nominal"}
    assert {r["phase"] for r in spec["data"]["values"]} == {0, 1}


def test_excluded_points_are_hollow_and_gaps_break_the_line() -> None:
    y: list[Any] = [5, 7, 6, None, 6, 7, 5, 30, 7, 6, 8, 7]
    result = spc.chart(y, chart="i", x=MONTHS[:12], exclude=[7]).to_dict()
    spec = chart_spec(result, META)
    hollow = [layer for layer in spec["layer"] if layer["mark"].get("filled") is False]
    assert hollow and "datum.excluded" in hollow[0]["transform"][0]["filter"]
    rows = spec["data"]["values"]
    assert rows[2]["segment"] == 0 and rows[4]["segment"] == 1  # the gap starts a new segment


def test_percent_scaling_and_formatting() -> None:
    result = spc.chart(
        [45, 50, 48, 49, 47, 49], [50] * 6, chart="p", x=MONTHS[:6], target=0.5
    ).to_dict()
    meta = ChartMeta("Checks", "monthly", "p", scale=100, suffix="%", target=50, decimals=1)
    rows = table_rows(result, meta, {"2023-02-01": "New checklist"})
    assert rows[0]["value"] == "90.0%"
    assert rows[1]["note"] == "New checklist"
    assert format_value(None, meta) == ""
    assert assurance_sentence(result, meta) == (
        "The process consistently meets the target of 50.0%."
    )


def test_summary_sentences() -> None:
    assert text_summary(shifted(), META).startswith(
        "Special cause improvement: 12 points above the mean since January 2024"
    )
    steady = spc.chart([5, 6, 5, 6, 5, 6, 5, 6, 5, 6], chart="i", x=MONTHS[:10]).to_dict()
    assert text_summary(steady, META).startswith(
        "Common cause variation: the latest value, 6.0 (October 2023)"
    )
    high = spc.chart([5, 6, 5, 6, 5, 6, 5, 6, 5, 60], chart="i", x=MONTHS[:10]).to_dict()
    assert text_summary(high, META) == (
        "Special cause improvement: the latest value, 60.0 (October 2023), "
        "is above the upper limit."
    )
    empty = {"points": [], "runs": [], "variation_icon": None, "assurance_icon": None}
    assert text_summary(empty, META) == "No data has been entered for this measure yet."


def test_run_chart_summary_uses_runs_analysis() -> None:
    y = [1, 2] * 6 + [5, 6] * 6
    result = spc.chart(y, chart="run", x=MONTHS).to_dict()
    text = text_summary(result, ChartMeta("Audits", "monthly", "run"))
    assert text.startswith("Non-random variation:")


def test_spec_renders_on_the_server() -> None:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(chart_spec(shifted(), META, width=600, height=240))
    assert svg.startswith("<svg") and "Incidents" in svg


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (95.25, 1, "95.3%"),  # exactly half in binary: people round it up, not to even
        (95.35, 1, "95.4%"),  # stored as 95.34999…: the value people typed still rounds up
        (0.125, 2, "0.13%"),
        (2.5, 0, "3%"),
        (-1.25, 1, "-1.3%"),  # half away from zero, symmetric
        (-0.04, 1, "0.0%"),  # no "minus zero"
        (1234.5, 0, "1,235%"),
        (95.24, 1, "95.2%"),
    ],
)
def test_format_value_rounds_half_up_as_people_read_it(
    value: float, decimals: int, shown: str
) -> None:
    meta = ChartMeta("x", "monthly", "p", decimals=decimals, suffix="%")
    assert format_value(value, meta) == shown
