"""Identifiers that must never be typed where they do not belong (pure: no Django).

One modulus-11 check for NHS numbers, used wherever the platform refuses or recognises
them (learning from deaths, audit references in care bundles, de-identification checks).

>>> is_valid_nhs_number("943 476 5919")
True
"""

from __future__ import annotations

import re

_NOT_DIGITS = re.compile(r"[\s-]")


def normalise_nhs_number(raw: str) -> str:
    """Digits only: people type NHS numbers as ``943 476 5919`` or ``943-476-5919``."""
    return _NOT_DIGITS.sub("", raw or "")


def is_valid_nhs_number(raw: str) -> bool:
    """The NHS number's modulus-11 check (NHS Data Dictionary, "NHS Number").

    Weights 10 down to 2 on the first nine digits; ``11 - (sum mod 11)`` is the check digit,
    11 becomes 0 and 10 means the number is invalid.

    >>> is_valid_nhs_number("9434765919"), is_valid_nhs_number("9434765918")
    (True, False)
    """
    digits = normalise_nhs_number(raw)
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def format_nhs_number(digits: str) -> str:
    """``943 476 5919``: the 3-3-4 grouping the NHS uses on screen."""
    d = normalise_nhs_number(digits)
    return f"{d[:3]} {d[3:6]} {d[6:]}" if len(d) == 10 else d
