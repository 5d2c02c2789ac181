"""Harm potentially avoided, as safety-huddle programmes report it (pure, no Django).

Method: take the unit's event rate before huddles began (events per unit of exposure: per
occupied bed day where beds are known, otherwise per day), multiply by the exposure since
huddles began to get the events *expected* had nothing changed, and subtract the events
*observed*. The interval treats the baseline rate as fixed and the observed count as Poisson,
with Byar's approximation to the exact 95% limits (as used by Public Health England for
counts); so the interval on the avoided figure is ``expected - upper(observed)`` to
``expected - lower(observed)``.

It is only a claim when the chart shows special-cause improvement: the caller shows the
figure only then, and otherwise says that no change is shown.

>>> r = harm_avoided(baseline_events=60, baseline_exposure=365, observed=20, exposure=365)
>>> r.expected, r.observed, r.avoided
(60.0, 20, 40.0)
>>> round(r.low, 1), round(r.high, 1)
(29.1, 47.8)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Avoided:
    """Expected minus observed events, with a 95% interval."""

    expected: float
    observed: int
    avoided: float
    low: float
    high: float
    baseline_rate: float

    @property
    def sentence(self) -> str:
        """The figure in words, with its interval and method."""
        return (
            f"{self.avoided:.0f} potentially avoided (95% interval {max(self.low, 0):.0f} "
            f"to {self.high:.0f}): {self.expected:.1f} expected at the baseline rate, "
            f"{self.observed} observed."
        )


def poisson_interval(observed: int, *, z: float = Z95) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson interval of a count.

    Breslow & Day (1987), *Statistical Methods in Cancer Research* vol. II, p. 69.

    >>> [round(v, 2) for v in poisson_interval(20)]
    [12.21, 30.89]
    >>> poisson_interval(0)[0], round(poisson_interval(0)[1], 2)
    (0.0, 3.67)
    """
    if observed < 0:
        raise ValueError("A count cannot be negative.")
    o = float(observed)
    low = 0.0 if observed == 0 else o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    o1 = o + 1
    high = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3
    return low, high


def harm_avoided(
    *, baseline_events: int, baseline_exposure: float, observed: int, exposure: float
) -> Avoided:
    """Events expected at the baseline rate over ``exposure``, minus ``observed``.

    ``baseline_exposure`` and ``exposure`` are in the same unit (occupied bed days, or days).

    >>> harm_avoided(baseline_events=10, baseline_exposure=100, observed=3, exposure=50).avoided
    2.0
    """
    if baseline_exposure <= 0 or exposure <= 0:
        raise ValueError("Exposure must be positive before and after huddles began.")
    if baseline_events < 0 or observed < 0:
        raise ValueError("Counts cannot be negative.")
    rate = baseline_events / baseline_exposure
    expected = rate * exposure
    low_obs, high_obs = poisson_interval(observed)
    return Avoided(
        expected=expected,
        observed=observed,
        avoided=expected - observed,
        low=expected - high_obs,
        high=expected - low_obs,
        baseline_rate=rate,
    )
