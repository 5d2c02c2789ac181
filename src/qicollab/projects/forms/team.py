"""Forms for the team and for co-production."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.accounts.models import Person
from qicollab.projects.models import CoProduction, Involvement, TeamRole


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.job_title})" if obj.job_title else obj.full_name


class MemberAddForm(forms.Form):
    person = PersonChoice(
        queryset=Person.objects.none(),
        label="Person",
        empty_label="Choose a person",
        help_text="People at the project's organisations and the collaborative's faculty.",
        error_messages={
            "required": "Choose the person to add.",
            "invalid_choice": "Choose someone from the list: they may already be on the team.",
        },
    )
    role = forms.ChoiceField(
        label="Role on the team",
        choices=TeamRole.choices,
        widget=forms.RadioSelect,
        initial=TeamRole.MEMBER,
        error_messages={"required": "Choose the person's role."},
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates  # type: ignore[attr-defined]


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role on the team",
        choices=TeamRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the person's role."},
    )


class CoProductionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CoProduction
        fields = ("level", "description", "partners_involved")
        widgets = {
            "level": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "level": {"required": "Choose how involved patients, carers or families were."}
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = Involvement.choices  # type: ignore[attr-defined]
