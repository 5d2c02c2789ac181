"""Making Data Count variation and assurance icons.

Source: NHS England, *Making Data Count* (icon guide), as implemented by NHSRplotthedots
``ptd_get_icons()`` and ``ptd_calculate_assurance_type()``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from .types import BoolArray, FloatArray

__all__ = ["ASSURANCE_ICONS", "VARIATION_ICONS", "assurance_icon", "variation_icon"]

#: Variation icon names, indexed by the codes used internally.
VARIATION_ICONS: tuple[str, ...] = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
#: Assurance icon names, indexed by the codes used internally (-1 = no icon).
ASSURANCE_ICONS: tuple[str, ...] = ("pass", "fail", "inconsistent")


def variation_icon(point_class: str, side: str | None) -> str:
    """Variation icon of the latest point from its class and side.

    ``common`` gives ``common_cause``; otherwise ``<class>_<side>``, e.g. a special cause
    of improvement above the centre line gives ``improvement_high`` (NHS England,
    *Making Data Count*; NHSRplotthedots ``ptd_get_icons``).

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
    direction, or without limits (NHS England, *Making Data Count*; NHSRplotthedots
    ``ptd_calculate_assurance_type``).

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
    fidx: npt.NDArray[np.int64],
    valid: BoolArray,
    point_class: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    lcl: FloatArray,
    ucl: FloatArray,
    direction: int | npt.NDArray[np.int8],
    target: float | FloatArray,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Vectorised icons for a group: (variation code, assurance code) per row.

    The variation icon is taken from the last point that has a value; the assurance icon
    from the last point whose limits both exist. ``fidx`` holds flat point positions;
    ``direction`` (+1/-1/0) and ``target`` (NaN = none) are scalars or per-row arrays of
    shape ``(M, 1)``.
    """
    if valid.shape[0] == 1:
        return _single_row(valid, point_class, side, lcl, ucl, direction, target)
    last = np.maximum.reduce(np.where(valid, fidx, -1), axis=1)
    at = np.maximum(last, 0)
    cls = point_class.ravel()[at].astype(np.int64)
    var = np.where((last < 0) | (cls == 0), 0, 1 + 2 * (cls - 1) + (side.ravel()[at] < 0))
    if not isinstance(target, np.ndarray) and (np.isnan(target) or direction == 0):
        return var, np.full(len(var), -1, dtype=np.int64)
    both = np.isfinite(lcl) & np.isfinite(ucl)
    lim_last = np.maximum.reduce(np.where(both, fidx, -1), axis=1)
    at = np.maximum(lim_last, 0)
    lo, hi = lcl.ravel()[at], ucl.ravel()[at]
    tgt = target[:, 0] if isinstance(target, np.ndarray) else target
    drc = direction[:, 0] if isinstance(direction, np.ndarray) else direction
    increase = drc > 0
    code = np.where(
        tgt > hi, np.where(increase, 1, 0), np.where(tgt < lo, np.where(increase, 0, 1), 2)
    )
    code = np.where((lim_last < 0) | np.isnan(tgt) | (drc == 0), -1, code)
    return var.astype(np.int64), code.astype(np.int64)


def _single_row(
    valid: BoolArray,
    point_class: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    lcl: FloatArray,
    ucl: FloatArray,
    direction: int | npt.NDArray[np.int8],
    target: float | FloatArray,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Same as :func:`icon_codes` for one row, with scalar logic (the common case)."""
    hits = np.flatnonzero(valid)
    var = 0
    if hits.size:
        last = int(hits[-1])
        cls = int(point_class[0, last])
        if cls:
            var = 1 + 2 * (cls - 1) + int(side[0, last] < 0)
    code = -1
    tgt = float(np.asarray(target).ravel()[0])
    drc = int(np.asarray(direction).ravel()[0])
    if not math.isnan(tgt) and drc != 0:
        both = np.flatnonzero(np.isfinite(lcl) & np.isfinite(ucl))
        if both.size:
            at = int(both[-1])
            lo, hi = float(lcl[0, at]), float(ucl[0, at])
            if tgt > hi:
                code = 1 if drc > 0 else 0
            elif tgt < lo:
                code = 0 if drc > 0 else 1
            else:
                code = 2
    return np.array([var], dtype=np.int64), np.array([code], dtype=np.int64)
