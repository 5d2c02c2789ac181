"""Forms check the shape of input; services check the business rules."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.core.forms import ConflictMixin
from qicollab.organisations.models import (
    Collaborative,
    CollaborativeKind,
    Organisation,
    OrganisationType,
    Region,
    validate_ods_code,
)


class OrganisationForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://www.example.nhs.uk."},
    )

    class Meta:
        model = Organisation
        fields = ("name", "short_name", "org_type", "ods_code", "region", "website", "description")
        labels = {"org_type": "Type of organisation", "short_name": "Short name (optional)"}
        help_texts = {"short_name": "Used in tables and charts, e.g. 'Avonvale'."}
        widgets = {
            "org_type": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "ods_code": forms.TextInput(
                attrs={"class": "nhsuk-input--width-10", "spellcheck": "false"}
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Radios need no "---------" placeholder: the field is required.
        self.fields["org_type"].choices = OrganisationType.choices  # type: ignore[attr-defined]
        self.fields["region"].choices = [("", "Choose a region"), *Region.choices]  # type: ignore[attr-defined]

    def full_clean(self) -> None:
        super().full_clean()
        # A field error leaves ods_code unset on the instance, and the model's clean() then
        # adds "Enter the trust's ODS code" too; the field's own message is the one to show.
        # (Trimmed after the whole clean, through the public errors, not Django's private
        # _post_clean/_errors, which the type stubs rightly do not promise.)
        errors = self.errors.get("ods_code") if self.is_bound else None
        if errors and len(errors) > 1:
            del errors[1:]

    def clean_ods_code(self) -> str:
        code: str = (self.cleaned_data.get("ods_code") or "").strip().upper()
        if code:
            validate_ods_code(code, self.data.get("org_type"))
            taken = Organisation.objects.filter(ods_code=code).exclude(pk=self.instance.pk)
            if taken.exists():
                raise forms.ValidationError(
                    "Another organisation already has this ODS code. Check the code, or find "
                    "that organisation in the list instead of adding it again."
                )
        return code


class CollaborativeForm(ConflictMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Collaborative
        fields = (
            "name",
            "short_name",
            "kind",
            "region",
            "purpose",
            "started_on",
            "ends_on",
            "is_public",
            "sponsors",
        )
        widgets = {
            "kind": forms.RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "sponsors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = CollaborativeKind.choices  # type: ignore[attr-defined]
        self.fields["sponsors"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            org_type=OrganisationType.AHSN
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "The end date must be after the start date.")
        return data


class MembershipAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation",
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation that is joining."},
    )
    joined_on = forms.DateField(
        label="Date it joined",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date it joined.",
            "invalid": "Enter a real date, like 2026-04-01.",
        },
    )

    def __init__(self, *args: Any, collaborative: Collaborative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = collaborative.memberships.current().values("organisation_id")
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk__in=current)  # type: ignore[attr-defined]


class MembershipEndForm(forms.Form):
    left_on = forms.DateField(
        label="Date it left",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date it left.",
            "invalid": "Enter a real date, like 2026-04-01.",
        },
    )


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label="Name or ODS code", required=False)
    org_type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any type"), *OrganisationType.choices]
    )
    region = forms.ChoiceField(
        label="Region", required=False, choices=[("", "Any region"), *Region.choices]
    )
