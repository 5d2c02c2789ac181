"""One form for every node of the driver diagram: its text and its links to the left."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.core.forms import ConflictMixin
from qicollab.projects.models import PrimaryDriver, Project
from qicollab.projects.services.drivers import KINDS, noun

LINK_LABELS = {
    "secondary": ("Which primary drivers does it feed?", "Tick all that apply."),
    "idea": (
        "Which secondary drivers does it act on?",
        "Tick all that apply. Every change idea should act on at least one.",
    ),
}


class NodeForm(ConflictMixin, forms.Form):
    text = forms.CharField(max_length=300)
    # The queryset is set per kind in __init__ (primary or secondary drivers of the project).
    links: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=PrimaryDriver.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label="More detail (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, project: Project, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        name = noun(kind)
        self.fields["text"].label = name.capitalize()
        self.fields["text"].error_messages = {
            "required": f"Enter the {name}.",
            "max_length": f"Keep the {name} to 300 characters or fewer: it shows in a box "
            "on the diagram.",
        }
        link_model = KINDS[kind][2]
        if link_model is None:
            del self.fields["links"]
        else:
            label, hint = LINK_LABELS[kind]
            self.fields["links"].queryset = link_model.objects.filter(project=project).order_by(  # type: ignore[attr-defined]
                "order", "id"
            )
            self.fields["links"].label = label
            self.fields["links"].help_text = hint
        if kind != "idea":
            del self.fields["description"]
