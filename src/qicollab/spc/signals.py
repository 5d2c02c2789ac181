"""Signal runs: the special-cause points of a result grouped into runs, rule bits decoded.

A **signal run** is a maximal sequence of consecutive special-cause points of one class
(improvement, concern, neutral) on one side of the centre line, within one phase. Missing
and excluded points neither start nor break a run (the rules skip them); a common-cause
point, or a change of class, side or phase, ends it. Callers get rule *names*, never
``rule_bits``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .types import POINT_CLASSES, RULE_NAMES, ChartResult

__all__ = ["SignalRun", "signal_runs"]


@dataclass(frozen=True)
class SignalRun:
    """One run of special-cause points: indices into the result, both ends included."""

    #: "improvement", "concern" or "neutral" (a chart without a direction).
    point_class: str
    #: "high" (above the centre line) or "low".
    side: str
    #: Names of every rule that fired at any point of the run, in :data:`RULE_NAMES` order.
    rules: tuple[str, ...]
    #: Index of the first and last point of the run.
    first: int
    last: int
    #: Points in the run (missing and excluded points skipped).
    count: int
    #: The phase of the run's points (the phase of its first point with ``across_phases``).
    phase: int


def signal_runs(result: ChartResult, *, across_phases: bool = False) -> tuple[SignalRun, ...]:
    """The special-cause runs of ``result``, oldest first.

    With ``across_phases=True`` a run of the same class and side continues over a phase
    boundary (useful to say how long a change has lasted since it was recognised).

    >>> from qicollab.spc import chart
    >>> r = chart([5, 5, 6, 5, 6, 5, 6, 5, 20], chart="i", freeze=8, direction="decrease")
    >>> (run,) = signal_runs(r)
    >>> run.point_class, run.side, run.rules, run.first, run.last, run.count
    ('concern', 'high', ('outside_limits',), 8, 8, 1)
    """
    classes = result.point_class.tolist()
    sides = result.side.tolist()
    bits = result.rule_bits.tolist()
    phases = result.phase.tolist()
    excluded = result.excluded.tolist()
    ys = result.y.tolist()
    runs: list[SignalRun] = []
    key: tuple[int, int, int] | None = None
    first = last = count = fired = 0

    def close() -> None:
        if key is not None:
            runs.append(
                SignalRun(
                    POINT_CLASSES[key[0]],
                    "high" if key[1] > 0 else "low",
                    tuple(n for b, n in enumerate(RULE_NAMES) if fired >> b & 1),
                    first,
                    last,
                    count,
                    phases[first],
                )
            )

    for i, y in enumerate(ys):
        if math.isnan(y) or excluded[i]:
            continue
        if classes[i] == 0 or sides[i] == 0:
            close()
            key = None
            continue
        here = (classes[i], sides[i], 0 if across_phases else phases[i])
        if here == key:
            last, count, fired = i, count + 1, fired | bits[i]
            continue
        close()
        key, first, last, count, fired = here, i, i, 1, bits[i]
    close()
    return tuple(runs)
