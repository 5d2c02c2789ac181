"""``batch()``: many series at once, in long format, vectorised across series.

Series are grouped by chart type and length (rounded up to a multiple of 8: shorter
series are padded with missing points, which change nothing, so that many different
lengths still make few groups); each group is one set of ``(M, L)`` numpy
arrays pushed through :func:`qicollab.spc.engine.compute_group`, so 10,000 series cost a
few dozen numpy calls rather than 10,000 Python loops. Results are bit-identical to
calling :func:`qicollab.spc.chart` on each series.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .api import prepare_values
from .engine import GroupResult, compute_group
from .errors import LengthMismatchError, OptionError, SpcInputError
from .options import check_positions, options_from_mapping
from .prepare import (
    DENOMINATOR_CHARTS,
    RATIO_CHARTS,
    SUBGROUP_CHARTS,
    as_floats,
    check_lengths,
    validate_group,
)
from .types import ChartOptions, ChartResult, ChartType, FloatArray

__all__ = ["BatchResult", "batch"]


class BatchResult(Mapping[Hashable, ChartResult]):
    """Read-only mapping ``series id -> ChartResult`` in order of first appearance.

    Results are materialised on access from the group arrays (cheap views).
    """

    __slots__ = ("_groups", "_ids", "_index", "_lengths", "_starts", "_x")

    def __init__(
        self,
        ids: list[Hashable],
        index: dict[Hashable, tuple[int, int, int]],
        groups: list[GroupResult],
        x: Sequence[Any] | None,
        starts: list[int],
        lengths: list[int],
    ) -> None:
        self._ids = ids
        self._index = index
        self._groups = groups
        self._x = x
        self._starts = starts
        self._lengths = lengths

    def __getitem__(self, key: Hashable) -> ChartResult:
        group, row, series = self._index[key]
        length = self._lengths[series]
        xs = None
        if self._x is not None:
            start = self._starts[series]
            xs = tuple(self._x[start : start + length])
        return self._groups[group].result(row, xs, length)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def to_list(self) -> list[dict[str, Any]]:
        """JSON contract of every series (``to_dict()`` plus the series ``id``).

        >>> [r["id"] for r in batch(["x", "y", "x", "y"], [1, 2, 3, 4], chart="c").to_list()]
        ['x', 'y']
        """
        return [{"id": key, **self[key].to_dict()} for key in self._ids]


def _segments(
    ids: Sequence[Hashable] | npt.NDArray[Any],
) -> tuple[list[Hashable], npt.NDArray[np.int64], npt.NDArray[np.int64] | None]:
    """Series ids in order of appearance, start of each series, and a reordering (or None)."""
    arr = np.asarray(ids) if isinstance(ids, np.ndarray) else None
    if arr is None or arr.ndim != 1:
        arr = np.empty(len(ids), dtype=object)
        arr[:] = list(ids)
    if len(arr) == 0:
        return [], np.zeros(0, dtype=np.int64), None
    change = np.ones(len(arr), dtype=bool)
    change[1:] = arr[1:] != arr[:-1]
    starts = np.flatnonzero(change)
    order_ids: list[Hashable] = arr[starts].tolist()
    if len(set(order_ids)) == len(order_ids):
        return order_ids, starts, None
    first: dict[Hashable, int] = {}
    codes = np.fromiter(
        (first.setdefault(v, len(first)) for v in arr.tolist()), dtype=np.int64, count=len(arr)
    )
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    return list(first), starts, order


def _reorder(seq: Any, order: npt.NDArray[np.int64] | None) -> Any:
    if seq is None or order is None:
        return seq
    if isinstance(seq, np.ndarray):
        return seq[order]
    return [seq[i] for i in order.tolist()]


def batch(
    series_ids: Sequence[Hashable] | npt.NDArray[Any],
    y: Sequence[Any] | npt.NDArray[Any],
    n: Sequence[Any] | npt.NDArray[Any] | None = None,
    *,
    chart: str | Mapping[Hashable, str],
    x: Sequence[Any] | None = None,
    options: Mapping[str, Any] | None = None,
    options_by_series: Mapping[Hashable, Mapping[str, Any]] | None = None,
) -> BatchResult:
    """Compute many series given in long format (one row per point).

    ``series_ids[i]``, ``y[i]``, ``n[i]`` and ``x[i]`` describe point ``i``; the points of
    a series keep their input order (series may be interleaved). ``chart`` is one chart
    type for all series or a mapping ``id -> chart type``; ``options`` (same names as
    :func:`qicollab.spc.chart`) apply to every series and ``options_by_series[id]``
    overrides them (it may also set ``"chart"``). For xbar/s series each ``y[i]`` is a
    subgroup (list of numbers). Errors name the offending series.

    Same formulas and sources as :func:`qicollab.spc.chart` (Provost & Murray; Montgomery;
    Making Data Count; Anhøj & Olesen 2014).

    >>> res = batch(["a"] * 4 + ["b"] * 4, [1, 3, 2, 4, 10, 12, 11, 13], chart="i")
    >>> list(res), round(float(res["b"].cl[0]), 2)
    (['a', 'b'], 11.5)
    >>> from qicollab.spc import chart as one
    >>> res["b"] == one([10, 12, 11, 13], chart="i")
    True
    """
    total = len(y)
    for name, other in (("series_ids", series_ids), ("n", n), ("x", x)):
        if other is not None and len(other) != total:
            raise LengthMismatchError(
                f"'y' has {total} rows but '{name}' has {len(other)}; long-format inputs "
                "must line up row by row."
            )
    ids, starts, order = _segments(series_ids)
    y, n, x = _reorder(y, order), _reorder(n, order), _reorder(x, order)
    ends = np.append(starts[1:], total)
    lengths = (ends - starts).tolist()
    per_series = _resolve_options(ids, chart, options, options_by_series)
    subgroup = any(o.chart in SUBGROUP_CHARTS for o in per_series)
    y_all = None if subgroup else as_floats(y, "y", "")
    n_all = None if n is None or subgroup else as_floats(n, "n", "")
    groups: dict[tuple[ChartType, int], list[int]] = {}
    for s, (o, length) in enumerate(zip(per_series, lengths, strict=True)):
        groups.setdefault((o.chart, -(-length // 8) * 8), []).append(s)
    results: list[GroupResult] = []
    index: dict[Hashable, tuple[int, int, int]] = {}
    for (kind, length), members in groups.items():
        rows = np.asarray(members, dtype=np.int64)
        opts = [per_series[s] for s in members]
        checked: set[int] = set()
        for s, o in zip(members, opts, strict=True):
            if id(o) not in checked:
                checked.add(id(o))
                check_positions(o, lengths[s], f"Series {ids[s]!r}: ")
        group_opts = opts[:1] if len(checked) == 1 else opts

        def where(row: int, pos: int, members: list[int] = members) -> str:
            s = members[row]
            label = f" ({x[int(starts[s]) + pos]})" if x is not None else ""
            return f"Series {ids[s]!r}, point {pos}{label}"

        real = np.asarray([lengths[s] for s in members], dtype=np.int64)
        values, denom, sub_sd = _stack(kind, rows, starts, real, length, y, n, y_all, n_all, ids)
        validate_group(kind, values, denom, where)
        res = compute_group(
            kind,
            group_opts,
            values,
            denom,
            sub_sd,
            labels=_Labels(ids, members),
        )
        for row, s in enumerate(members):
            index[ids[s]] = (len(results), row, s)
        results.append(res)
    return BatchResult(ids, index, results, x, starts.tolist(), lengths)


def _resolve_options(
    ids: list[Hashable],
    chart: str | Mapping[Hashable, str],
    options: Mapping[str, Any] | None,
    options_by_series: Mapping[Hashable, Mapping[str, Any]] | None,
) -> list[ChartOptions]:
    """Validated options of every series; series without their own options share one
    ``ChartOptions`` object per chart type (so a whole group passes scalars)."""
    base = dict(options or {})
    base_chart = base.pop("chart", None)
    shared: dict[str, ChartOptions] = {}
    out: list[ChartOptions] = []
    for key in ids:
        own = options_by_series.get(key) if options_by_series else None
        kind = (
            (own or {}).get("chart")
            or (chart.get(key) if isinstance(chart, Mapping) else chart)
            or base_chart
        )
        if kind is None:
            raise OptionError(f"Series {key!r}: no chart type given.")
        if own:
            merged = {**base, **{k: v for k, v in own.items() if k != "chart"}}
            out.append(_opts(kind, merged, key))
            continue
        opts = shared.get(kind)
        if opts is None:
            opts = shared[kind] = _opts(kind, base, key)
        out.append(opts)
    return out


class _Labels(Sequence[str]):
    """Lazy "Series 'id': " prefixes for error messages."""

    def __init__(self, ids: list[Hashable], members: list[int]) -> None:
        self._ids, self._members = ids, members

    def __getitem__(self, row: Any) -> Any:
        return f"Series {self._ids[self._members[row]]!r}: "

    def __len__(self) -> int:
        return len(self._members)


def _opts(kind: str, mapping: Mapping[str, Any], key: Hashable) -> ChartOptions:
    try:
        return options_from_mapping(kind, mapping)
    except SpcInputError as exc:
        raise type(exc)(f"Series {key!r}: {exc}") from exc


def _stack(
    kind: str,
    rows: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    real: npt.NDArray[np.int64],
    width: int,
    y: Any,
    n: Any,
    y_all: FloatArray | None,
    n_all: FloatArray | None,
    ids: list[Hashable],
) -> tuple[FloatArray, FloatArray | None, FloatArray | None]:
    """Stack the group's series into ``(M, width)`` arrays, padding with missing points
    (vectorised, except for subgroup charts whose subgroups are summarised one by one)."""
    if y_all is None:
        parts = []
        for s, length in zip(rows.tolist(), real.tolist(), strict=True):
            lo = int(starts[s])
            prefix = f"Series {ids[s]!r}: "
            ys = y[lo : lo + length]
            ns = (
                None
                if n is None or kind not in DENOMINATOR_CHARTS | RATIO_CHARTS
                else (n[lo : lo + length])
            )
            if ns is not None and kind in RATIO_CHARTS and all(v is None for v in ns):
                ns = None
            check_lengths(kind, length, ns, None, prefix)
            prepared = prepare_values(kind, ys, ns, prefix)
            fills = (np.nan, 0.0 if kind in SUBGROUP_CHARTS else np.nan, np.nan)
            parts.append([_pad(a, width, f) for a, f in zip(prepared, fills, strict=True)])
        values, denom, sub_sd = (_stack_column(parts, i) for i in range(3))
        assert values is not None
        return values, denom, sub_sd
    span = np.arange(width)
    inside = span < real[:, None]
    pos = np.where(inside, starts[rows][:, None] + span, 0)
    values = np.where(inside, y_all.take(pos), np.nan)
    if kind in DENOMINATOR_CHARTS:
        if n_all is None:
            raise OptionError(
                f"Series {ids[int(rows[0])]!r}: a {kind} chart needs denominators 'n'."
            )
        return values, np.where(inside, n_all.take(pos), np.nan), None
    if kind in RATIO_CHARTS and n_all is not None:
        den = np.where(inside, n_all.take(pos), np.nan)
        uses = ~np.isnan(den).all(axis=1, keepdims=True)
        if uses.any():
            with np.errstate(invalid="ignore", divide="ignore"):
                ratio = np.where(den > 0, values / den, np.nan)
            validate_group(
                kind,
                values,
                np.where(uses, den, np.nan),
                lambda r, p: f"Series {ids[int(rows[r])]!r}, point {p}",
            )
            values = np.where(uses, ratio, values)
    return values, None, None


def _stack_column(parts: list[list[FloatArray | None]], i: int) -> FloatArray | None:
    column = [p[i] for p in parts if p[i] is not None]
    return np.stack(column) if column else None  # type: ignore[arg-type]


def _pad(arr: FloatArray | None, width: int, fill: float) -> FloatArray | None:
    """Pad a series with missing values (size 0 for subgroup sizes) up to ``width``."""
    if arr is None or len(arr) == width:
        return arr
    return np.concatenate([arr, np.full(width - len(arr), fill)])
