"""Forms for the 3 L's (one Learn/Live/Lead choice per subject) and for training records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from qicollab.capability.models import Cohort, Course, Level, SubjectArea
from qicollab.capability.services import Answer
from qicollab.core.forms import ConflictMixin


class SelfAssessmentForm(forms.Form):
    def __init__(self, *args: Any, subjects: list[SubjectArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subjects = subjects
        for s in subjects:
            self.fields[f"level_{s.pk}"] = forms.TypedChoiceField(
                label=s.name,
                choices=Level.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose Learn, Live or Lead for {s.name}",
                    "invalid_choice": f"Choose Learn, Live or Lead for {s.name}",
                },
            )
            self.fields[f"evidence_{s.pk}"] = forms.CharField(
                label=f"Evidence for {s.name} (optional)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="For example a project you ran, a course, or a session you taught.",
                error_messages={
                    "max_length": f"Evidence for {s.name} must be 2,000 characters or fewer"
                },
            )

    def rows(self) -> list[tuple[SubjectArea, forms.BoundField, forms.BoundField]]:
        return [(s, self[f"level_{s.pk}"], self[f"evidence_{s.pk}"]) for s in self.subjects]

    def answers(self) -> dict[int, Answer]:
        return {
            s.pk: Answer(
                level=self.cleaned_data[f"level_{s.pk}"],
                evidence=self.cleaned_data.get(f"evidence_{s.pk}", ""),
            )
            for s in self.subjects
        }


class AggregateFilterForm(forms.Form):
    organisation = forms.TypedChoiceField(
        label="Organisation", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "All member organisations"), *organisations]  # type: ignore[attr-defined]


# --- Training records -------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(attrs={"class": "nhsuk-input--width-10"}, format="%Y-%m-%d")


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a real date, for example 2026-03-17",
        },
    )


class CourseForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Course
        fields = (
            "title",
            "slug",
            "category",
            "level",
            "duration",
            "provider",
            "description",
            "is_active",
        )
        labels = {"slug": "Short name for web addresses", "is_active": "Taking new cohorts"}
        help_texts = {"slug": "Lower-case letters, numbers and hyphens, e.g. silver-qi."}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "title": {"required": "Enter the course title"},
            "slug": {
                "required": "Enter a short name for web addresses",
                "invalid": "Use only lower-case letters, numbers and hyphens in the short name",
            },
            "category": {"required": "Choose what the course is about"},
        }


class CohortForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    starts_on = _date_field("Start date")
    ends_on = _date_field("End date", required=False, help_text="Leave empty for a single day.")
    session_dates = forms.CharField(
        label="Taught dates (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One date a line (e.g. 2026-03-17) when the cohort meets more than once; "
        "attendance is marked for each.",
    )

    class Meta:
        model = Cohort
        fields = (
            "name",
            "starts_on",
            "ends_on",
            "delivery",
            "venue",
            "online_link",
            "facilitator",
            "capacity",
        )
        labels = {"online_link": "Online joining link", "capacity": "Places"}
        help_texts = {"capacity": "Leave empty for no limit."}
        error_messages = {
            "name": {"required": "Enter a name for the cohort, e.g. Spring 2026"},
            "online_link": {"invalid": "Enter the online link as a full web address"},
            "capacity": {"invalid": "Enter the number of places as a whole number"},
        }

    def __init__(self, *args: Any, facilitators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = facilitators  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            self.initial["session_dates"] = "\n".join(
                s.held_on.isoformat() for s in self.instance.sessions.all()
            )

    def clean_session_dates(self) -> list[dt.date]:
        out = []
        for line in self.cleaned_data["session_dates"].replace(",", "\n").splitlines():
            text = line.strip()
            if not text:
                continue
            try:
                out.append(dt.date.fromisoformat(text))
            except ValueError:
                raise forms.ValidationError(
                    f"'{text[:20]}' is not a date: write each date like 2026-03-17"
                ) from None
        return sorted(set(out))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "The end date must be on or after the start date")
        if start and data.get("session_dates"):
            outside = [
                d for d in data["session_dates"] if d < start or (end is not None and d > end)
            ]
            if outside:
                self.add_error(
                    "session_dates",
                    f"{outside[0].isoformat()} is outside the cohort's start and end dates",
                )
        return data


class AddPersonForm(forms.Form):
    person: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Person",
        queryset=None,
        error_messages={
            "required": "Choose who to enrol",
            "invalid_choice": "Choose someone from a member organisation",
        },
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class CompletionForm(forms.Form):
    completed_on = _date_field("Completion date")
