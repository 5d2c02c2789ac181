"""Forms of the innovation pages: they check shape; the services check the rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone

from qicollab.collaborative.models import Theme, Workstream
from qicollab.innovations.models import AdoptionStatus, Sharing, Stage
from qicollab.innovations.services import InnovationInput, StatusInput
from qicollab.organisations.models import Organisation
from qicollab.projects.models import Project

LONG = 5000


def _text(
    label: str, help_text: str = "", *, required: bool = False, rows: int = 4
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": f"Keep it to {LONG:,} characters or fewer",
            "required": f"Enter {label.lower()}",
        },
    )


class InnovationForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title for the innovation",
            "max_length": "Keep the title to 200 characters or fewer",
        },
    )
    problem = _text("The problem", "What was going wrong, and for whom.")
    change = _text("The change", "What to do differently, so another team could try it.")
    evidence_summary = _text(
        "What the evidence shows",
        "The charts of the project's measures are shown with it, live; say what they show.",
    )
    cost_effort = _text("Cost and effort", "Money, staff time, training, kit.", rows=3)
    helped = _text("What helped", rows=3)
    hindered = _text("What got in the way", rows=3)
    contacts = _text("Who to contact", "Names and how to reach them.", rows=2)
    lived_experience = _text("How people with lived experience were involved", rows=3)
    stage = forms.ChoiceField(
        label="Stage",
        choices=Stage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a stage", "invalid_choice": "Choose a stage"},
    )
    sharing = forms.ChoiceField(
        label="Who can see this innovation",
        choices=Sharing.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose who can see it",
            "invalid_choice": "Choose who can see it",
        },
    )
    workstream = forms.TypedChoiceField(
        label="Workstream", coerce=int, required=False, empty_value=None
    )
    themes = forms.TypedMultipleChoiceField(
        label="Themes", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        workstreams: Sequence[Workstream],
        themes: Sequence[Theme],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._workstreams = {w.pk: w for w in workstreams}
        self._themes = {t.pk: t for t in themes}
        self.fields["workstream"].choices = [("", "None")] + [  # type: ignore[attr-defined]
            (w.pk, w.name) for w in workstreams
        ]
        self.fields["themes"].choices = [(t.pk, t.name) for t in themes]  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(data: InnovationInput) -> dict[str, Any]:
        out: dict[str, Any] = {
            name: getattr(data, name)
            for name in (
                "title",
                "problem",
                "change",
                "evidence_summary",
                "cost_effort",
                "helped",
                "hindered",
                "contacts",
                "lived_experience",
                "stage",
                "sharing",
            )
        }
        out["workstream"] = data.workstream.pk if data.workstream else ""
        out["themes"] = [t.pk for t in data.themes]
        return out

    def to_input(self) -> InnovationInput:
        d = self.cleaned_data
        return InnovationInput(
            title=d["title"],
            problem=d["problem"],
            change=d["change"],
            evidence_summary=d["evidence_summary"],
            cost_effort=d["cost_effort"],
            helped=d["helped"],
            hindered=d["hindered"],
            contacts=d["contacts"],
            lived_experience=d["lived_experience"],
            stage=d["stage"],
            sharing=d["sharing"],
            workstream=self._workstreams.get(d["workstream"]) if d["workstream"] else None,
            themes=[self._themes[i] for i in d["themes"]],
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Where are you with it?",
        choices=AdoptionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose where you are with it",
            "invalid_choice": "Choose where you are with it",
        },
    )
    on = forms.DateField(
        label="Since when",
        widget=forms.DateInput(attrs={"type": "date", "class": "nhsuk-input--width-10"}),
        error_messages={
            "invalid": "Enter a real date, like 2026-04-01.",
            "required": "Enter the date.",
        },
    )
    what_changed = _text("If you adapted it: what did you change?", rows=3)
    why_abandoned = _text("If you stopped: why?", rows=3)
    note = _text("A note for the source team (optional)", rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()

    def to_input(self) -> StatusInput:
        d = self.cleaned_data
        return StatusInput(
            status=d["status"],
            on=d["on"],
            what_changed=d["what_changed"],
            why_abandoned=d["why_abandoned"],
            note=d["note"],
        )


class AdoptForm(StatusForm):
    organisation = forms.TypedChoiceField(
        label="Your organisation",
        coerce=int,
        error_messages={
            "required": "Choose your organisation",
            "invalid_choice": "Choose one of your organisations",
        },
    )
    project = forms.TypedChoiceField(
        label="Link it to one of your projects (optional)",
        help_text="Or leave this empty and start a new project from the change package next.",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose one of the projects you can edit"},
    )

    field_order = (
        "organisation",
        "status",
        "on",
        "what_changed",
        "why_abandoned",
        "project",
        "note",
    )

    def __init__(
        self,
        *args: Any,
        organisations: Sequence[Organisation],
        projects: Sequence[Project],
        all_projects: dict[int, Project] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._orgs = {o.pk: o for o in organisations}
        self._projects = {p.pk: p for p in projects}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]  # type: ignore[attr-defined]
        self.fields["project"].choices = [("", "No project yet")] + [  # type: ignore[attr-defined]
            (p.pk, f"{p.title} ({p.lead_organisation.name})") for p in projects
        ]

    def chosen_organisation(self) -> Organisation:
        return self._orgs[self.cleaned_data["organisation"]]

    def chosen_project(self) -> Project | None:
        pk = self.cleaned_data.get("project")
        return self._projects.get(pk) if pk else None


class StartProjectForm(forms.Form):
    title = forms.CharField(
        label="Project title",
        max_length=200,
        required=False,
        help_text="Leave empty to use the innovation's title and your organisation's name.",
        error_messages={"max_length": "Keep the title to 200 characters or fewer"},
    )
    aim_statement = _text(
        "Your aim",
        "What your team is trying to accomplish, by how much and by when. The change ideas "
        "are placed in a driver diagram under it.",
        rows=3,
    )


class ResourceForm(forms.Form):
    title = forms.CharField(
        label="What the file is",
        max_length=200,
        help_text="For example: 'Safety huddle checklist'.",
        error_messages={
            "required": "Enter what the file is",
            "max_length": "Keep it to 200 characters or fewer",
        },
    )
    file = forms.FileField(
        label="File (PDF, PNG or JPEG)",
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty"},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Change package file (.json)",
        error_messages={"required": "Choose a change package file", "empty": "The file is empty"},
    )
    organisation = forms.TypedChoiceField(
        label="Whose innovation it becomes here",
        help_text="The organisation that brought the change package to this collaborative.",
        coerce=int,
        error_messages={
            "required": "Choose an organisation",
            "invalid_choice": "Choose one of your organisations",
        },
    )

    def __init__(self, *args: Any, organisations: Sequence[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._orgs = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]  # type: ignore[attr-defined]

    def chosen_organisation(self) -> Organisation:
        return self._orgs[self.cleaned_data["organisation"]]
