"""Conversion and validation of raw input values (lists from JSON, numpy arrays...)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .errors import (
    LengthMismatchError,
    NegativeValueError,
    NonNumericValueError,
    NonPositiveTimeError,
    NumeratorExceedsDenominatorError,
    OptionError,
)
from .options import chart_label
from .types import FloatArray

__all__ = ["RATIO_CHARTS", "SUBGROUP_CHARTS", "as_floats", "subgroup_stats", "validate_group"]

#: Charts whose ``y`` are numerators over ``n`` (required).
DENOMINATOR_CHARTS = frozenset({"p", "pp", "u", "up"})
#: Charts that accept an optional ``n``: the plotted value is then ``y / n``.
RATIO_CHARTS = frozenset({"run", "i", "mr"})
#: Charts whose ``y`` is a list of subgroups.
SUBGROUP_CHARTS = frozenset({"xbar", "s"})


_PLAIN = {float, int, type(None)}


def _bad(value: object) -> bool:
    return isinstance(value, bool) or not isinstance(value, numbers.Real)


def as_floats(values: object, what: str, prefix: str = "") -> FloatArray:
    """Convert a sequence of numbers (``None``/NaN = missing) to a float64 array.

    Text, booleans and infinities raise :class:`NonNumericValueError`.
    """
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        if values.ndim != 1:
            raise NonNumericValueError(f"{prefix}{what} must be a flat list of numbers.")
        out = values.astype(np.float64)
    else:
        if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
            raise NonNumericValueError(f"{prefix}{what} must be a list of numbers.")
        seq: Sequence[Any] = values.tolist() if isinstance(values, np.ndarray) else values
        if set(map(type, seq)) <= _PLAIN:
            out = np.array(seq, dtype=np.float64)  # None becomes NaN
            if np.isinf(out).any():
                pos = int(np.flatnonzero(np.isinf(out))[0])
                raise NonNumericValueError(f"{prefix}{what}: point {pos} is infinite.")
            return out
        for pos, value in enumerate(seq):
            if value is not None and _bad(value):
                raise NonNumericValueError(
                    f"{prefix}{what}: point {pos} is {value!r}, which is not a number "
                    "(use null for a missing value)."
                )
        try:
            out = np.array([math.nan if v is None else v for v in seq], dtype=np.float64)
        except (TypeError, ValueError, OverflowError) as exc:  # pragma: no cover - defensive
            raise NonNumericValueError(
                f"{prefix}{what} contains a value that is not a number."
            ) from exc
        if out.ndim != 1:  # pragma: no cover - numbers only, so always flat
            raise NonNumericValueError(f"{prefix}{what} must be a flat list of numbers.")
    if np.isinf(out).any():
        pos = int(np.flatnonzero(np.isinf(out))[0])
        raise NonNumericValueError(f"{prefix}{what}: point {pos} is infinite.")
    return out


def subgroup_stats(
    subgroups: object, prefix: str = ""
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Mean, size and standard deviation (n - 1 divisor) of each subgroup.

    Each subgroup is a list of numbers (``None`` = missing value), a single number, or
    ``None`` for a missing subgroup. Sums use ``math.fsum`` (exactly rounded).
    """
    if isinstance(subgroups, (str, bytes)) or not isinstance(subgroups, (Sequence, np.ndarray)):
        raise NonNumericValueError(f"{prefix}y must be a list of subgroups (lists of numbers).")
    count = len(subgroups)
    means = np.full(count, np.nan)
    sizes = np.zeros(count)
    sds = np.full(count, np.nan)
    for pos, group in enumerate(subgroups):
        if group is None:
            continue
        single = isinstance(group, numbers.Real) and not isinstance(group, bool)
        items = [group] if single else group
        if isinstance(items, (str, bytes)) or not isinstance(items, (Sequence, np.ndarray)):
            raise NonNumericValueError(
                f"{prefix}subgroup {pos} is {group!r}; give a list of numbers."
            )
        vals = as_floats(items, f"subgroup {pos}", prefix)
        vals = vals[~np.isnan(vals)]
        k = len(vals)
        sizes[pos] = k
        if k:
            mean = math.fsum(vals.tolist()) / k
            means[pos] = mean
            if k > 1:
                sds[pos] = math.sqrt(math.fsum(((vals - mean) ** 2).tolist()) / (k - 1))
    return means, sizes, sds


def check_lengths(chart: str, length: int, n: object, x: object, prefix: str = "") -> None:
    """Check that ``n`` and ``x`` line up with ``y`` and that ``n`` is allowed."""
    if n is None and chart in DENOMINATOR_CHARTS:
        raise OptionError(f"{prefix}A {chart_label(chart)} needs denominators 'n' (one per point).")
    if n is not None and chart not in DENOMINATOR_CHARTS | RATIO_CHARTS:
        raise OptionError(
            f"{prefix}A {chart_label(chart)} does not use denominators; leave 'n' out."
        )
    for name, other in (("n", n), ("x", x)):
        if other is not None:
            if not hasattr(other, "__len__"):
                raise LengthMismatchError(f"{prefix}'{name}' must be a list.")
            if len(other) != length:
                raise LengthMismatchError(
                    f"{prefix}'y' has {length} values but '{name}' has {len(other)}; "
                    "they must line up point by point."
                )


def validate_group(
    chart: str,
    values: FloatArray,
    denom: FloatArray | None,
    where: Callable[[int, int], str],
) -> None:
    """Vectorised value checks for a group; ``where(row, pos)`` describes a point."""

    def first(mask: np.ndarray[Any, np.dtype[np.bool_]]) -> tuple[int, int] | None:
        hits = np.flatnonzero(mask.ravel())
        if hits.size == 0:
            return None
        row, pos = divmod(int(hits[0]), values.shape[1])
        return row, pos

    with np.errstate(invalid="ignore"):
        if chart == "t":
            hit = first(values <= 0)
            if hit:
                raise NonPositiveTimeError(
                    f"{where(*hit)}: time between events is {values[hit]:g}; a T chart needs "
                    "times greater than zero (use null for a missing value)."
                )
        elif chart in ("c", "g", "p", "pp", "u", "up"):
            hit = first(values < 0)
            if hit:
                raise NegativeValueError(
                    f"{where(*hit)}: the count is {values[hit]:g}; counts cannot be negative."
                )
        if denom is not None:
            hit = first(denom < 0)
            if hit:
                raise NegativeValueError(
                    f"{where(*hit)}: the denominator is {denom[hit]:g}; denominators cannot "
                    "be negative."
                )
            if chart in ("p", "pp"):
                hit = first(values > denom)
                if hit:
                    raise NumeratorExceedsDenominatorError(
                        f"{where(*hit)}: the numerator ({values[hit]:g}) is greater than the "
                        f"denominator ({denom[hit]:g}); a proportion cannot exceed 1."
                    )
