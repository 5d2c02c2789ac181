"""NHS financial quarters (pure: no Django); NHS numbers come from ``core.identifiers``.

>>> is_valid_nhs_number("943 476 5919")
True
>>> FinancialQuarter.containing(date(2025, 4, 1)).label
'2025/26 Q1'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from qicollab.core.identifiers import (
    format_nhs_number,
    is_valid_nhs_number,
    normalise_nhs_number,
)

__all__ = [
    "FinancialQuarter",
    "format_nhs_number",
    "is_valid_nhs_number",
    "normalise_nhs_number",
    "quarter_range",
]


@dataclass(frozen=True, order=True)
class FinancialQuarter:
    """An NHS financial-year quarter: ``year`` is the year the financial year starts in.

    Q1 = April-June, Q2 = July-September, Q3 = October-December, Q4 = January-March.

    >>> q = FinancialQuarter(2024, 4)
    >>> q.start, q.end, q.label
    (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), '2024/25 Q4')
    """

    year: int
    quarter: int

    @classmethod
    def containing(cls, d: date) -> FinancialQuarter:
        if d.month >= 4:
            return cls(d.year, (d.month - 4) // 3 + 1)
        return cls(d.year - 1, 4)

    @classmethod
    def parse(cls, text: str) -> FinancialQuarter | None:
        """``2024-Q3`` (the form used in addresses), or ``None`` if it is not one."""
        m = re.fullmatch(r"(\d{4})-?Q([1-4])", (text or "").strip(), flags=re.IGNORECASE)
        if not m:
            return None
        year = int(m.group(1))
        if not 2000 <= year <= 2100:
            return None
        return cls(year, int(m.group(2)))

    @property
    def start(self) -> date:
        month = 4 + (self.quarter - 1) * 3
        return date(self.year + 1, month - 12, 1) if month > 12 else date(self.year, month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d} Q{self.quarter}"

    @property
    def slug(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def months(self) -> str:
        return ("April to June", "July to September", "October to December", "January to March")[
            self.quarter - 1
        ]

    def next(self) -> FinancialQuarter:
        return (
            FinancialQuarter(self.year + 1, 1)
            if self.quarter == 4
            else FinancialQuarter(self.year, self.quarter + 1)
        )

    def previous(self) -> FinancialQuarter:
        return (
            FinancialQuarter(self.year - 1, 4)
            if self.quarter == 1
            else FinancialQuarter(self.year, self.quarter - 1)
        )

    def __str__(self) -> str:
        return self.label


def quarter_range(first: FinancialQuarter, last: FinancialQuarter) -> list[FinancialQuarter]:
    """Every quarter from ``first`` to ``last`` inclusive (empty if ``last`` is earlier).

    >>> [q.slug for q in quarter_range(FinancialQuarter(2024, 3), FinancialQuarter(2025, 1))]
    ['2024-Q3', '2024-Q4', '2025-Q1']
    """
    out: list[FinancialQuarter] = []
    q = first
    while q <= last and len(out) < 200:
        out.append(q)
        q = q.next()
    return out
