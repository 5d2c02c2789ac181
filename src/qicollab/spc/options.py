"""Validation of chart options (keyword arguments, JSON objects, per-series mappings)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any, cast

from .errors import IndexOutOfRangeError, OptionError, UnknownChartError
from .types import CHART_TYPES, ChartOptions, ChartType, Direction, GCentre, RuleSet, XmrConstant

__all__ = ["OPTION_NAMES", "check_positions", "make_options", "options_from_mapping"]

#: Option names accepted by :func:`qicollab.spc.chart`, ``batch`` and the JSON contract.
OPTION_NAMES: frozenset[str] = frozenset(
    {
        "freeze",
        "phases",
        "exclude",
        "direction",
        "target",
        "screen_mr",
        "shift_length",
        "trend_length",
        "rules",
        "xmr_constant",
        "g_centre",
    }
)
_CHART_NAMES = {
    "run": "run chart",
    "i": "I chart",
    "mr": "MR chart",
    "xbar": "Xbar chart",
    "s": "S chart",
    "p": "P chart",
    "pp": "P' chart",
    "u": "U chart",
    "up": "U' chart",
    "c": "C chart",
    "g": "G chart",
    "t": "T chart",
}


def chart_label(chart: str) -> str:
    """Human name of a chart type, e.g. ``"P' chart"``."""
    return _CHART_NAMES.get(chart, chart)


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise OptionError(
            f"Option {name!r} must be one of {', '.join(map(repr, allowed))}; got {value!r}."
        )
    return value


def _int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise OptionError(f"Option {name!r} must be a whole number; got {value!r}.")
    result = int(cast(numbers.Integral, value))
    if result < minimum:
        raise OptionError(f"Option {name!r} must be at least {minimum}; got {result}.")
    return result


def _positions(name: str, value: object) -> tuple[int, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise OptionError(f"Option {name!r} must be a list of 0-based point positions.")
    out = {_int(f"{name} entry", v, 0) for v in value}
    return tuple(sorted(out))


def make_options(
    chart: object,
    *,
    freeze: object = None,
    phases: object = None,
    exclude: object = None,
    direction: object = "increase",
    target: object = None,
    screen_mr: object = True,
    shift_length: object = None,
    trend_length: object = None,
    rules: object = "mdc",
    xmr_constant: object = None,
    g_centre: object = "median",
) -> ChartOptions:
    """Validate options and resolve defaults that depend on the chart and rule set.

    >>> make_options("t").xmr_constant, make_options("i", rules="ihi").trend_length
    ('d2', 5)
    """
    if not isinstance(chart, str) or chart not in CHART_TYPES:
        raise UnknownChartError(
            f"Unknown chart type {chart!r}; use one of {', '.join(CHART_TYPES)}."
        )
    rule_set = cast(RuleSet, _choice("rules", rules, ("mdc", "ihi")))
    if xmr_constant is None:
        xmr_constant = "d2" if chart in ("t", "pp", "up") else "mdc"
    if target is not None:
        if (
            isinstance(target, bool)
            or not isinstance(target, numbers.Real)
            or not math.isfinite(float(target))
        ):
            raise OptionError(f"Option 'target' must be a finite number; got {target!r}.")
        target = float(target)
    assert target is None or isinstance(target, float)
    if not isinstance(screen_mr, bool):
        raise OptionError(f"Option 'screen_mr' must be true or false; got {screen_mr!r}.")
    default_shift, default_trend = (7, 7) if rule_set == "mdc" else (6, 5)
    return ChartOptions(
        chart=cast(ChartType, chart),
        freeze=None if freeze is None else _int("freeze", freeze, 1),
        phases=tuple(p for p in _positions("phases", phases) if p != 0),
        exclude=_positions("exclude", exclude),
        direction=cast(
            Direction, _choice("direction", direction, ("increase", "decrease", "neutral"))
        ),
        target=target,
        screen_mr=screen_mr,
        shift_length=default_shift
        if shift_length is None
        else _int("shift_length", shift_length, 2),
        trend_length=default_trend
        if trend_length is None
        else _int("trend_length", trend_length, 2),
        rules=rule_set,
        xmr_constant=cast(XmrConstant, _choice("xmr_constant", xmr_constant, ("mdc", "d2"))),
        g_centre=cast(GCentre, _choice("g_centre", g_centre, ("median", "theoretical"))),
    )


def options_from_mapping(chart: object, mapping: Mapping[str, Any] | None) -> ChartOptions:
    """Validate a JSON-style options mapping; unknown names raise :class:`OptionError`.

    ``None`` (JSON ``null``) means "use the default".

    >>> options_from_mapping("p", {"freeze": 12, "direction": None}).direction
    'increase'
    """
    mapping = {k: v for k, v in (mapping or {}).items() if v is not None}
    unknown = sorted(set(mapping) - OPTION_NAMES)
    if unknown:
        raise OptionError(
            f"Unknown option(s) {', '.join(map(repr, unknown))}; "
            f"known options are {', '.join(sorted(OPTION_NAMES))}."
        )
    return make_options(chart, **mapping)


def check_positions(options: ChartOptions, length: int, where: str = "") -> None:
    """Check phase and exclusion positions against the series length (0-based)."""
    for name, values in (("phases", options.phases), ("exclude", options.exclude)):
        bad = [v for v in values if v >= length]
        if bad:
            raise IndexOutOfRangeError(
                f"{where}Option {name!r} refers to point {bad[0]}, but the series has "
                f"{length} points (positions 0 to {length - 1})."
            )
