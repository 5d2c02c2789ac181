"""The self-assessment form: one Learn/Live/Lead choice (and optional evidence) per subject."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.capability.models import Level, SubjectArea
from qicollab.capability.services import Answer


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
