"""Where a change idea stands, from its ramp of PDSA cycles (pure: no queries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class RampState(StrEnum):
    NOT_TESTED = "not_tested"
    TESTING = "testing"
    ADOPTED = "adopted"
    ADAPTED = "adapted"
    ABANDONED = "abandoned"


@dataclass(frozen=True)
class StateStyle:
    label: str
    tag: str  # NHS.UK tag modifier
    fill: str  # for the SVG diagram: background and text colours with AA contrast
    ink: str


STATE_STYLES: dict[RampState, StateStyle] = {
    RampState.NOT_TESTED: StateStyle("Not yet tested", "nhsuk-tag--grey", "#e8edee", "#212b32"),
    RampState.TESTING: StateStyle("Testing", "nhsuk-tag--blue", "#d2e5f5", "#003087"),
    RampState.ADOPTED: StateStyle("Adopted", "nhsuk-tag--green", "#cce3d7", "#004021"),
    RampState.ADAPTED: StateStyle("Adapted", "nhsuk-tag--yellow", "#fff59d", "#3d3600"),
    RampState.ABANDONED: StateStyle("Abandoned", "nhsuk-tag--red", "#f7d4d1", "#6b140e"),
}

_DECISION_STATE = {
    "adopt": RampState.ADOPTED,
    "adapt": RampState.ADAPTED,
    "abandon": RampState.ABANDONED,
}


def _sort_key(cycle: Any) -> tuple[int, dt.date, int]:
    return (cycle.cycle_number or 0, cycle.planned_start or dt.date.min, cycle.pk or 0)


def ramp_order(cycles: Iterable[Any]) -> list[Any]:
    """Cycles from the first, smallest test to the latest."""
    return sorted(cycles, key=_sort_key)


def ramp_state(cycles: Iterable[Any]) -> RampState:
    """The state of a change idea, read from the Act of its latest cycle.

    No cycles: not yet tested. The latest cycle decided adopt, adapt or abandon: that.
    Otherwise a test is under way: testing (also when a new cycle follows an 'adapt').

    >>> from types import SimpleNamespace as C
    >>> ramp_state([C(cycle_number=1, planned_start=None, pk=1, act_decision="adapt"),
    ...             C(cycle_number=2, planned_start=None, pk=2, act_decision="")])
    <RampState.TESTING: 'testing'>
    """
    ordered = ramp_order(cycles)
    if not ordered:
        return RampState.NOT_TESTED
    decision = getattr(ordered[-1], "act_decision", "") or ""
    return _DECISION_STATE.get(decision, RampState.TESTING)
