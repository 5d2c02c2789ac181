"""The PDSA cycle form, in the four stages a team fills in over the life of a cycle."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.accounts.models import Person
from qicollab.core.forms import ConflictMixin
from qicollab.projects.forms.fields import DATE_ERRORS, YesNoField, date_input
from qicollab.projects.models import (
    ActDecision,
    ChangeIdea,
    PdsaCycle,
    PdsaStatus,
    Project,
    Purpose,
)


class OwnerChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


# Field groups in the order of the cycle, for the template's fieldsets.
STAGES: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "about",
        "About this cycle",
        ("title", "change_ideas", "cycle_number", "scale", "purpose", "owner", "status"),
    ),
    (
        "plan",
        "Plan",
        (
            "objective",
            "questions",
            "predictions",
            "plan_who",
            "plan_what",
            "plan_where",
            "plan_when",
            "data_to_collect",
            "planned_start",
            "planned_end",
        ),
    ),
    (
        "do",
        "Do",
        ("actual_start", "what_happened", "carried_out_as_planned", "problems", "observations"),
    ),
    ("study", "Study", ("results", "prediction_confirmed", "learning")),
    ("act", "Act", ("act_decision", "next_steps", "actual_end")),
]


class PdsaForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    change_ideas = forms.ModelMultipleChoiceField(
        queryset=ChangeIdea.objects.none(),
        label="Change ideas this cycle tests",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one change idea that this cycle tests."},
    )
    cycle_number = forms.IntegerField(
        label="Cycle number (optional)",
        required=False,
        min_value=1,
        max_value=999,
        help_text="Leave blank for the next number in the change idea's ramp.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={
            "invalid": "Enter the cycle number as a whole number, like 3.",
            "min_value": "Cycle numbers start at 1.",
        },
    )
    owner = OwnerChoice(
        queryset=Person.objects.none(),
        label="Owner (optional)",
        required=False,
        empty_label="No owner yet",
    )
    carried_out_as_planned = YesNoField(label="Was it carried out as planned?")
    prediction_confirmed = YesNoField(label="Were the predictions right?")
    act_decision = forms.ChoiceField(
        label="Decision",
        required=False,
        widget=forms.RadioSelect,
        choices=[("", "Not decided yet"), *ActDecision.choices],
        help_text="Adopt: implement at a larger scale. Adapt: improve the change and test "
        "again. Abandon: drop it.",
    )

    class Meta:
        model = PdsaCycle
        fields = tuple(f for _, _, names in STAGES for f in names)
        widgets = {
            "purpose": forms.RadioSelect,
            "status": forms.RadioSelect,
            "planned_start": date_input(),
            "planned_end": date_input(),
            "actual_start": date_input(),
            "actual_end": date_input(),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "objective",
                    "questions",
                    "predictions",
                    "plan_what",
                    "data_to_collect",
                    "what_happened",
                    "problems",
                    "observations",
                    "results",
                    "learning",
                    "next_steps",
                )
            },
        }
        labels = {
            "planned_start": "Planned start (optional)",
            "planned_end": "Planned finish (optional)",
            "actual_start": "Date it started (optional)",
            "actual_end": "Date it finished (optional)",
        }
        help_texts = {
            "questions": "One question a line.",
            "predictions": "A prediction for each question.",
        }
        error_messages = {
            "title": {"required": "Enter a title for the cycle, e.g. 'Safety huddle at handover'."},
            **dict.fromkeys(
                ("planned_start", "planned_end", "actual_start", "actual_end"), DATE_ERRORS
            ),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["change_ideas"].queryset = ChangeIdea.objects.filter(project=project).order_by(  # type: ignore[attr-defined]
            "order", "id"
        )
        self.fields["owner"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            project_memberships__project=project
        ).order_by("full_name")
        self.fields["purpose"].choices = Purpose.choices  # type: ignore[attr-defined]
        self.fields["status"].choices = PdsaStatus.choices  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            self.initial["change_ideas"] = [i.pk for i in self.instance.change_ideas.all()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == PdsaStatus.COMPLETE and not data.get("act_decision"):
            self.add_error(
                "act_decision", "Choose adopt, adapt or abandon before marking the cycle complete."
            )
        return data
