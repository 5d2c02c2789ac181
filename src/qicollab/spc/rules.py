"""Special-cause rules: Making Data Count (default) and the IHI run-chart rules.

All rules are evaluated per phase on the sequence of *usable* points (not missing, not
excluded), vectorised with run-length computations; the outside-limits rule also applies
to excluded points (as qicharts2's ``sigma.signal`` does).

Making Data Count (NHS England; NHSRplotthedots ``R/ptd_calculate_point_type.R``):

1. ``outside_limits``: a point strictly above the upper or below the lower 3-sigma limit;
2. ``shift``: ``shift_length`` (7) or more consecutive points on the same side of the
   centre line; a point on the centre line breaks the run;
3. ``trend``: ``trend_length`` (7) or more consecutive points each higher (or each lower)
   than the previous one, i.e. ``trend_length - 1`` changes of the same sign; a tie breaks
   the trend; a trend may cross the centre line;
4. ``two_of_three``: two (or three) of three consecutive points strictly beyond the
   2-sigma line and not outside the limits (a point exactly on a limit is close to it,
   one exactly on the 2-sigma line is not) with all three points on the same side of the
   centre line; only the close points are flagged.

Precedence for a point's class and side: outside limits, then trend, then two of three,
then shift. A trend point's direction is that of the step *after* it when the next point
is also part of a trend (so a shared peak belongs to the down-trend) and of the step
*before* it otherwise, exactly as NHSRplotthedots.

IHI (Provost & Murray, *The Health Care Data Guide*, ch. 3): shift of ``shift_length`` (6)
points on one side of the median, points on the median neither break nor count; trend of
``trend_length`` (5) points all going up or down, repeated values neither break nor count;
an astronomical point is reported as ``outside_limits`` on charts with limits.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .layout import Layout, run_lengths, take
from .limits import Flag, Limits
from .types import BoolArray, IntArray

__all__ = ["OUTSIDE", "SHIFT", "TREND", "TWO_OF_THREE", "evaluate_rules"]

OUTSIDE, SHIFT, TREND, TWO_OF_THREE = 1, 2, 4, 8
Int8Array = npt.NDArray[np.int8]
Length = int | IntArray
Runs = tuple[IntArray, IntArray, IntArray]


def _scatter(lay: Layout, fpos: IntArray, select: BoolArray) -> BoolArray:
    out = np.zeros(lay.m * lay.n, dtype=bool)
    out[fpos[select]] = True
    return out.reshape(lay.m, lay.n)


def _mdc(
    lay: Layout,
    lim: Limits,
    s: Int8Array,
    usable: BoolArray,
    prev: IntArray,
    outside: BoolArray,
    shift_len: Length,
    trend_len: Length,
    whole: bool = False,
) -> tuple[BoolArray, BoolArray, Int8Array | None, BoolArray, Runs]:
    has = prev >= 0
    side = s != 0
    runs = run_lengths(usable, has & side & (s == take(s, prev)))
    shift = side & (runs[0] >= shift_len)
    y = lim.y
    d = np.where(usable & has, np.sign(y - take(y, prev)), 0).astype(np.int8)
    moving = d != 0
    dlen, _, _ = run_lengths(moving, d == take(d, prev))
    long_ = dlen >= trend_len - 1
    trend, tdir = long_, None
    if long_.any():
        trend = long_ | _scatter(lay, prev, long_)
        nxt = lay.next_all() if whole else lay.next(usable)
        right = trend & take(trend, nxt) & (nxt >= 0)
        tdir = np.where(np.where(right, take(d, nxt), d) == 1, 1, -1).astype(np.int8)
    two = np.zeros_like(usable)
    if lim.has_limits:
        # Strict, as NHSRplotthedots: a point on the 2-sigma line is not close to the limit;
        # a point on the 3-sigma limit is not outside it, so it is close.
        close = usable & ~outside & ((y > lim.hi2) | (y < lim.lo2))
        if close.any():
            p2 = np.where(has, take(prev, prev), -1)
            c1 = has & take(close, prev)
            c2 = (p2 >= 0) & take(close, p2)
            qual = (
                usable
                & (p2 >= 0)
                & side
                & (s == take(s, prev))
                & (s == take(s, p2))
                & (close.view(np.int8) + c1 + c2 >= 2)
            )
            two = (qual & close) | _scatter(lay, prev, qual & c1) | _scatter(lay, p2, qual & c2)
    return shift, trend, tdir, two, runs


def _ihi(
    lay: Layout,
    lim: Limits,
    s: Int8Array,
    usable: BoolArray,
    prev: IntArray,
    shift_len: Length,
    trend_len: Length,
) -> tuple[BoolArray, BoolArray, Int8Array]:
    sided = usable & (s != 0)
    prev_sided = lay.prev(sided)
    run, _, _ = run_lengths(sided, (prev_sided >= 0) & (s == take(s, prev_sided)))
    shift = run >= shift_len
    has = prev >= 0
    d = np.where(usable & has, np.sign(lim.y - take(lim.y, prev)), 0).astype(np.int8)
    moving = d != 0
    prev_moving = lay.prev(moving)
    cont = (prev_moving >= 0) & (d == take(d, prev_moving))
    dlen, _, starts = run_lengths(moving, cont)
    long_ = dlen >= trend_len - 1
    nxt_moving = lay.next(moving)
    last = moving & ((nxt_moving < 0) | ~take(cont, nxt_moving))
    firsts = starts[long_.ravel()[starts]]
    begins = prev.ravel()[firsts]
    ends = np.flatnonzero((last & long_).ravel())
    dirs = d.ravel()[firsts]
    cover = []
    for sign in (1, -1):
        delta = np.zeros(lay.m * lay.n + 1, dtype=np.int64)
        np.add.at(delta, begins[dirs == sign], 1)
        np.add.at(delta, ends[dirs == sign] + 1, -1)
        cover.append((np.cumsum(delta)[:-1] > 0).reshape(lay.m, lay.n) & usable)
    up, down = cover
    begin_dir = np.zeros(lay.m * lay.n, dtype=np.int8)
    begin_dir[begins] = dirs
    tdir = np.where(up & down, begin_dir.reshape(lay.m, lay.n), np.where(up, 1, -1))
    return shift, up | down, tdir.astype(np.int8)


def evaluate_rules(
    lay: Layout,
    lim: Limits,
    ihi: Flag,
    shift_len: Length,
    trend_len: Length,
    outside_only: bool = False,
) -> tuple[npt.NDArray[np.uint8], Int8Array, Int8Array, BoolArray, Runs | None]:
    """Evaluate the rules for a group; returns ``(rule_bits, direction, s, usable, runs)``.

    ``direction`` is +1/-1 for the winning rule at each special-cause point (0 for
    common cause); ``s`` is the sign of ``y - cl`` at points with a value and ``usable``
    marks points with a value that are not excluded. ``runs`` is the run decomposition of
    the usable points by side of the centre line when no usable point lies on the centre
    line (it is then exactly the Anhøj decomposition), else ``None``. ``ihi``,
    ``shift_len`` and ``trend_len`` are scalars shared by all rows or per-row arrays of
    shape ``(M, 1)``. Call under ``np.errstate(all="ignore")``.
    """
    valid, y = lim.valid, lim.y
    s = np.sign(np.where(valid, y - lim.cl, 0.0)).astype(np.int8)
    usable = valid & lay.include if lay.any_excluded else valid
    outside = valid & ((y > lim.ucl) | (y < lim.lcl)) if lim.has_limits else np.zeros_like(valid)
    if outside_only:
        return outside.view(np.uint8), np.where(outside, s, 0).astype(np.int8), s, usable, None
    whole = not lay.any_excluded and bool(valid.all())
    prev = lay.prev_all() if whole else lay.prev(usable)
    runs = None
    if ihi is True:
        shift, trend, tdir, two = (
            *_ihi(lay, lim, s, usable, prev, shift_len, trend_len),
            np.zeros_like(valid),
        )
    else:
        shift, trend, tdir_m, two, runs = _mdc(
            lay, lim, s, usable, prev, outside, shift_len, trend_len, whole
        )
        tdir = s if tdir_m is None else tdir_m
        if ihi is not False:
            i_shift, i_trend, i_tdir = _ihi(lay, lim, s, usable, prev, shift_len, trend_len)
            shift = np.where(ihi, i_shift, shift)
            trend = np.where(ihi, i_trend, trend)
            tdir = np.where(ihi, i_tdir, tdir)
            two = np.where(ihi, False, two)
        if runs is not None and (usable & (s == 0)).any():
            runs = None
    bits: npt.NDArray[np.uint8] = (
        outside.view(np.uint8)
        | (shift.view(np.uint8) << 1)
        | (trend.view(np.uint8) << 2)
        | (two.view(np.uint8) << 3)
    ).astype(np.uint8, copy=False)
    direction = np.where(trend & ~outside, tdir, np.where(outside | two | shift, s, 0))
    return bits, direction.astype(np.int8), s, usable, runs
