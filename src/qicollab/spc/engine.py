"""The vectorised engine: one call computes every series of a group (same chart, length).

:func:`qicollab.spc.chart` runs a group of one series and :func:`qicollab.spc.batch`
groups series by chart type and length; both go through :func:`compute_group`, and all
computations are row-independent, so a series gives bit-identical results either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .icons import ASSURANCE_ICONS, VARIATION_ICONS, icon_codes
from .layout import Layout, make_layout
from .limits import Limits, compute_limits
from .rules import evaluate_rules
from .runs import runs_analysis
from .types import BoolArray, ChartOptions, ChartResult, ChartType, IntArray, RunsResult

__all__ = ["GroupResult", "compute_group"]

_DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}


@dataclass(frozen=True, slots=True)
class GroupResult:
    """Arrays computed for a group of ``M`` series (rows) of length ``L``."""

    chart: ChartType
    options: Sequence[ChartOptions]
    lay: Layout
    lim: Limits
    excluded: BoolArray
    bits: npt.NDArray[np.uint8]
    point_class: npt.NDArray[np.int8]
    side: npt.NDArray[np.int8]
    runs: tuple[IntArray, ...]
    signal: BoolArray
    variation: IntArray
    assurance: IntArray

    def result(
        self, row: int, x: tuple[Any, ...] | None = None, length: int | None = None
    ) -> ChartResult:
        """Materialise the :class:`ChartResult` of one row (views, no copies); ``length``
        drops the missing points that pad a series to the group's width."""
        lim, lay = self.lim, self.lay
        end = lay.n if length is None else length
        n_phases = int(lay.phase[row, -1]) + 1
        base = row * lay.p
        cols = [arr[base : base + n_phases].tolist() for arr in self.runs]
        signal = self.signal[base : base + n_phases].tolist()

        def stat(col: list[int], k: int) -> int | None:
            return col[k] if col[k] >= 0 else None

        runs = tuple(
            RunsResult(
                k,
                cols[0][k],
                stat(cols[1], k),
                stat(cols[2], k),
                stat(cols[3], k),
                stat(cols[4], k),
                bool(signal[k]),
            )
            for k in range(n_phases)
        )
        code = int(self.assurance[row])
        options = self.options[row] if len(self.options) > 1 else self.options[0]
        return ChartResult(
            chart=self.chart,
            options=options,
            x=x,
            y=lim.y[row, :end],
            cl=lim.cl[row, :end],
            lcl=lim.lcl[row, :end],
            ucl=lim.ucl[row, :end],
            lcl_2s=lim.lcl2[row, :end],
            ucl_2s=lim.ucl2[row, :end],
            phase=lay.phase[row, :end],
            excluded=self.excluded[row, :end],
            rule_bits=self.bits[row, :end],
            point_class=self.point_class[row, :end],
            side=self.side[row, :end],
            runs=runs,
            variation_icon=VARIATION_ICONS[int(self.variation[row])],
            assurance_icon=ASSURANCE_ICONS[code] if code >= 0 else None,
        )


def _param(options: Sequence[ChartOptions], get: Callable[[ChartOptions], Any], dtype: type) -> Any:
    """A scalar when all rows share their options, else a per-row ``(M, 1)`` array."""
    if len(options) == 1:
        return get(options[0])
    return np.array([get(o) for o in options], dtype=dtype).reshape(-1, 1)


def _freeze(*arrays: npt.NDArray[Any]) -> None:
    for arr in arrays:
        arr.flags.writeable = False


def compute_group(
    chart: ChartType,
    options: Sequence[ChartOptions],
    values: npt.NDArray[np.float64],
    denom: npt.NDArray[np.float64] | None = None,
    sub_sd: npt.NDArray[np.float64] | None = None,
    labels: Sequence[str] | None = None,
) -> GroupResult:
    """Compute limits, rules, runs and icons for ``M`` series stacked as ``(M, L)`` arrays.

    ``options`` has one entry per row, or a single entry shared by all rows.
    """
    with np.errstate(all="ignore"):
        return _compute(chart, options, values, denom, sub_sd, labels)


def _compute(
    chart: ChartType,
    options: Sequence[ChartOptions],
    values: npt.NDArray[np.float64],
    denom: npt.NDArray[np.float64] | None,
    sub_sd: npt.NDArray[np.float64] | None,
    labels: Sequence[str] | None,
) -> GroupResult:
    m, n = values.shape
    lay = make_layout(
        m,
        n,
        [o.phases for o in options],
        [o.exclude for o in options],
        [o.freeze for o in options],
    )
    lim = compute_limits(
        chart,
        lay,
        values,
        denom,
        sub_sd,
        screen=_param(options, lambda o: o.screen_mr, bool),
        mdc=_param(options, lambda o: o.xmr_constant == "mdc", bool),
        g_theoretical=_param(options, lambda o: o.g_centre == "theoretical", bool),
        labels=labels,
    )
    bits, direction, side_of_cl, usable, shared_runs = evaluate_rules(
        lay,
        lim,
        ihi=_param(options, lambda o: o.rules == "ihi", bool),
        shift_len=_param(options, lambda o: o.shift_length, np.int64),
        trend_len=_param(options, lambda o: o.trend_length, np.int64),
        outside_only=chart == "mr",
    )
    improve = _param(options, lambda o: _DIRECTIONS[o.direction], np.int8)
    special = direction != 0
    if isinstance(improve, int):
        code = 3 if improve == 0 else np.where(direction == improve, 1, 2)
    else:
        code = np.where(improve == 0, 3, np.where(direction * improve > 0, 1, 2))
    point_class = np.where(special, code, 0).astype(np.int8)
    runs = runs_analysis(lay, side_of_cl, usable, shared_runs)
    n_useful, longest, lmax, crossings, cmin = runs
    signal = (n_useful > 0) & ((longest > lmax) | (crossings < cmin))
    if chart == "mr":
        signal[:] = False
    target = _param(options, lambda o: np.nan if o.target is None else o.target, float)
    variation, assurance = icon_codes(
        lay.fidx, lim.valid, point_class, direction, lim.lcl, lim.ucl, improve, target
    )
    excluded = ~lay.include
    _freeze(
        lim.y,
        lim.cl,
        lim.lcl,
        lim.ucl,
        lim.lcl2,
        lim.ucl2,
        lay.phase,
        excluded,
        bits,
        point_class,
        direction,
    )
    return GroupResult(
        chart,
        options,
        lay,
        lim,
        excluded,
        bits,
        point_class,
        direction,
        runs,
        signal,
        variation,
        assurance,
    )
