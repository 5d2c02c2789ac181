"""Period dates for a measure's collection frequency (pure: no Django).

A measure records one value per period, and each period is identified by its **first
day**: the day itself (daily), the measure's week-start weekday (weekly), the 1st of the
month (monthly) or the 1st of January, April, July or October (quarterly; NHS financial
quarters start on the same days, Q1 = April to June).

A date inside a month or quarter identifies that period unambiguously, so monthly and
quarterly dates are *snapped* to the first day. A weekly date on another weekday is
ambiguous (a week ending on Sunday 16 March could mean the week starting 10 or 17
March), so it is reported with a suggestion instead of being guessed.

>>> snap(date(2025, 3, 17), "monthly")
datetime.date(2025, 3, 1)
>>> period_range(date(2025, 1, 1), date(2025, 3, 31), "monthly")
[datetime.date(2025, 1, 1), datetime.date(2025, 2, 1), datetime.date(2025, 3, 1)]
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal, cast

__all__ = [
    "FREQUENCIES",
    "WEEKDAYS",
    "Frequency",
    "add_periods",
    "grid_problem",
    "is_on_grid",
    "period_end",
    "period_label",
    "period_range",
    "snap",
]

Frequency = Literal["daily", "weekly", "monthly", "quarterly"]
FREQUENCIES: tuple[str, ...] = ("daily", "weekly", "monthly", "quarterly")
WEEKDAYS: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _check(frequency: str) -> Frequency:
    if frequency not in FREQUENCIES:
        raise ValueError(f"Unknown collection frequency {frequency!r}; use one of {FREQUENCIES}.")
    return cast(Frequency, frequency)


def long_date(d: date) -> str:
    """``1 March 2025`` (no leading zero, as the NHS style guide writes dates)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def snap(d: date, frequency: str, week_start: int = 0) -> date:
    """The first day of the period containing ``d``.

    >>> snap(date(2025, 3, 12), "weekly")          # Wednesday -> Monday 10 March
    datetime.date(2025, 3, 10)
    >>> snap(date(2025, 5, 31), "quarterly")
    datetime.date(2025, 4, 1)
    """
    f = _check(frequency)
    if f == "daily":
        return d
    if f == "weekly":
        return d - timedelta(days=(d.weekday() - week_start) % 7)
    if f == "monthly":
        return d.replace(day=1)
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def is_on_grid(d: date, frequency: str, week_start: int = 0) -> bool:
    """Whether ``d`` is the first day of a period."""
    return snap(d, frequency, week_start) == d


def grid_problem(d: date, frequency: str, week_start: int = 0) -> str | None:
    """Why ``d`` cannot be used as-is, with a suggestion; ``None`` when it can.

    Only weekly dates can be off the grid: monthly and quarterly dates are snapped.

    >>> print(grid_problem(date(2025, 3, 16), "weekly"))  # doctest: +NORMALIZE_WHITESPACE
    16 March 2025 is a Sunday, but this measure's weeks start on a Monday.
    Did you mean Monday 10 March 2025 (the start of that week)?
    """
    f = _check(frequency)
    if f != "weekly" or d.weekday() == week_start:
        return None
    start = snap(d, f, week_start)
    return (
        f"{long_date(d)} is a {WEEKDAYS[d.weekday()]}, but this measure's weeks start on a "
        f"{WEEKDAYS[week_start]}. Did you mean {WEEKDAYS[week_start]} {long_date(start)} "
        "(the start of that week)?"
    )


def add_periods(d: date, frequency: str, count: int = 1) -> date:
    """The period ``count`` periods after the one starting on ``d`` (negative: before).

    >>> add_periods(date(2025, 11, 1), "quarterly", 1)
    datetime.date(2026, 2, 1)
    """
    f = _check(frequency)
    if f == "daily":
        return d + timedelta(days=count)
    if f == "weekly":
        return d + timedelta(weeks=count)
    months = count * (3 if f == "quarterly" else 1)
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_end(start: date, frequency: str) -> date:
    """The last day of the period that starts on ``start``."""
    return add_periods(start, frequency, 1) - timedelta(days=1)


def period_range(first: date, last: date, frequency: str, week_start: int = 0) -> list[date]:
    """Every period start from the period containing ``first`` to the one containing ``last``."""
    current = snap(first, frequency, week_start)
    end = snap(last, frequency, week_start)
    out: list[date] = []
    while current <= end:
        out.append(current)
        current = add_periods(current, frequency, 1)
    return out


def period_label(start: date, frequency: str) -> str:
    """How a period is named on charts and tables.

    >>> period_label(date(2025, 4, 1), "quarterly"), period_label(date(2025, 4, 1), "monthly")
    ('Apr to Jun 2025', 'April 2025')
    """
    f = _check(frequency)
    if f == "monthly":
        return f"{_MONTHS[start.month - 1]} {start.year}"
    if f == "quarterly":
        end = period_end(start, f)
        return f"{_MONTHS[start.month - 1][:3]} to {_MONTHS[end.month - 1][:3]} {end.year}"
    if f == "weekly":
        return f"w/c {long_date(start)}"
    return long_date(start)
