"""The suggested progress score: the IHI assessment scale read from a project's evidence.

When a team records its monthly self-rating, qicollab suggests a score from what the
project already holds, with the reasons, and the team confirms or overrides it (both are
kept on the :class:`~qicollab.projects.models.ProgressReport`). The mapping follows the
scale's level definitions (docs/progress-scores.md; domain §1.4, Life QI wording):

====  =====================================  =============================================
0.5   Intent to participate                  the project exists
1.0   Charter and team established           an aim (its words or measure) with a target,
                                             and two or more people
1.5   Planning has begun                     a driver diagram or at least one measure
2.0   Activity, but no changes               6+ baseline values on the main outcome
                                             measure, or a PDSA cycle started
2.5   Changes tested, no improvement         a PDSA cycle studied, and a measure with a
                                             target
3.0   Modest improvement                     a PDSA cycle completed with "adopt" or "adapt"
3.5   Improvement                            special-cause improvement on the main outcome
4.0   Significant improvement                the main outcome is at least half way from the
                                             aim's baseline to its target
4.5   Sustainable improvement                the latest 6 values at or beyond the target
5.0   Outstanding sustainable results        never suggested: the organisational changes
                                             that make it permanent are not in qicollab
====  =====================================  =============================================

Each level needs the ones below it; the suggestion is the highest level whose evidence
and all lower levels' evidence are there, snapped down to a level of the collaborative's
own scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

#: Values on the main outcome measure that make a baseline.
BASELINE_VALUES = 6
#: Consecutive latest values at or beyond the target that show sustained improvement.
SUSTAINED_VALUES = 6


@dataclass(frozen=True)
class Evidence:
    """What the project holds, gathered by :func:`qicollab.projects.selectors.progress_evidence`."""

    aim_agreed: bool = False
    team_size: int = 0
    has_drivers: bool = False
    measures: int = 0
    measure_with_target: bool = False
    baseline_values: int = 0
    pdsa_started: int = 0
    pdsa_studied: int = 0
    pdsa_successful: int = 0
    improvement_signal: bool = False
    #: None: no baseline and target to measure the way from.
    halfway: bool | None = None
    sustained_values: int = 0


@dataclass(frozen=True)
class Reason:
    level: Decimal
    met: bool
    text: str

    def __str__(self) -> str:
        return f"{'Met' if self.met else 'Not yet'} ({self.level:.1f}): {self.text}"


@dataclass(frozen=True)
class Suggestion:
    score: Decimal
    reasons: tuple[Reason, ...]

    @property
    def reason_texts(self) -> list[str]:
        return [str(r) for r in self.reasons]


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _criteria(e: Evidence) -> list[tuple[Decimal, bool, str, str]]:
    """(level, met, reason if met, reason if not) for each level above 0.5."""
    return [
        (
            Decimal("1.0"),
            e.aim_agreed and e.team_size >= 2,
            f"an aim with a target, and {_n(e.team_size, 'person')} on the team",
            "agree an aim with a target and form a team of at least two"
            if not e.aim_agreed
            else "add at least one more person to the team",
        ),
        (
            Decimal("1.5"),
            e.has_drivers or e.measures >= 1,
            "planning has begun: "
            + ("a driver diagram" if e.has_drivers else _n(e.measures, "measure")),
            "no driver diagram or measure yet",
        ),
        (
            Decimal("2.0"),
            e.baseline_values >= BASELINE_VALUES or e.pdsa_started >= 1,
            f"{_n(e.baseline_values, 'value')} on the main outcome measure and "
            f"{_n(e.pdsa_started, 'PDSA cycle')} started",
            f"fewer than {BASELINE_VALUES} baseline values on the main outcome measure and "
            "no PDSA cycle started",
        ),
        (
            Decimal("2.5"),
            e.pdsa_studied >= 1 and e.measure_with_target,
            f"{_n(e.pdsa_studied, 'PDSA cycle')} tested and studied, measured against a target",
            "no PDSA cycle has reached Study yet"
            if e.pdsa_studied < 1
            else "no measure has a target yet",
        ),
        (
            Decimal("3.0"),
            e.pdsa_successful >= 1,
            f"{_n(e.pdsa_successful, 'PDSA cycle')} completed with a change adopted or adapted",
            "no PDSA cycle completed with a change adopted or adapted yet",
        ),
        (
            Decimal("3.5"),
            e.improvement_signal,
            "special-cause improvement on the main outcome measure",
            "no special-cause improvement on the main outcome measure yet",
        ),
        (
            Decimal("4.0"),
            bool(e.halfway),
            "the main outcome is at least half way from the baseline to the target",
            "the main outcome is not yet half way from the baseline to the target"
            if e.halfway is not None
            else "the aim has no baseline and target to measure the way from",
        ),
        (
            Decimal("4.5"),
            e.sustained_values >= SUSTAINED_VALUES,
            f"the latest {_n(e.sustained_values, 'value')} are at or beyond the target",
            f"fewer than the latest {SUSTAINED_VALUES} values are at or beyond the target "
            f"({e.sustained_values} so far)",
        ),
    ]


def suggest(e: Evidence, *, levels: Sequence[Decimal] = ()) -> Suggestion:
    """The suggested score and its reasons: each level met, then the first not met.

    >>> s = suggest(Evidence(aim_agreed=True, team_size=3, measures=2, pdsa_started=1))
    >>> s.score
    Decimal('2.0')
    >>> [r.met for r in s.reasons]
    [True, True, True, False]
    >>> suggest(Evidence()).score
    Decimal('0.5')
    >>> suggest(Evidence(aim_agreed=True, team_size=2, measures=1), levels=[Decimal("1.0")]).score
    Decimal('1.0')
    """
    score = Decimal("0.5")
    reasons: list[Reason] = []
    for level, met, yes, no in _criteria(e):
        if not met:
            reasons.append(Reason(level, False, no))
            break
        score = level
        reasons.append(Reason(level, True, yes))
    else:
        reasons.append(
            Reason(
                Decimal("5.0"),
                False,
                "5.0 is for the team to judge: it needs changes made permanent in the "
                "organisation, which qicollab cannot see",
            )
        )
    if levels:
        allowed = sorted(Decimal(v) for v in levels)
        below = [v for v in allowed if v <= score]
        score = below[-1] if below else allowed[0]
    return Suggestion(score, tuple(reasons))
