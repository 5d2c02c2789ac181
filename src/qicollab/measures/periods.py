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

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, cast

__all__ = [
    "FREQUENCIES",
    "WEEKDAYS",
    "Frequency",
    "PeriodWindow",
    "add_periods",
    "grid_problem",
    "is_on_grid",
    "period_end",
    "period_label",
    "period_range",
    "snap",
    "window_for",
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
        back = (d.weekday() - week_start) % 7
        # The week holding 1 January of year 1 starts before the calendar does.
        return d - timedelta(days=back) if d.toordinal() > back else date.min
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


def _shift(d: date, frequency: Frequency, count: int) -> date | None:
    """``count`` periods after ``d``, or ``None`` beyond the calendar (years 1 to 9999)."""
    if frequency in ("daily", "weekly"):
        ordinal = d.toordinal() + count * (7 if frequency == "weekly" else 1)
        return date.fromordinal(ordinal) if 1 <= ordinal <= date.max.toordinal() else None
    index = d.year * 12 + d.month - 1 + count * (3 if frequency == "quarterly" else 1)
    return date(index // 12, index % 12 + 1, 1) if 1 <= index // 12 <= date.max.year else None


def add_periods(d: date, frequency: str, count: int = 1) -> date:
    """The period ``count`` periods after the one starting on ``d`` (negative: before).

    The calendar runs from 1 January of year 1 to 31 December 9999; a result beyond it is
    clamped to that first or last day, so arithmetic on any date that can be stored never
    raises (a stored 9999-12-01 once took every page that charted it down).

    >>> add_periods(date(2025, 11, 1), "quarterly", 1)
    datetime.date(2026, 2, 1)
    >>> add_periods(date(9999, 12, 1), "monthly", 1)
    datetime.date(9999, 12, 31)
    """
    shifted = _shift(d, _check(frequency), count)
    if shifted is None:
        return date.max if count > 0 else date.min
    return shifted


def period_end(start: date, frequency: str) -> date:
    """The last day of the period that starts on ``start`` (the last one ends on 9999-12-31).

    >>> period_end(date(2025, 2, 1), "monthly"), period_end(date(9999, 10, 1), "quarterly")
    (datetime.date(2025, 2, 28), datetime.date(9999, 12, 31))
    """
    following = _shift(start, _check(frequency), 1)
    return date.max if following is None else following - timedelta(days=1)


def period_range(first: date, last: date, frequency: str, week_start: int = 0) -> list[date]:
    """Every period start from the period containing ``first`` to the one containing ``last``.

    Callers keep the span sensible (see :class:`PeriodWindow`): this lists every period.
    """
    f = _check(frequency)
    current: date | None = snap(first, f, week_start)
    end = snap(last, f, week_start)
    out: list[date] = []
    while current is not None and current <= end:
        out.append(current)
        current = _shift(current, f, 1)
    return out


@dataclass(frozen=True)
class PeriodWindow:
    """The periods data may be recorded for: from ``earliest`` to ``latest`` (period starts).

    Built by :func:`window_for`; every way data arrives (the grid, file imports, the API)
    checks periods against it with :meth:`problem`, and the charts leave out stored points
    outside it, so that a mistyped year can neither be saved nor take a page down.

    >>> w = window_for("monthly", today=date(2026, 12, 7), earliest=date(1990, 1, 1))
    >>> print(w.problem(date(9999, 12, 1)))  # doctest: +NORMALIZE_WHITESPACE
    Period 9999-12-01 is after the latest allowed period (December 2026). Data cannot be
    recorded for a period that has not started yet: check the year.
    >>> w.problem(date(2026, 12, 1)) is None
    True
    """

    frequency: str
    earliest: date
    latest: date
    week_start: int = 0
    #: How many days after today a period may start (0: only periods that have started).
    ahead_days: int = 0

    def contains(self, day: date) -> bool:
        """Whether the period containing ``day`` is allowed."""
        return self.earliest <= snap(day, self.frequency, self.week_start) <= self.latest

    def problem(self, period: date) -> str | None:
        """Why data cannot be recorded for ``period`` (a period start); ``None`` when it can."""
        if period > self.latest:
            if self.ahead_days:
                why = (
                    f"Data can be recorded for periods starting up to {self.ahead_days} "
                    f"day{'s' if self.ahead_days != 1 else ''} ahead"
                )
            else:
                why = "Data cannot be recorded for a period that has not started yet"
            return (
                f"Period {period.isoformat()} is after the latest allowed period "
                f"({period_label(self.latest, self.frequency)}). {why}: check the year."
            )
        if period < self.earliest:
            return (
                f"Period {period.isoformat()} is before the earliest allowed period "
                f"({period_label(self.earliest, self.frequency)}): check the year."
            )
        return None

    def describe(self) -> str:
        """``January 1990 to December 2026``, for messages about stored data."""
        return (
            f"{period_label(self.earliest, self.frequency)} to "
            f"{period_label(self.latest, self.frequency)}"
        )


def window_for(
    frequency: str,
    week_start: int = 0,
    *,
    today: date,
    earliest: date,
    ahead_days: int = 0,
) -> PeriodWindow:
    """The allowed periods: from the one containing ``earliest`` to the one containing
    ``today`` plus ``ahead_days`` (so the current period is always allowed).

    >>> w = window_for("quarterly", today=date(2026, 12, 7), earliest=date(1990, 2, 1))
    >>> w.earliest, w.latest
    (datetime.date(1990, 1, 1), datetime.date(2026, 10, 1))
    """
    last_day = add_periods(today, "daily", max(ahead_days, 0))
    return PeriodWindow(
        frequency=_check(frequency),
        earliest=snap(earliest, frequency, week_start),
        latest=snap(last_day, frequency, week_start),
        week_start=week_start,
        ahead_days=max(ahead_days, 0),
    )


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
