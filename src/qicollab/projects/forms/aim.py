"""The aim form: every part optional, so a team can draft it; smart_check says what is missing."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.core.forms import ConflictMixin
from qicollab.projects.forms.fields import DATE_ERRORS, FriendlyDecimalField, date_input
from qicollab.projects.models import Aim, Direction

_NUMBER = {
    "invalid": "Enter a number, like 12 or 45.5.",
    "max_digits": "Enter a number with no more than 14 digits.",
    "max_decimal_places": "Enter a number with no more than 3 decimal places.",
    "max_whole_digits": "Enter a number with no more than 11 digits before the decimal point.",
}


class AimForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    baseline_value = FriendlyDecimalField(
        label="Baseline (where you are now)",
        required=False,
        max_digits=14,
        decimal_places=3,
        error_messages=_NUMBER,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10"}),
    )
    target_value = FriendlyDecimalField(
        label="Target (how much)",
        required=False,
        max_digits=14,
        decimal_places=3,
        error_messages=_NUMBER,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10"}),
    )

    class Meta:
        model = Aim
        fields = (
            "statement",
            "direction",
            "measure_text",
            "population",
            "setting",
            "baseline_value",
            "target_value",
            "unit",
            "target_date",
        )
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "direction": forms.RadioSelect,
            "unit": forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
            "target_date": date_input(),
        }
        error_messages = {"target_date": DATE_ERRORS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = [("", "Not decided yet"), *Direction.choices]  # type: ignore[attr-defined]


def draft_aim(form: AimForm) -> Aim:
    """An unsaved aim from whatever parts of the form are valid (for the live check).

    Parts with errors count as missing, so the check never fails on half-typed input.
    """
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    aim = Aim()
    for name in AimForm.Meta.fields:
        if name in data:
            setattr(aim, name, data[name] if data[name] is not None else getattr(aim, name))
    return aim
