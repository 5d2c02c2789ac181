"""Making Data Count variation and assurance icons.

Source: NHS England, *Making Data Count* (icon guide), as implemented by NHSRplotthedots
``ptd_get_icons()`` and ``ptd_calculate_assurance_type()``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .types import BoolArray, FloatArray

__all__ = ["ASSURANCE_ICONS", "VARIATION_ICONS", "assurance_icon", "variation_icon"]

#: Variation icon names, indexed by the codes used internally.
VARIATION_ICONS: tuple[str, ...] = (
    "common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low",
    "neutral_high", "neutral_low",
)
#: Assurance icon names, indexed by the codes used internally (-1 = no icon).
ASSURANCE_ICONS: tuple[str, ...] = ("pass", "fail", "inconsistent")


def variation_icon(point_class: str, side: str | None) -> str:
    """Variation icon of the latest point from its class and side.

    ``common`` gives ``common_cause``; otherwise ``<class>_<side>``, e.g. a special cause
    of improvement above the centre line gives ``improvement_high``.

    >>> variation_icon("common", None), variation_icon("concern", "low")
    ('common_cause', 'concern_low')
    """
    if point_class == "common" or side is None:
        return "common_cause"
    return f"{point_class}_{side}"


def assurance_icon(
    target: float | None, lcl: float | None, ucl: float | None, direction: str
) -> str | None:
    """Assurance icon: does the process reliably meet the target?

    Compares the target with the latest phase's limits, strictly (NHSRplotthedots):
    ``target > ucl`` means the process consistently fails an increase target (and passes
    a decrease target); ``target < lcl`` the opposite; otherwise the process will
    ``inconsistent``-ly hit and miss. No icon without a target, with a neutral
    direction, or without limits.

    >>> assurance_icon(90.0, 92.0, 98.0, "increase")
    'pass'
    >>> assurance_icon(95.0, 92.0, 98.0, "increase"), assurance_icon(99.0, 92.0, 98.0, "decrease")
    ('inconsistent', 'pass')
    """
    if target is None or direction == "neutral" or lcl is None or ucl is None:
        return None
    if target > ucl:
        return "fail" if direction == "increase" else "pass"
    if target < lcl:
        return "pass" if direction == "increase" else "fail"
    return "inconsistent"


def icon_codes(
    valid: BoolArray,
    point_class: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    lcl: FloatArray,
    ucl: FloatArray,
    direction: npt.NDArray[np.int8],
    target: FloatArray,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Vectorised icons for a group: (variation code, assurance code) per row.

    The variation icon is taken from the last point that has a value; the assurance icon
    from the last point whose limits both exist. ``direction`` and ``target`` are per
    row, shape ``(M, 1)`` (target NaN = none).
    """
    m, n = valid.shape
    idx = np.arange(n)
    rows = np.arange(m)
    last = np.where(valid, idx, -1).max(axis=1) if n else np.full(m, -1)
    at = np.maximum(last, 0)
    cls = point_class[rows, at].astype(np.int64)
    sd = side[rows, at]
    var = np.where((last < 0) | (cls == 0), 0, 1 + 2 * (cls - 1) + (sd < 0))
    both = np.isfinite(lcl) & np.isfinite(ucl)
    lim_last = np.where(both, idx, -1).max(axis=1) if n else np.full(m, -1)
    at = np.maximum(lim_last, 0)
    lo, hi = lcl[rows, at], ucl[rows, at]
    tgt, drc = target[:, 0], direction[:, 0]
    with np.errstate(invalid="ignore"):
        above, below = tgt > hi, tgt < lo
    increase = drc > 0
    code = np.where(above, np.where(increase, 1, 0), np.where(below, np.where(increase, 0, 1), 2))
    code = np.where((lim_last < 0) | np.isnan(tgt) | (drc == 0), -1, code)
    return var.astype(np.int64), code.astype(np.int64)
