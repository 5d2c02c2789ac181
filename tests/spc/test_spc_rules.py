"""Making Data Count and IHI rules, including the NHSRplotthedots rule unit tests.

The "ptd_*" tests port ``tests/testthat/test-ptd_calculate_point_type.R`` of
nhs-r-community/NHSRplotthedots (read through the code-search tool) to whole charts: each
rule vector there becomes a series whose points sit on the intended side of the centre line
or the 2-sigma line. Limits are pinned with ``freeze``: 20 baseline points alternating 9
and 11 give mean 10, average moving range 2, so (MDC constant 2.66) the 3-sigma limits are
4.68 and 15.32 and the 2-sigma lines 6.4533... and 13.5466....
"""

from __future__ import annotations

import pytest

from qicollab import spc

BASE = [9.0, 11.0] * 10
LO2, HI2 = 10 - 2 * (2.66 / 3) * 2, 10 + 2 * (2.66 / 3) * 2


def pinned(tail: list[float], **kw: object) -> spc.ChartResult:
    return spc.chart(BASE + tail, chart="i", freeze=len(BASE), **kw)  # type: ignore[arg-type]


def flagged(r: spc.ChartResult, rule: str, offset: int = len(BASE)) -> list[int]:
    return [i - offset for i in range(offset, len(r)) if rule in r.rules_at(i)]


def test_limits_of_the_pinned_baseline() -> None:
    r = pinned([10.0])
    assert (float(r.cl[0]), float(r.lcl[0]), float(r.ucl[0])) == (10.0, 10 - 5.32, 10 + 5.32)
    assert (float(r.lcl_2s[0]), float(r.ucl_2s[0])) == (LO2, HI2)


# --------------------------------------------------------------------------- shift


def test_shift_of_seven_flags_all_seven() -> None:
    """ptd_seven_point_one_side_mean(c(rep(1, 8), -1)) flags the run of 8 (part of 7)."""
    r = pinned([8.0] + [12.0] * 8 + [8.0])
    assert flagged(r, "shift") == list(range(1, 9))
    assert [r.points[21 + i].side for i in range(8)] == ["high"] * 8


def test_six_points_are_not_a_shift() -> None:
    """ptd_seven_point_one_side_mean(c(rep(1, 6), -1)) is all zero."""
    assert flagged(pinned([8.0] + [12.0] * 6 + [8.0]), "shift") == []


def test_point_on_centre_line_breaks_a_shift() -> None:
    assert flagged(pinned([12.0] * 3 + [10.0] + [12.0] * 4), "shift") == []


def test_shift_below_is_a_concern_for_increase() -> None:
    r = pinned([8.0] * 7, direction="increase")
    assert {r.points[20 + i].point_class for i in range(7)} == {"concern"}
    assert r.variation_icon == "concern_low"


def test_custom_shift_length() -> None:
    tail = [8.0] + [12.0] * 6 + [8.0]
    assert flagged(pinned(tail, shift_length=6), "shift") == list(range(1, 7))


# --------------------------------------------------------------------------- trend


def test_seven_increasing_points_are_a_trend() -> None:
    """ptd_seven_point_trend(1:7) flags the 7th point; the part-of rule flags all 7."""
    r = pinned([10.1, 10.2, 10.3, 10.4, 10.5, 10.6, 10.7, 10.65])
    assert flagged(r, "trend") == list(range(7))
    assert all(r.points[20 + i].side == "high" for i in range(7))


def test_six_increasing_points_are_not_a_trend() -> None:
    assert flagged(pinned([10.1, 10.2, 10.3, 10.4, 10.5, 10.6, 10.55]), "trend") == []


def test_tie_breaks_a_trend() -> None:
    """ptd_seven_point_trend(c(1:3, 3:6)) is all zero: equal neighbours break the trend."""
    assert flagged(pinned([10.1, 10.2, 10.3, 10.3, 10.4, 10.5, 10.6]), "trend") == []


def test_trend_may_cross_the_centre_line() -> None:
    r = pinned([7.0, 8.0, 9.0, 9.5, 10.5, 11.0, 12.0])
    assert flagged(r, "trend") == list(range(7))


def test_trend_inside_longer_series() -> None:
    """ptd_seven_point_trend(c(2, 1:7, 3)) flags 1:7 only."""
    tail = [10.2, 10.1, 10.15, 10.3, 10.35, 10.4, 10.5, 10.6, 10.3]
    assert flagged(pinned(tail), "trend") == list(range(1, 8))


def test_decreasing_trend_side_low() -> None:
    """ptd_seven_point_trend(7:1) is a decreasing trend (-1)."""
    r = pinned([11.0, 10.8, 10.6, 10.4, 10.2, 10.1, 10.05], direction="decrease")
    assert {r.points[20 + i].side for i in range(7)} == {"low"}
    assert {r.points[20 + i].point_class for i in range(7)} == {"improvement"}


def test_peak_shared_by_up_and_down_trend() -> None:
    """The peak belongs to both trends; as NHSRplotthedots it takes the direction of the
    step after it (decreasing), the rest keep their own direction."""
    up = [7.0, 8.0, 9.0, 10.2, 11.0, 12.0, 13.0]
    down = [12.5, 11.5, 10.5, 9.5, 8.5, 7.5]
    r = pinned(up + down, direction="increase")
    assert flagged(r, "trend") == list(range(13))
    sides = [r.points[20 + i].side for i in range(13)]
    assert sides == ["high"] * 6 + ["low"] * 7
    assert r.points[26].point_class == "concern"


# --------------------------------------------------------------------------- two of three


def test_two_of_three_close_points_same_side() -> None:
    """ptd_two_in_three(c(0, 0, 1, 0, 1, 0, 0), all above) flags the two close points."""
    r = pinned([11.0, 11.0, 14.0, 11.0, 14.0, 11.0, 8.0])
    assert flagged(r, "two_of_three") == [2, 4]


def test_two_consecutive_close_points() -> None:
    """ptd_two_in_three(c(0, 0, 1, 1, 0, 0, 0)): only the close points are flagged."""
    r = pinned([11.0, 11.0, 14.0, 14.0, 11.0, 8.0])
    assert flagged(r, "two_of_three") == [2, 3]


def test_close_points_too_far_apart() -> None:
    """ptd_part_of_two_in_three(c(1, 0, 0, 1)) is all zero."""
    r = pinned([14.0, 11.0, 11.0, 14.0, 8.0])
    assert flagged(r, "two_of_three") == []


def test_two_of_three_needs_all_three_on_the_same_side() -> None:
    """NHSRplotthedots ``ptd_two_in_three``: a window counts only if all three points are on
    the same side of the mean (``abs(sum(relative_to_mean)) == 3``). The last baseline
    point (11) is above the mean, so it completes the first window; two close points
    between points below the mean are not flagged."""
    assert flagged(pinned([14.0, 14.0, 9.0, 8.0]), "two_of_three") == [0, 1]
    assert flagged(pinned([8.0, 14.0, 14.0, 9.0]), "two_of_three") == []
    assert flagged(pinned([8.0, 14.0, 14.0, 11.0]), "two_of_three") == [1, 2]
    assert flagged(pinned([9.0, 14.0, 8.0, 14.0, 9.0]), "two_of_three") == []


def test_close_points_on_opposite_sides() -> None:
    """Two successive points close to opposite limits are common cause."""
    r = pinned([14.0, 6.0, 11.0])
    assert flagged(r, "two_of_three") == []
    assert r.points[20].point_class == "common"


def test_point_exactly_on_two_sigma_line_is_not_close() -> None:
    """Strict, as PTD (``y > nupl``): a point exactly on the 2-sigma line is not close
    (issue 11 reversed the earlier inclusive reading)."""
    r = pinned([HI2, HI2, 11.0])
    assert flagged(r, "two_of_three") == []
    assert flagged(pinned([HI2 + 0.01, HI2 + 0.01, 11.0]), "two_of_three") == [0, 1]


def test_points_beyond_three_sigma_are_not_close() -> None:
    r = pinned([16.0, 14.0, 11.0, 8.0])
    assert flagged(r, "outside_limits") == [0]
    assert flagged(r, "two_of_three") == []


# --------------------------------------------------------------------------- outside limits


def test_point_on_a_limit_is_inside() -> None:
    ucl = float(pinned([10.0]).ucl[0])
    r = pinned([ucl, 10.0])
    assert flagged(r, "outside_limits") == []
    assert flagged(pinned([ucl + 1e-9, 10.0]), "outside_limits") == [0]


def test_below_lower_limit_is_low() -> None:
    r = pinned([4.0], direction="decrease")
    assert r.rules_at(20) == ("outside_limits",)
    assert (r.points[20].point_class, r.points[20].side) == ("improvement", "low")
    assert r.variation_icon == "improvement_low"


def test_neutral_direction() -> None:
    r = pinned([16.0], direction="neutral")
    assert (r.points[20].point_class, r.variation_icon) == ("neutral", "neutral_high")


# --------------------------------------------------------------------------- precedence


def test_precedence_trend_over_two_of_three_over_shift() -> None:
    """ptd_special_cause_type: outside > trend > two-in-three > shift. Seven decreasing
    points above the mean are a shift (high) and a trend (low): the trend wins."""
    r = pinned([15.0, 14.5, 14.0, 13.0, 12.0, 11.0, 10.5, 9.0], direction="increase")
    assert set(r.rules_at(20)) == {"shift", "trend", "two_of_three"}
    assert [r.points[20 + i].side for i in range(7)] == ["low"] * 7
    assert {r.points[20 + i].point_class for i in range(7)} == {"concern"}


def test_outside_beats_trend() -> None:
    """A point above the UCL that starts a decreasing trend is high (outside wins)."""
    r = pinned([16.0, 14.0, 13.0, 12.0, 11.0, 10.5, 9.5, 10.0], direction="increase")
    assert {"outside_limits", "trend"} <= set(r.rules_at(20))
    assert (r.points[20].side, r.points[20].point_class) == ("high", "improvement")
    assert (r.points[21].side, r.points[21].point_class) == ("low", "concern")


def test_two_of_three_beats_shift() -> None:
    r = pinned([11.0] * 5 + [14.0, 14.0])
    assert set(r.rules_at(25)) == {"shift", "two_of_three"}
    assert r.points[25].side == "high"


# --------------------------------------------------------------------------- missing/excluded


def test_missing_values_are_skipped_by_rules_and_kept_as_gaps() -> None:
    r = pinned([12.0, 12.0, None, 12.0, 12.0, 12.0, None, 12.0, 12.0])  # type: ignore[list-item]
    assert flagged(r, "shift") == [0, 1, 3, 4, 5, 7, 8]
    assert r.points[22].y is None and r.points[22].rules == () and r.points[22].side is None
    assert r.to_dict()["points"][22]["y"] is None


def test_excluded_points_do_not_break_or_count_in_a_shift() -> None:
    tail = [12.0, 12.0, 12.0, 8.0, 12.0, 12.0, 12.0]
    assert flagged(pinned(tail), "shift") == []
    r = pinned([*tail, 12.0], exclude=[23])
    assert flagged(r, "shift") == [0, 1, 2, 4, 5, 6, 7]
    assert r.excluded[23] and r.points[23].point_class == "common"


def test_excluded_point_outside_limits_is_still_flagged() -> None:
    """qicharts2 computes sigma.signal for every point, excluded or not."""
    r = pinned([20.0, 10.0], exclude=[20])
    assert r.rules_at(20) == ("outside_limits",)


def test_rules_do_not_cross_phases() -> None:
    r = spc.chart([9.0, 11.0] * 5 + [12.0] * 4 + [30.0] * 3, chart="i", phases=[14], freeze=10)
    assert flagged(r, "shift", 0) == []


def test_mr_chart_uses_only_outside_limits() -> None:
    r = spc.chart([1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 9, 1], chart="mr")
    assert {rule for i in range(len(r)) for rule in r.rules_at(i)} == {"outside_limits"}


# --------------------------------------------------------------------------- IHI


def test_ihi_shift_skips_points_on_the_median() -> None:
    """Provost & Murray: values on the median neither add to nor break a shift."""
    y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 5.0, 7.0, 8.0, 9.0, 10.0, 11.0, 5.0, 1.0, 2.0]
    r = spc.chart(y, chart="run", rules="ihi")
    assert float(r.cl[0]) == 5.0
    assert [i for i in range(len(y)) if "shift" in r.rules_at(i)] == [5, 7, 8, 9, 10, 11]
    assert "shift" not in r.points[6].rules
    mdc = spc.chart(y, chart="run", rules="mdc", shift_length=5)
    assert [i for i in range(len(y)) if "shift" in mdc.rules_at(i)] == [7, 8, 9, 10, 11]


def test_ihi_trend_ignores_repeated_values() -> None:
    """Provost & Murray: like values neither make nor break a trend (5 points)."""
    y = [3.0, 1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 1.0, 0.5]
    r = spc.chart(y, chart="run", rules="ihi")
    assert [i for i in range(len(y)) if "trend" in r.rules_at(i)] == [1, 2, 3, 4, 5, 6]
    assert all("trend" not in spc.chart(y, chart="run").rules_at(i) for i in range(len(y)))


def test_ihi_shared_turning_point_and_outside_limits() -> None:
    y = [1.0, 2.0, 3.0, 4.0, 5.0, 4.0, 3.0, 2.0, 1.0, 3.0, 2.5]
    r = spc.chart(y, chart="i", rules="ihi")
    assert [i for i in range(9) if "trend" in r.rules_at(i)] == list(range(9))
    assert [r.points[i].side for i in range(9)] == ["high"] * 4 + ["low"] * 5
    assert "two_of_three" not in {x for i in range(len(y)) for x in r.rules_at(i)}


def test_ihi_defaults() -> None:
    opts = spc.chart([1.0, 2.0, 3.0], chart="run", rules="ihi").options
    assert (opts.shift_length, opts.trend_length) == (6, 5)


@pytest.mark.parametrize("rules", ["mdc", "ihi"])
def test_run_chart_has_no_limit_rules(rules: str) -> None:
    r = spc.chart([1.0, 50.0, 2.0, 3.0], chart="run", rules=rules)  # type: ignore[arg-type]
    assert all("outside_limits" not in r.rules_at(i) for i in range(4))
    assert r.assurance_icon is None
