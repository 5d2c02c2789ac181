"""Form fields that accept what people type naturally."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms

_NUMBER_NOISE = re.compile(r"[,\s%£]")


class FriendlyDecimalField(forms.DecimalField):
    """Accepts '1,200', '45%' and ' 12.5 ': people type numbers the way they read them."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = _NUMBER_NOISE.sub("", value)
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        # 12.400 (as stored) shows as 12.4: trailing zeros read as false precision.
        if isinstance(value, Decimal):
            text = f"{value:f}"
            return text.rstrip("0").rstrip(".") if "." in text else text
        return value


YES_NO = [("", "Not recorded yet"), ("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class YesNoField(forms.TypedChoiceField):
    """A yes / no / not yet question stored as True, False or None."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            choices=YES_NO, coerce=_yes_no, empty_value=None, widget=forms.RadioSelect, **kwargs
        )

    def prepare_value(self, value: Any) -> Any:
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value

    def bound_data(self, data: Any, initial: Any) -> Any:
        return data


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "nhsuk-input--width-10"})


DATE_ERRORS = {"invalid": "Enter a real date, like 2026-04-01."}
