"""Small-count suppression: the one place that decides which culture figures may be shown.

Every page, PDF, export and API answer about survey results or response counts takes its
figures from :mod:`qicollab.culture.results`, which passes them through here, so no route can
show what another withholds. Three rules (docs/culture.md, "Anonymity"):

1. **Threshold.** No figure describes fewer than :func:`threshold` people (default 5, from
   ``settings.CULTURE_MIN_GROUP``; a wave may raise it, never lower it).
2. **Complementary suppression.** When a total is shown beside its parts (a unit and its
   position bands, a wave and its units), the parts withheld must together be 0 or at least
   the threshold, so that *total - shown parts* never reveals a small group. If they are not,
   the smallest shown parts are withheld too, until they are (or everything is withheld).
3. **No live figures.** Results appear only after the wave closes; while it is open only
   response counts per unit are shown, themselves suppressed by rules 1 and 2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from typing import TypeVar

from django.conf import settings

K = TypeVar("K", bound=Hashable)

#: The floor nobody can configure below.
MINIMUM = 5


def threshold(wave_min_group: int | None = None) -> int:
    """The smallest group a figure may describe: the site setting or the wave's, if higher."""
    site = max(MINIMUM, int(getattr(settings, "CULTURE_MIN_GROUP", MINIMUM)))
    return max(site, wave_min_group or 0)


def shown(n: int | None, k: int) -> bool:
    """Whether a figure about ``n`` people may be shown on its own."""
    return n is not None and n >= k


def safe_cells(counts: Mapping[K, int], k: int, *, total_shown: bool = True) -> set[K]:
    """The cells of a breakdown that may be shown beside their total.

    A cell is withheld when it has 1 to k-1 people (0 is shown: an empty band reveals no
    one's answers). With the total shown, the withheld cells must sum to 0 or at least ``k``;
    otherwise the smallest remaining non-empty cells are withheld as well.

    >>> sorted(safe_cells({"a": 12, "b": 3, "c": 7}, 5))
    ['a']
    >>> sorted(safe_cells({"a": 12, "b": 0, "c": 7}, 5))
    ['a', 'b', 'c']
    """
    hidden = {key for key, n in counts.items() if 0 < n < k}
    if total_shown:
        while hidden and sum(counts[key] for key in hidden) < k:
            rest = sorted(
                (n, str(key), key) for key, n in counts.items() if key not in hidden and n > 0
            )
            if not rest:
                break
            hidden.add(rest[0][2])
    return {key for key in counts if key not in hidden}


def withheld_sentence(k: int) -> str:
    """Said wherever a figure is withheld (pages, PDF, API)."""
    return (
        f"Not shown: fewer than {k} people, or it would let a group of fewer than {k} "
        "be worked out."
    )


def results_open(closes_on: dt.date, closed_early_on: dt.date | None, today: dt.date) -> bool:
    """Results are published the day after the wave closes, all at once, never live."""
    last = closed_early_on if closed_early_on and closed_early_on < closes_on else closes_on
    return today > last
