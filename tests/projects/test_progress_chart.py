"""The progress step chart: a Vega-Lite spec of the ratings, drawn on the server."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

from qicollab.measures import rendering
from qicollab.projects.charts import Point, progress_chart_spec

POINTS = [
    Point(dt.date(2026, 1, 1), Decimal("1.5"), "self"),
    Point(dt.date(2026, 3, 1), Decimal("2.5"), "self"),
    Point(dt.date(2026, 2, 1), Decimal("2.0"), "faculty"),
]


def test_spec_holds_each_rating_and_where_the_last_step_ends() -> None:
    spec = progress_chart_spec(POINTS, low=Decimal("0.5"), high=Decimal("5.0"))
    values = spec["data"]["values"]
    ratings = [(v["month"], v["score"], v["rater"]) for v in values if not v.get("end")]
    assert ratings == [
        ("2026-02-01", 2.0, "Faculty"),
        ("2026-01-01", 1.5, "Team"),
        ("2026-03-01", 2.5, "Team"),
    ]
    ends = [(v["month"], v["rater"]) for v in values if v.get("end")]
    assert ends == [("2026-03-01", "Faculty"), ("2026-04-01", "Team")]
    line, points = spec["layer"]
    assert line["mark"]["interpolate"] == "step-after"
    # Told apart by colour, dash and marker shape, never by colour alone.
    assert {"color", "strokeDash"} <= set(line["encoding"])
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "square"]
    assert line["encoding"]["y"]["scale"]["domain"] == [0.5, 5.0]
    assert spec["description"] == (
        "Progress scores from January 2026 to March 2026: latest faculty score 2.0 in "
        "February 2026; latest team score 2.5 in March 2026."
    )


def test_no_ratings_no_chart() -> None:
    assert progress_chart_spec([], low=Decimal("0.5"), high=Decimal("5.0")) == {}


def test_renders_through_vl_convert() -> None:
    spec = progress_chart_spec(POINTS, low=Decimal("0.5"), high=Decimal("5.0"))
    uri = rendering.svg_data_uri(spec)
    svg = base64.b64decode(uri.removeprefix("data:image/svg+xml;base64,")).decode()
    assert uri.startswith("data:image/svg+xml;base64,") and "<svg" in svg
    assert "Team" in svg and "Faculty" in svg and "Jan 2026" in svg
