"""Is the aim SMART? Pure functions over anything shaped like an aim (no database).

A good aim says what better looks like, for whom and by when, with numbers: "Reduce
restrictive practice incidents for adult inpatients on Willow ward from 12 to 6 per 1,000
occupied bed days by 31 March 2027". :func:`smart_check` names what is still missing, in
words a team can act on; :func:`aim_sentence` writes the sentence from the parts.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Protocol

from django.utils.formats import date_format


class AimLike(Protocol):
    statement: str
    direction: str
    measure_text: str
    population: str
    setting: str
    baseline_value: Decimal | None
    target_value: Decimal | None
    unit: str
    target_date: dt.date | None


# Verbs that promise change without saying how much (vague unless a number follows).
_VAGUE = re.compile(
    r"\b(improv\w*|better|enhanc\w*|optimi[sz]\w*|strengthen\w*|increas\w*|reduc\w*|decreas\w*)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d")
_PERCENT_UNITS = {"%", "percent", "per cent", "percentage"}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def smart_check(
    aim: AimLike, *, today: dt.date | None = None, project_active: bool = True
) -> list[str]:
    """Name what the aim is missing; an empty list means it is SMART.

    ``project_active``: the project is still working towards its aim (an idea or under way),
    so a target date in the past is stale. Pass ``False`` only for a project that has
    reached its aim or ended; the default is the strict check, so a caller that knows
    nothing of the project never passes a past date as SMART.

    >>> from types import SimpleNamespace as A
    >>> smart_check(A(statement="Improve falls care", direction="", measure_text="",
    ...     population="", setting="", baseline_value=None, target_value=None, unit="",
    ...     target_date=None))[:2]  # doctest: +NORMALIZE_WHITESPACE
    ["'Improve' on its own is vague: your own words have no number. Say how much, from what
    to what.", 'Say whether you want to increase or reduce what you measure.']
    """
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date; callers pass localdate
    problems: list[str] = []
    statement = (aim.statement or "").strip()
    if statement and _VAGUE.search(statement) and not _NUMBER.search(statement):
        word = _VAGUE.search(statement).group(0).lower()  # type: ignore[union-attr]
        problems.append(
            f"'{word.capitalize()}' on its own is vague: your own words have no number. "
            "Say how much, from what to what."
        )
    if _blank(aim.direction):
        problems.append("Say whether you want to increase or reduce what you measure.")
    if _blank(aim.measure_text):
        problems.append(
            "Name what you will measure, for example 'falls per 1,000 occupied bed days'."
        )
    if _blank(aim.population):
        problems.append(
            "Say for whom: the people who will benefit, for example 'adult inpatients'."
        )
    if _blank(aim.setting):
        problems.append("Say where: the setting, for example 'Willow and Ash wards'.")
    baseline, target = aim.baseline_value, aim.target_value
    if baseline is None:
        problems.append("Give the baseline as a number: where you are now.")
    if target is None:
        problems.append("Give the target as a number: how much better, by the date.")
    if baseline is not None and target is not None:
        if target == baseline:
            problems.append("The target is the same as the baseline: set a target that is better.")
        elif aim.direction == "increase" and target < baseline:
            problems.append("You want to increase it, but the target is lower than the baseline.")
        elif aim.direction == "reduce" and target > baseline:
            problems.append("You want to reduce it, but the target is higher than the baseline.")
    if (baseline is not None or target is not None) and _blank(aim.unit):
        problems.append("Give the unit of the numbers, for example %, days or per 1,000 bed days.")
    if (aim.unit or "").strip().lower() in _PERCENT_UNITS:
        for name, value in (("baseline", baseline), ("target", target)):
            if value is not None and not (0 <= value <= 100):
                problems.append(f"A percentage {name} must be between 0 and 100.")
    if aim.target_date is None:
        problems.append("Give a date by when you will reach the target.")
    elif project_active and aim.target_date < today:
        problems.append(
            "The target date has passed: set a new date, or record the result and "
            "change the project's status."
        )
    return problems


def format_number(value: Decimal | float | int | None) -> str:
    """12.500 -> '12.5'; 1000 -> '1,000'.

    >>> format_number(Decimal("1200.50"))
    '1,200.5'
    """
    if value is None:
        return ""
    d = Decimal(str(value))
    text = f"{d:,.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def with_unit(value: Decimal | None, unit: str) -> str:
    """'45%' for percentages; otherwise '6 per 1,000 bed days'."""
    number = format_number(value)
    unit = (unit or "").strip()
    if not unit:
        return number
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}"


def aim_sentence(aim: AimLike) -> str:
    """The aim as one sentence, in the team's own words if they wrote them.

    Missing parts show as bracketed prompts so the gap is visible, not hidden.

    >>> from types import SimpleNamespace as A
    >>> aim_sentence(A(statement="", direction="reduce", measure_text="falls",
    ...     population="adults", setting="Ash ward", baseline_value=Decimal(8),
    ...     target_value=Decimal(4), unit="%", target_date=dt.date(2027, 3, 31)))
    'Reduce falls for adults in Ash ward from 8% to 4% by 31 March 2027.'
    """
    if (aim.statement or "").strip():
        return aim.statement.strip()
    verb = {"increase": "Increase", "reduce": "Reduce"}.get(aim.direction, "[Increase or reduce]")
    unit = (aim.unit or "").strip()
    baseline = format_number(aim.baseline_value) or "[baseline]"
    if aim.target_value is not None:
        target = with_unit(aim.target_value, unit)
    else:
        target = "[target]"
        if unit:
            target = f"[target] {unit}" if unit != "%" else "[target]%"
    if unit == "%" and aim.baseline_value is not None:
        baseline += "%"
    when = date_format(aim.target_date, "j F Y") if aim.target_date else "[date]"
    return (
        f"{verb} {(aim.measure_text or '').strip() or '[what you measure]'}"
        f" for {(aim.population or '').strip() or '[whom]'}"
        f" in {(aim.setting or '').strip() or '[where]'}"
        f" from {baseline} to {target} by {when}."
    )
