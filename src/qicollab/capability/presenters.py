"""Display helpers for the 3 L's: tag colours and sentences, no queries."""

from __future__ import annotations

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
