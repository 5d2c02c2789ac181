"""The corners where the engine must match qicharts2 and NHSRplotthedots (docs/spc.md,
"Corner cases"): a single point, a series with no variation, a point exactly on a limit
or on a 2-sigma line. Every chart type, through ``chart`` and ``batch``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qicollab import spc

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: One point of every chart type, as ``(chart, y, n)``.
SINGLE: list[tuple[str, list[Any], list[Any] | None]] = [
    ("run", [5.0], None),
    ("i", [5.0], None),
    ("mr", [5.0], None),
    ("c", [5.0], None),
    ("g", [5.0], None),
    ("t", [5.0], None),
    ("p", [5.0], [10.0]),
    ("pp", [5.0], [10.0]),
    ("u", [5.0], [10.0]),
    ("up", [5.0], [10.0]),
    ("xbar", [[4.0, 5.0, 6.0]], None),
    ("s", [[4.0, 5.0, 6.0]], None),
]
#: Charts whose limits come from the point-to-point (moving-range) variation: one point
#: has none, so it has no limits (qicharts2 ``qic.i``: mean of no moving range is NaN).
MOVING_RANGE_CHARTS = {"i", "mr", "t", "pp", "up"}


def _limits(r: spc.ChartResult) -> np.ndarray:
    return np.stack([r.lcl, r.ucl, r.lcl_2s, r.ucl_2s])


def _no_limits(r: spc.ChartResult) -> bool:
    return bool(np.isnan(_limits(r)).all())


def _no_signal(r: spc.ChartResult) -> bool:
    return not any(r.rules_at(i) for i in range(len(r))) and r.variation_icon == "common_cause"


@pytest.mark.parametrize(("kind", "y", "n"), SINGLE, ids=[c for c, _, _ in SINGLE])
def test_a_single_point_charts_its_value_without_raising(
    kind: str, y: list[Any], n: list[Any] | None
) -> None:
    r = spc.chart(y, n, chart=kind, target=3.0, direction="increase")
    assert len(r) == 1 and _no_signal(r)
    if kind == "mr":
        # One value has no moving range: nothing to plot, nothing to centre on.
        assert math.isnan(r.y[0]) and math.isnan(r.cl[0])
    elif kind == "s":
        assert r.y[0] == pytest.approx(1.0) and r.cl[0] == pytest.approx(1.0)
    else:
        expected = {"p": 0.5, "pp": 0.5, "u": 0.5, "up": 0.5}.get(kind, 5.0)
        assert r.y[0] == pytest.approx(expected) and r.cl[0] == pytest.approx(expected)
    if kind in MOVING_RANGE_CHARTS or kind == "run":
        assert _no_limits(r) and r.assurance_icon is None
    else:
        # Model-based limits (binomial, Poisson, geometric, within-subgroup sd) need no
        # second point; qicharts2 draws them for one point too.
        assert np.isfinite(_limits(r)).all()
    # batch gives the same, also next to a longer series in the same call
    ids = ["one"] + ["many"] * 4
    ys = y + y * 4
    ns = None if n is None else n + n * 4
    b = spc.batch(ids, ys, ns, chart=kind)
    assert b["one"] == spc.chart(y, n, chart=kind)


def test_a_one_point_phase_has_its_value_and_no_limits() -> None:
    r = spc.chart([1.0, 2.0, 3.0, 4.0], chart="i", phases=[3])
    assert float(r.cl[3]) == 4.0
    assert np.isnan(_limits(r)[:, 3]).all() and np.isfinite(_limits(r)[:, :3]).all()


def test_a_series_with_no_usable_point_still_says_why() -> None:
    with pytest.raises(spc.TooFewPointsError, match="0 usable"):
        spc.chart([None, None], chart="i")
    with pytest.raises(spc.TooFewPointsError, match="has no points"):
        spc.chart([], chart="mr")
    with pytest.raises(spc.TooFewPointsError, match="Series 'b'"):
        spc.batch(["a", "a", "b"], [1, 2, None], chart="i")


#: A series with no variation at all, for every chart type.
FLAT: list[tuple[str, list[Any], list[Any] | None]] = [
    ("i", [7.0] * 12, None),
    ("mr", [7.0] * 12, None),
    ("t", [5.0] * 12, None),
    ("pp", [3.0] * 12, [10.0] * 12),
    ("up", [3.0] * 12, [10.0] * 12),
    ("xbar", [[4.0, 4.0, 4.0]] * 12, None),
    ("s", [[4.0, 4.0, 4.0]] * 12, None),
    ("p", [0.0] * 12, [10.0] * 12),  # p̄ = 0: the binomial sigma is 0
    ("p", [10.0] * 12, [10.0] * 12),  # p̄ = 1
    ("u", [0.0] * 12, [10.0] * 12),
    ("c", [0.0] * 12, None),
    ("g", [0.0] * 12, None),
]


@pytest.mark.parametrize(
    ("kind", "y", "n"), FLAT, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(FLAT)]
)
def test_no_variation_means_no_limits_not_limits_on_the_centre_line(
    kind: str, y: list[Any], n: list[Any] | None
) -> None:
    r = spc.chart(y, n, chart=kind, target=1.0, direction="increase")
    assert _no_limits(r)
    # every point is on the centre line: no rule can fire, no runs signal
    assert _no_signal(r)
    assert not any(run.signal for run in r.runs)
    assert r.assurance_icon is None
    ids = ["flat"] * len(y) + ["other"] * 3
    opts = {"target": 1.0, "direction": "increase"}
    b = spc.batch(ids, y + y[:3], None if n is None else n + n[:3], chart=kind, options=opts)
    assert b["flat"] == r


def test_flat_attribute_charts_keep_their_model_limits() -> None:
    """Equal proportions or counts away from 0 still have binomial/Poisson limits: they
    come from the model, not from the observed variation (qicharts2)."""
    assert np.isfinite(_limits(spc.chart([5.0] * 8, [10.0] * 8, chart="p"))).all()
    assert np.isfinite(_limits(spc.chart([5.0] * 8, chart="c"))).all()


def test_no_variation_in_the_baseline_leaves_later_points_unjudged_by_limits() -> None:
    """A frozen flat baseline gives no limits, so a later different point is not called
    'outside the limits' (there are none), though the sequence rules still apply."""
    r = spc.chart([7.0] * 8 + [9.0], chart="i", freeze=8)
    assert _no_limits(r) and "outside_limits" not in r.rules_at(8)


def test_t_chart_of_equal_times_puts_them_on_the_centre_line() -> None:
    """The centre line of a t chart is back-transformed ((mean of y^(1/3.6))^3.6), which
    rounds to 4.999999999999999 for 5s: the points must still count as on it."""
    r = spc.chart([5.0] * 12, chart="t")
    assert float(r.cl[0]) == 5.0 and not r.side.any()


# c chart with mean 4: ucl = 4 + 3·2 = 10, upper 2-sigma line = 4 + 2·2 = 8 (exact).
ON_LIMIT = [10.0, 8.0, 5.0, 2.0, 2.0, 2.0, 2.0, 2.0, 3.0, 4.0]
TWO_CLOSE = [10.0, 9.0, 5.0, 2.0, 2.0, 2.0, 2.0, 2.0, 3.0, 3.0]


def test_a_point_on_the_limit_is_inside_and_close_on_the_2_sigma_line_is_not_close() -> None:
    r = spc.chart(ON_LIMIT, chart="c")
    assert (float(r.cl[0]), float(r.ucl[0]), float(r.ucl_2s[0])) == (4.0, 10.0, 8.0)
    # 10 is on the limit (inside, close); 8 is on the 2-sigma line (not close): one close
    # point in the window is not two of three.
    assert r.rules_at(0) == () and r.rules_at(1) == ()
    two = spc.chart(TWO_CLOSE, chart="c")
    assert two.rules_at(0) == ("two_of_three",) and two.rules_at(1) == ("two_of_three",)
    b = spc.batch(["x"] * 10 + ["y"] * 10, ON_LIMIT + TWO_CLOSE, chart="c")
    assert b["x"] == r and b["y"] == two


values = st.lists(st.integers(1, 60).map(float), min_size=8, max_size=20)


@SETTINGS
@given(y=values, kind=st.sampled_from(["i", "c", "g", "t"]), where=st.integers(0, 100))
def test_on_the_limit_is_never_outside_and_on_the_2_sigma_line_never_close(
    y: list[float], kind: str, where: int
) -> None:
    """With the limits frozen on a baseline, put three later points exactly on the upper
    (or lower) 3-sigma limit, then exactly on the 2-sigma line."""
    base = spc.chart(y, chart=kind, freeze=len(y))
    assume(np.isfinite(_limits(base)).all())
    upper = where % 2 == 0
    on3 = float(base.ucl[0] if upper else base.lcl[0])
    on2 = float(base.ucl_2s[0] if upper else base.lcl_2s[0])
    cl = float(base.cl[0])
    # a clipped lower line (at 0) is a floor, not a line a count can fall beyond
    assume(on3 != on2 and (on3 - cl) * (on2 - cl) > 0 and (upper or base.lcl[0] > 0))
    assume(kind != "t" or min(on3, on2) > 0)
    on_limit = spc.chart([*y, on3, on3, on3], chart=kind, freeze=len(y))
    for i in range(len(y), len(y) + 3):
        assert "outside_limits" not in on_limit.rules_at(i)
        assert "two_of_three" in on_limit.rules_at(i)  # on the limit is close to it
    on_line = spc.chart([*y, on2, on2, on2], chart=kind, freeze=len(y))
    for i in range(len(y), len(y) + 3):
        assert "two_of_three" not in on_line.rules_at(i)
        assert "outside_limits" not in on_line.rules_at(i)


@SETTINGS
@given(
    value=st.integers(0, 50).map(float),
    length=st.integers(1, 30),
    kind=st.sampled_from(["run", "i", "mr", "t", "c", "g"]),
)
def test_any_constant_series_has_no_signal_and_no_collapsed_limits(
    value: float, length: int, kind: str
) -> None:
    assume(kind != "t" or value > 0)
    r = spc.chart([value] * length, chart=kind, direction="increase", target=value)
    assert _no_signal(r)
    lim = _limits(r)
    # either no limits at all, or limits that are genuinely apart from the centre line
    assert np.isnan(lim).all() or (r.ucl > r.cl).all()
