"""Anhøj runs analysis: critical values and behaviour.

Source: Anhøj J, Olesen AV (2014) *Run charts revisited*, PLOS ONE 9(11): e113825
(Table 1: upper limit for the longest run and lower limit for the number of crossings);
qicharts2 ``runs.analysis()`` and the vignette's Appendix 2 table (n = 10 ... 100:
``round(log2(n) + 3)`` and ``qbinom(0.05, n - 1, 0.5)``).
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from qicollab import spc


def binomial_lower_5pct(trials: int) -> int:
    """Independent definition: smallest c with P(C <= c) >= 0.05, C ~ Bin(trials, 1/2)."""
    total = Fraction(0)
    for c in range(trials + 1):
        total += Fraction(math.comb(trials, c), 2**trials)
        if total >= Fraction(1, 20):
            return c
    raise AssertionError  # pragma: no cover


def test_critical_values_table_10_to_100() -> None:
    """The whole table, recomputed from the binomial definition and log2."""
    for n in range(10, 101):
        assert spc.crossings_min(n) == binomial_lower_5pct(n - 1), n
        assert spc.longest_run_max(n) == round(math.log2(n) + 3), n
        assert spc.anhoej_limits(n) == (spc.longest_run_max(n), spc.crossings_min(n))


@pytest.mark.parametrize(
    ("n", "longest", "crossings"),
    [(10, 6, 2), (20, 7, 6), (24, 8, 8), (30, 8, 10), (50, 9, 19), (100, 10, 41)],
)
def test_quoted_critical_values(n: int, longest: int, crossings: int) -> None:
    """Values quoted in Anhøj & Olesen 2014 Table 1 / qicharts2 Appendix 2 (and the vignette
    text: 24 useful points -> more than 8 is a long run, fewer than 8 crossings). The issue
    text quotes 44 crossings for n = 100; the binomial definition (and qicharts2) give 41,
    see ``test_issue_value_for_100_is_not_the_binomial_quantile``."""
    assert spc.anhoej_limits(n) == (longest, crossings)


def test_issue_value_for_100_is_not_the_binomial_quantile() -> None:
    """P(C <= 41) >= 0.05 > P(C <= 40) for C ~ Bin(99, 1/2), so 41, not 44."""
    cdf = lambda c: sum(math.comb(99, i) for i in range(c + 1)) / 2**99  # noqa: E731
    assert cdf(40) < 0.05 <= cdf(41)
    assert cdf(44) > 0.15


def test_qbinom_general_probability_and_edges() -> None:
    assert spc.qbinom(0.05, 0) == 0
    assert spc.qbinom(1.0, 5) == 5
    assert spc.qbinom(0.0, 5) == 0
    assert spc.qbinom(0.5, 10, 0.3) == 3
    assert spc.qbinom(0.9, 4, 1.0) == 4
    assert spc.qbinom(0.5, 3, 0.0) == 0
    with pytest.raises(ValueError):
        spc.qbinom(1.5, 3)
    with pytest.raises(ValueError):
        spc.longest_run_max(0)


def test_large_n_is_exact_and_fast() -> None:
    assert spc.crossings_min(2001) == binomial_lower_5pct(2000)


def test_points_on_the_centre_line_are_dropped() -> None:
    """qicharts2: runs <- runs[runs != 0]; a point on the median neither breaks a run nor
    counts as a crossing."""
    r = spc.chart([1.0, 2.0, 3.0, 3.0, 3.0, 4.0, 5.0], chart="run")
    assert float(r.cl[0]) == 3.0
    assert r.runs[0].to_dict() == {
        "phase": 0,
        "n_useful": 4,
        "longest_run": 2,
        "longest_run_max": 5,
        "crossings": 1,
        "crossings_min": 0,
        "signal": False,
    }


def test_long_run_signal() -> None:
    r = spc.chart([1.0] * 9 + [3.0] * 9, chart="run")
    run = r.runs[0]
    assert float(r.cl[0]) == 2.0
    assert (run.n_useful, run.longest_run, run.longest_run_max, run.crossings) == (18, 9, 7, 1)
    assert run.signal


def test_few_crossings_signal() -> None:
    y = [1.0] * 6 + [9.0] * 6 + [1.0] * 6 + [9.0] * 6
    run = spc.chart(y, chart="run", freeze=24).runs[0]
    assert (run.n_useful, run.crossings, run.crossings_min, run.longest_run) == (24, 3, 8, 6)
    assert run.signal


def test_runs_per_phase_and_excluded_points() -> None:
    y = [1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 5.0, 6.0, 5.0, 6.0, 5.0, 50.0]
    r = spc.chart(y, chart="run", phases=[6], exclude=[11])
    assert float(r.cl[6]) == 5.0  # median of 5, 6, 5, 6, 5: the three 5s are not useful
    assert [x.n_useful for x in r.runs] == [6, 2]
    assert [x.phase for x in r.runs] == [0, 1]


def test_no_useful_points() -> None:
    r = spc.chart([5.0, 5.0, 5.0], chart="run")
    assert r.runs[0].to_dict() == {
        "phase": 0,
        "n_useful": 0,
        "longest_run": None,
        "longest_run_max": None,
        "crossings": None,
        "crossings_min": None,
        "signal": False,
    }


def test_mr_chart_never_signals() -> None:
    r = spc.chart([1.0, 5.0] * 6 + [1.0] * 12, chart="mr")
    assert r.runs[0].longest_run is not None and r.runs[0].longest_run > 10
    assert r.runs[0].signal is False


def test_all_chart_types_report_runs() -> None:
    for chart, y, n in [
        ("i", [1, 2, 3, 2, 1], None),
        ("p", [1, 2, 1], [10, 10, 10]),
        ("c", [1, 2, 3], None),
        ("g", [5, 1, 9], None),
        ("t", [5, 1, 9], None),
        ("xbar", [[1, 2], [2, 3], [3, 5]], None),
    ]:
        r = spc.chart(y, n, chart=chart)  # type: ignore[arg-type]
        assert len(r.runs) == 1 and r.runs[0].n_useful >= 1
