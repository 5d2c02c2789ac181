"""qicollab.spc: a pure numpy SPC engine (run and Shewhart control charts, Making Data Count).

Public API:

* :func:`chart` computes one series; :func:`batch` computes many series at once
  (vectorised, identical results);
* results are frozen dataclasses (:class:`ChartResult`, :class:`RunsResult`,
  :class:`Point`) whose ``to_dict()`` gives the JSON contract of ``python -m qicollab.spc``;
* :func:`funnel` compares many units' latest values against the pooled value
  (Spiegelhalter 2005 funnel plots, optional overdispersion adjustment);
* :func:`signal_runs` groups a result's special-cause points into runs, rules named;
* bad input raises :class:`SpcInputError` subclasses with plain-English messages.

This package depends on numpy and the standard library only; it never imports Django or
any other part of qicollab. Formulas and sources: ``docs/spc.md``.
"""

from __future__ import annotations

from .api import chart
from .batch import BatchResult, batch
from .errors import (
    IndexOutOfRangeError,
    LengthMismatchError,
    MalformedJsonError,
    NegativeValueError,
    NonNumericValueError,
    NonPositiveTimeError,
    NumeratorExceedsDenominatorError,
    OptionError,
    SpcInputError,
    TooFewPointsError,
    UnknownChartError,
)
from .funnel import FUNNEL_KINDS, POSITIONS, FunnelResult, FunnelUnit, funnel
from .icons import assurance_icon, variation_icon
from .limits import c4
from .runs import anhoej_limits, crossings_min, longest_run_max, qbinom
from .signals import SignalRun, signal_runs
from .types import (
    CHART_TYPES,
    POINT_CLASSES,
    RULE_NAMES,
    ChartOptions,
    ChartResult,
    Point,
    RunsResult,
)

__all__ = [
    "CHART_TYPES",
    "FUNNEL_KINDS",
    "POINT_CLASSES",
    "POSITIONS",
    "RULE_NAMES",
    "BatchResult",
    "ChartOptions",
    "ChartResult",
    "FunnelResult",
    "FunnelUnit",
    "IndexOutOfRangeError",
    "LengthMismatchError",
    "MalformedJsonError",
    "NegativeValueError",
    "NonNumericValueError",
    "NonPositiveTimeError",
    "NumeratorExceedsDenominatorError",
    "OptionError",
    "Point",
    "RunsResult",
    "SignalRun",
    "SpcInputError",
    "TooFewPointsError",
    "UnknownChartError",
    "anhoej_limits",
    "assurance_icon",
    "batch",
    "c4",
    "chart",
    "crossings_min",
    "funnel",
    "longest_run_max",
    "qbinom",
    "signal_runs",
    "variation_icon",
]
