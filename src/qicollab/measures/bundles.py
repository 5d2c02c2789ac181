"""Care-bundle measurement and IHI reliability levels (pure: no Django).

An audit records, for one patient or episode, each bundle element as *met*, *not met* or
*not applicable*. Per period (Nolan & Berwick, JAMA 2006; Benneyan & Taseli):

* **element rate** = patients who received the element / patients for whom it applied;
* **composite** = elements delivered / elements that applied, over all audits;
* **all-or-none** ("defect-free care") = audits in which every applicable element was met
  / audits with at least one applicable element.

Not-applicable elements leave both numerator and denominator; an audit in which no
element applied is left out altogether (and counted in ``excluded``).

The worked example (4 patients, 3 elements: 3/3, 2/3, 3/3, 1/3):

>>> from datetime import date
>>> M, N = "met", "not_met"
>>> audits = [Audit(date(2025, 1, 1), dict(zip("abc", r))) for r in
...           [(M, M, M), (M, N, M), (M, M, M), (N, N, M)]]
>>> p = bundle_rates(audits, elements="abc")[0]
>>> p.composite.percent, p.all_or_none.percent
(75.0, 50.0)
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = [
    "RELIABILITY_AIM_PERCENT",
    "RESULTS",
    "Audit",
    "PeriodBundle",
    "Rate",
    "Reliability",
    "bundle_rates",
    "reliability_level",
    "sample_caution",
]

Result = Literal["met", "not_met", "na"]
RESULTS: tuple[str, ...] = ("met", "not_met", "na")
#: The collaborative's reliability aim for care processes (level 10⁻²).
RELIABILITY_AIM_PERCENT = 95


@dataclass(frozen=True)
class Rate:
    """``successes`` out of ``eligible``; no rate when nobody was eligible."""

    successes: int
    eligible: int

    @property
    def rate(self) -> float | None:
        return self.successes / self.eligible if self.eligible else None

    @property
    def percent(self) -> float | None:
        return None if self.eligible == 0 else 100 * self.successes / self.eligible


@dataclass(frozen=True)
class Reliability:
    """An IHI reliability level (Nolan, Resar, Haraden & Griffin 2004).

    The published table leaves 90 to 94.9% undefined; the platform classifies it as 10⁻¹
    (it misses the 95% aim), and says so in the interface.
    """

    code: Literal["chaotic", "10-1", "10-2", "10-3"]
    label: str
    description: str
    meets_aim: bool


_LEVELS = {
    "chaotic": Reliability("chaotic", "Chaotic", "below 80%: more than 2 defects in 10", False),
    "10-1": Reliability("10-1", "10⁻¹", "80% to under 95%: 1 or 2 defects in 10", False),
    "10-2": Reliability("10-2", "10⁻²", "95% to under 99.5%: 5 or fewer defects in 100", True),
    "10-3": Reliability("10-3", "10⁻³", "99.5% or more: 5 or fewer defects in 1,000", True),
}


def reliability_level(successes: int, eligible: int) -> Reliability | None:
    """Classify a success rate; exact integer comparisons, so 95.0% is 10⁻² and 94.99% is not.

    >>> reliability_level(47, 50).label, reliability_level(196, 200).label
    ('10⁻¹', '10⁻²')
    >>> reliability_level(0, 0) is None
    True
    """
    if eligible <= 0:
        return None
    if 1000 * successes >= 995 * eligible:
        return _LEVELS["10-3"]
    if 100 * successes >= RELIABILITY_AIM_PERCENT * eligible:
        return _LEVELS["10-2"]
    if 10 * successes >= 8 * eligible:
        return _LEVELS["10-1"]
    return _LEVELS["chaotic"]


#: The fewest audits in which a single defect still leaves the rate at the level: below it,
#: the sample cannot tell the level from the one beneath (20 of 20 is 100%, but 1 defect
#: in those 20 would already be 95%).
_SMALLEST_SAMPLE = {"10-1": 5, "10-2": 20, "10-3": 200}


def sample_caution(level: Reliability | None, eligible: int) -> str:
    """Say when a level rests on too few audits to show it (an empty string otherwise).

    >>> sample_caution(reliability_level(20, 20), 20)
    'Only 20 audits: at least 200 are needed to show 10⁻³ (one defect would still leave 99.5%).'
    >>> sample_caution(reliability_level(199, 200), 200)
    ''
    """
    if level is None or level.code not in _SMALLEST_SAMPLE:
        return ""
    needed = _SMALLEST_SAMPLE[level.code]
    if eligible >= needed:
        return ""
    floor = {"10-1": "80%", "10-2": "95%", "10-3": "99.5%"}[level.code]
    return (
        f"Only {eligible} audit{'s' if eligible != 1 else ''}: at least {needed} are needed "
        f"to show {level.label} (one defect would still leave {floor})."
    )


@dataclass(frozen=True)
class Audit:
    """One patient's or episode's audit: element key -> ``met`` / ``not_met`` / ``na``."""

    period: date
    results: Mapping[Hashable, str]


@dataclass(frozen=True)
class PeriodBundle:
    """Bundle measures for one period."""

    period: date
    elements: dict[Hashable, Rate]
    composite: Rate
    all_or_none: Rate
    #: Audits left out because no element applied to the patient.
    excluded: int = 0
    reliability: Reliability | None = field(default=None)


def bundle_rates(audits: Iterable[Audit], *, elements: Sequence[Hashable]) -> list[PeriodBundle]:
    """Per-period element, composite and all-or-none rates, in period order.

    Every audit must give a result for every element in ``elements`` (an unrecorded
    element is not the same as "not applicable"); a missing or unknown result raises
    ``ValueError``.
    """
    by_period: dict[date, list[Audit]] = {}
    for audit in audits:
        by_period.setdefault(audit.period, []).append(audit)
    out: list[PeriodBundle] = []
    for period in sorted(by_period):
        met = dict.fromkeys(elements, 0)
        applicable = dict.fromkeys(elements, 0)
        defect_free = counted = excluded = 0
        for audit in by_period[period]:
            any_applicable, all_met = False, True
            for key in elements:
                result = audit.results.get(key)
                if result not in RESULTS:
                    raise ValueError(
                        f"An audit for {period.isoformat()} has no valid result for element "
                        f"{key!r} (got {result!r}); record met, not met or not applicable."
                    )
                if result == "na":
                    continue
                any_applicable = True
                applicable[key] += 1
                if result == "met":
                    met[key] += 1
                else:
                    all_met = False
            if not any_applicable:
                excluded += 1
                continue
            counted += 1
            defect_free += all_met
        aon = Rate(defect_free, counted)
        out.append(
            PeriodBundle(
                period=period,
                elements={k: Rate(met[k], applicable[k]) for k in elements},
                composite=Rate(sum(met.values()), sum(applicable.values())),
                all_or_none=aon,
                excluded=excluded,
                reliability=reliability_level(aon.successes, aon.eligible),
            )
        )
    return out
