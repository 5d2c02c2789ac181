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
4. ``two_of_three``: two (or three) of three consecutive points beyond the 2-sigma line
   (at or beyond; points beyond 3 sigma are not "close") with all three points on the same
   side of the centre line; only the close points are flagged.

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
from .limits import Limits
from .types import BoolArray, IntArray

__all__ = ["OUTSIDE", "SHIFT", "TREND", "TWO_OF_THREE", "evaluate_rules"]

OUTSIDE, SHIFT, TREND, TWO_OF_THREE = 1, 2, 4, 8
Int8Array = npt.NDArray[np.int8]


def _scatter(lay: Layout, pos: IntArray, select: BoolArray) -> BoolArray:
    out = np.zeros(lay.m * lay.n, dtype=bool)
    out[lay.flat(pos)[select]] = True
    return out.reshape(lay.m, lay.n)


def _mdc(lay: Layout, lim: Limits, s: Int8Array, usable: BoolArray, outside: BoolArray,
         shift_len: IntArray, trend_len: IntArray) -> tuple[BoolArray, ...]:
    prev = lay.prev(usable)
    has = prev >= 0
    _, run, _ = run_lengths(usable, usable & has & (s != 0) & (s == take(s, prev)))
    shift = usable & (s != 0) & (run >= shift_len)
    with np.errstate(invalid="ignore"):
        d = np.where(usable & has, np.sign(lim.y - take(lim.y, prev)), 0).astype(np.int8)
    moving = d != 0
    _, dlen, _ = run_lengths(moving, moving & (d == np.where(has, take(d, prev), 0)))
    long_ = moving & (dlen + 1 >= trend_len)
    trend = long_ | _scatter(lay, prev, long_)
    nxt = lay.next(usable)
    nxt_ok = nxt < lay.n
    right = trend & nxt_ok & take(trend, nxt)
    step = np.where(right, np.where(nxt_ok, take(d, nxt), 0), d)
    tdir = np.where(step == 1, 1, -1).astype(np.int8)
    with np.errstate(invalid="ignore"):
        close = usable & ~outside & ((lim.y >= lim.hi2) | (lim.y <= lim.lo2))
    p1 = prev
    p2 = np.where(has, take(prev, p1), -1)
    c1 = has & take(close, p1)
    c2 = (p2 >= 0) & take(close, p2)
    qual = (usable & (p2 >= 0) & (s != 0) & (s == take(s, p1)) & (s == take(s, p2))
            & (close.astype(np.int8) + c1 + c2 >= 2))
    two = (qual & close) | _scatter(lay, p1, qual & c1) | _scatter(lay, p2, qual & c2)
    return shift, trend, tdir, two


def _ihi(lay: Layout, lim: Limits, s: Int8Array, usable: BoolArray, shift_len: IntArray,
         trend_len: IntArray) -> tuple[BoolArray, ...]:
    sided = usable & (s != 0)
    prev_sided = lay.prev(sided)
    _, run, _ = run_lengths(sided, sided & (prev_sided >= 0) & (s == take(s, prev_sided)))
    shift = sided & (run >= shift_len)
    prev = lay.prev(usable)
    has = prev >= 0
    with np.errstate(invalid="ignore"):
        d = np.where(usable & has, np.sign(lim.y - take(lim.y, prev)), 0).astype(np.int8)
    moving = d != 0
    prev_moving = lay.prev(moving)
    cont = moving & (prev_moving >= 0) & (d == take(d, prev_moving))
    _, dlen, starts = run_lengths(moving, cont)
    long_ = moving & (dlen + 1 >= trend_len)
    nxt_moving = lay.next(moving)
    last = moving & ((nxt_moving >= lay.n) | ~take(cont, nxt_moving))
    firsts = starts[long_.ravel()[starts]]
    begins = lay.flat(prev).ravel()[firsts]
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
    ihi: BoolArray,
    shift_len: IntArray,
    trend_len: IntArray,
    outside_only: bool = False,
) -> tuple[npt.NDArray[np.uint8], Int8Array, Int8Array]:
    """Evaluate the rules for a group; returns ``(rule_bits, direction, side_of_cl)``.

    ``direction`` is +1/-1 for the winning rule at each special-cause point (0 for
    common cause); ``side_of_cl`` is the sign of ``y - cl`` at usable points.
    ``ihi``, ``shift_len`` and ``trend_len`` are per-row arrays of shape ``(M, 1)``.
    """
    valid = lim.valid
    with np.errstate(invalid="ignore"):
        s = np.sign(lim.y - lim.cl)
        outside = valid & ((lim.y > lim.ucl) | (lim.y < lim.lcl))
    s = np.where(valid & ~np.isnan(s), s, 0).astype(np.int8)
    up = np.where(s > 0, 1, -1).astype(np.int8)
    bits = outside.astype(np.uint8)
    direction = np.where(outside, up, 0).astype(np.int8)
    if outside_only:
        return bits, direction, s
    usable = valid & lay.include
    zeros = np.zeros_like(outside)
    shift, trend, tdir, two = zeros, zeros, direction, zeros
    if not ihi.all():
        shift, trend, tdir, two = _mdc(lay, lim, s, usable, outside, shift_len, trend_len)
    if ihi.any():
        i_shift, i_trend, i_tdir = _ihi(lay, lim, s, usable, shift_len, trend_len)
        shift = np.where(ihi, i_shift, shift)
        trend = np.where(ihi, i_trend, trend)
        tdir = np.where(ihi, i_tdir, tdir)
        two = np.where(ihi, False, two)
    bits = (bits | (shift.view(np.uint8) << 1) | (trend.view(np.uint8) << 2)
            | (two.view(np.uint8) << 3))
    direction = np.where(
        outside, up, np.where(trend, tdir, np.where(two | shift, up, 0))
    ).astype(np.int8)
    return bits, direction, s
