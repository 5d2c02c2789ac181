"""The evidence form on a theme page (the read side's filters live in ``insights.forms``)."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from qicollab.collaborative.models import ThemePrinciple
from qicollab.projects.models import Project


class EvidenceForm(forms.Form):
    project = forms.TypedChoiceField(
        label="Project",
        coerce=int,
        error_messages={
            "required": "Select the project that evidences the principle",
            "invalid_choice": "Select one of your projects from the list",
        },
    )
    principle = forms.TypedChoiceField(
        label="Principle",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the principle the project evidences",
            "invalid_choice": "Select one of this theme's principles",
        },
    )
    note = forms.CharField(
        label="How does the project evidence it? (optional)",
        help_text="For example: carers sat on the project team from the first meeting.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep the note to 2,000 characters or fewer"},
    )

    def __init__(
        self,
        *args: object,
        projects: Sequence[Project],
        principles: Sequence[ThemePrinciple],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._projects = {p.pk: p for p in projects}
        self._principles = {p.pk: p for p in principles}
        self.fields["project"].choices = [("", "Select a project")] + [  # type: ignore[attr-defined]
            (p.pk, p.title) for p in projects
        ]
        self.fields["principle"].choices = [  # type: ignore[attr-defined]
            (p.pk, p.text) for p in principles
        ]

    def chosen(self) -> tuple[Project, ThemePrinciple]:
        return (
            self._projects[self.cleaned_data["project"]],
            self._principles[self.cleaned_data["principle"]],
        )
