"""Funnel plots (``qicollab.spc.funnel``) against the published formulas and FunnelPlotR.

Sources:

* Spiegelhalter DJ (2005), "Funnel plots for comparing institutional performance",
  Statistics in Medicine 24:1185-1202, Table I (limits p0 ± z·sqrt(p0(1-p0)/n) for
  proportions, θ0 ± z·sqrt(θ0/n) for Poisson rates) and §5 (overdispersion: winsorised
  z-scores, φ = Σz²/N, additive random effects τ²).
* NHS-R FunnelPlotR, R/od_adjustment.R (``transformed_zscore``: arcsine-sqrt for
  proportions with s = 1/(2√n), sqrt ratio ("CQC") for ratios with s = 1/(2√E);
  ``winsorisation`` with R's type-7 quantiles; ``phi_func``; ``tau_func``) and
  R/build_limits_lookup.R (``odul95 = (1 + 1.959964·sqrt(1/(4E) + τ²))²`` for the
  CQC method). Its test data set (tests/testthat/test-funnel_plot.R) is the six units
  numerator 100, 150, 180, 80, 120, 225 over expected 108, 112, 165, 95, 100, 220.

No published table of numbers for a worked example was available to the author: the
"worked examples" below are the textbook limits recomputed by hand (shown in the
comments) and an independent, plain-Python transcription of FunnelPlotR's algorithm.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qicollab import spc

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FPR_OBSERVED = [100, 150, 180, 80, 120, 225]
FPR_EXPECTED = [108, 112, 165, 95, 100, 220]


def r_quantile(xs: list[float], q: float) -> float:
    """R's default quantile (type 7), written out."""
    s = sorted(xs)
    h = (len(s) - 1) * q
    lo = math.floor(h)
    return s[lo] + (h - lo) * (s[min(lo + 1, len(s) - 1)] - s[lo])


def fpr_reference(
    y: list[float], target: float, s: list[float], trim: float
) -> tuple[float, float]:
    """FunnelPlotR's phi and tau2, transcribed from R/od_adjustment.R into plain Python."""
    z = [(yi - target) / si for yi, si in zip(y, s, strict=True)]
    lz, uz = r_quantile(z, trim), r_quantile(z, 1 - trim)
    wz = [min(max(zi, lz), uz) for zi in z]
    n = len(wz)
    phi = sum(v * v for v in wz) / n
    if n * phi < n - 1:
        return phi, 0.0
    w = [1 / si**2 for si in s]
    tau2 = max(0.0, (n * phi - (n - 1)) / (sum(w) - sum(v * v for v in w) / sum(w)))
    return phi, tau2


def test_proportion_limits_textbook() -> None:
    # p0 = 0.1 (pooled 10 of 100 at each of two units), n = 100:
    # se = sqrt(0.1 * 0.9 / 100) = 0.03; 95%: 0.1 ± 1.959964 * 0.03 = 0.041201 .. 0.158799;
    # 99.8%: 0.1 ± 3.090232 * 0.03 = 0.007293 .. 0.192707.
    r = spc.funnel([10, 10], [100, 100])
    u = r.units[0]
    assert r.target == pytest.approx(0.1)
    assert (u.lower_95, u.upper_95) == pytest.approx((0.041201, 0.158799), abs=1e-6)
    assert (u.lower_998, u.upper_998) == pytest.approx((0.007293, 0.192707), abs=1e-6)


def test_rate_limits_textbook() -> None:
    # 40 events over 20,000 bed days at two units: θ0 = 0.002 per bed day, n = 10,000:
    # se = sqrt(0.002 / 10000) = 0.000447214; 95% upper 0.002 + 1.959964 * se = 0.0028765.
    r = spc.funnel([20, 20], [10_000, 10_000], kind="rate")
    assert r.units[0].upper_95 == pytest.approx(0.0028765, abs=1e-7)
    assert r.units[0].lower_998 == pytest.approx(0.002 - 3.090232 * 0.000447214, abs=1e-8)


def test_positions_and_z() -> None:
    # Pooled 150/1500 = 0.1; unit 3 has 30/100 (z = (0.3-0.1)/0.03 = 6.67): above 99.8%;
    # unit 2 has 1/100 (z = -3): below the 95% limit but inside the 99.8% one.
    r = spc.funnel([119, 1, 30], [1300, 100, 100])
    assert [u.position for u in r.units] == ["within", "below_95", "above_998"]
    assert r.units[1].z == pytest.approx(-3.0, abs=1e-9)
    assert r.units[2].z == pytest.approx(0.2 / 0.03)
    assert r.count("above_998") == 1
    assert r.units[2].outside_998 and r.units[1].outside_95 and not r.units[1].outside_998


def test_funnelplotr_ratio_phi_tau2() -> None:
    """The six-unit FunnelPlotR test data, CQC (square-root) method, 10% winsorisation."""
    y = [math.sqrt(o / e) for o, e in zip(FPR_OBSERVED, FPR_EXPECTED, strict=True)]
    s = [1 / (2 * math.sqrt(e)) for e in FPR_EXPECTED]
    phi, tau2 = fpr_reference(y, 1.0, s, 0.1)
    r = spc.funnel(FPR_OBSERVED, FPR_EXPECTED, kind="ratio", overdispersion=True)
    assert r.phi == pytest.approx(phi, rel=1e-12)
    assert r.tau2 == pytest.approx(tau2, rel=1e-12)
    assert r.phi > 1 and r.tau2 > 0 and r.adjusted
    # Limits as build_limits_lookup.R's CQC branch: (1 ± z·sqrt(1/(4E) + τ²))².
    e = FPR_EXPECTED[4]
    half = 1.959964 * math.sqrt(1 / (4 * e) + tau2)
    assert r.units[4].upper_95 == pytest.approx((1 + half) ** 2)
    assert r.units[4].lower_95 == pytest.approx((1 - half) ** 2)
    # Units 2 (highest z) and 4 (lowest) are the winsorised ones.
    assert [u.winsorised for u in r.units] == [False, True, False, True, False, False]


def test_funnelplotr_proportion_phi_tau2() -> None:
    """Proportions: arcsine-square-root transform around the pooled proportion."""
    num = [12, 40, 33, 5, 60, 18, 25, 9]
    den = [100, 150, 200, 80, 210, 90, 300, 40]
    p0 = sum(num) / sum(den)
    y = [math.asin(math.sqrt(a / b)) for a, b in zip(num, den, strict=True)]
    s = [1 / (2 * math.sqrt(b)) for b in den]
    phi, tau2 = fpr_reference(y, math.asin(math.sqrt(p0)), s, 0.1)
    r = spc.funnel(num, den, overdispersion=True)
    assert (r.phi, r.tau2) == pytest.approx((phi, tau2), rel=1e-12)
    assert r.adjusted
    half = 3.090232 * math.sqrt(s[0] ** 2 + tau2)
    assert r.units[0].upper_998 == pytest.approx(math.sin(math.asin(math.sqrt(p0)) + half) ** 2)
    # Without the adjustment the same data keep their unadjusted limits, and phi is reported.
    plain = spc.funnel(num, den)
    assert not plain.adjusted and plain.phi == pytest.approx(phi)
    assert plain.units[0].upper_998 < r.units[0].upper_998


def test_no_overdispersion_keeps_poisson_limits() -> None:
    # Identical rates: every z is 0, φ = 0 < (N-1)/N, so τ² = 0 and nothing is adjusted.
    r = spc.funnel([10, 20, 30], [100, 200, 300], kind="rate", overdispersion=True)
    assert r.tau2 == 0.0 and not r.adjusted
    assert all(u.position == "within" for u in r.units)


def test_degenerate_pooled_zero() -> None:
    r = spc.funnel([0, 0], [10, 20])
    assert r.target == 0.0
    assert all(u.position == "within" and u.upper_998 == 0.0 for u in r.units)
    assert r.limits_at(5) == (0.0, 0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("num", "den", "kwargs", "error", "text"),
    [
        ([1, 2], [10], {}, spc.LengthMismatchError, "2 numerators but 1 denominators"),
        ([], [], {}, spc.TooFewPointsError, "at least one unit"),
        ([1, -1], [10, 10], {}, spc.NegativeValueError, "unit 2 is negative"),
        ([1, 1], [10, 0], {}, spc.NegativeValueError, "more than 0"),
        ([11], [10], {}, spc.NumeratorExceedsDenominatorError, "Unit 1"),
        ([1], [10], {"kind": "odds"}, spc.OptionError, "not 'odds'"),
        ([1], [10], {"winsorise": 0.5}, spc.OptionError, "Winsorise"),
        ([1], [10], {"target": 2.0}, spc.OptionError, "target"),
        (["x"], [10], {}, spc.NonNumericValueError, "number"),
        ([float("nan")], [10], {}, spc.NonNumericValueError, "unit 1"),
    ],
)
def test_bad_input(num: list, den: list, kwargs: dict, error: type, text: str) -> None:
    with pytest.raises(error, match=text):
        spc.funnel(num, den, **kwargs)


units = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 400)).map(lambda t: (min(t), max(t))),
    min_size=2,
    max_size=30,
)


@SETTINGS
@given(units, st.booleans(), st.sampled_from(["proportion", "rate"]))
def test_limits_widen_as_denominator_shrinks(data: list, od: bool, kind: str) -> None:
    num, den = zip(*data, strict=True)
    r = spc.funnel(list(num), list(den), kind=kind, overdispersion=od)  # type: ignore[arg-type]
    sizes = sorted({*den, 1, 5, 1000})
    limits = [r.limits_at(n) for n in sizes]
    for small, large in itertools.pairwise(limits):
        lo998_s, lo95_s, hi95_s, hi998_s = small
        lo998_l, lo95_l, hi95_l, hi998_l = large
        assert hi95_s >= hi95_l - 1e-12 and hi998_s >= hi998_l - 1e-12
        assert lo95_s <= lo95_l + 1e-12 and lo998_s <= lo998_l + 1e-12


@SETTINGS
@given(units, st.booleans(), st.sampled_from(["proportion", "rate", "ratio"]))
def test_998_outside_95_and_positions_agree(data: list, od: bool, kind: str) -> None:
    num, den = zip(*data, strict=True)
    r = spc.funnel(list(num), list(den), kind=kind, overdispersion=od)  # type: ignore[arg-type]
    for u in r.units:
        assert u.lower_998 <= u.lower_95 <= r.target <= u.upper_95 <= u.upper_998
        if u.position == "above_998":
            assert u.value > u.upper_998
        elif u.position == "within":
            assert u.lower_95 <= u.value <= u.upper_95
        if not r.adjusted and u.position == "within" and 0 < r.target < 1:
            assert abs(u.z) <= 1.959964 + 1e-9
    assert sum(r.count(p) for p in spc.POSITIONS) == len(r.units)
