"""Account forms: login, profile, invitations and API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from qicollab.accounts.models import LivedExperience, Person


class LoginForm(AuthenticationForm):
    """Email and password. Errors never say which of the two was wrong."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address.", "invalid": "Enter an email address in the right format, like name@example.nhs.uk."},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )
    error_messages = {
        "invalid_login": "The email address or password is not right. Check them and try again.",
        "inactive": "This account has been closed. Ask your programme manager for help.",
    }

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Person
        fields = ("full_name", "job_title", "profession", "lived_experience")
        labels = {"lived_experience": "Do you join as a person with lived experience?"}
        help_texts = {
            "lived_experience": "Patients, carers and family members are partners in improvement. "
            "Only you, your collaborative's leads and administrators see this.",
        }
        widgets = {"lived_experience": forms.RadioSelect}
        error_messages = {"full_name": {"required": "Enter your full name."}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lived_experience"].choices = [  # type: ignore[attr-defined]
            ("", "No"),
            *[(c.value, c.label) for c in LivedExperience if c.value],
        ]
        self.fields["profession"].choices = [("", "Choose a profession"), *self.fields["profession"].choices[1:]]  # type: ignore[attr-defined]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="Name or email", required=False)
