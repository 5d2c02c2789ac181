"""Vectorised bookkeeping shared by the limit, rule and runs computations.

A *group* is a stack of ``M`` series of the same chart type and length ``L`` held as
``(M, L)`` arrays. Every series is split into phases; per-phase statistics are computed
with ``numpy.bincount`` over the flat key ``row * P + phase`` (sequential summation in
point order, so a series gives bit-identical results whether it is computed alone or in
a batch of thousands).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .types import BoolArray, FloatArray, IntArray

__all__ = ["Layout", "make_layout"]


@dataclass(frozen=True, slots=True)
class Layout:
    """Phase structure of a group of ``M`` series of length ``L``."""

    m: int
    n: int
    p: int
    idx: IntArray  # (L,) 0..L-1
    phase: IntArray  # (M, L) phase number of each point
    start: IntArray  # (M, L) first position of the point's phase
    end: IntArray  # (M, L) last position of the point's phase
    key: IntArray  # (M*L,) row * P + phase
    include: BoolArray  # (M, L) not excluded
    baseline: BoolArray  # (M, L) within the first ``freeze`` points of its phase

    @property
    def size(self) -> int:
        """Number of (series, phase) cells."""
        return self.m * self.p

    def gcount(self, mask: BoolArray) -> FloatArray:
        """Number of points of each (series, phase) cell selected by ``mask``."""
        counts = np.bincount(self.key[mask.ravel()], minlength=self.size)
        return counts.astype(np.float64)

    def gsum(self, values: FloatArray, mask: BoolArray) -> FloatArray:
        """Sum of ``values`` over ``mask`` per cell (sequential, in point order)."""
        flat = mask.ravel()
        return np.bincount(self.key[flat], weights=values.ravel()[flat], minlength=self.size)

    def gmean(self, values: FloatArray, mask: BoolArray) -> FloatArray:
        """Mean per cell, with R's second pass ``m + sum(x - m) / n`` for accuracy."""
        count = self.gcount(mask)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = self.gsum(values, mask) / count
            resid = np.where(mask, values - self.cell(mean), 0.0)
            return mean + self.gsum(resid, mask) / count

    def cell(self, stat: FloatArray) -> FloatArray:
        """Broadcast a per-cell statistic back to the points, shape ``(M, L)``."""
        return stat[self.key].reshape(self.m, self.n)

    def prev(self, mask: BoolArray) -> IntArray:
        """Position of the previous ``mask`` point in the same phase, or -1."""
        marks = np.where(mask, self.idx, -1)
        acc = np.maximum.accumulate(marks, axis=1)
        out = np.empty_like(acc)
        out[:, 0] = -1
        out[:, 1:] = acc[:, :-1]
        out[out < self.start] = -1
        return out

    def next(self, mask: BoolArray) -> IntArray:
        """Position of the next ``mask`` point in the same phase, or ``L``."""
        marks = np.where(mask, self.idx, self.n)
        acc = np.minimum.accumulate(marks[:, ::-1], axis=1)[:, ::-1]
        out = np.empty_like(acc)
        out[:, -1] = self.n
        out[:, :-1] = acc[:, 1:]
        out[out > self.end] = self.n
        return out

    def flat(self, pos: IntArray) -> IntArray:
        """Flat index ``row * L + pos`` of positions given per row (shape ``(M, L)``)."""
        rows = np.arange(self.m, dtype=np.int64)[:, None] * self.n
        return rows + pos


def take(values: npt.NDArray[np.generic], pos: IntArray) -> npt.NDArray[np.generic]:
    """Gather ``values[row, pos]``; out-of-range positions are clipped (mask them)."""
    return np.take_along_axis(values, np.clip(pos, 0, values.shape[1] - 1), axis=1)


def run_lengths(member: BoolArray, cont: BoolArray) -> tuple[IntArray, IntArray, IntArray]:
    """Run id and run length of every ``member`` point.

    A run starts at each member point that does not continue (``cont``) the previous
    member point. Returns ``(run_id, run_len, starts_flat)``: per-point run id (-1 for
    non-members), per-point length of its run (0 for non-members) and the flat position
    of each run's first point.
    """
    start = member & ~cont
    sflat = start.ravel()
    run_id = np.cumsum(sflat) - 1
    mflat = member.ravel()
    lengths = np.bincount(run_id[mflat], minlength=int(sflat.sum()))
    ids = np.where(mflat, run_id, -1).reshape(member.shape)
    run_len = np.where(member, lengths[np.maximum(ids, 0)], 0)
    return ids, run_len, np.flatnonzero(sflat)


def make_layout(
    m: int,
    n: int,
    phases: Sequence[tuple[int, ...]],
    excludes: Sequence[tuple[int, ...]],
    freezes: Sequence[int | None],
) -> Layout:
    """Build the phase layout; each sequence has one entry per row or a single shared one."""
    idx = np.arange(n, dtype=np.int64)
    starts = np.zeros((m, n), dtype=bool)
    starts[:, 0] = True
    if len(phases) == 1 and m > 1:
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
    p = int(phase[:, -1].max()) + 1 if n else 1
    include = np.ones((m, n), dtype=bool)
    if len(excludes) == 1 and m > 1:
        include[:, list(excludes[0])] = False
    else:
        for row, ex in enumerate(excludes):
            if ex:
                include[row, list(ex)] = False
    freeze = np.array([n if f is None else f for f in freezes], dtype=np.int64)
    baseline = (idx - start) < freeze[:, None]
    key = (np.arange(m, dtype=np.int64)[:, None] * p + phase).ravel()
    return Layout(m, n, p, idx, phase, start, end, key, include, baseline)
