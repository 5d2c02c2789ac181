"""Forms of the measure library: a definition (with the note that makes a new version)."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.core.forms import ConflictMixin
from qicollab.measures.forms import MeasureForm
from qicollab.measures.models import ALLOWED_CHARTS, ChartType, LibraryMeasure, ValueType

LIBRARY_SECTIONS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "what",
        "What is measured",
        (
            "name",
            "description",
            "measure_type",
            "value_type",
            "numerator_definition",
            "denominator_definition",
            "inclusions",
            "exclusions",
        ),
    ),
    ("how", "How the data is collected", ("data_source", "frequency")),
    (
        "chart",
        "How it is charted",
        ("unit", "rate_multiplier", "chart_type", "direction", "target"),
    ),
    ("version", "This version", ("change_note",)),
]


class LibraryMeasureForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A library definition; the shared fields behave exactly as on a project's measure."""

    chart_type = MeasureForm.base_fields["chart_type"]
    target = MeasureForm.base_fields["target"]
    rate_multiplier = MeasureForm.base_fields["rate_multiplier"]
    change_note = forms.CharField(
        label="What changed and why",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Projects following this definition see this note with the new version. "
        "Needed whenever the definition changes.",
    )

    class Meta:
        model = LibraryMeasure
        fields = tuple(f for _, _, names in LIBRARY_SECTIONS for f in names if f != "change_note")
        widgets = {
            "measure_type": forms.RadioSelect,
            "value_type": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "numerator_definition": forms.Textarea(attrs={"rows": 2}),
            "denominator_definition": forms.Textarea(attrs={"rows": 2}),
            "inclusions": forms.Textarea(attrs={"rows": 2}),
            "exclusions": forms.Textarea(attrs={"rows": 2}),
            "unit": forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
        }
        error_messages = {
            "name": {"required": "Enter the measure's name."},
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value_type = data.get("value_type")
        chart = data.get("chart_type")
        if value_type and chart and chart not in ALLOWED_CHARTS.get(ValueType(value_type), ()):
            names = ", ".join(
                ChartType(c).label.split(" (")[0] for c in ALLOWED_CHARTS[ValueType(value_type)]
            )
            self.add_error(
                "chart_type",
                f"This chart does not suit these values. Choose one of: {names}, or let us choose.",
            )
        return data
