"""Signal runs: special-cause points grouped into runs, rule bits decoded by the engine."""

from __future__ import annotations

import dataclasses

import pytest

from qicollab import spc

# Phase 0: seven high then seven low; phase 1 (from index 14): seven low then seven high.
# The seven lows each side of the phase boundary are shifts within their own phase.
HI, LO = [10.0] * 7, [2.0] * 7
TWO_PHASES = HI + LO + LO + HI


def test_one_point_outside_the_limits_is_a_run_of_one() -> None:
    r = spc.chart([5, 5, 6, 5, 6, 5, 6, 5, 20], chart="i", freeze=8, direction="decrease")
    (run,) = spc.signal_runs(r)
    assert (run.point_class, run.side, run.rules) == ("concern", "high", ("outside_limits",))
    assert (run.first, run.last, run.count, run.phase) == (8, 8, 1, 0)


def test_runs_are_split_by_side_and_by_phase() -> None:
    r = spc.chart(TWO_PHASES, chart="i", phases=[14], direction="increase")
    runs = spc.signal_runs(r)
    assert [(x.point_class, x.side, x.first, x.last, x.phase) for x in runs] == [
        ("improvement", "high", 0, 6, 0),
        ("concern", "low", 7, 13, 0),
        ("concern", "low", 14, 20, 1),
        ("improvement", "high", 21, 27, 1),
    ]
    assert all("shift" in x.rules for x in runs)


def test_across_phases_joins_a_run_over_the_boundary() -> None:
    r = spc.chart(TWO_PHASES, chart="i", phases=[14], direction="increase")
    runs = spc.signal_runs(r, across_phases=True)
    assert [(x.side, x.first, x.last, x.count, x.phase) for x in runs] == [
        ("high", 0, 6, 7, 0),
        ("low", 7, 20, 14, 0),
        ("high", 21, 27, 7, 1),
    ]


def test_missing_and_excluded_points_neither_start_nor_break_a_run() -> None:
    ys: list[float | None] = [10.0] * 8 + [2.0, None] + [2.0] * 8
    r = spc.chart(ys, chart="i", direction="neutral", exclude=[10])
    runs = spc.signal_runs(r)
    assert [(x.point_class, x.side, x.first, x.last, x.count) for x in runs] == [
        ("neutral", "high", 0, 7, 8),
        ("neutral", "low", 8, 17, 8),  # index 9 missing, index 10 excluded
    ]


def test_common_cause_only_has_no_runs_and_results_are_frozen() -> None:
    r = spc.chart([5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6], chart="i")
    assert spc.signal_runs(r) == ()
    run = spc.signal_runs(spc.chart([5, 5, 6, 5, 6, 5, 6, 5, 20], chart="i", freeze=8))[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.count = 2  # type: ignore[misc]


def test_options_are_keyword_only() -> None:
    r = spc.chart([5, 6, 5, 6, 5], chart="i")
    with pytest.raises(TypeError):
        spc.signal_runs(r, True)  # type: ignore[misc]
