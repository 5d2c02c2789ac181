"""Bundle maths (domain.md 4.2 worked examples), reliability levels and period dates."""

from __future__ import annotations

from datetime import date

import pytest

from qicollab.measures.bundles import Audit, bundle_rates, reliability_level, sample_caution
from qicollab.measures.periods import (
    add_periods,
    grid_problem,
    is_on_grid,
    period_label,
    period_range,
    snap,
)

M, N, NA = "met", "not_met", "na"
JAN, FEB = date(2025, 1, 1), date(2025, 2, 1)


def audits(period: date, *rows: tuple[str, ...]) -> list[Audit]:
    return [Audit(period, dict(zip("abc", r, strict=True))) for r in rows]


def test_worked_example_four_patients_three_elements() -> None:
    """domain.md 4.2: P1 3/3, P2 2/3, P3 3/3, P4 1/3 -> composite 9/12, all-or-none 2/4."""
    [p] = bundle_rates(audits(JAN, (M, M, M), (M, N, M), (M, M, M), (N, N, M)), elements="abc")
    assert (p.composite.successes, p.composite.eligible) == (9, 12)
    assert p.composite.percent == 75.0
    assert (p.all_or_none.successes, p.all_or_none.eligible) == (2, 4)
    assert p.all_or_none.percent == 50.0
    assert {k: (r.successes, r.eligible) for k, r in p.elements.items()} == {
        "a": (3, 4),
        "b": (2, 4),
        "c": (4, 4),
    }
    assert p.reliability is not None and p.reliability.code == "chaotic"


def test_not_applicable_leaves_numerator_and_denominator() -> None:
    [p] = bundle_rates(audits(JAN, (M, NA, M), (NA, N, M)), elements="abc")
    assert (p.elements["a"].successes, p.elements["a"].eligible) == (1, 1)
    assert (p.elements["b"].successes, p.elements["b"].eligible) == (0, 1)
    assert (p.composite.successes, p.composite.eligible) == (3, 4)
    # Patient 1 met everything that applied: defect-free.
    assert (p.all_or_none.successes, p.all_or_none.eligible) == (1, 2)


def test_audit_with_no_applicable_element_is_excluded() -> None:
    [p] = bundle_rates(audits(JAN, (M, M, M), (NA, NA, NA)), elements="abc")
    assert p.excluded == 1
    assert (p.all_or_none.successes, p.all_or_none.eligible) == (1, 1)
    assert (p.composite.successes, p.composite.eligible) == (3, 3)


def test_periods_are_separate_and_in_order() -> None:
    rows = audits(FEB, (M, M, M)) + audits(JAN, (N, M, M), (M, M, M))
    result = bundle_rates(rows, elements="abc")
    assert [p.period for p in result] == [JAN, FEB]
    assert [p.all_or_none.percent for p in result] == [50.0, 100.0]


def test_missing_or_unknown_element_result_is_refused() -> None:
    with pytest.raises(ValueError, match="element 'c'"):
        bundle_rates([Audit(JAN, {"a": M, "b": M})], elements="abc")
    with pytest.raises(ValueError, match="'maybe'"):
        bundle_rates([Audit(JAN, {"a": M, "b": M, "c": "maybe"})], elements="abc")


def test_an_element_that_never_applied_has_no_rate() -> None:
    [p] = bundle_rates(audits(JAN, (M, NA, M)), elements="abc")
    assert p.elements["b"].rate is None and p.elements["b"].percent is None


@pytest.mark.parametrize(
    ("successes", "eligible", "code", "meets_aim"),
    [
        (47, 50, "10-1", False),  # domain.md: 94% misses the 95% aim
        (196, 200, "10-2", True),  # domain.md: 98%
        (79, 100, "chaotic", False),
        (80, 100, "10-1", False),
        (90, 100, "10-1", False),  # the table's undefined 90-94.9% band
        (95, 100, "10-2", True),  # exactly 95% meets the aim
        (9499, 10000, "10-1", False),
        (199, 200, "10-3", True),  # exactly 99.5%
        (1989, 2000, "10-2", True),  # 99.45%
        (0, 5, "chaotic", False),
    ],
)
def test_reliability_levels(successes: int, eligible: int, code: str, meets_aim: bool) -> None:
    level = reliability_level(successes, eligible)
    assert level is not None
    assert (level.code, level.meets_aim) == (code, meets_aim)


def test_no_reliability_without_eligible_audits() -> None:
    assert reliability_level(0, 0) is None


# --- periods -----------------------------------------------------------------------------


def test_snap_each_frequency() -> None:
    d = date(2025, 5, 14)  # a Wednesday
    assert snap(d, "daily") == d
    assert snap(d, "weekly") == date(2025, 5, 12)
    assert snap(d, "weekly", week_start=6) == date(2025, 5, 11)  # weeks starting Sunday
    assert snap(d, "monthly") == date(2025, 5, 1)
    assert snap(d, "quarterly") == date(2025, 4, 1)
    assert snap(date(2025, 12, 31), "quarterly") == date(2025, 10, 1)


def test_grid_checks() -> None:
    assert is_on_grid(date(2025, 5, 12), "weekly")
    assert not is_on_grid(date(2025, 5, 14), "monthly")
    assert grid_problem(date(2025, 5, 14), "monthly") is None  # snapped, not refused
    problem = grid_problem(date(2025, 5, 14), "weekly")
    assert problem is not None and "Monday 12 May 2025" in problem


def test_add_periods_across_year_ends() -> None:
    assert add_periods(date(2024, 12, 1), "monthly", 1) == date(2025, 1, 1)
    assert add_periods(date(2025, 1, 1), "monthly", -1) == date(2024, 12, 1)
    assert add_periods(date(2025, 10, 1), "quarterly", 2) == date(2026, 4, 1)
    assert add_periods(date(2025, 12, 29), "weekly", 1) == date(2026, 1, 5)
    assert add_periods(date(2024, 2, 28), "daily", 1) == date(2024, 2, 29)


def test_period_range_generates_the_grid() -> None:
    weeks = period_range(date(2025, 3, 5), date(2025, 3, 20), "weekly")
    assert weeks == [date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 17)]
    assert len(period_range(date(2023, 1, 1), date(2025, 12, 31), "monthly")) == 36
    assert period_range(date(2025, 3, 1), date(2025, 1, 1), "monthly") == []


def test_period_labels() -> None:
    assert period_label(date(2025, 3, 1), "monthly") == "March 2025"
    assert period_label(date(2025, 10, 1), "quarterly") == "Oct to Dec 2025"
    assert period_label(date(2025, 3, 3), "weekly") == "w/c 3 March 2025"
    assert period_label(date(2025, 3, 3), "daily") == "3 March 2025"


def test_unknown_frequency() -> None:
    with pytest.raises(ValueError, match="fortnightly"):
        snap(JAN, "fortnightly")


@pytest.mark.parametrize(
    ("successes", "eligible", "caution"),
    [
        # 100% of 20 reads as 10⁻³, but a single defect in 20 would already be 95%.
        (20, 20, "Only 20 audits: at least 200 are needed to show 10⁻³"),
        (4, 4, "Only 4 audits: at least 200 are needed to show 10⁻³"),
        (199, 200, ""),  # 99.5% of 200: enough audits to show 10⁻³
        (19, 20, ""),  # 95% of 20: 10⁻², and 20 audits can show it
        (9, 10, ""),  # 90%: 10⁻¹
        (3, 4, ""),  # 75%: chaotic, nothing to overstate
    ],
)
def test_sample_caution_when_too_few_audits_to_show_the_level(
    successes: int, eligible: int, caution: str
) -> None:
    text = sample_caution(reliability_level(successes, eligible), eligible)
    assert text.startswith(caution) and bool(text) == bool(caution)
