"""``chart()``: one series in, one :class:`~qicollab.spc.types.ChartResult` out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .engine import compute_group
from .options import check_positions, make_options
from .prepare import RATIO_CHARTS, SUBGROUP_CHARTS, as_floats, check_lengths, subgroup_stats
from .prepare import validate_group as _validate
from .types import ChartResult, ChartType, Direction, FloatArray, GCentre, RuleSet, XmrConstant

__all__ = ["chart", "prepare_values"]


def prepare_values(
    chart_type: str, y: object, n: object, prefix: str = ""
) -> tuple[FloatArray, FloatArray | None, FloatArray | None]:
    """Convert one series' raw ``y``/``n`` to ``(values, denom, sub_sd)`` arrays.

    For xbar/s charts ``values`` are subgroup means and ``denom`` subgroup sizes; for
    run/i/mr charts with ``n`` the values are the ratios ``y / n`` (missing where n = 0).
    """
    if chart_type in SUBGROUP_CHARTS:
        means, sizes, sds = subgroup_stats(y, prefix)
        return (sds if chart_type == "s" else means), sizes, sds
    values = as_floats(y, "y", prefix)
    if n is None:
        return values, None, None
    denom = as_floats(n, "n", prefix)
    if len(denom) != len(values):
        check_lengths(chart_type, len(values), n, None, prefix)
    if chart_type in RATIO_CHARTS:
        _validate(chart_type, values[None, :], denom[None, :], lambda r, p: f"{prefix}Point {p}")
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(denom > 0, values / denom, np.nan), None, None
    return values, denom, None


def chart(
    y: Sequence[Any] | FloatArray,
    n: Sequence[Any] | FloatArray | None = None,
    *,
    chart: ChartType,
    x: Sequence[Any] | None = None,
    freeze: int | None = None,
    phases: Sequence[int] | None = None,
    exclude: Sequence[int] | None = None,
    direction: Direction = "increase",
    target: float | None = None,
    screen_mr: bool = True,
    shift_length: int | None = None,
    trend_length: int | None = None,
    rules: RuleSet = "mdc",
    xmr_constant: XmrConstant | None = None,
    g_centre: GCentre = "median",
) -> ChartResult:
    """Compute one SPC chart: centre line, limits, special causes, runs and icons.

    ``y`` holds the values (``None``/NaN = missing), the numerators for p/u/pp/up charts
    (with denominators ``n``) or, for xbar/s charts, one list of measurements per subgroup.
    ``phases`` are 0-based positions where a new phase (with its own centre line and
    limits) begins; ``freeze=k`` computes each phase's limits from its first ``k`` points;
    ``exclude`` positions are shown but not used for centre, limits or runs.

    Formulas (see ``docs/spc.md``): XmR limits ``mean +/- 2.66 * AMR`` (Making Data Count;
    ``xmr_constant="d2"``: ``3 * AMR / 1.128``, Montgomery eq. 6.33) after screening moving
    ranges ``>= 3.267 * AMR`` (Nelson 1982); p ``pbar +/- 3 sqrt(pbar(1-pbar)/n_i)``;
    u ``ubar +/- 3 sqrt(ubar/n_i)``; c ``cbar +/- 3 sqrt(cbar)`` (Montgomery ch. 7);
    Laney p'/u' multiply the sigma by ``AMR(z) / 1.128``; g mean ``+/- 3 sqrt(m(m+1))``
    with the median as centre line; t: I chart of ``y^(1/3.6)`` back-transformed
    (qicharts2, Provost & Murray ch. 7); xbar/s with c4-corrected weighted sigma.
    Rules: Making Data Count (NHS England) or IHI (Provost & Murray, *The Health Care
    Data Guide*); runs: Anhøj & Olesen 2014, *Run charts revisited*, PLOS ONE.

    >>> r = chart([5, 7, 6, 8, 6, 7, 5, 6, 30, 6], chart="i")
    >>> round(float(r.cl[0]), 2), round(float(r.ucl[0]), 2)
    (8.6, 12.78)
    >>> r.rules_at(8), r.points[8].point_class, r.variation_icon
    (('outside_limits',), 'improvement', 'common_cause')
    >>> p = chart([3, 5, 4], [50, 100, 80], chart="p")
    >>> [round(v, 4) for v in p.ucl.tolist()]
    [0.1465, 0.1189, 0.1268]
    """
    opts = make_options(
        chart,
        freeze=freeze,
        phases=phases,
        exclude=exclude,
        direction=direction,
        target=target,
        screen_mr=screen_mr,
        shift_length=shift_length,
        trend_length=trend_length,
        rules=rules,
        xmr_constant=xmr_constant,
        g_centre=g_centre,
    )
    length = len(y) if hasattr(y, "__len__") else -1
    if length >= 0:
        check_lengths(opts.chart, length, n, x)
    values, denom, sub_sd = prepare_values(opts.chart, y, n)
    check_positions(opts, len(values))
    xs = None if x is None else tuple(x)

    def where(row: int, pos: int) -> str:
        return f"Point {pos}" + (f" ({xs[pos]})" if xs is not None else "")

    group_values = values[None, :]
    group_denom = None if denom is None else denom[None, :]
    _validate(opts.chart, group_values, group_denom, where)
    group = compute_group(
        opts.chart,
        (opts,),
        group_values,
        group_denom,
        None if sub_sd is None else sub_sd[None, :],
    )
    return group.result(0, xs)
