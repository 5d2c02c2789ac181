"""Form shapes for safety-culture pages (the services check the business rules)."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.culture.models import (
    ActionStatus,
    Instrument,
    Item,
    PositionBand,
    TenureBand,
    WaveNumber,
)
from qicollab.organisations.models import Unit


def _date(label: str, what: str, hint: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=hint,
        widget=forms.DateInput(attrs={"type": "date", "class": "nhsuk-input--width-10"}),
        error_messages={
            "required": f"Enter the date {what}",
            "invalid": "Enter a real date, like 2026-04-01",
        },
    )


class InstrumentFileForm(forms.Form):
    file = forms.FileField(
        label="Instrument file (JSON)",
        help_text="The format is described in the documentation (docs/culture.md). At most 1 MB.",
        error_messages={"required": "Choose an instrument file"},
    )

    def clean_file(self) -> bytes:
        f = self.cleaned_data["file"]
        if f.size > 1_000_000:
            raise forms.ValidationError("The file must be 1 MB or smaller")
        data: bytes = f.read()
        return data


class WaveForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=160,
        error_messages={"required": "Enter a title for the survey wave"},
        help_text="For example, Team culture survey, spring 2027.",
    )
    instrument = forms.ModelChoiceField(
        label="Instrument",
        queryset=Instrument.objects.none(),
        error_messages={
            "required": "Choose an instrument",
            "invalid_choice": "Choose an instrument",
        },
    )
    number = forms.TypedChoiceField(
        label="Which survey is this?",
        choices=WaveNumber.choices,
        coerce=int,
        widget=forms.RadioSelect,
        initial=WaveNumber.BASELINE,
        error_messages={"required": "Say whether this is the baseline or a repeat"},
    )
    previous = forms.ModelChoiceField(
        label="Previous wave to compare with (for a repeat)",
        required=False,
        queryset=Instrument.objects.none(),
    )
    opens_on = _date("Opens on", "the survey opens")
    closes_on = _date(
        "Closes on", "the survey closes", "Results appear the day after, all at once."
    )
    facilitator = forms.ModelChoiceField(
        label="Facilitator",
        queryset=Instrument.objects.none(),
        error_messages={"required": "Choose the facilitator"},
    )
    team_leader = forms.ModelChoiceField(
        label="Team leader",
        queryset=Instrument.objects.none(),
        help_text="The results go to the team leader and the facilitator only.",
        error_messages={"required": "Choose the team leader"},
    )
    min_group = forms.IntegerField(
        label="Smallest group any figure may describe",
        min_value=5,
        max_value=50,
        initial=5,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
        help_text="At least 5. Raise it for extra protection; it cannot be lowered.",
        error_messages={
            "min_value": "The smallest group cannot be below 5",
            "required": "Enter the smallest group (5 or more)",
            "invalid": "Enter a whole number, like 5",
            "max_value": "Enter 50 or fewer",
        },
    )

    def __init__(
        self, *args: Any, units: list[Unit], people: Any, instruments: Any, waves: Any, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.units = units
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]
        self.fields["previous"].queryset = waves  # type: ignore[attr-defined]
        self.fields["facilitator"].queryset = people  # type: ignore[attr-defined]
        self.fields["team_leader"].queryset = people  # type: ignore[attr-defined]
        for u in units:
            self.fields[f"unit_{u.pk}"] = forms.IntegerField(
                label=f"{u.name}: eligible staff",
                required=False,
                min_value=1,
                max_value=10000,
                help_text="Leave empty to leave this unit out of the wave.",
                widget=forms.NumberInput(
                    attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}
                ),
                error_messages={
                    "min_value": f"Enter at least 1 eligible person for {u.name}, or leave it out",
                    "invalid": f"Enter the number of eligible staff in {u.name} as a whole number",
                },
            )

    def unit_fields(self) -> list[forms.BoundField]:
        return [self[f"unit_{u.pk}"] for u in self.units]

    def chosen_units(self) -> list[tuple[Unit, int]]:
        return [
            (u, self.cleaned_data[f"unit_{u.pk}"])
            for u in self.units
            if self.cleaned_data.get(f"unit_{u.pk}")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.chosen_units():
            self.add_error(
                self.unit_fields()[0].name if self.units else None,
                "Enter the eligible staff of at least one unit to survey",
            )
        return data


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label="How many codes?",
        min_value=1,
        max_value=500,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many codes to make",
            "min_value": "Make at least 1 code",
            "max_value": "Make at most 500 codes at a time",
            "invalid": "Enter a whole number, like 30",
        },
    )


class CodeEntryForm(forms.Form):
    code = forms.CharField(
        label="Your survey code",
        max_length=20,
        help_text="The 8 letters and numbers on the slip you were given, like 7KQ2-M9XD.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "nhsuk-input--width-10"}
        ),
        error_messages={"required": "Enter your survey code"},
    )


class AnswerForm(forms.Form):
    """One radio question per item; bands only where the unit is large enough."""

    def __init__(
        self, *args: Any, items: list[Item], scale: list[dict[str, Any]], ask_bands: bool, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.items = items
        choices = [(o["code"], o["label"]) for o in scale]
        for i in items:
            self.fields[f"item_{i.code}"] = forms.ChoiceField(
                label=f"{i.text}",
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": f"Question {i.code}: choose one of the answers shown"
                },
            )
        if ask_bands:
            self.fields["position_band"] = forms.ChoiceField(
                label="Your position (optional)",
                required=False,
                widget=forms.RadioSelect,
                choices=PositionBand.choices,
                error_messages={"invalid_choice": "Choose one of the positions shown"},
            )
            self.fields["tenure_band"] = forms.ChoiceField(
                label="How long you have worked in this team (optional)",
                required=False,
                widget=forms.RadioSelect,
                choices=TenureBand.choices,
                error_messages={"invalid_choice": "Choose one of the lengths of time shown"},
            )

    def by_item(self) -> dict[str, str]:
        return {i.code: self.cleaned_data.get(f"item_{i.code}") or "" for i in self.items}


class ShareForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Share the results with",
        queryset=Item.objects.none(),
        error_messages={
            "required": "Choose a person",
            "invalid_choice": "Choose a person from the list",
        },
    )

    def __init__(self, *args: Any, people: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class DebriefForm(forms.Form):
    held_on = _date("Date of the debrief", "of the debrief")
    attendees = forms.IntegerField(
        label="How many people attended",
        min_value=1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many people attended",
            "min_value": "Enter at least 1",
            "invalid": "Enter a whole number, like 12",
            "max_value": "Enter 1,000 or fewer",
        },
    )
    items_discussed = forms.ModelMultipleChoiceField(
        label="Items discussed",
        required=False,
        queryset=Item.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text='Usually one or two: "what would it take to…?"',
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Keep the notes to 5,000 characters or fewer"},
    )

    def __init__(self, *args: Any, items: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["items_discussed"].queryset = items  # type: ignore[attr-defined]
        self.fields["items_discussed"].label_from_instance = lambda i: f"{i.code}. {i.text}"  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    title = forms.CharField(
        label="Action", max_length=200, error_messages={"required": "Say what the action is"}
    )
    owner = forms.CharField(
        label="Owner",
        max_length=120,
        help_text="A name or a role.",
        error_messages={"required": "Say who owns the action"},
    )
    due_on = _date("Due by", "the action is due")
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        initial=ActionStatus.OPEN,
        error_messages={"required": "Choose a status"},
    )


class StartProjectForm(forms.Form):
    collaborative = forms.ModelChoiceField(
        label="Collaborative the project belongs to",
        queryset=Item.objects.none(),
        error_messages={
            "required": "Choose a collaborative",
            "invalid_choice": "Choose a collaborative from the list",
        },
    )

    def __init__(self, *args: Any, collaboratives: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["collaborative"].queryset = collaboratives  # type: ignore[attr-defined]


class LinkProjectForm(forms.Form):
    project = forms.ModelChoiceField(
        label="Project",
        queryset=Item.objects.none(),
        error_messages={
            "required": "Choose a project",
            "invalid_choice": "Choose a project from the list",
        },
    )

    def __init__(self, *args: Any, projects: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
