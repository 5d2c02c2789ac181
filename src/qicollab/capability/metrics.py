"""Pure arithmetic for the 3 L's programme goal. No Django, so it is easy to test and explain.

(The exception is at the end: the people-trained counts, thin wrappers over the training
selectors kept here because the national roll-up and the programme goals call them by this
name. They import Django lazily, so the arithmetic above stays importable on its own.)

How a member *counts* towards "increase the number of members who Learn, Live or Lead QI by
30%" is a choice the collaborative makes; the two definitions are:

``AT_LEVEL``
    A member counts when at least one subject is at ``min_level`` or above in their latest
    assessment on or before the date. With ``min_level=LEARN`` that is everyone who has
    assessed at all ("members who Learn, Live or Lead"); ``LIVE`` counts only people doing QI.
``MOVED_UP``
    A member counts when, in at least one subject, their latest level is above their level
    in their first assessment (movement up a level since they joined the framework).

``change_since_baseline`` compares the count at the baseline date with the count at the
target date and gives the percentage change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

# person id -> subject id -> level (1 Learn, 2 Live, 3 Lead)
Snapshot = Mapping[int, Mapping[int, int]]


class CountRule(StrEnum):
    AT_LEVEL = "at_level"
    MOVED_UP = "moved_up"


@dataclass(frozen=True)
class Definition:
    rule: CountRule = CountRule.AT_LEVEL
    min_level: int = 1

    def describe(self) -> str:
        names = {1: "Learn", 2: "Live", 3: "Lead"}
        if self.rule is CountRule.MOVED_UP:
            return (
                "Members who have moved up at least one level in any subject "
                "since their first assessment"
            )
        return f"Members at {names.get(self.min_level, '?')} or above in at least one subject"


def counts(latest: Snapshot, *, definition: Definition, first: Snapshot | None = None) -> int:
    """How many members count under ``definition``.

    >>> counts({1: {10: 1}, 2: {10: 2}}, definition=Definition(min_level=2))
    1
    >>> counts({1: {10: 2}}, definition=Definition(CountRule.MOVED_UP), first={1: {10: 1}})
    1
    """
    if definition.rule is CountRule.MOVED_UP:
        first = first or {}
        return sum(
            1
            for person, levels in latest.items()
            if any(lvl > first.get(person, {}).get(subj, lvl) for subj, lvl in levels.items())
        )
    return sum(
        1
        for levels in latest.values()
        if any(lvl >= definition.min_level for lvl in levels.values())
    )


def moved_up(previous: Snapshot, latest: Snapshot) -> dict[int, int]:
    """Per subject, how many members moved up at least one level between two snapshots.

    >>> moved_up({1: {10: 1, 11: 2}}, {1: {10: 2, 11: 2}})
    {10: 1}
    """
    out: dict[int, int] = {}
    for person, levels in latest.items():
        before = previous.get(person, {})
        for subj, lvl in levels.items():
            if subj in before and lvl > before[subj]:
                out[subj] = out.get(subj, 0) + 1
    return out


@dataclass(frozen=True)
class Change:
    baseline: int
    current: int

    @property
    def percent(self) -> float | None:
        """Percentage change; ``None`` when there was nobody at baseline (no ratio exists)."""
        if self.baseline == 0:
            return None
        return round((self.current - self.baseline) * 100 / self.baseline, 1)

    def met(self, target_percent: float) -> bool:
        pct = self.percent
        return pct is not None and pct >= target_percent


def change_since_baseline(
    at_baseline: Snapshot,
    at_target: Snapshot,
    *,
    definition: Definition,
    first: Snapshot | None = None,
) -> Change:
    """Members counting at the baseline date and at the target date.

    >>> change_since_baseline({1: {9: 1}}, {1: {9: 1}, 2: {9: 1}}, definition=Definition()).percent
    100.0
    """
    return Change(
        counts(at_baseline, definition=definition, first=first),
        counts(at_target, definition=definition, first=first),
    )


def level_table(latest: Snapshot) -> dict[int, dict[int, int]]:
    """subject -> level -> number of members at that level.

    >>> level_table({1: {9: 1}, 2: {9: 3}})
    {9: {1: 1, 2: 0, 3: 1}}
    """
    out: dict[int, dict[int, int]] = {}
    for levels in latest.values():
        for subj, lvl in levels.items():
            row = out.setdefault(subj, {1: 0, 2: 0, 3: 0})
            row[lvl] = row.get(lvl, 0) + 1
    return out


def mostly_learning(table: Mapping[int, Mapping[int, int]]) -> list[int]:
    """Subjects where more than half of the members who assessed are at Learn.

    >>> mostly_learning({9: {1: 3, 2: 1, 3: 0}, 8: {1: 1, 2: 1, 3: 0}})
    [9]
    """
    out = []
    for subj, row in table.items():
        total = sum(row.values())
        if total and row.get(1, 0) * 2 > total:
            out.append(subj)
    return out


# --- People trained (training records) ----------------------------------------------------


def people_trained_by_category(
    collaborative_ids: Iterable[int],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> dict[str, int]:
    """Distinct people who completed a course of each category in ``[since, until]``.

    Keys are every :class:`~qicollab.capability.models.TrainingCategory` value (zero when
    nobody completed). A person counts once per category however many courses they finish;
    someone completing a QI and a human-factors course counts in both. Withdrawn and
    still-enrolled people never count. The signature is a contract with the national
    roll-up: keep it.
    """
    from qicollab.capability import selectors

    return selectors.people_trained_by_category(collaborative_ids, since=since, until=until)


def people_trained_by_kind(
    collaborative_ids: Iterable[int],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    category: str | None = None,
) -> dict[str, int]:
    """Distinct people who completed a course, by kind of person (staff, lived-experience
    partners and patients, others; see :class:`~qicollab.capability.models.PersonKind`)."""
    from qicollab.capability import selectors

    return selectors.people_trained_by_kind(
        collaborative_ids, since=since, until=until, category=category
    )
