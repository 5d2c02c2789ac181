"""Forms of the national roll-up: the quarter chosen, and a designation recorded."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.accounts.models import Person
from qicollab.national import selectors
from qicollab.national.models import DesignationKind
from qicollab.organisations.models import Organisation


class QuarterForm(forms.Form):
    """The quarter of the roll-up (NHS financial year); empty means the latest complete one."""

    # A select on the page, but any ``YYYY-Qn`` is accepted so that links to older
    # quarters work; clean_quarter gives the reason when the text is not a quarter.
    quarter = forms.CharField(label="Quarter", required=False, widget=forms.Select)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(q.slug, f"{q.label} ({q.months})") for q in selectors.quarter_choices()]
        asked = self.data.get("quarter") if self.is_bound else None
        if asked and asked not in dict(choices):
            choices.append((asked, asked))
        self.fields["quarter"].widget.choices = choices
        self.fields["quarter"].choices = choices  # type: ignore[attr-defined]
        self.fields["quarter"].initial = selectors.latest_complete_quarter().slug

    def clean_quarter(self) -> Any:
        try:
            return selectors.parse_quarter(self.cleaned_data.get("quarter"))
        except selectors.BadPeriod as exc:
            raise forms.ValidationError(str(exc)) from exc


class DesignationForm(forms.Form):
    """Record that a person was designated a safety champion or QI expert."""

    email = forms.EmailField(
        label="Their email address",
        help_text="They must already have an account on qicollab.",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Organisation", empty_label="Choose"
    )
    kind = forms.ChoiceField(label="Designated as", choices=DesignationKind.choices)
    designated_on = forms.DateField(
        label="Date designated", widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean_email(self) -> Person:
        email = self.cleaned_data["email"]
        person = Person.objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(
                "No one with this email address has an account. Invite them first."
            )
        return person
