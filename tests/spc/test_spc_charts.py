"""Chart-type behaviour and edge cases (formulas: docs/spc.md; sources in each docstring)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from qicollab import spc


def test_i_chart_mdc_and_d2_constants() -> None:
    """Making Data Count: mean ± 2.66 AMR; textbook (Montgomery eq. 6.33): ± 3 AMR/1.128."""
    y = [10.0, 12.0, 11.0, 13.0, 12.0, 14.0]
    amr, mean = 1.6, 12.0
    mdc = spc.chart(y, chart="i")
    d2 = spc.chart(y, chart="i", xmr_constant="d2")
    assert float(mdc.cl[0]) == mean
    assert float(mdc.ucl[0]) == pytest.approx(mean + 2.66 * amr, rel=1e-15)
    assert float(mdc.lcl_2s[0]) == pytest.approx(mean - 2 * 2.66 / 3 * amr, rel=1e-15)
    assert float(d2.ucl[0]) == pytest.approx(mean + 3 * amr / 1.128, rel=1e-15)
    assert float(d2.ucl_2s[0]) == pytest.approx(mean + 2 * amr / 1.128, rel=1e-15)


def test_moving_range_screening() -> None:
    """Nelson (1982): moving ranges >= 3.267 AMR are removed once before the limits."""
    y = [10.0, 11.0, 10.0, 11.0, 10.0, 30.0, 10.0, 11.0, 10.0]
    on = spc.chart(y, chart="i")
    off = spc.chart(y, chart="i", screen_mr=False)
    assert float(on.ucl[0]) - float(on.cl[0]) == pytest.approx(2.66 * 1.0)
    assert float(off.ucl[0]) - float(off.cl[0]) == pytest.approx(2.66 * 46 / 8)


def test_fewer_than_twelve_points_and_minimum() -> None:
    r = spc.chart([3.0, 5.0], chart="i")
    assert len(r) == 2 and float(r.ucl[0]) == pytest.approx(4 + 2.66 * 2)
    # One point charts its value with no limits (qicharts2 and PTD give NA limits).
    one = spc.chart([3.0], chart="i")
    assert float(one.cl[0]) == 3.0 and np.isnan(one.ucl[0]) and np.isnan(one.lcl[0])


def test_all_equal_values_zero_moving_range() -> None:
    """AMR = 0: no limits (the R references give NA here: screening keeps no moving
    range), not limits collapsed onto the mean (issue 11 changed this)."""
    r = spc.chart([7.0] * 10, chart="i")
    assert np.isnan(r.ucl).all() and np.isnan(r.lcl).all()
    assert all(p.point_class == "common" for p in r.points)
    assert r.runs[0].n_useful == 0
    later = spc.chart([7.0] * 10 + [7.5], chart="i", freeze=10)
    assert later.rules_at(10) == ()


def test_zeros_in_count_charts() -> None:
    # All zeros: sigma is 0, so no limits rather than limits on the centre line (issue 11).
    c = spc.chart([0, 0, 0, 0], chart="c")
    assert float(c.cl[0]) == 0.0 and np.isnan(c.lcl[0]) and np.isnan(c.ucl[0])
    p = spc.chart([0, 0, 0], [10, 20, 30], chart="p")
    assert float(p.cl[0]) == 0.0 and np.isnan(p.ucl[2])
    pp = spc.chart([0, 0, 0], [10, 20, 30], chart="pp")
    assert np.isnan(pp.ucl[0])
    c2 = spc.chart([0, 1, 0, 2, 0, 1], chart="c")
    assert float(c2.lcl[0]) == 0.0 and float(c2.lcl_2s[0]) == 0.0
    # a zero count on a clipped 2-sigma line is not "close to the limit"
    assert all("two_of_three" not in c2.rules_at(i) for i in range(6))


def test_missing_values_keep_the_gap() -> None:
    r = spc.chart([5.0, None, 6.0, float("nan"), 7.0], chart="i", x=list("abcde"))  # type: ignore[list-item]
    d = r.to_dict()
    assert [p["y"] for p in d["points"]] == [5.0, None, 6.0, None, 7.0]
    assert [p["x"] for p in d["points"]] == list("abcde")
    assert d["points"][1]["cl"] == 6.0 and d["points"][1]["class"] == "common"
    assert r.runs[0].n_useful == 2  # 6.0 is on the centre line


def test_zero_denominator_is_a_gap_not_an_error() -> None:
    """A week with no admissions: 0/0 is a point with no value."""
    r = spc.chart([2, 0, 3, None, 4], [20, 0, 25, 30, None], chart="p")
    assert np.isnan(r.y[[1, 3, 4]]).all()
    assert np.isnan(r.ucl[[1, 4]]).all() and not np.isnan(r.ucl[3])
    assert float(r.cl[0]) == pytest.approx(5 / 45)
    u = spc.chart([2, 1, 3], [20, 0, 25], chart="u")
    assert math.isnan(float(u.y[1])) and float(u.cl[0]) == pytest.approx(5 / 45)


def test_varying_denominators_give_per_point_limits() -> None:
    """Montgomery eq. 7.8: limits p̄ ± 3 sqrt(p̄(1 - p̄)/n_i)."""
    r = spc.chart([5, 10, 20], [100, 200, 400], chart="p")
    p = 35 / 700
    for i, n in enumerate([100, 200, 400]):
        assert float(r.ucl[i]) == pytest.approx(p + 3 * math.sqrt(p * (1 - p) / n), rel=1e-14)
    assert len(set(r.ucl.tolist())) == 3


def test_p_chart_upper_limit_clipped_at_one() -> None:
    r = spc.chart([9, 8, 9, 10], [10, 10, 10, 10], chart="p")
    assert float(r.ucl[0]) == 1.0 and float(r.lcl[0]) > 0


def test_u_chart_and_laney_prime() -> None:
    """Laney (2002) p'/u': sigma_i * AMR(z)/1.128; with no overdispersion close to p/u."""
    num = [50, 55, 48, 60, 52, 58, 49, 51]
    den = [1000, 1100, 950, 1200, 1000, 1150, 990, 1010]
    u = spc.chart(num, den, chart="u")
    up = spc.chart(num, den, chart="up")
    assert float(u.cl[0]) == float(up.cl[0])
    assert float(up.ucl[0]) != float(u.ucl[0])
    # these data are under-dispersed, so the Laney limits are narrower than the u limits
    assert 0 < (float(up.ucl[0]) - float(up.cl[0])) < (float(u.ucl[0]) - float(u.cl[0]))


def test_t_chart_transformation() -> None:
    """qicharts2 qic.t / Provost & Murray: I chart of y^(1/3.6), back-transformed ^3.6;
    a negative transformed lower limit becomes 0."""
    y = [286.0, 948.0, 536.0, 124.0, 816.0, 729.0, 4.0, 143.0, 431.0, 8.0, 2837.0, 596.0]
    r = spc.chart(y, chart="t")
    yt = [v ** (1 / 3.6) for v in y]
    mean = math.fsum(yt) / len(yt)
    assert float(r.cl[0]) == pytest.approx(mean**3.6, rel=1e-12)
    assert float(r.lcl[0]) == 0.0 and float(r.lcl_2s[0]) >= 0.0
    assert r.y.tolist() == y
    assert r.options.xmr_constant == "d2"


def test_g_chart_median_and_theoretical_centre() -> None:
    """qicharts2 qic.g: limits from the mean (geometric, Montgomery p. 319), centre the
    median; ``g_centre="theoretical"`` gives 0.693 x mean (Provost & Murray p. 228)."""
    y = [30.0, 12.0, 45.0, 7.0, 60.0, 22.0, 18.0]
    r = spc.chart(y, chart="g")
    m = sum(y) / len(y)
    assert float(r.cl[0]) == 22.0
    assert float(r.ucl[0]) == pytest.approx(m + 3 * math.sqrt(m * (m + 1)))
    assert float(r.lcl[0]) == 0.0
    theo = spc.chart(y, chart="g", g_centre="theoretical")
    assert float(theo.cl[0]) == pytest.approx(0.693 * m)


def test_mr_chart() -> None:
    """qicharts2 qic.mr: CL = mean moving range, UCL = 3.267 x MR-bar, LCL = 0."""
    r = spc.chart([1.0, 3.0, 2.0, 6.0, None, 5.0, 4.0], chart="mr")  # type: ignore[list-item]
    assert r.to_dict()["points"][0]["y"] is None
    assert [None if math.isnan(v) else v for v in r.y.tolist()] == [
        None,
        2.0,
        1.0,
        4.0,
        None,
        None,
        1.0,
    ]
    assert float(r.cl[0]) == 2.0 and float(r.ucl[0]) == pytest.approx(6.534)
    assert float(r.lcl[0]) == 0.0 and float(r.ucl_2s[0]) == pytest.approx(3.267 / 3 * 2 * 2)


def test_ratio_with_n_for_run_i_mr() -> None:
    """qicharts2 plots y/n on run and I charts when n is given."""
    r = spc.chart([1, 2, 3, 4], [10, 10, 0, 20], chart="run")
    assert [None if math.isnan(v) else v for v in r.y.tolist()] == [0.1, 0.2, None, 0.2]


def test_xbar_subgroups_of_varying_size() -> None:
    """Montgomery eq. 6.31 pooled sd when subgroup sizes vary; size-1 subgroups count in
    the centre line but have no limits; empty subgroups are gaps."""
    groups: list[object] = [[1.0, 2.0, 3.0], [2.0, 4.0], [5.0], None, [], [3.0, None, 4.0]]
    r = spc.chart(groups, chart="xbar")  # type: ignore[arg-type]
    assert float(r.cl[0]) == pytest.approx((6 + 6 + 5 + 7) / 8)
    assert math.isnan(float(r.ucl[2])) and math.isnan(float(r.y[3]))
    s = spc.chart(groups, chart="s")  # type: ignore[arg-type]
    pooled = math.sqrt((2 * 1.0 + 1 * 2.0 + 1 * 0.5) / 4)
    assert float(s.cl[0]) == pytest.approx(pooled)
    assert math.isnan(float(s.y[2]))
    single = spc.chart([[1.0, 2.0, 3.0], 4.0, [5.0, 7.0]], chart="xbar")  # type: ignore[list-item]
    assert float(single.y[1]) == 4.0


def test_phases_freeze_and_exclude_together() -> None:
    y = [10.0, 12.0, 11.0, 13.0, 50.0, 12.0, 20.0, 22.0, 21.0, 23.0, 22.0, 80.0]
    r = spc.chart(y, chart="i", phases=[6], exclude=[4], freeze=4)
    assert float(r.cl[0]) == 11.5 and float(r.cl[6]) == 21.5
    assert r.phase.tolist() == [0] * 6 + [1] * 6
    assert r.excluded.tolist() == [i == 4 for i in range(12)]
    assert "outside_limits" in r.rules_at(11)


def test_assurance_icons() -> None:
    """NHSRplotthedots ptd_calculate_assurance_type: target vs the latest limits."""
    y = [90.0, 92.0, 91.0, 93.0, 92.0, 91.0, 90.0, 92.0]

    def icon(target: float | None, direction: str = "increase") -> str | None:
        return spc.chart(
            y,
            chart="i",
            target=target,  # type: ignore[arg-type]
            direction=direction,
        ).assurance_icon  # type: ignore[arg-type]

    r = spc.chart(y, chart="i")
    lcl, ucl = float(r.lcl[-1]), float(r.ucl[-1])
    assert icon(lcl - 1) == "pass" and icon(ucl + 1) == "fail"
    assert icon(91.0) == "inconsistent" and icon(ucl) == "inconsistent"
    assert icon(lcl - 1, "decrease") == "fail" and icon(ucl + 1, "decrease") == "pass"
    assert icon(91.0, "neutral") is None and icon(None) is None
    phased = spc.chart([*y, 50.0, 52.0, 51.0], chart="i", phases=[8], target=60.0)
    assert phased.assurance_icon == "fail"


def test_variation_icon_uses_latest_point_with_a_value() -> None:
    r = spc.chart([1.0, 2.0, 1.0, 2.0, 1.0, 9.0, None], chart="i", freeze=5)  # type: ignore[list-item]
    assert r.variation_icon == "improvement_high"


def test_result_api() -> None:
    r = spc.chart([1.0, 3.0, 2.0, 4.0], chart="c", x=["w1", "w2", "w3", "w4"])
    assert r.labels() == ["w1", "w2", "w3", "w4"]
    assert r.points[0] == r.points[0] and r.points[0].x == "w1"
    assert r == spc.chart([1.0, 3.0, 2.0, 4.0], chart="c", x=["w1", "w2", "w3", "w4"])
    assert r != spc.chart([1.0, 3.0, 2.0, 5.0], chart="c", x=["w1", "w2", "w3", "w4"])
    assert r != spc.chart([1.0, 3.0, 2.0, 4.0], chart="c")
    assert (r == 3) is False
    with pytest.raises(ValueError):
        r.y[0] = 5.0
    with pytest.raises(TypeError):
        hash(r)
    text = json.dumps(r.to_dict(), allow_nan=False)
    assert '"chart": "c"' in text and "NaN" not in text
    assert len(r) == 4 and spc.chart([1.0, 2.0], chart="c").labels() == [0, 1]


def test_numpy_input_and_integer_types() -> None:
    a = spc.chart(np.array([1, 2, 3, 4]), chart="c")
    b = spc.chart([np.int64(1), 2, np.float32(3), 4.0], chart="c")
    assert a == b
