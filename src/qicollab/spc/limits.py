"""Centre lines and control limits for every chart type (vectorised over a group).

Formulas follow qicharts2 (``R/helper.functions.R``: ``qic.i``, ``qic.mr``, ``qic.xbar``,
``qic.s``, ``qic.t``, ``qic.p``, ``qic.pp``, ``qic.c``, ``qic.u``, ``qic.up``, ``qic.g``,
``c4``/``a3``/``b3``/``b4``) and, for the XmR constants, NHSRplotthedots
(``R/ptd_spc_standard.R``). See ``docs/spc.md`` for the derivations and references.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .errors import TooFewPointsError
from .layout import Layout, take
from .options import chart_label
from .types import BoolArray, FloatArray

Flag = bool | BoolArray

__all__ = ["MDC_XMR", "MR_SCREEN", "Limits", "c4", "compute_limits"]

#: Moving-range screening factor (Nelson 1982; D4 for n = 2).
MR_SCREEN = 3.267
#: Making Data Count XmR factor: limits = mean +/- 2.66 * mean moving range.
MDC_XMR = 2.66
_D2 = 1.128
_C4_CACHE: list[float] = [math.nan, math.nan]


def c4(n: int) -> float:
    """Bias-correction constant c4(n) of the sample standard deviation.

    ``c4(n) = sqrt(2 / (n - 1)) * exp(lgamma(n / 2) - lgamma((n - 1) / 2))``
    (Montgomery, *Introduction to Statistical Quality Control*, Appendix VI; qicharts2
    ``c4()``); NaN for ``n <= 1``.

    >>> round(c4(5), 4)
    0.94
    >>> round(c4(2), 4)
    0.7979
    """
    if n <= 1:
        return math.nan
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def _c4_array(n: FloatArray) -> FloatArray:
    size = int(np.nanmax(n)) + 1 if np.isfinite(n).any() else 2
    while len(_C4_CACHE) < size:
        _C4_CACHE.append(c4(len(_C4_CACHE)))
    table = np.asarray(_C4_CACHE, dtype=np.float64)
    safe = np.where(np.isfinite(n) & (n >= 0), n, 0).astype(np.int64)
    return table[safe]


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-point plotted values, centre line and limits of a group (all ``(M, L)``).

    ``lo2``/``hi2`` are the 2-sigma lines *before* clipping at 0 (or 1), used to decide
    whether a point is close to a limit. ``has_limits`` is false for run charts.
    """

    y: FloatArray
    valid: BoolArray
    cl: FloatArray
    lcl: FloatArray
    ucl: FloatArray
    lcl2: FloatArray
    ucl2: FloatArray
    lo2: FloatArray
    hi2: FloatArray
    has_limits: bool = True


def _median(lay: Layout, y: FloatArray, mask: BoolArray) -> FloatArray:
    """Median of ``y`` over ``mask`` per cell (R's ``median``: middle value, or the mean of
    the two middle values), by sorting each row once per phase."""
    out = np.empty((lay.m, lay.p))
    offset = np.arange(lay.m) * lay.n
    top = lay.n - 1
    for k in range(lay.p):
        sel = mask if lay.p == 1 else mask & (lay.phase == k)
        vals = np.sort(np.where(sel, y, np.inf), axis=1).ravel()
        count = sel.sum(axis=1)
        lo = offset + np.clip((count - 1) // 2, 0, top)
        hi = offset + np.clip(count // 2, 0, top)
        out[:, k] = np.where(count > 0, (vals[lo] + vals[hi]) / 2, np.nan)
    return out.ravel()


def _cells(lay: Layout, flag: Flag) -> Flag:
    """Per-row flag to per-cell flag (scalars pass through)."""
    return flag if isinstance(flag, bool) else np.repeat(flag.ravel(), lay.p)


def _amr(lay: Layout, y: FloatArray, valid: BoolArray, screen: Flag) -> FloatArray:
    """Average moving range of the baseline, screened once at 3.267 x AMR (Nelson 1982).

    Moving ranges join consecutive *included* baseline points of a phase (excluded
    points are skipped, as in qicharts2); a missing value breaks the chain (its two
    moving ranges do not exist), as in qicharts2 and NHSRplotthedots.
    """
    prev = lay.prev_chain()
    mrmask = lay.chain & (prev >= 0) & valid & take(valid, prev)
    mr = np.abs(y - take(y, prev))
    amr = lay.gmean(mr, mrmask)
    if screen is False:
        return amr
    keep = mrmask & (mr < MR_SCREEN * lay.cell(amr))
    if screen is not True:
        keep |= mrmask & ~screen
    screened = lay.gmean(mr, keep)
    return np.where(np.isnan(screened), amr, screened)


def _xmr_widths(lay: Layout, amr: FloatArray, mdc: Flag) -> tuple[FloatArray, FloatArray]:
    """Half-widths of the 3- and 2-sigma lines: 2.66 AMR (MDC) or 3 AMR / 1.128."""
    if mdc is True:
        return lay.cell(MDC_XMR * amr), lay.cell(2 * (MDC_XMR / 3) * amr)
    sigma = amr / _D2
    if mdc is False:
        return lay.cell(3 * sigma), lay.cell(2 * sigma)
    cm = _cells(lay, mdc)
    return (
        lay.cell(np.where(cm, MDC_XMR * amr, 3 * sigma)),
        lay.cell(np.where(cm, 2 * (MDC_XMR / 3) * amr, 2 * sigma)),
    )


def _sym(
    cl: FloatArray,
    w3: FloatArray,
    w2: FloatArray,
    y: FloatArray,
    valid: BoolArray,
    floor: float | None = None,
    ceil: float | None = None,
) -> Limits:
    # No variation (a zero sigma) gives no limits rather than limits on the centre line.
    w3, w2 = _no_zero(w3), _no_zero(w2)
    lcl, ucl, lcl2, ucl2 = cl - w3, cl + w3, cl - w2, cl + w2
    lo2, hi2 = lcl2, ucl2
    if floor is not None:
        lcl = np.where(lcl < floor, floor, lcl)
        lcl2 = np.where(lcl2 < floor, floor, lcl2)
    if ceil is not None:
        ucl = np.where(ucl > ceil, ceil, ucl)
        ucl2 = np.where(ucl2 > ceil, ceil, ucl2)
    return Limits(y, valid, cl, lcl, ucl, lcl2, ucl2, lo2, hi2)


def _no_zero(width: FloatArray) -> FloatArray:
    """A zero half-width (no variation) becomes NaN: no limit, not one on the centre line.

    With moving-range screening the references reach the same answer (no moving range
    survives ``mr < 3.267 * 0``, so their limits are ``NA``); see docs/spc.md, "Corner
    cases".
    """
    return np.where(width == 0, np.nan, width)


def _var_n(lay: Layout, size: FloatArray, present: BoolArray) -> BoolArray:
    mean = lay.gsum(size, present) / np.maximum(lay.gcount(present), 1)
    spread = lay.gsum(np.abs(size - lay.cell(mean)), present)
    return spread > 0


def _pooled_sd(lay: Layout, size: FloatArray, sd: FloatArray, base: BoolArray) -> FloatArray:
    """Weighted average standard deviation (Montgomery eq. 6.31 for varying n, the mean
    of the subgroup standard deviations for constant n, as qicharts2)."""
    with_sd = base & (size >= 2)
    pooled = np.sqrt(lay.gsum((size - 1) * sd**2, with_sd) / lay.gsum(size - 1, base))
    sbar = lay.gmean(sd, with_sd)
    return np.where(_var_n(lay, size, size >= 1), pooled, sbar)


def _check(
    lay: Layout,
    counts: npt.NDArray[np.int64],
    minimum: int,
    chart: str,
    what: str,
    labels: Sequence[str] | None,
) -> None:
    if lay.n == 0:
        raise TooFewPointsError(
            f"{labels[0] if labels else ''}The series has no points; a {chart_label(chart)} "
            f"needs at least {minimum}."
        )
    short = counts < minimum
    if lay.p > 1:
        short &= lay.real
    if not short.any():
        return
    bad = np.flatnonzero(short)
    row, ph = divmod(int(bad[0]), lay.p)
    prefix = labels[row] if labels else ""
    first = int(np.flatnonzero(lay.phase[row] == ph)[0])
    where = f"Phase {ph} (starting at point {first})" if lay.phase[row, -1] > 0 else "The series"
    got = int(counts[bad[0]])
    raise TooFewPointsError(
        f"{prefix}{where} has {got} {what}; a {chart_label(chart)} needs at least {minimum} "
        "(missing and excluded points do not count)."
    )


def compute_limits(
    chart: str,
    lay: Layout,
    values: FloatArray,
    denom: FloatArray | None,
    sub_sd: FloatArray | None,
    screen: Flag,
    mdc: Flag,
    g_theoretical: Flag,
    labels: Sequence[str] | None = None,
) -> Limits:
    """Compute plotted values, centre lines and limits for a group of one chart type.

    ``values`` are the raw values (numerators for p/u/pp/up, subgroup means for xbar,
    subgroup standard deviations for s); ``denom`` holds denominators (p/u/pp/up) or
    subgroup sizes (xbar/s). ``screen``, ``mdc`` and ``g_theoretical`` are booleans shared
    by all rows or per-row arrays of shape ``(M, 1)``. Call under ``np.errstate(all=
    "ignore")``: missing values propagate as NaN.
    """
    chain = lay.chain
    if chart in ("p", "u", "pp", "up"):
        assert denom is not None
        den = np.where(denom > 0, denom, np.nan)
        y = values / den
        valid = ~np.isnan(y)
        base = chain & valid
        _check(
            lay,
            lay.gcount(base),
            1,
            chart,
            "usable subgroups",
            labels,
        )
        cl = lay.cell(lay.gsum(values, base) / lay.gsum(den, base))
        sd = np.sqrt(cl * (1 - cl) / den) if chart in ("p", "pp") else np.sqrt(cl / den)
        if chart in ("pp", "up"):
            # Laney (2002): sigma_z = mean moving range of z / 1.128; stdev * sigma_z.
            z = (y - cl) / sd
            amr = lay.cell(_amr(lay, z, valid & np.isfinite(z), screen))
            stdev = sd * (amr / _D2)
            w3, w2 = 3 * stdev, 2 * stdev
            if mdc is not False:
                w3 = np.where(mdc, sd * (MDC_XMR * amr), w3)
                w2 = np.where(mdc, sd * (2 * (MDC_XMR / 3) * amr), w2)
            zero = sd == 0
            w3, w2 = np.where(zero, np.nan, w3), np.where(zero, np.nan, w2)
        else:
            w3, w2 = 3 * sd, 2 * sd
        return _sym(cl, w3, w2, y, valid, 0.0, 1.0 if chart in ("p", "pp") else None)
    if chart in ("xbar", "s"):
        assert denom is not None and sub_sd is not None
        size = denom
        valid = size >= (1 if chart == "xbar" else 2)
        y = np.where(valid, values, np.nan)
        base = chain & valid
        _check(
            lay,
            lay.gcount(base),
            1,
            chart,
            "usable subgroups" if chart == "xbar" else "usable subgroups of two or more values",
            labels,
        )
        sbar = lay.cell(_pooled_sd(lay, size, sub_sd, chain & (size >= 1)))
        c4n = _c4_array(size)
        if chart == "xbar":
            cl = lay.cell(lay.gsum(size * values, base) / lay.gsum(size, base))
            root = c4n * np.sqrt(size)
            return _sym(cl, 3 / root * sbar, 2 / root * sbar, y, valid)
        centre, sbar = sbar, np.where(sbar == 0, np.nan, sbar)  # no variation: no limits
        c5 = np.sqrt(1 - c4n**2)
        lo2 = (1 - 2 * c5 / c4n) * sbar
        b3, b3_2 = np.maximum(0, 1 - 3 * c5 / c4n), np.maximum(0, 1 - 2 * c5 / c4n)
        b4, b4_2 = 1 + 3 * c5 / c4n, 1 + 2 * c5 / c4n
        return Limits(
            y,
            valid,
            centre,
            b3 * sbar,
            b4 * sbar,
            b3_2 * sbar,
            b4_2 * sbar,
            lo2,
            b4_2 * sbar,
        )
    valid = ~np.isnan(values)
    if chart == "mr":
        present = valid
        before = lay.fidx - 1
        valid = (before >= lay.fstart) & valid & take(valid, before)
        y = np.where(valid, np.abs(values - take(values, before)), np.nan)
        base = chain & valid
        # One value has no moving range: it charts as nothing rather than raising (as a
        # single point of any chart); a series with no value at all still raises.
        _check(lay, lay.gcount(chain & present), 1, chart, "usable points", labels)
        cl = lay.cell(lay.gmean(y, base))
        spread = np.where(cl > 0, cl, np.nan)  # no variation (or no moving range): no limits
        zero = np.where(np.isnan(spread), np.nan, 0.0)
        ucl2 = (MR_SCREEN / 3) * 2 * spread
        return Limits(
            y, valid, cl, zero, MR_SCREEN * spread, zero, ucl2, np.full_like(cl, -np.inf), ucl2
        )
    base = chain & valid
    _check(lay, lay.gcount(base), 1, chart, "usable points", labels)
    if chart == "run":
        nan = np.full_like(values, np.nan)
        return Limits(
            values,
            valid,
            lay.cell(_median(lay, values, base)),
            nan,
            nan,
            nan,
            nan,
            nan,
            nan,
            has_limits=False,
        )
    if chart == "i":
        cl = lay.cell(lay.gmean(values, base))
        w3, w2 = _xmr_widths(lay, _amr(lay, values, valid, screen), mdc)
        return _sym(cl, w3, w2, values, valid)
    if chart == "t":
        yt = values ** (1 / 3.6)
        clt = lay.cell(lay.gmean(yt, base))
        w3, w2 = _xmr_widths(lay, _amr(lay, yt, valid, screen), mdc)
        w3, w2 = _no_zero(w3), _no_zero(w2)
        # Equal times back-transform to 4.999999999999999 for 5: snap the centre line to
        # the value when the baseline does not vary, so the points sit on it.
        mean = lay.cell(lay.gmean(values, base))
        flat = lay.cell(lay.gmean(np.abs(values - mean), base)) == 0
        lclt, lcl2t = clt - w3, clt - w2
        lcl = np.where(lclt < 0, 0.0, lclt**3.6)
        lcl2 = np.where(lcl2t < 0, 0.0, lcl2t**3.6)
        lo2 = np.where(lcl2t < 0, -np.inf, lcl2t**3.6)
        ucl2 = (clt + w2) ** 3.6
        cl = np.where(flat, mean, clt**3.6)
        return Limits(values, valid, cl, lcl, (clt + w3) ** 3.6, lcl2, ucl2, lo2, ucl2)
    mean = lay.gmean(values, base)
    sd = lay.cell(np.sqrt(mean * (mean + 1)) if chart == "g" else np.sqrt(mean))
    lim = _sym(lay.cell(mean), 3 * sd, 2 * sd, values, valid, 0.0)
    if chart == "c":
        return lim
    if g_theoretical is True:
        centre = 0.693 * mean
    elif g_theoretical is False:
        centre = _median(lay, values, base)
    else:
        centre = np.where(_cells(lay, g_theoretical), 0.693 * mean, _median(lay, values, base))
    return Limits(
        values, valid, lay.cell(centre), lim.lcl, lim.ucl, lim.lcl2, lim.ucl2, lim.lo2, lim.hi2
    )
