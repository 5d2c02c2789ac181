"""Anhøj runs analysis: unusually long runs and unusually few crossings of the centre line.

Source: Anhøj J, Olesen AV (2014) *Run Charts Revisited*, PLOS ONE 9(11): e113825, and
qicharts2 ``runs.analysis()``:

* points exactly on the centre line (and missing or excluded points) are dropped: they
  neither break a run nor count as a crossing; ``n_useful`` is the number left;
* ``longest_run_max = round(log2(n_useful)) + 3`` (R's round, half to even);
* ``crossings_min = qbinom(0.05, n_useful - 1, 0.5)``, the 5th percentile of the
  binomial distribution of the number of crossings;
* signal when ``longest_run > longest_run_max`` or ``crossings < crossings_min``.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .layout import Layout, run_lengths, take
from .types import BoolArray, IntArray

__all__ = ["anhoej_limits", "crossings_min", "longest_run_max", "qbinom", "runs_analysis"]

_CROSSINGS_CACHE: dict[int, int] = {}


def qbinom(p: float, size: int, prob: float = 0.5) -> int:
    """Quantile of the binomial distribution, computed exactly with integers/fractions.

    The smallest ``k`` with ``P(X <= k) >= p`` for ``X ~ Binomial(size, prob)``, as R's
    ``qbinom(p, size, prob)`` (R uses floating point with a tiny fuzz; exact arithmetic
    gives the same answers, see ``tests/spc/test_runs.py``).

    >>> qbinom(0.05, 9, 0.5), qbinom(0.05, 23, 0.5), qbinom(0.5, 4, 0.5)
    (2, 8, 2)
    """
    if size < 0 or not 0 <= p <= 1 or not 0 <= prob <= 1:
        raise ValueError("qbinom needs size >= 0 and p, prob in [0, 1]")
    target = Fraction(p)
    if prob == 0.5:
        total = 1 << size
        term, cum = 1, 0
        for k in range(size + 1):
            cum += term
            if cum >= target * total:
                return k
            term = term * (size - k) // (k + 1)
        return size  # pragma: no cover - cum reaches total at k = size
    q = Fraction(prob)
    term_f, cum_f = (1 - q) ** size, Fraction(0)
    for k in range(size + 1):
        cum_f += term_f
        if cum_f >= target:
            return k
        if q == 1:
            return size
        term_f = term_f * (size - k) / (k + 1) * q / (1 - q)
    return size  # pragma: no cover


def crossings_min(n_useful: int) -> int:
    """Lower limit for the number of crossings: ``qbinom(0.05, n_useful - 1, 0.5)``.

    Anhøj & Olesen (2014), Table 1 / qicharts2 ``runs.analysis()``; cached.

    >>> [crossings_min(n) for n in (10, 20, 30, 50, 100)]
    [2, 6, 10, 19, 41]
    """
    cached = _CROSSINGS_CACHE.get(n_useful)
    if cached is None:
        cached = qbinom(0.05, max(n_useful - 1, 0), 0.5)
        _CROSSINGS_CACHE[n_useful] = cached
    return cached


def longest_run_max(n_useful: int) -> int:
    """Upper limit for the longest run: ``round(log2(n_useful)) + 3`` (Schilling 2012).

    >>> [longest_run_max(n) for n in (10, 20, 30, 50, 100)]
    [6, 7, 8, 9, 10]
    """
    if n_useful < 1:
        raise ValueError("longest_run_max needs at least one useful point")
    return round(math.log2(n_useful)) + 3


def anhoej_limits(n_useful: int) -> tuple[int, int]:
    """``(longest_run_max, crossings_min)`` for ``n_useful`` useful points:
    ``(round(log2(n)) + 3, qbinom(0.05, n - 1, 0.5))`` (Anhøj & Olesen 2014, Table 1).

    >>> anhoej_limits(24)
    (8, 8)
    """
    return longest_run_max(n_useful), crossings_min(n_useful)


def runs_analysis(
    lay: Layout,
    side: npt.NDArray[np.int8],
    usable: BoolArray,
    runs: tuple[IntArray, IntArray, IntArray] | None = None,
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray]:
    """Per (series, phase) cell: n_useful, longest run, its maximum, crossings, minimum.

    ``side`` is the sign of ``y - cl``; ``usable`` marks points with a value that are not
    excluded; ``runs`` may pass an already computed decomposition (see
    :func:`qicollab.spc.rules.evaluate_rules`). Cells without useful points have -1 for
    the four run statistics.
    """
    useful = usable & (side != 0)
    if runs is None:
        prev = lay.prev(useful)
        runs = run_lengths(useful, (prev >= 0) & (side == take(side, prev)))
    _, lengths, starts = runs
    n_useful = np.bincount(lay.key[useful.ravel()], minlength=lay.size)
    run_keys = lay.key[starts]
    n_runs = np.bincount(run_keys, minlength=lay.size)
    longest = np.zeros(lay.size, dtype=np.int64)
    np.maximum.at(longest, run_keys, lengths)
    has = n_useful > 0
    crossings = np.where(has, np.maximum(n_runs - 1, 0), -1)
    longest = np.where(has, longest, -1)
    lmax = np.where(has, np.round(np.log2(np.maximum(n_useful, 1))) + 3, -1).astype(np.int64)
    if lay.size == 1:
        count = int(n_useful[0])
        cmin = np.array([crossings_min(count) if count > 0 else -1], dtype=np.int64)
    else:
        values = np.unique(n_useful)
        table = np.array(
            [crossings_min(v) if v > 0 else -1 for v in values.tolist()], dtype=np.int64
        )
        cmin = table[np.searchsorted(values, n_useful)]
    return n_useful, longest, lmax, crossings, cmin
