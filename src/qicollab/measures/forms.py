"""Forms for measures: the operational definition, data entry, imports, chart decisions, bundles.

Forms check the shape of what was typed; business rules live in the services and the
model's ``clean`` (their messages are put back on the right field by the views).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from qicollab.accounts.models import Person
from qicollab.core.forms import ConflictMixin
from qicollab.core.text import text_problem
from qicollab.measures.importing import parse_number
from qicollab.measures.models import (
    ALLOWED_CHARTS,
    AuditResult,
    Bundle,
    BundleElement,
    ChartType,
    EventKind,
    Frequency,
    Measure,
    ValueType,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DATE_ERRORS = {"invalid": "Enter a real date, like 2025-04-01.", "required": "Enter the date."}


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "nhsuk-input--width-10"})


class OwnerChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name or obj.email


# The definition form in the order a measurement plan is written.
DEFINITION_SECTIONS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "what",
        "What you will measure",
        (
            "name",
            "measure_type",
            "is_main_outcome",
            "value_type",
            "numerator_definition",
            "denominator_definition",
            "inclusions",
            "exclusions",
        ),
    ),
    ("how", "How the data is collected", ("data_source", "frequency", "week_start", "owner")),
    (
        "chart",
        "How it is charted",
        ("unit", "rate_multiplier", "chart_type", "direction", "target"),
    ),
]


class MeasureForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    chart_type = forms.ChoiceField(
        label="Chart",
        required=False,
        choices=[("", "Choose for me from what each value is"), *ChartType.choices],
        help_text="Percentages get a P chart, rates a U chart, counts a C chart, measurements "
        "an I chart and days or cases between rare events a G chart.",
    )
    target = forms.FloatField(
        required=False,
        label="Target (optional)",
        help_text="In the units the chart shows: 95 for 95%, or 4.5 for 4.5 per 1,000 bed days.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10"}),
        error_messages={"invalid": "Enter the target as a number, like 95 or 4.5."},
    )
    rate_multiplier = forms.IntegerField(
        label="Rate per",
        min_value=1,
        max_value=1_000_000,
        initial=1,
        help_text="For rates only: 1000 shows 'per 1,000 occupied bed days'. Use 1 otherwise.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-10"}),
        error_messages={
            "invalid": "Enter a whole number, like 1000.",
            "required": "Enter 1, or the number of units a rate is shown per.",
        },
    )
    owner = OwnerChoice(
        queryset=Person.objects.none(),
        required=False,
        label="Owner (optional)",
        empty_label="No owner yet",
    )

    class Meta:
        model = Measure
        fields = tuple(f for _, _, names in DEFINITION_SECTIONS for f in names)
        widgets = {
            "measure_type": forms.RadioSelect,
            "value_type": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "numerator_definition": forms.Textarea(attrs={"rows": 2}),
            "denominator_definition": forms.Textarea(attrs={"rows": 2}),
            "inclusions": forms.Textarea(attrs={"rows": 2}),
            "exclusions": forms.Textarea(attrs={"rows": 2}),
            "unit": forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
        }
        error_messages = {
            "name": {
                "required": "Enter the measure's name, such as 'Percentage of patients "
                "with a completed physical-health check'."
            },
        }

    def __init__(self, *args: Any, team: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if team is not None:
            self.fields["owner"].queryset = team  # type: ignore[attr-defined]
        self.fields["is_main_outcome"].label = "This is the project's main outcome measure"

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
        if (
            value_type
            and value_type != ValueType.RATE
            and data.get("rate_multiplier") not in (None, 1)
        ):
            self.add_error("rate_multiplier", "Only rates are shown per a number of units; use 1.")
        return data


class ChartEventForm(forms.Form):
    kind = forms.ChoiceField(
        label="What do you want to record?",
        choices=EventKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you want to record."},
    )
    on = forms.DateField(
        label="Date (for a new phase or an excluded point)",
        required=False,
        widget=date_input(),
        error_messages=DATE_ERRORS,
        help_text="A new phase starts at the period containing this date; an excluded point "
        "is the period containing it.",
    )
    points = forms.IntegerField(
        label="Baseline points (for freezing the baseline)",
        required=False,
        min_value=2,
        max_value=500,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
        error_messages={
            "invalid": "Enter a whole number of points, like 20.",
            "min_value": "A baseline needs at least 2 points.",
        },
        help_text="The limits of each phase are worked out from its first this-many points.",
    )
    reason = forms.CharField(
        label="Why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="Required when you exclude a point: for example 'Data collection failed "
        "during the IT outage'.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if (
            kind in (EventKind.REBASE, EventKind.EXCLUDE)
            and not data.get("on")
            and not self.errors.get("on")
        ):
            self.add_error("on", "Enter the date.")
        if kind == EventKind.FREEZE and not data.get("points") and not self.errors.get("points"):
            self.add_error("points", "Enter the number of baseline points.")
        if kind == EventKind.EXCLUDE and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why this point is left out of the calculations.")
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV or Excel file",
        help_text="A .csv or .xlsx file, up to 5 MB and 5,000 rows.",
        error_messages={
            "required": "Choose a CSV or Excel file to upload.",
            "empty": "The file is empty.",
        },
    )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        name = (f.name or "").lower()
        if not name.endswith((".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")):
            raise forms.ValidationError("The file must be a CSV file or an Excel workbook (.xlsx).")
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 5 MB. Split it into parts.")
        return f


class GridCell:
    """One row of the data-entry grid: what is stored, what was typed and any problems."""

    def __init__(self, period: date, label: str, point: Any, uses_denominator: bool) -> None:
        self.period = period
        self.key = period.isoformat()
        self.label = label
        self.point = point
        self.uses_denominator = uses_denominator
        self.errors: dict[str, str] = {}
        self.typed: dict[str, str] = {}
        self.saved = False
        #: Why a row typed so far was not saved yet (half of a numerator/denominator pair).
        self.pending = ""

    def _stored(self, name: str) -> str:
        if self.point is None:
            return ""
        value = getattr(self.point, name)
        if name == "note":
            return str(value or "")
        if value is None:
            return ""
        return str(int(value)) if float(value).is_integer() else repr(value)

    def value_of(self, name: str) -> str:
        return self.typed[name] if name in self.typed else self._stored(name)

    @property
    def fields(self) -> tuple[str, ...]:
        return ("numerator", "denominator", "note") if self.uses_denominator else ("value", "note")


def read_grid_row(post: Any, cell: GridCell) -> dict[str, Any] | None:
    """Parse one grid row from POST data into numbers; errors go on the cell. None: untouched."""
    present = False
    values: dict[str, Any] = {}
    for name in cell.fields:
        key = f"{name}-{cell.key}"
        if key not in post:
            continue
        present = True
        raw = str(post.get(key, "")).strip()
        cell.typed[name] = raw
        if name == "note":
            if len(raw) > 500:
                cell.errors[name] = "The note must be 500 characters or fewer."
            elif problem := text_problem(raw, what="The note"):
                cell.errors[name] = problem
            values[name] = raw
            continue
        try:
            values[name] = parse_number(raw, percent_ok=False)
        except ValueError as exc:
            cell.errors[name] = str(exc)
    if not present:
        return None
    return values


class BundleForm(forms.ModelForm):  # type: ignore[type-arg]
    elements = forms.CharField(
        label="Elements of the bundle",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One element a line, for example 'Physical observations recorded within 1 "
        "hour'. Patients or episodes are audited against every element.",
        error_messages={"required": "List the bundle's elements, one a line."},
    )

    class Meta:
        model = Bundle
        fields = ("name", "description", "frequency")
        widgets = {"frequency": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"name": {"required": "Enter the bundle's name."}}

    def clean_elements(self) -> list[str]:
        lines = [line.strip(" -*•\t") for line in self.cleaned_data["elements"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) < 2:
            raise forms.ValidationError("A bundle needs at least two elements, one a line.")
        if len(lines) > 20:
            raise forms.ValidationError("A bundle can have at most 20 elements.")
        if any(len(line) > 300 for line in lines):
            raise forms.ValidationError("Each element must be 300 characters or fewer.")
        return lines


class AuditForm(forms.Form):
    """One patient's or episode's audit: a radio group per element."""

    audited_on = forms.DateField(
        label="Date of the audit", widget=date_input(), error_messages=DATE_ERRORS
    )
    reference = forms.CharField(
        label="Audit reference",
        max_length=40,
        help_text="A pseudonymous reference such as the audit sheet number. Never an NHS "
        "number or a name.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "autocomplete": "off"}),
        error_messages={"required": "Enter an audit reference, such as 'W3-0412'."},
    )

    def __init__(self, *args: Any, elements: list[BundleElement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.elements = elements
        for e in elements:
            self.fields[f"element_{e.pk}"] = forms.ChoiceField(
                label=e.text,
                choices=AuditResult.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose met, not met or not applicable for '{e.text}'."
                },
            )

    def element_fields(self) -> list[Any]:
        return [self[f"element_{e.pk}"] for e in self.elements]

    def results(self) -> dict[int, str]:
        return {e.pk: self.cleaned_data[f"element_{e.pk}"] for e in self.elements}


FREQUENCY_CHOICES = Frequency.choices
