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

    def result(self, row: int, x: tuple[Any, ...] | None = None) -> ChartResult:
        """Materialise the :class:`ChartResult` of one row (views, no copies)."""
        lim, lay = self.lim, self.lay
        n_phases = int(lay.phase[row, -1]) + 1 if lay.n else 1
        base = row * lay.p
        cells = [[int(v) for v in arr[base:base + n_phases]] for arr in self.runs]
        signal = self.signal[base:base + n_phases].tolist()
        runs = tuple(
            RunsResult(
                k, cells[0][k], *(v if v >= 0 else None for v in (c[k] for c in cells[1:])),
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
            y=lim.y[row],
            cl=lim.cl[row],
            lcl=lim.lcl[row],
            ucl=lim.ucl[row],
            lcl_2s=lim.lcl2[row],
            ucl_2s=lim.ucl2[row],
            phase=lay.phase[row],
            excluded=self.excluded[row],
            rule_bits=self.bits[row],
            point_class=self.point_class[row],
            side=self.side[row],
            runs=runs,
            variation_icon=VARIATION_ICONS[int(self.variation[row])],
            assurance_icon=ASSURANCE_ICONS[code] if code >= 0 else None,
        )


def _column(options: Sequence[ChartOptions], m: int, get: Callable[[ChartOptions], Any],
            dtype: type) -> npt.NDArray[Any]:
    if len(options) == 1:
        return np.full((m, 1), get(options[0]), dtype=dtype)
    return np.array([get(o) for o in options], dtype=dtype).reshape(m, 1)


def _freeze(*arrays: npt.NDArray[Any]) -> None:
    for arr in arrays:
        arr.flags.writeable = False


def compute_group(
    chart: ChartType,
    options: Sequence[ChartOptions],
    values: npt.NDArray[np.float64],
    denom: npt.NDArray[np.float64] | None = None,
    sub_sd: npt.NDArray[np.float64] | None = None,
    labels: list[str] | None = None,
) -> GroupResult:
    """Compute limits, rules, runs and icons for ``M`` series stacked as ``(M, L)`` arrays.

    ``options`` has one entry per row, or a single entry shared by all rows.
    """
    m, n = values.shape
    lay = make_layout(
        m, n, [o.phases for o in options], [o.exclude for o in options],
        [o.freeze for o in options],
    )
    lim = compute_limits(
        chart, lay, values, denom, sub_sd,
        screen=_column(options, m, lambda o: o.screen_mr, bool),
        mdc=_column(options, m, lambda o: o.xmr_constant == "mdc", bool),
        g_theoretical=_column(options, m, lambda o: o.g_centre == "theoretical", bool),
        labels=labels,
    )
    bits, direction, side_of_cl = evaluate_rules(
        lay, lim,
        ihi=_column(options, m, lambda o: o.rules == "ihi", bool),
        shift_len=_column(options, m, lambda o: o.shift_length, np.int64),
        trend_len=_column(options, m, lambda o: o.trend_length, np.int64),
        outside_only=chart == "mr",
    )
    improve = _column(options, m, lambda o: _DIRECTIONS[o.direction], np.int8)
    special = direction != 0
    point_class = np.where(
        special, np.where(improve == 0, 3, np.where(direction * improve > 0, 1, 2)), 0
    ).astype(np.int8)
    runs = runs_analysis(lay, side_of_cl, lim.valid & lay.include)
    n_useful, longest, lmax, crossings, cmin = runs
    signal = (n_useful > 0) & ((longest > lmax) | (crossings < cmin))
    if chart == "mr":
        signal = np.zeros_like(signal)
    target = _column(options, m, lambda o: np.nan if o.target is None else o.target, float)
    variation, assurance = icon_codes(
        lim.valid, point_class, direction, lim.lcl, lim.ucl, improve, target
    )
    excluded = ~lay.include
    _freeze(lim.y, lim.cl, lim.lcl, lim.ucl, lim.lcl2, lim.ucl2, lay.phase, excluded, bits,
            point_class, direction)
    return GroupResult(chart, options, lay, lim, excluded, bits, point_class, direction, runs,
                       signal, variation, assurance)
