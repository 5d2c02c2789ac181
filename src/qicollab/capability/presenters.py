"""Display helpers for the 3 L's: tag colours and sentences, no queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qicollab.capability.metrics import Change

LEVEL_TAG = {1: "nhsuk-tag--blue", 2: "nhsuk-tag--green", 3: "nhsuk-tag--purple"}
LEVEL_NAME = {1: "Learn", 2: "Live", 3: "Lead"}


def level_tag(level: int) -> dict[str, str]:
    return {"text": LEVEL_NAME.get(level, "?"), "classes": LEVEL_TAG.get(level, "")}


def change_sentence(change: Change | None, target_percent: float | None) -> str:
    if change is None:
        return "No goal has been set for this collaborative yet."
    pct = change.percent
    if pct is None:
        return (
            f"Nobody counted at the baseline date; {change.current} members count now, "
            "so a percentage change cannot be worked out."
        )
    direction = "up" if pct >= 0 else "down"
    tail = ""
    if target_percent is not None:
        tail = (
            " (goal met)" if change.met(target_percent) else f" (the goal is +{target_percent:g}%)"
        )
    return (
        f"{change.current} members count now, against {change.baseline} at the baseline: "
        f"{direction} {abs(pct):g}%{tail}."
    )


# --- Small-count suppression ----------------------------------------------------------------
#
# The rule (docs/capability.md): people who may not see the individuals behind a count
# (everyone but the person, their organisation's programme manager and the collaborative's
# faculty and leads) never see a count of 1 to 4 people. For self-assessment aggregates the
# group is what is suppressed: when fewer than 5 members of the organisation (or
# collaborative) shown have assessed themselves, every count for it is withheld, because a
# level split of 3 people would show each of them. Counts of people trained are suppressed
# cell by cell: 1 to 4 shows as "fewer than 5"; zero is shown, it identifies nobody.

SUPPRESS_BELOW = 5
FEWER_THAN = f"fewer than {SUPPRESS_BELOW}"


def group_suppressed(members: int, *, sees_individuals: bool) -> bool:
    """Whether a group's counts are withheld from this viewer.

    >>> group_suppressed(4, sees_individuals=False), group_suppressed(5, sees_individuals=False)
    (True, False)
    >>> group_suppressed(1, sees_individuals=True)
    False
    """
    return not sees_individuals and 0 < members < SUPPRESS_BELOW


def shown_count(n: int, *, sees_individuals: bool) -> str:
    """A count as this viewer may see it.

    >>> shown_count(3, sees_individuals=False), shown_count(0, sees_individuals=False)
    ('fewer than 5', '0')
    >>> shown_count(3, sees_individuals=True)
    '3'
    """
    if group_suppressed(n, sees_individuals=sees_individuals):
        return FEWER_THAN
    return f"{n:,}"


# --- Training records ---------------------------------------------------------------------

STATUS_TAG = {
    "enrolled": "nhsuk-tag--blue",
    "completed": "nhsuk-tag--green",
    "withdrawn": "nhsuk-tag--grey",
}


def status_tag(enrolment: Any) -> dict[str, str]:
    text = enrolment.get_status_display()
    if enrolment.completed_on:
        text += f" {enrolment.completed_on:%-d %b %Y}"
    return {"text": text, "classes": STATUS_TAG.get(enrolment.status, "")}


@dataclass(frozen=True)
class RosterRow:
    enrolment: Any
    present: dict[int, bool | None]  # session id -> came, absent, or not marked

    @property
    def attended(self) -> int:
        return sum(1 for v in self.present.values() if v)


def roster_rows(enrolments: list[Any], sessions: list[Any]) -> list[RosterRow]:
    """Attendance per taught date for each enrolment (prefetched, no queries)."""
    rows = []
    for e in enrolments:
        marked = {a.session_id: a.present for a in e.attendance.all()}
        rows.append(RosterRow(e, {s.pk: marked.get(s.pk) for s in sessions}))
    return rows


def attendance_summary(enrolment: Any) -> str:
    """ "Came to 3 of 4 dates" for a record, from prefetched rows."""
    total = len(enrolment.cohort.sessions.all())
    if not total:
        return "Single date"
    came = sum(1 for a in enrolment.attendance.all() if a.present)
    return f"Came to {came} of {total} dates"


def trained_table(
    counts: dict[str, int], labels: dict[str, str], *, sees_individuals: bool
) -> list[tuple[str, str]]:
    """(label, shown count) rows for a people-trained breakdown, suppressed for this viewer."""
    return [
        (labels.get(k, k), shown_count(v, sees_individuals=sees_individuals))
        for k, v in counts.items()
    ]
