"""Forms of Learning from Excellence: they check the shape of input; services the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.accounts.models import Person
from qicollab.excellence import selectors
from qicollab.excellence.models import Theme, WorkKind
from qicollab.organisations.models import Collaborative, Organisation, Unit
from qicollab.projects.models import Project

DATE = {"type": "date", "class": "nhsuk-input--width-10"}


def _text(label: str, *, hint: str = "", rows: int = 3) -> forms.CharField:
    # Required-ness is the service's rule (its message is more specific than "required").
    return forms.CharField(
        label=label,
        required=False,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        strip=True,
    )


class ReportForm(forms.Form):
    """Report excellence: who, what they did, why it was excellent (under two minutes)."""

    people = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Who was excellent?",
        required=False,
        empty_label="Choose a person",
    )
    people_2 = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Someone else (optional)",
        required=False,
        empty_label="No one else",
    )
    teams = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label="Or a whole team (optional)",
        required=False,
        empty_label="No team",
    )
    work_kind = forms.ChoiceField(
        label="Was it clinical work?",
        choices=WorkKind.choices,
        widget=forms.RadioSelect,
        initial=WorkKind.CLINICAL,
    )
    what_they_did = _text("What did they do?")
    why_excellent = _text("Why was it excellent?")
    learning = _text(
        "What can others learn from it? (optional)",
        hint="Do not name patients: the recipients and, if they agree, others will read this.",
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label="Where did it happen? (optional)",
        required=False,
        empty_label="Not saying",
    )
    happened_on = forms.DateField(
        label="When did it happen?", required=False, widget=forms.DateInput(attrs=DATE)
    )
    anonymous = forms.BooleanField(label="Do not tell the recipients my name", required=False)

    def __init__(self, *args: Any, organisation: Organisation, reporter: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        people = selectors.colleagues(organisation=organisation).exclude(pk=reporter.pk)
        units = selectors.units(organisation=organisation)
        self.fields["people"].queryset = people  # type: ignore[attr-defined]
        self.fields["people_2"].queryset = people  # type: ignore[attr-defined]
        self.fields["teams"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["happened_on"].initial = selectors.today()

    def recipients(self) -> tuple[list[Person], list[Any]]:
        d = self.cleaned_data
        people = [p for p in (d.get("people"), d.get("people_2")) if p is not None]
        teams = [d["teams"]] if d.get("teams") is not None else []
        return people, teams


class ConsentForm(forms.Form):
    """The recipient's choices: nothing is shared until they choose."""

    keep = forms.BooleanField(label="Keep it on my excellence page", required=False)
    tell_manager = forms.BooleanField(label="Tell my line manager about it", required=False)
    line_manager = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="My line manager",
        help_text="Only needed if you want them told.",
        required=False,
        empty_label="Choose your line manager",
    )
    share_wider = forms.BooleanField(
        label="Share it with everyone in the organisation",
        help_text="It is shared only when every person it is about agrees.",
        required=False,
    )

    def __init__(self, *args: Any, organisation: Organisation, viewer: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["line_manager"].queryset = selectors.colleagues(  # type: ignore[attr-defined]
            organisation=organisation
        ).exclude(pk=viewer.pk)


class AcknowledgeForm(forms.Form):
    message = _text("Message to the recipients", rows=3)


class ThemesForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        label="Themes",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = selectors.themes(  # type: ignore[attr-defined]
            organisation=organisation
        )


class ThemeForm(forms.Form):
    name = forms.CharField(label="Theme", max_length=80, required=False)
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StartProjectForm(forms.Form):
    collaborative = forms.ModelChoiceField(
        queryset=Collaborative.objects.none(), label="Collaborative", empty_label="Choose"
    )
    title = forms.CharField(label="Project title", max_length=200, required=False)

    def __init__(self, *args: Any, collaboratives: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["collaborative"].queryset = Collaborative.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in collaboratives]
        )


class LinkProjectForm(forms.Form):
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(), label="Existing project", empty_label="Choose"
    )

    def __init__(self, *args: Any, projects: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]


class InquiryForm(forms.Form):
    held_on = forms.DateField(label="Date of the conversation", widget=forms.DateInput(attrs=DATE))
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        label="Theme (optional)",
        required=False,
        empty_label="No theme",
    )
    attendees = _text("Who took part", hint="Roles are enough, like “ward manager, two nurses”.")
    went_well = _text("What made this go well?")
    every_time = _text("How could it happen every time?")
    notes = _text("Notes and actions (optional)", rows=4)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = selectors.themes(  # type: ignore[attr-defined]
            organisation=organisation
        )
        self.fields["held_on"].initial = selectors.today()


class LeadForm(forms.Form):
    email = forms.EmailField(label="Their email address")
    title = forms.CharField(label="Job title (optional)", max_length=120, required=False)

    def clean_email(self) -> Person:
        email = self.cleaned_data["email"]
        person = Person.objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError("No one with this email address has an account.")
        return person
