"""Result and option types of the SPC engine (frozen dataclasses holding numpy arrays).

Results keep whole-series numpy arrays (read-only) rather than one object per point, so
computing a chart stays cheap; per-point objects (:class:`Point`) and JSON dictionaries
are built lazily on request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "CHART_TYPES",
    "POINT_CLASSES",
    "RULE_NAMES",
    "ChartOptions",
    "ChartResult",
    "ChartType",
    "Direction",
    "FloatArray",
    "Point",
    "RuleSet",
    "RunsResult",
]

ChartType = Literal["run", "i", "mr", "xbar", "s", "p", "pp", "u", "up", "c", "g", "t"]
Direction = Literal["increase", "decrease", "neutral"]
RuleSet = Literal["mdc", "ihi"]
XmrConstant = Literal["mdc", "d2"]
GCentre = Literal["median", "theoretical"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Chart types, in the order used by the documentation.
CHART_TYPES: tuple[str, ...] = ("run", "i", "mr", "xbar", "s", "p", "pp", "u", "up", "c", "g", "t")
#: Rule names, in bit order of :attr:`ChartResult.rule_bits` (bit 0 = outside_limits).
RULE_NAMES: tuple[str, ...] = ("outside_limits", "shift", "trend", "two_of_three")
#: Point classes, indexed by :attr:`ChartResult.point_class`.
POINT_CLASSES: tuple[str, ...] = ("common", "improvement", "concern", "neutral")
_SIDES = {1: "high", -1: "low", 0: None}
_RULES_BY_BITS: tuple[tuple[str, ...], ...] = tuple(
    tuple(name for bit, name in enumerate(RULE_NAMES) if mask >> bit & 1) for mask in range(16)
)


@dataclass(frozen=True, slots=True)
class ChartOptions:
    """Validated options of one chart (defaults already resolved).

    ``shift_length``/``trend_length`` default to 7/7 for ``rules="mdc"`` and 6/5 for
    ``rules="ihi"``; ``xmr_constant`` defaults to ``"mdc"`` (2.66) for i and mr charts and
    ``"d2"`` (3/1.128) for t, pp and up charts, which is what the references use.

    >>> ChartOptions(chart="i").shift_length
    7
    """

    chart: ChartType
    freeze: int | None = None
    phases: tuple[int, ...] = ()
    exclude: tuple[int, ...] = ()
    direction: Direction = "increase"
    target: float | None = None
    screen_mr: bool = True
    shift_length: int = 7
    trend_length: int = 7
    rules: RuleSet = "mdc"
    xmr_constant: XmrConstant = "mdc"
    g_centre: GCentre = "median"


@dataclass(frozen=True, slots=True)
class RunsResult:
    """Anhøj runs analysis of one phase (Anhøj & Olesen 2014).

    ``longest_run_max = round(log2(n_useful)) + 3`` and
    ``crossings_min = qbinom(0.05, n_useful - 1, 0.5)``; ``signal`` is true when
    ``longest_run > longest_run_max`` or ``crossings < crossings_min`` (never for mr charts).
    The counts are ``None`` when the phase has no useful point.

    >>> RunsResult(0, 10, 4, 6, 5, 2, False).to_dict()["crossings_min"]
    2
    """

    phase: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    crossings: int | None
    crossings_min: int | None
    signal: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form used by the command line and the web API.

        >>> sorted(RunsResult(0, 0, None, None, None, None, False).to_dict())[:3]
        ['crossings', 'crossings_min', 'longest_run']
        """
        return {
            "phase": self.phase,
            "n_useful": self.n_useful,
            "longest_run": self.longest_run,
            "longest_run_max": self.longest_run_max,
            "crossings": self.crossings,
            "crossings_min": self.crossings_min,
            "signal": self.signal,
        }


@dataclass(frozen=True, slots=True)
class Point:
    """One plotted point (built on demand from a :class:`ChartResult`).

    Missing values and limits that do not exist are ``None``.
    """

    index: int
    x: Any
    y: float | None
    cl: float | None
    lcl: float | None
    ucl: float | None
    lcl_2s: float | None
    ucl_2s: float | None
    phase: int
    excluded: bool
    rules: tuple[str, ...]
    point_class: str
    side: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the point (``class`` rather than ``point_class``).

        >>> p = Point(0, "2024-01", 3.0, 2.0, None, None, None, None, 0, False, (),
        ...           "common", None)
        >>> p.to_dict()["class"], p.to_dict()["lcl"]
        ('common', None)
        """
        return {
            "x": self.x,
            "y": self.y,
            "cl": self.cl,
            "lcl": self.lcl,
            "ucl": self.ucl,
            "lcl_2s": self.lcl_2s,
            "ucl_2s": self.ucl_2s,
            "phase": self.phase,
            "excluded": self.excluded,
            "rules": list(self.rules),
            "class": self.point_class,
            "side": self.side,
        }


def _nullable(values: FloatArray) -> list[float | None]:
    """Array of floats to a list with ``None`` for NaN/inf (JSON has no NaN)."""
    out: list[float | None] = values.tolist()
    if not np.isfinite(values).all():
        out = [v if v is not None and math.isfinite(v) else None for v in out]
    return out


@dataclass(frozen=True, eq=False)
class ChartResult:
    """Everything computed for one series; arrays have one element per input point.

    ``y`` is the plotted statistic (proportion for p, rate for u, subgroup mean for
    xbar, subgroup standard deviation for s, moving range for mr). NaN means "no value"
    (missing point) or "no such limit". ``rule_bits`` holds the rules that fired at each
    point as bits in the order of :data:`RULE_NAMES`; ``point_class`` indexes
    :data:`POINT_CLASSES`; ``side`` is +1 (high), -1 (low) or 0 (common cause).
    """

    chart: ChartType
    options: ChartOptions
    x: tuple[Any, ...] | None
    y: FloatArray
    cl: FloatArray
    lcl: FloatArray
    ucl: FloatArray
    lcl_2s: FloatArray
    ucl_2s: FloatArray
    phase: IntArray
    excluded: BoolArray
    rule_bits: npt.NDArray[np.uint8]
    point_class: npt.NDArray[np.int8]
    side: npt.NDArray[np.int8]
    runs: tuple[RunsResult, ...]
    variation_icon: str
    assurance_icon: str | None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return int(self.y.shape[0])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ChartResult):
            return NotImplemented
        for f in fields(self):
            if f.name == "_cache":
                continue
            a, b = getattr(self, f.name), getattr(other, f.name)
            if isinstance(a, np.ndarray):
                if a.dtype != b.dtype or not np.array_equal(a, b, equal_nan=a.dtype.kind == "f"):
                    return False
            elif a != b:
                return False
        return True

    __hash__ = None  # type: ignore[assignment]

    def labels(self) -> list[Any]:
        """The x labels: the input ``x`` or, without one, the 0-based point index.

        >>> from qicollab.spc import chart
        >>> chart([3, 4, 5], chart="c").labels(), chart([3, 4], chart="c", x=["a", "b"]).labels()
        ([0, 1, 2], ['a', 'b'])
        """
        return list(self.x) if self.x is not None else list(range(len(self)))

    def rules_at(self, index: int) -> tuple[str, ...]:
        """Names of the rules that fired at point ``index`` (bits of ``rule_bits``).

        >>> from qicollab.spc import chart
        >>> chart([1, 2, 1, 2, 1, 2, 9], chart="i", freeze=6).rules_at(6)
        ('outside_limits',)
        """
        return _RULES_BY_BITS[int(self.rule_bits[index])]

    @property
    def points(self) -> tuple[Point, ...]:
        """One :class:`Point` per input point (built on first access, then cached).

        >>> from qicollab.spc import chart
        >>> p = chart([1, None, 3], chart="run").points[1]
        >>> p.y, p.cl, p.point_class
        (None, 2.0, 'common')
        """
        cached: tuple[Point, ...] | None = self._cache.get("points")
        if cached is None:
            cols = self._columns()
            cached = tuple(Point(i, *row) for i, row in enumerate(zip(*cols, strict=True)))
            self._cache["points"] = cached
        return cached

    def _columns(self) -> list[list[Any]]:
        return [
            self.labels(),
            _nullable(self.y),
            _nullable(self.cl),
            _nullable(self.lcl),
            _nullable(self.ucl),
            _nullable(self.lcl_2s),
            _nullable(self.ucl_2s),
            self.phase.tolist(),
            self.excluded.tolist(),
            [_RULES_BY_BITS[b] for b in self.rule_bits.tolist()],
            [POINT_CLASSES[c] for c in self.point_class.tolist()],
            [_SIDES[s] for s in self.side.tolist()],
        ]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON contract: ``points``, ``runs`` and the two icons.

        Missing values and limits that do not exist become ``None`` (JSON ``null``).

        >>> from qicollab.spc import chart
        >>> d = chart([2, 4, 0], [10, 10, 0], chart="p").to_dict()
        >>> d["points"][2]["y"], d["points"][0]["cl"], sorted(d)
        (None, 0.3, ['assurance_icon', 'chart', 'points', 'runs', 'variation_icon'])
        """
        keys = (
            "x",
            "y",
            "cl",
            "lcl",
            "ucl",
            "lcl_2s",
            "ucl_2s",
            "phase",
            "excluded",
            "rules",
            "class",
            "side",
        )
        cols = self._columns()
        cols[9] = [list(r) for r in cols[9]]
        points = [dict(zip(keys, row, strict=True)) for row in zip(*cols, strict=True)]
        return {
            "chart": self.chart,
            "points": points,
            "runs": [r.to_dict() for r in self.runs],
            "variation_icon": self.variation_icon,
            "assurance_icon": self.assurance_icon,
        }
