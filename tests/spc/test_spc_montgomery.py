"""Published worked examples: Montgomery, *Introduction to Statistical Quality Control*.

Data as distributed with the qcc R package (luca-scr/qcc ``data/*.txt``, read through the
code-search tool), which reproduces Montgomery's tables; the expected figures are the ones
printed in the book (to the book's rounding) and are also the cases qicharts2 tests in
``tests/testthat/test_montgomery.R`` (``exclude = c(15, 23), part = 30``; ``exclude =
c(6, 20), freeze = 26``).
"""

from __future__ import annotations

import pytest

from qicollab import spc

# Montgomery Table 7.1 / qcc ``orangejuice``: nonconforming cans in samples of 50.
ORANGEJUICE = [
    12,
    15,
    8,
    10,
    4,
    7,
    16,
    9,
    14,
    10,
    5,
    6,
    17,
    12,
    22,
    8,
    10,
    5,
    13,
    11,
    20,
    18,
    24,
    15,
    9,
    12,
    7,
    13,
    9,
    6,
    9,
    6,
    12,
    5,
    6,
    4,
    6,
    3,
    7,
    6,
    2,
    4,
    3,
    6,
    5,
    4,
    8,
    5,
    6,
    7,
    5,
    6,
    3,
    5,
]
# Montgomery Table 7.8 / qcc ``circuit``: nonconformities in samples of 100 boards.
CIRCUIT = [
    21,
    24,
    16,
    12,
    15,
    5,
    28,
    20,
    31,
    25,
    20,
    24,
    16,
    19,
    10,
    17,
    13,
    22,
    18,
    39,
    30,
    24,
    16,
    19,
    17,
    15,
    16,
    18,
    12,
    15,
    24,
    21,
    28,
    20,
    25,
    19,
    18,
    21,
    16,
    22,
    19,
    12,
    14,
    9,
    16,
    21,
]
# Montgomery Table 6.3 / qcc ``pistonrings``: inside diameters, 25 samples of 5 (phase I).
PISTONRINGS = [
    [74.030, 74.002, 74.019, 73.992, 74.008],
    [73.995, 73.992, 74.001, 74.011, 74.004],
    [73.988, 74.024, 74.021, 74.005, 74.002],
    [74.002, 73.996, 73.993, 74.015, 74.009],
    [73.992, 74.007, 74.015, 73.989, 74.014],
    [74.009, 73.994, 73.997, 73.985, 73.993],
    [73.995, 74.006, 73.994, 74.000, 74.005],
    [73.985, 74.003, 73.993, 74.015, 73.988],
    [74.008, 73.995, 74.009, 74.005, 74.004],
    [73.998, 74.000, 73.990, 74.007, 73.995],
    [73.994, 73.998, 73.994, 73.995, 73.990],
    [74.004, 74.000, 74.007, 74.000, 73.996],
    [73.983, 74.002, 73.998, 73.997, 74.012],
    [74.006, 73.967, 73.994, 74.000, 73.984],
    [74.012, 74.014, 73.998, 73.999, 74.007],
    [74.000, 73.984, 74.005, 73.998, 73.996],
    [73.994, 74.012, 73.986, 74.005, 74.007],
    [74.006, 74.010, 74.018, 74.003, 74.000],
    [73.984, 74.002, 74.003, 74.005, 73.997],
    [74.000, 74.010, 74.013, 74.020, 74.003],
    [73.988, 74.001, 74.009, 74.005, 73.996],
    [74.004, 73.999, 73.990, 74.006, 74.009],
    [74.010, 73.989, 73.990, 74.009, 74.014],
    [74.015, 74.008, 73.993, 74.000, 74.010],
    [73.982, 73.984, 73.995, 74.017, 74.013],
]


def test_p_chart_orange_juice_trial_limits() -> None:
    """Montgomery Example 7.1: p̄ = 0.2313, UCL = 0.4102, LCL = 0.0524; samples 15 and 23
    (0-based 14 and 22) are above the UCL."""
    y, n = ORANGEJUICE[:30], [50] * 30
    r = spc.chart(y, n, chart="p")
    assert float(r.cl[0]) == pytest.approx(0.2313, abs=5e-5)
    assert float(r.ucl[0]) == pytest.approx(0.4102, abs=5e-5)
    assert float(r.lcl[0]) == pytest.approx(0.0524, abs=5e-5)
    assert [i for i in range(30) if "outside_limits" in r.rules_at(i)] == [14, 22]


def test_p_chart_orange_juice_revised_and_new_phase() -> None:
    """Montgomery Example 7.1 revised limits excluding samples 15 and 23: p̄ = 0.2150,
    UCL = 0.3893, LCL = 0.0407 (sample 21 now above). qicharts2's test
    ``qic(..., chart = 'p', exclude = c(15, 23), part = 30)`` also starts a new part after
    sample 30 (the new cardboard); the book's phase II centre line is 0.1108."""
    r = spc.chart(ORANGEJUICE, [50] * 54, chart="p", exclude=[14, 22], phases=[30])
    assert float(r.cl[0]) == pytest.approx(0.2150, abs=5e-5)
    assert float(r.ucl[0]) == pytest.approx(0.3893, abs=5e-5)
    assert float(r.lcl[0]) == pytest.approx(0.0407, abs=5e-5)
    assert "outside_limits" in r.rules_at(20)
    assert r.excluded[14] and r.excluded[22]
    assert float(r.cl[30]) == pytest.approx(0.1108, abs=5e-5)


def test_c_chart_circuit_boards() -> None:
    """Montgomery Example 7.3: c̄ = 19.85, UCL = 33.22, LCL = 6.48; samples 6 and 20 out.
    Revised without them: c̄ = 19.67, UCL = 32.97, LCL = 6.36 (qicharts2 test uses
    ``exclude = c(6, 20), freeze = 26``). The book rounds c̄ to 19.85 before computing
    the UCL (19.85 + 3·√19.85 = 33.22); unrounded, c̄ = 516/26 gives 33.21."""
    trial = spc.chart(CIRCUIT[:26], chart="c")
    assert float(trial.cl[0]) == pytest.approx(516 / 26, rel=1e-15)
    assert float(trial.ucl[0]) == pytest.approx(33.22, abs=1e-2)
    assert float(trial.lcl[0]) == pytest.approx(6.48, abs=5e-3)
    assert [i for i in range(26) if "outside_limits" in trial.rules_at(i)] == [5, 19]
    revised = spc.chart(CIRCUIT, chart="c", exclude=[5, 19], freeze=26)
    assert float(revised.cl[0]) == pytest.approx(19.67, abs=5e-3)
    assert float(revised.ucl[40]) == pytest.approx(32.97, abs=5e-3)
    assert float(revised.lcl[40]) == pytest.approx(6.36, abs=5e-3)
    # the excluded points are still judged against the limits (qicharts2 sigma.signal)
    assert revised.rules_at(5) == ("outside_limits",) and revised.rules_at(19) == (
        "outside_limits",
    )


def test_xbar_s_piston_rings() -> None:
    """Montgomery Example 6.3: x̿ = 74.001, A3 = 1.427, B4 = 2.089, B3 = 0, x̄ chart
    73.988 to 74.014. The book prints s̄ = 0.0094 and an s-chart UCL of 0.0196; the qcc
    copy of the data gives s̄ = 0.00924 (UCL 0.0193), so those two are checked to 3e-4."""
    xbar = spc.chart(PISTONRINGS, chart="xbar")
    s = spc.chart(PISTONRINGS, chart="s")
    assert float(xbar.cl[0]) == pytest.approx(74.001, abs=5e-4)
    assert float(s.cl[0]) == pytest.approx(0.0094, abs=3e-4)
    assert float(xbar.ucl[0]) == pytest.approx(74.014, abs=5e-4)
    assert float(xbar.lcl[0]) == pytest.approx(73.988, abs=5e-4)
    assert (float(xbar.ucl[0]) - float(xbar.cl[0])) / float(s.cl[0]) == pytest.approx(
        1.427, abs=5e-4
    )
    assert float(s.ucl[0]) / float(s.cl[0]) == pytest.approx(2.089, abs=5e-4)
    assert float(s.lcl[0]) == 0.0
    assert float(s.ucl[0]) == pytest.approx(0.0196, abs=5e-4)
    assert all(r == () for r in map(xbar.rules_at, range(25)))


@pytest.mark.parametrize(
    ("n", "c4", "a3", "b3", "b4"),
    [
        (2, 0.7979, 2.659, 0.0, 3.267),
        (5, 0.9400, 1.427, 0.0, 2.089),
        (10, 0.9727, 0.975, 0.284, 1.716),
        (25, 0.9896, 0.606, 0.565, 1.435),
    ],
)
def test_control_chart_constants(n: int, c4: float, a3: float, b3: float, b4: float) -> None:
    """Montgomery Appendix VI factors for constructing variables control charts."""
    assert spc.c4(n) == pytest.approx(c4, abs=5e-5)
    groups = [[float(i + j) for j in range(n)] for i in range(3)]
    xbar = spc.chart(groups, chart="xbar")
    s = spc.chart(groups, chart="s")
    sbar = float(s.cl[0])
    assert (float(xbar.ucl[0]) - float(xbar.cl[0])) / sbar == pytest.approx(a3, abs=5e-4)
    assert float(s.lcl[0]) / sbar == pytest.approx(b3, abs=5e-4)
    assert float(s.ucl[0]) / sbar == pytest.approx(b4, abs=5e-4)


# Montgomery Example 7.4 / qcc ``pcmanufact``: nonconformities in samples of 5 computers.
PCMANUFACT = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]
# Montgomery Example 7.5 / qcc ``dyedcloth``: nonconformities and inspection units (50 m²).
DYEDCLOTH = [
    (14, 10),
    (12, 8),
    (20, 13),
    (11, 10),
    (7, 9.5),
    (10, 10),
    (21, 12),
    (16, 10.5),
    (19, 12),
    (23, 12.5),
]
# Montgomery §6.4 (individual measurements), aircraft primer paint viscosity, 15 batches.
VISCOSITY = [
    33.75,
    33.05,
    34.00,
    33.81,
    33.46,
    34.02,
    33.68,
    33.27,
    33.49,
    33.20,
    33.62,
    33.00,
    33.54,
    33.12,
    33.84,
]


def test_u_chart_constant_sample_size() -> None:
    """Montgomery Example 7.4: ū = 1.93, UCL = 3.79, LCL = 0.07."""
    r = spc.chart(PCMANUFACT, [5] * 20, chart="u")
    assert float(r.cl[0]) == pytest.approx(1.93, abs=5e-3)
    assert float(r.ucl[0]) == pytest.approx(3.79, abs=5e-3)
    assert float(r.lcl[0]) == pytest.approx(0.07, abs=5e-3)
    assert all(r.rules_at(i) == () for i in range(20))


@pytest.mark.parametrize(
    ("units", "lcl", "ucl"), [(10, 0.29, 2.55), (8, 0.16, 2.68), (13, 0.43, 2.41), (12, 0.39, 2.45)]
)
def test_u_chart_variable_sample_size(units: float, lcl: float, ucl: float) -> None:
    """Montgomery Example 7.5 (dyed cloth): ū = 153/107.5 = 1.42, limits vary with the
    number of inspection units: ū ± 3 sqrt(ū / n_i). The book rounds ū to 1.42 before
    computing the limits, hence the 0.01 tolerance."""
    r = spc.chart([a for a, _ in DYEDCLOTH], [b for _, b in DYEDCLOTH], chart="u")
    i = [b for _, b in DYEDCLOTH].index(units)
    assert float(r.cl[i]) == pytest.approx(1.42, abs=5e-3)
    assert float(r.lcl[i]) == pytest.approx(lcl, abs=1e-2)
    assert float(r.ucl[i]) == pytest.approx(ucl, abs=1e-2)
    assert float(r.ucl[i]) == pytest.approx(153 / 107.5 + 3 * (153 / 107.5 / units) ** 0.5)


def test_individuals_and_moving_range_viscosity() -> None:
    """Montgomery §6.4: x̄ = 33.52, MR̄ = 0.48; I chart 32.24 to 34.80 (3·MR̄/1.128),
    MR chart UCL = 3.267·MR̄ = 1.57; no point out of control."""
    i = spc.chart(VISCOSITY, chart="i", xmr_constant="d2")
    mr = spc.chart(VISCOSITY, chart="mr")
    assert float(i.cl[0]) == pytest.approx(33.52, abs=5e-3)
    assert float(mr.cl[0]) == pytest.approx(0.48, abs=5e-3)
    assert float(i.ucl[0]) == pytest.approx(34.80, abs=5e-3)
    assert float(i.lcl[0]) == pytest.approx(32.24, abs=5e-3)
    assert float(mr.ucl[0]) == pytest.approx(1.57, abs=5e-3)
    assert all(i.rules_at(k) == () for k in range(15))
    # Making Data Count constant: 2.66 instead of 3/1.128 = 2.6596
    mdc = spc.chart(VISCOSITY, chart="i")
    assert float(mdc.ucl[0]) - float(mdc.cl[0]) == pytest.approx(2.66 * float(mr.cl[0]))
