"""Funnel plots: many units' latest values against the pooled value (Spiegelhalter 2005).

A funnel plot compares units (sites, wards, trusts) at one time rather than one unit over
time. Each unit's value is plotted against its denominator (its "precision"); control
limits around the pooled (target) value narrow as the denominator grows, so a small site
is not called an outlier for noise that a large site could not produce.

Limits (``docs/spc.md`` § Funnel plots):

* **proportions** (``kind="proportion"``): ``p0 ± z·√(p0(1-p0)/n)``, clipped to [0, 1];
* **rates** (``kind="rate"``, events per unit of exposure): ``θ0 ± z·√(θ0/n)``, clipped at 0;
* **indirectly standardised ratios** (``kind="ratio"``, observed over expected): target 1,
  ``1 ± z·√(1/E)``.

These are the normal approximations of Spiegelhalter (2005), Table I, with
z = 1.959964 (95%) and 3.090232 (99.8%). Exact binomial or Poisson limits differ from them
only for very small denominators or expected counts (fewer than about 10 events); the
engine states this choice rather than silently mixing methods.

**Overdispersion** (``overdispersion=True``) follows Spiegelhalter (2005) §5 and the NHS-R
FunnelPlotR package: values are put on a variance-stabilising scale (arcsine-square-root
for proportions, ``s = 1/(2√n)``; square root of the ratio to expected for rates and ratios,
``s = 1/(2√E)``), z-scores are winsorised at ``winsorise`` (10% by default) at each end,
``φ = Σ zw² / N``, and the additive random-effects variance is the DerSimonian-Laird
``τ² = max(0, (Nφ - (N - 1)) / (Σw - Σw²/Σw))`` with ``w = 1/s²`` (τ² = 0 when
``Nφ < N - 1``). Adjusted limits are ``target ± z·√(s² + τ²)`` on the transformed scale,
transformed back. When τ² is 0 the unadjusted limits are used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .errors import (
    LengthMismatchError,
    NegativeValueError,
    NonNumericValueError,
    NumeratorExceedsDenominatorError,
    OptionError,
    TooFewPointsError,
)
from .types import FloatArray

__all__ = ["FUNNEL_KINDS", "POSITIONS", "Z95", "Z998", "FunnelResult", "FunnelUnit", "funnel"]

FunnelKind = Literal["proportion", "rate", "ratio"]
#: Kinds of data a funnel plot compares.
FUNNEL_KINDS: tuple[str, ...] = ("proportion", "rate", "ratio")
#: Where a unit lies against the limits, from highest to lowest.
POSITIONS: tuple[str, ...] = ("above_998", "above_95", "within", "below_95", "below_998")
#: Two-sided standard normal quantiles (Spiegelhalter 2005 uses 1.96 and 3.09).
Z95 = 1.959964
Z998 = 3.090232


@dataclass(frozen=True, slots=True)
class FunnelUnit:
    """One unit of a funnel plot: its value, z-score and limits at its denominator."""

    index: int
    numerator: float
    denominator: float
    value: float
    z: float
    lower_95: float
    upper_95: float
    lower_998: float
    upper_998: float
    position: str
    winsorised: bool

    @property
    def outside_95(self) -> bool:
        """True when the unit lies outside the 95% limits (and perhaps the 99.8% ones)."""
        return self.position != "within"

    @property
    def outside_998(self) -> bool:
        """True when the unit lies outside the 99.8% limits."""
        return self.position in ("above_998", "below_998")


@dataclass(frozen=True, slots=True)
class FunnelResult:
    """A funnel plot: the pooled value, the dispersion estimates and every unit.

    ``phi`` and ``tau2`` are computed whenever there are at least 2 units (so a page can
    say whether the data are overdispersed); ``adjusted`` says whether the limits use
    ``tau2`` (``overdispersion=True`` and ``tau2 > 0``).
    """

    kind: str
    target: float
    phi: float
    tau2: float
    adjusted: bool
    winsorise: float
    units: tuple[FunnelUnit, ...]

    def count(self, position: str) -> int:
        """Number of units at ``position`` (one of :data:`POSITIONS`)."""
        return sum(1 for u in self.units if u.position == position)

    def limits_at(self, denominator: float) -> tuple[float, float, float, float]:
        """The (lower 99.8%, lower 95%, upper 95%, upper 99.8%) limits at ``denominator``.

        Used to draw the funnel's curves at denominators between the units'.
        """
        arr = np.asarray([float(denominator)], dtype=np.float64)
        lo95, hi95, lo998, hi998 = _limits(self.kind, self.target, arr, self.tau2, self.adjusted)
        return float(lo998[0]), float(lo95[0]), float(hi95[0]), float(hi998[0])


def _as_array(name: str, values: Sequence[float]) -> FloatArray:
    try:
        arr = np.asarray([float(v) for v in values], dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise NonNumericValueError(f"Every {name} must be a number.") from exc
    bad = ~np.isfinite(arr)
    if bad.any():
        raise NonNumericValueError(
            f"The {name} of unit {int(np.argmax(bad)) + 1} is not a finite number."
        )
    return arr


def _transform(
    kind: str, target: float, values: FloatArray, denominators: FloatArray
) -> tuple[float, FloatArray, FloatArray]:
    """Variance-stabilised target, values and standard errors (Spiegelhalter 2005 Table I)."""
    s = 1.0 / (2.0 * np.sqrt(denominators))
    if kind == "proportion":
        return math.asin(math.sqrt(target)), np.arcsin(np.sqrt(values)), s
    # Rates and ratios: the square root of the ratio to expected, whose target is 1.
    return 1.0, np.sqrt(values / target), s


def _limits(
    kind: str, target: float, denominators: FloatArray, tau2: float, adjusted: bool
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(lower 95, upper 95, lower 99.8, upper 99.8) limits at each denominator."""
    out: list[FloatArray] = []
    for z in (Z95, Z998):
        if adjusted:
            s2 = 1.0 / (4.0 * denominators)
            half = z * np.sqrt(s2 + tau2)
            if kind == "proportion":
                centre = math.asin(math.sqrt(target))
                lo = np.sin(np.clip(centre - half, 0.0, math.pi / 2)) ** 2
                hi = np.sin(np.clip(centre + half, 0.0, math.pi / 2)) ** 2
            else:
                lo = target * np.clip(1.0 - half, 0.0, None) ** 2
                hi = target * (1.0 + half) ** 2
        else:
            if kind == "proportion":
                se = np.sqrt(target * (1.0 - target) / denominators)
                lo = np.clip(target - z * se, 0.0, 1.0)
                hi = np.clip(target + z * se, 0.0, 1.0)
            else:
                se = np.sqrt(target / denominators)
                lo = np.clip(target - z * se, 0.0, None)
                hi = target + z * se
        out.extend((lo, hi))
    return out[0], out[1], out[2], out[3]


def _winsorise(z: FloatArray, fraction: float) -> tuple[FloatArray, np.ndarray]:
    """Clamp z-scores to their ``fraction`` and ``1 - fraction`` quantiles.

    Quantiles are numpy's default (linear interpolation), which is R's type 7, the one
    FunnelPlotR's ``winsorisation()`` uses.
    """
    if fraction == 0.0:
        return z.copy(), np.zeros(z.shape, dtype=bool)
    lo, hi = np.quantile(z, [fraction, 1.0 - fraction])
    clamped = np.clip(z, lo, hi)
    return clamped, (z < lo) | (z > hi)


def _dispersion(zw: FloatArray, s: FloatArray) -> tuple[float, float]:
    """φ and DerSimonian-Laird τ² from winsorised z-scores and standard errors."""
    n = zw.size
    phi = float(np.sum(zw**2) / n)
    if n * phi < n - 1:
        return phi, 0.0
    w = 1.0 / s**2
    denom = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    if denom <= 0.0:
        return phi, 0.0
    return phi, max(0.0, (n * phi - (n - 1)) / denom)


def funnel(
    numerators: Sequence[float],
    denominators: Sequence[float],
    *,
    kind: FunnelKind = "proportion",
    target: float | None = None,
    overdispersion: bool = False,
    winsorise: float = 0.1,
) -> FunnelResult:
    """Compare units' latest values on a funnel plot with 95% and 99.8% limits.

    ``numerators`` are events; ``denominators`` are opportunities (proportions), exposure
    (rates: the value is events per one unit of exposure) or expected counts (ratios:
    observed over expected, target 1). ``target`` defaults to the pooled value
    ``Σ numerators / Σ denominators`` (1 for ratios). Units with a denominator of 0 cannot
    be placed and are refused. Source: Spiegelhalter DJ (2005), "Funnel plots for comparing
    institutional performance", *Statistics in Medicine* 24:1185-1202; overdispersion as in
    the NHS-R FunnelPlotR package (Mainey, 2019-).

    >>> result = funnel([10, 30, 2], [100, 200, 40])
    >>> round(result.target, 4)
    0.1235
    >>> [u.position for u in result.units]
    ['within', 'within', 'within']
    >>> round(result.units[0].upper_95, 4)
    0.188
    """
    if kind not in FUNNEL_KINDS:
        raise OptionError(f"A funnel plot compares {', '.join(FUNNEL_KINDS)}; not '{kind}'.")
    if not 0.0 <= winsorise < 0.5:
        raise OptionError("Winsorise between 0 and 0.5 (0.1 trims 10% at each end).")
    num = _as_array("numerator", numerators)
    den = _as_array("denominator", denominators)
    if num.size != den.size:
        raise LengthMismatchError(
            f"There are {num.size} numerators but {den.size} denominators; give one of each "
            "per unit."
        )
    if num.size == 0:
        raise TooFewPointsError("A funnel plot needs at least one unit with data.")
    if (num < 0).any():
        raise NegativeValueError(
            f"The numerator of unit {int(np.argmax(num < 0)) + 1} is negative."
        )
    if (den <= 0).any():
        raise NegativeValueError(
            f"The denominator of unit {int(np.argmax(den <= 0)) + 1} must be more than 0."
        )
    if kind == "proportion" and (num > den).any():
        first = int(np.argmax(num > den)) + 1
        raise NumeratorExceedsDenominatorError(
            f"Unit {first} has more events than opportunities (numerator > denominator)."
        )
    if target is None:
        centre = 1.0 if kind == "ratio" else float(num.sum() / den.sum())
    else:
        centre = float(target)
        if not math.isfinite(centre) or centre < 0 or (kind == "proportion" and centre > 1):
            raise OptionError("The target must be a number between 0 and 1 for proportions.")
    values = num / den
    # A pooled value of 0 (or 1 for proportions) has no spread: every limit is the target.
    degenerate = centre <= 0.0 or (kind == "proportion" and centre >= 1.0)
    # The denominator used for the variance: opportunities (proportions) or expected
    # events at the target (rates and ratios), which puts rates on the ratio scale.
    expected = den if kind == "proportion" else den * centre

    phi, tau2 = 1.0, 0.0
    flagged = np.zeros(num.shape, dtype=bool)
    if not degenerate and num.size >= 2:
        t_centre, t_values, s = _transform(kind, centre, values, expected)
        zt = (t_values - t_centre) / s
        zw, flagged = _winsorise(zt, winsorise)
        phi, tau2 = _dispersion(zw, s)
    adjusted = overdispersion and tau2 > 0.0

    if degenerate:
        z = np.zeros(num.shape)
        lo95 = hi95 = lo998 = hi998 = np.full(num.shape, centre)
    else:
        lo95, hi95, lo998, hi998 = _limits(kind, centre, den, tau2, adjusted)
        if adjusted:
            t_centre, t_values, s = _transform(kind, centre, values, expected)
            z = (t_values - t_centre) / np.sqrt(s**2 + tau2)
        elif kind == "proportion":
            z = (values - centre) / np.sqrt(centre * (1.0 - centre) / den)
        else:
            z = (values - centre) / np.sqrt(centre / den)

    units = []
    for i in range(num.size):
        v = float(values[i])
        if v > hi998[i]:
            position = "above_998"
        elif v > hi95[i]:
            position = "above_95"
        elif v < lo998[i]:
            position = "below_998"
        elif v < lo95[i]:
            position = "below_95"
        else:
            position = "within"
        units.append(
            FunnelUnit(
                index=i,
                numerator=float(num[i]),
                denominator=float(den[i]),
                value=v,
                z=float(z[i]),
                lower_95=float(lo95[i]),
                upper_95=float(hi95[i]),
                lower_998=float(lo998[i]),
                upper_998=float(hi998[i]),
                position=position,
                winsorised=bool(flagged[i]),
            )
        )
    return FunnelResult(
        kind=kind,
        target=centre,
        phi=phi,
        tau2=tau2,
        adjusted=adjusted,
        winsorise=winsorise,
        units=tuple(units),
    )
