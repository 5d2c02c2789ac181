"""Harm potentially avoided: worked examples of the method (pure, no database)."""

from __future__ import annotations

import pytest

from qicollab.huddles.avoided import harm_avoided, poisson_interval


def test_worked_example_falls_on_a_24_bed_ward() -> None:
    # Before huddles: 60 falls over 12 months of 24 beds (8,760 occupied bed days), i.e.
    # 6.85 per 1,000 bed days. Since: 8,760 bed days again, 20 falls observed.
    # Expected = 60 / 8760 * 8760 = 60; avoided = 60 - 20 = 40.
    # Byar's 95% limits for 20 observed: 12.22 to 30.89, so the avoided interval is
    # 60 - 30.89 = 29.11 to 60 - 12.22 = 47.78.
    r = harm_avoided(baseline_events=60, baseline_exposure=8760, observed=20, exposure=8760)
    assert r.expected == pytest.approx(60.0)
    assert r.avoided == pytest.approx(40.0)
    assert r.low == pytest.approx(29.11, abs=0.01)
    assert r.high == pytest.approx(47.79, abs=0.01)
    assert r.baseline_rate * 1000 == pytest.approx(6.849, abs=0.001)
    assert r.sentence.startswith("40 potentially avoided (95% interval 29 to 48)")


def test_unequal_exposure_scales_the_expected_count() -> None:
    # 30 events in 300 days = 0.1 a day; 150 days since -> 15 expected; 6 observed -> 9.
    r = harm_avoided(baseline_events=30, baseline_exposure=300, observed=6, exposure=150)
    assert (r.expected, r.avoided) == (pytest.approx(15.0), pytest.approx(9.0))
    low, high = poisson_interval(6)
    assert r.low == pytest.approx(15 - high) and r.high == pytest.approx(15 - low)


def test_byar_interval_is_close_to_the_exact_poisson_limits() -> None:
    # Exact (Garwood) 95% limits: 0 -> (0, 3.689); 1 -> (0.0253, 5.572); 10 -> (4.795, 18.39).
    for observed, exact in ((0, (0.0, 3.689)), (1, (0.0253, 5.572)), (10, (4.795, 18.39))):
        low, high = poisson_interval(observed)
        assert low == pytest.approx(exact[0], abs=0.06)
        assert high == pytest.approx(exact[1], rel=0.01)


def test_more_events_than_expected_gives_a_negative_figure_and_bad_input_is_refused() -> None:
    assert harm_avoided(
        baseline_events=5, baseline_exposure=100, observed=9, exposure=100
    ).avoided == pytest.approx(-4.0)
    with pytest.raises(ValueError, match="Exposure must be positive"):
        harm_avoided(baseline_events=5, baseline_exposure=0, observed=1, exposure=10)
    with pytest.raises(ValueError, match="cannot be negative"):
        harm_avoided(baseline_events=-1, baseline_exposure=10, observed=1, exposure=10)
    with pytest.raises(ValueError):
        poisson_interval(-1)
