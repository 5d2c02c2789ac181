"""Scoring: pure functions from answers to respondent scores and percentages (no Django).

The SAQ convention, which SCORE inherits (docs/culture.md, domain notes §7.1):

* negatively worded items are reverse-scored (on a 1-5 scale, 1 ↔ 5, 2 ↔ 4);
* a respondent's domain score is ``(mean of their items - 1) x 25``, from 0 to 100 (for a
  scale from ``lo`` to ``hi`` in general: ``(mean - lo) / (hi - lo) x 100``);
* a respondent is *positive* on the domain at a score of 75 or more ("agree slightly" or
  better), *negative* at 25 or less, *neutral* between;
* % positive = positive respondents ÷ respondents with a domain score; a respondent has a
  domain score only when they answered at least the domain's minimum number of items;
* burnout-type domains report the % of respondents at or above a cut-off instead.

>>> round(respondent_score([4, 5, 4, 3, 5, 4], lo=1, hi=5), 1)
79.2
>>> classify(79.2, positive_at=75, negative_at=25)
'positive'
>>> respondent_score([4, 3, 4, 3], lo=1, hi=5)
62.5
>>> classify(62.5, positive_at=75, negative_at=25)
'neutral'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def reverse_value(value: int, *, lo: int, hi: int) -> int:
    """A reverse-scored answer: ``lo + hi - value`` (on 1-5: 1 ↔ 5, 2 ↔ 4, 3 stays).

    >>> reverse_value(2, lo=1, hi=5)
    4
    """
    return lo + hi - value


def respondent_score(values: Sequence[int], *, lo: int, hi: int) -> float:
    """The 0-100 score of one respondent's (already reversed) answers on one domain.

    >>> respondent_score([5, 5], lo=1, hi=5)
    100.0
    """
    mean = sum(values) / len(values)
    return (mean - lo) / (hi - lo) * 100.0


def classify(score: float, *, positive_at: float, negative_at: float) -> str:
    """``positive`` at or above ``positive_at``, ``negative`` at or below ``negative_at``.

    A small tolerance keeps 74.99999 (a float's view of 75) positive.

    >>> classify(25.0, positive_at=75, negative_at=25)
    'negative'
    """
    if score >= positive_at - 1e-9:
        return "positive"
    if score <= negative_at + 1e-9:
        return "negative"
    return "neutral"


@dataclass(frozen=True)
class DomainRule:
    """How one domain is scored: its items (code → reversed?), minimum items and reporting."""

    code: str
    items: dict[str, bool]
    min_items: int
    report: str = "positive"  # or "cutoff"
    cutoff: float | None = None


def domain_score(
    answers: dict[str, int | None], rule: DomainRule, *, lo: int, hi: int
) -> float | None:
    """One respondent's score on a domain, or None if too few items were answered.

    ``answers`` maps item codes to scale values; None ("not applicable") and absent items do
    not count as answered.

    >>> r = DomainRule("TC", {"1": False, "2": True}, min_items=2)
    >>> domain_score({"1": 5, "2": 1}, r, lo=1, hi=5)
    100.0
    >>> domain_score({"1": 5, "2": None}, r, lo=1, hi=5) is None
    True
    """
    values = []
    for code, rev in rule.items.items():
        v = answers.get(code)
        if v is None:
            continue
        values.append(reverse_value(v, lo=lo, hi=hi) if rev else v)
    if len(values) < max(rule.min_items, 1):
        return None
    return respondent_score(values, lo=lo, hi=hi)


@dataclass(frozen=True)
class Tally:
    """How many respondents fell in each class (n = respondents with a score)."""

    n: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    at_or_above_cutoff: int = 0

    def pct(self, count: int) -> float:
        return 100.0 * count / self.n if self.n else 0.0


def tally(
    scores: Iterable[float | None],
    *,
    positive_at: float,
    negative_at: float,
    cutoff: float | None = None,
) -> Tally:
    """Count respondents by class; None scores (too few items) are left out of n.

    >>> t = tally([79.2, 62.5, None, 10.0], positive_at=75, negative_at=25, cutoff=50)
    >>> (t.n, t.positive, t.neutral, t.negative, t.at_or_above_cutoff)
    (3, 1, 1, 1, 2)
    """
    n = pos = neu = neg = cut = 0
    for s in scores:
        if s is None:
            continue
        n += 1
        c = classify(s, positive_at=positive_at, negative_at=negative_at)
        if c == "positive":
            pos += 1
        elif c == "negative":
            neg += 1
        else:
            neu += 1
        if cutoff is not None and s >= cutoff - 1e-9:
            cut += 1
    return Tally(n=n, positive=pos, neutral=neu, negative=neg, at_or_above_cutoff=cut)


# --- comparing two waves --------------------------------------------------------------

Z95 = 1.959963984540054


def wilson(k: int, n: int, *, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (as fractions).

    >>> lo, hi = wilson(5, 10)
    >>> round(lo, 3), round(hi, 3)
    (0.237, 0.763)
    """
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Change:
    """The difference in % positive between two waves, with its 95% interval (points)."""

    before_pct: float
    after_pct: float
    diff: float
    ci_low: float
    ci_high: float

    @property
    def beyond_chance(self) -> bool:
        """True when the interval excludes no change."""
        return self.ci_low > 0 or self.ci_high < 0


def difference(k1: int, n1: int, k2: int, n2: int) -> Change:
    """Change from k1/n1 to k2/n2 positive, with Newcombe's hybrid score interval.

    Newcombe (1998) method 10: the Wilson intervals of each proportion combined; it behaves
    well for the small teams surveyed here, where the simple Wald interval does not.

    >>> c = difference(31, 50, 37, 50)
    >>> round(c.diff, 1), round(c.ci_low, 1), round(c.ci_high, 1)
    (12.0, -6.2, 29.2)
    """
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    d = p2 - p1
    low = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return Change(100 * p1, 100 * p2, 100 * d, 100 * low, 100 * high)


def change_sentence(name: str, change: Change) -> str:
    """The plain sentence for a change, as the debrief pack says it.

    >>> change_sentence("Teamwork", Change(62.0, 74.0, 12.0, 2.0, 21.0))
    'Teamwork: 62% → 74% positive, a change larger than chance alone would usually give.'
    """
    head = f"{name}: {change.before_pct:.0f}% → {change.after_pct:.0f}% positive"
    if change.beyond_chance:
        return f"{head}, a change larger than chance alone would usually give."
    if round(change.diff) == 0:
        return f"{head}, no change."
    return f"{head}, a change that chance alone could give (it may not be real)."
