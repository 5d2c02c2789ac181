"""Typed input errors for the SPC engine.

Every error the engine raises for bad input is a subclass of :class:`SpcInputError`
(itself a :class:`ValueError`), and its message is written for a QI lead rather than a
programmer: it says which series and which point is wrong and what would be acceptable.
The JSON command line (``python -m qicollab.spc``) turns any of these into
``{"error": "<message>"}`` and exit status 2.
"""

from __future__ import annotations

__all__ = [
    "IndexOutOfRangeError",
    "LengthMismatchError",
    "MalformedJsonError",
    "NegativeValueError",
    "NonNumericValueError",
    "NonPositiveTimeError",
    "NumeratorExceedsDenominatorError",
    "OptionError",
    "SpcInputError",
    "TooFewPointsError",
    "UnknownChartError",
]


class SpcInputError(ValueError):
    """Base class: the data or options given to the SPC engine cannot be charted."""


class UnknownChartError(SpcInputError):
    """The chart type is not one the engine knows."""


class OptionError(SpcInputError):
    """An option is unknown or has a value the engine cannot use."""


class IndexOutOfRangeError(OptionError):
    """A phase, exclusion or freeze position lies outside the series."""


class NonNumericValueError(SpcInputError):
    """A value is not a number (text, a boolean, infinity...)."""


class LengthMismatchError(SpcInputError):
    """Two inputs that must line up point by point have different lengths."""


class NegativeValueError(SpcInputError):
    """A count, denominator or time is negative."""


class NumeratorExceedsDenominatorError(SpcInputError):
    """A proportion has more events than opportunities (numerator > denominator)."""


class NonPositiveTimeError(SpcInputError):
    """A t chart was given a time between events of zero or less."""


class TooFewPointsError(SpcInputError):
    """A phase has too few usable points to compute the chart."""


class MalformedJsonError(SpcInputError):
    """The command-line input is not valid JSON or not the expected shape."""
