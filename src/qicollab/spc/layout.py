"""Vectorised bookkeeping shared by the limit, rule and runs computations.

A *group* is a stack of ``M`` series of the same chart type and length ``L`` held as
``(M, L)`` arrays. Every series is split into phases; per-phase statistics are computed
with ``numpy.bincount`` over the flat key ``row * P + phase`` (sequential summation in
point order), and "previous/next point" links are flat positions ``row * L + j``. Every
operation is row-independent, so a series gives bit-identical results whether it is
computed alone or in a batch of thousands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from .types import BoolArray, FloatArray, IntArray

__all__ = ["Layout", "make_layout", "run_lengths", "take"]


@dataclass(frozen=True, slots=True)
class Layout:
    """Phase structure of a group of ``M`` series of length ``L`` (``n`` here)."""

    m: int
    n: int
    p: int
    phase: IntArray  # (M, L) phase number of each point
    key: IntArray  # (M*L,) row * P + phase
    include: BoolArray  # (M, L) not excluded
    chain: BoolArray  # (M, L) included and within the first ``freeze`` points of its phase
    fidx: IntArray  # (M, L) flat position row * L + j
    fstart: IntArray  # (M, L) or (M, 1): flat position of the first point of the phase
    fend: IntArray  # (M, L) or (M, 1): flat position of the last point of the phase
    any_excluded: bool
    real: BoolArray  # (M*P,) whether the (series, phase) cell exists
    memo: dict[str, IntArray] = field(default_factory=dict, compare=False, repr=False)

    @property
    def size(self) -> int:
        """Number of (series, phase) cells."""
        return self.m * self.p

    def gcount(self, mask: BoolArray) -> IntArray:
        """Number of points of each (series, phase) cell selected by ``mask``."""
        return np.bincount(self.key[mask.ravel()], minlength=self.size)

    def gsum(self, values: FloatArray, mask: BoolArray) -> FloatArray:
        """Sum of ``values`` over ``mask`` per cell (sequential, in point order)."""
        flat = mask.ravel()
        return cast(
            FloatArray,
            np.bincount(self.key[flat], weights=values.ravel()[flat], minlength=self.size),
        )

    def gmean(self, values: FloatArray, mask: BoolArray) -> FloatArray:
        """Mean per cell, with R's second pass ``m + sum(x - m) / n`` for accuracy."""
        flat = mask.ravel()
        keys = self.key[flat]
        vals = values.ravel()[flat]
        count = np.bincount(keys, minlength=self.size)
        mean = np.bincount(keys, weights=vals, minlength=self.size) / count
        return mean + np.bincount(keys, weights=vals - mean[keys], minlength=self.size) / count

    def cell(self, stat: FloatArray) -> FloatArray:
        """Broadcast a per-cell statistic back to the points, shape ``(M, L)``."""
        return stat[self.key].reshape(self.m, self.n)

    def prev(self, mask: BoolArray) -> IntArray:
        """Flat position of the previous ``mask`` point in the same phase, or -1."""
        acc = np.maximum.accumulate(np.where(mask, self.fidx, -1), axis=1)
        out = np.empty_like(acc)
        out[:, 0] = -1
        out[:, 1:] = acc[:, :-1]
        out[out < self.fstart] = -1
        return out

    def prev_all(self) -> IntArray:
        """``prev`` of the all-true mask (cached: it depends on the layout only)."""
        out = self.memo.get("prev_all")
        if out is None:
            out = self.memo["prev_all"] = self.prev(np.ones((self.m, self.n), dtype=bool))
        return out

    def next_all(self) -> IntArray:
        """``next`` of the all-true mask (cached)."""
        out = self.memo.get("next_all")
        if out is None:
            out = self.memo["next_all"] = self.next(np.ones((self.m, self.n), dtype=bool))
        return out

    def prev_chain(self) -> IntArray:
        """``prev`` of the moving-range chain (included baseline points; cached)."""
        out = self.memo.get("prev_chain")
        if out is None:
            out = self.memo["prev_chain"] = self.prev(self.chain)
        return out

    def next(self, mask: BoolArray) -> IntArray:
        """Flat position of the next ``mask`` point in the same phase, or -1."""
        marks = np.where(mask, self.fidx, self.m * self.n)
        acc = np.minimum.accumulate(marks[:, ::-1], axis=1)[:, ::-1]
        out = np.empty_like(acc)
        out[:, -1] = -1
        out[:, :-1] = acc[:, 1:]
        out[out > self.fend] = -1
        return out


def take(values: npt.NDArray[Any], fpos: IntArray) -> npt.NDArray[Any]:
    """Gather values at flat positions; -1 (no such point) reads position 0 (mask it)."""
    return values.ravel().take(fpos, mode="clip")


def run_lengths(member: BoolArray, cont: BoolArray) -> tuple[IntArray, IntArray, IntArray]:
    """Length of the run containing every ``member`` point (0 elsewhere).

    A run starts at each member point that does not continue (``cont``) the previous
    member point; ``cont`` is only read at member points. Returns ``(run_len,
    run_lengths, starts_flat)``: the per-point length of its run, the length of each run
    and the flat position of each run's first point.
    """
    start = (member & ~cont).ravel()
    run_id = np.add.accumulate(start, dtype=np.int64) - 1
    mflat = member.ravel()
    lengths = np.bincount(run_id[mflat], minlength=int(run_id[-1]) + 1 if len(run_id) else 0)
    if not lengths.size:
        return np.zeros(member.shape, dtype=np.int64), lengths, np.flatnonzero(start)
    run_len = np.where(member, lengths[np.maximum(run_id, 0)].reshape(member.shape), 0)
    return run_len, lengths, np.flatnonzero(start)


def make_layout(
    m: int,
    n: int,
    phases: Sequence[tuple[int, ...]],
    excludes: Sequence[tuple[int, ...]],
    freezes: Sequence[int | None],
) -> Layout:
    """Build the phase layout; each sequence has one entry per row or a single shared one.

    Layouts of single series are cached (they are immutable: every array is read-only).
    """
    if m == 1:
        return _cached_layout(n, tuple(phases), tuple(excludes), tuple(freezes))
    return _make_layout(m, n, phases, excludes, freezes)


@lru_cache(maxsize=512)
def _cached_layout(
    n: int,
    phases: tuple[tuple[int, ...], ...],
    excludes: tuple[tuple[int, ...], ...],
    freezes: tuple[int | None, ...],
) -> Layout:
    return _make_layout(1, n, phases, excludes, freezes)


def _make_layout(
    m: int,
    n: int,
    phases: Sequence[tuple[int, ...]],
    excludes: Sequence[tuple[int, ...]],
    freezes: Sequence[int | None],
) -> Layout:
    idx = np.arange(n, dtype=np.int64)
    rows = np.arange(m, dtype=np.int64)[:, None]
    offset = rows * n
    fidx = offset + idx
    if not any(phases):
        p = 1
        phase = np.zeros((m, n), dtype=np.int64)
        key = np.repeat(rows.ravel(), n)
        fstart, fend = offset, offset + (n - 1)
        pos = idx
    else:
        starts = np.zeros((m, n), dtype=bool)
        starts[:, 0] = True
        if len(phases) == 1:
            starts[:, list(phases[0])] = True
        else:
            for row, ph in enumerate(phases):
                if ph:
                    starts[row, list(ph)] = True
        phase = np.cumsum(starts, axis=1, dtype=np.int64) - 1
        start = np.maximum.accumulate(np.where(starts, idx, 0), axis=1)
        nxt = np.minimum.accumulate(np.where(starts, idx, n)[:, ::-1], axis=1)[:, ::-1]
        end = np.empty_like(nxt)
        end[:, -1] = n - 1
        end[:, :-1] = nxt[:, 1:] - 1
        p = int(phase[:, -1].max()) + 1
        key = (rows * p + phase).ravel()
        fstart, fend = offset + start, offset + end
        pos = idx - start
    include = np.ones((m, n), dtype=bool)
    any_excluded = any(excludes)
    if len(excludes) == 1:
        include[:, list(excludes[0])] = False
    else:
        for row, ex in enumerate(excludes):
            if ex:
                include[row, list(ex)] = False
    if any(f is not None for f in freezes):
        freeze = np.array([n if f is None else f for f in freezes], dtype=np.int64)
        chain = include & (pos < freeze[:, None])
    else:
        chain = include
    real = np.ones(m, dtype=bool) if p == 1 else (np.arange(p) <= phase[:, -1:]).ravel()
    for arr in (phase, key, include, chain, fidx, fstart, fend, real):
        arr.flags.writeable = False
    return Layout(m, n, p, phase, key, include, chain, fidx, fstart, fend, any_excluded, real)
