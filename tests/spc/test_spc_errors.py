"""Typed, plain-English errors for bad input."""

from __future__ import annotations

import pytest

from qicollab import spc


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (
            lambda: spc.chart([5, 2], [4, 10], chart="p"),
            spc.NumeratorExceedsDenominatorError,
            "Point 0: the numerator (5) is greater than the denominator (4)",
        ),
        (
            lambda: spc.chart([1, 2], [-4, 10], chart="u"),
            spc.NegativeValueError,
            "denominators cannot be negative",
        ),
        (lambda: spc.chart([1, -2], chart="g"), spc.NegativeValueError, "counts cannot"),
        (
            lambda: spc.chart([1, 0, 3], chart="t", x=["a", "b", "c"]),
            spc.NonPositiveTimeError,
            "Point 1 (b)",
        ),
        (lambda: spc.chart([1, -3, 3], chart="t"), spc.NonPositiveTimeError, "-3"),
        (lambda: spc.chart([1, "2"], chart="i"), spc.NonNumericValueError, "'2'"),
        (lambda: spc.chart([1, True], chart="i"), spc.NonNumericValueError, "True"),
        (lambda: spc.chart([1, float("inf")], chart="i"), spc.NonNumericValueError, "infinite"),
        (lambda: spc.chart("12", chart="i"), spc.NonNumericValueError, "list of numbers"),
        (lambda: spc.chart([[1, 2]], chart="i"), spc.NonNumericValueError, "not a number"),
        (lambda: spc.chart([1, 2], [1], chart="p"), spc.LengthMismatchError, "must line up"),
        (lambda: spc.chart([1, 2], [1], chart="i"), spc.LengthMismatchError, "must line up"),
        (lambda: spc.chart([1, 2], chart="i", x=["a"]), spc.LengthMismatchError, "'x'"),
        (
            lambda: spc.chart([1, 2, 3], chart="i", phases=[3]),
            spc.IndexOutOfRangeError,
            "positions 0 to 2",
        ),
        (lambda: spc.chart([1, 2, 3], chart="i", exclude=[-1]), spc.OptionError, "at least 0"),
        (lambda: spc.chart([1, 2, 3], chart="nope"), spc.UnknownChartError, "run, i, mr"),
        (lambda: spc.chart([1, 2, 3], chart="i", direction="up"), spc.OptionError, "increase"),
        (lambda: spc.chart([None], chart="i"), spc.TooFewPointsError, "at least 1"),
        (
            lambda: spc.chart([1, 2, 3, None], chart="i", phases=[3]),
            spc.TooFewPointsError,
            "Phase 1 (starting at point 3) has 0 usable points",
        ),
        (lambda: spc.chart([None, None], chart="c"), spc.TooFewPointsError, "at least 1"),
        (lambda: spc.chart([[1], [2]], chart="s"), spc.TooFewPointsError, "two or more values"),
        (lambda: spc.chart([None], chart="mr"), spc.TooFewPointsError, "at least 1"),
        (lambda: spc.chart([], chart="run"), spc.TooFewPointsError, "has no points"),
        (lambda: spc.chart([None, None], chart="mr"), spc.TooFewPointsError, "usable points"),
        (lambda: spc.chart([1, 2], chart="p"), spc.OptionError, "needs denominators"),
        (lambda: spc.chart([1, 2], [3, 4], chart="c"), spc.OptionError, "does not use"),
        (lambda: spc.chart([[1, 2], "x"], chart="xbar"), spc.NonNumericValueError, "subgroup 1"),
        (lambda: spc.chart(5, chart="xbar"), spc.NonNumericValueError, "list of subgroups"),
        (lambda: spc.chart([1, 2], [1, -1], chart="run"), spc.NegativeValueError, "Point 1"),
        (
            lambda: spc.chart(__import__("numpy").ones((2, 2)), chart="i"),
            spc.NonNumericValueError,
            "flat list",
        ),
    ],
)
def test_error_types_and_messages(call, error, fragment) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as info:
        call()
    assert fragment in str(info.value)
    assert isinstance(info.value, spc.SpcInputError) and isinstance(info.value, ValueError)


def test_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        spc.chart([1, 2], chart="i", frieze=3)  # type: ignore[call-arg]
