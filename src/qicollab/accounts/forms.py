"""Account forms: login, profile, invitations and API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SetPasswordMixin,
)

from qicollab.accounts.models import LivedExperience, Person
from qicollab.organisations.models import (
    AffiliationRole,
    OrganisationType,
    Region,
    validate_ods_code,
)


class LoginForm(AuthenticationForm):
    """Email and password. Errors never say which of the two was wrong."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address in the right format, like name@example.nhs.uk.",
        },
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
        self.fields["profession"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a profession"),
            *self.fields["profession"].choices[1:],  # type: ignore[attr-defined]
        ]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="Name or email", required=False)


# --- Invitations -----------------------------------------------------------------------

ROLE_HINTS = {
    AffiliationRole.STAFF: "Works on improvement projects and enters data.",
    AffiliationRole.PARTNER: "A patient, carer or family member who is a partner in improvement.",
    AffiliationRole.VIEWER: "Can see the organisation's work but not change it.",
    AffiliationRole.PROGRAMME_MANAGER: (
        "Runs the organisation's part in collaboratives and invites staff."
    ),
}


class InvitationForm(forms.Form):
    """A programme manager invites a person to their organisation."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the person's full name."},
    )
    email = forms.EmailField(
        label="Email address",
        help_text=(
            "We will send the invitation to this address. It must be the one they will log in with."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person's email address.",
            "invalid": "Enter an email address in the right format, like name@example.nhs.uk.",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        choices=[(r.value, r.label) for r in AffiliationRole],
        initial=AffiliationRole.STAFF,
        error_messages={"required": "Choose the person's role."},
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_full_name(self) -> str:
        return " ".join(str(self.cleaned_data["full_name"]).split())


class OrganisationInvitationForm(forms.Form):
    """A collaborative lead invites an organisation through its programme manager."""

    name = forms.CharField(
        label="Organisation name",
        max_length=200,
        help_text="Its full name, like Avonvale Partnership NHS Foundation Trust.",
        error_messages={"required": "Enter the organisation's name."},
    )
    org_type = forms.ChoiceField(
        label="Type of organisation",
        choices=OrganisationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of organisation."},
    )
    ods_code = forms.CharField(
        label="ODS code",
        required=False,
        max_length=6,
        help_text="The NHS Organisation Data Service code, like RX2. Required for NHS trusts.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "spellcheck": "false"}),
        error_messages={"max_length": "An ODS code has at most 6 characters, like A81001."},
    )
    region = forms.ChoiceField(
        label="Region",
        choices=[("", "Choose a region"), *Region.choices],
        error_messages={"required": "Choose the organisation's region."},
    )
    full_name = forms.CharField(
        label="Programme manager's full name",
        max_length=150,
        error_messages={"required": "Enter the programme manager's full name."},
    )
    email = forms.EmailField(
        label="Programme manager's email address",
        help_text="They will get the invitation and become the organisation's programme manager.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the programme manager's email address.",
            "invalid": "Enter an email address in the right format, like name@example.nhs.uk.",
        },
    )

    def clean_name(self) -> str:
        return " ".join(str(self.cleaned_data["name"]).split())

    def clean_full_name(self) -> str:
        return " ".join(str(self.cleaned_data["full_name"]).split())

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = "".join(str(data.get("ods_code") or "").split()).upper()
        data["ods_code"] = code
        org_type = data.get("org_type")
        if code:
            try:
                validate_ods_code(code, org_type)
            except forms.ValidationError as exc:
                self.add_error("ods_code", exc)
        elif org_type == OrganisationType.NHS_TRUST:
            self.add_error("ods_code", "Enter the trust's ODS code, like RX2.")
        return data

    def details(self) -> dict[str, str]:
        return {k: self.cleaned_data[k] for k in ("name", "org_type", "ods_code", "region")}


CHOOSING_ADVICE = (
    "At least 10 characters. Avoid common words, only numbers, and your name or email "
    "address. A phrase of three or four unrelated words is strong and easy to remember."
)


def _new_password_fields(label1: str, label2: str) -> tuple[forms.CharField, forms.CharField]:
    return (
        forms.CharField(
            label=label1,
            strip=False,
            help_text=CHOOSING_ADVICE,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            error_messages={"required": "Enter a new password."},
        ),
        forms.CharField(
            label=label2,
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            error_messages={"required": "Enter the password again to confirm it."},
        ),
    )


class NhsPasswordRules(SetPasswordMixin):  # type: ignore[type-arg]
    """Django's password checks with NHS.UK wording; rule failures show on the first box."""

    error_messages = {
        "password_mismatch": "The passwords do not match. Enter the same password in both boxes.",
    }

    def validate_password_for_user(self, user: Any, password_field_name: str = "") -> None:
        if "new_password2" in self.errors:  # type: ignore[attr-defined]
            return  # they do not match: which one to judge?
        super().validate_password_for_user(user, "new_password1")


class AcceptInvitationForm(NhsPasswordRules, forms.Form):
    """A new person accepting an invitation: their name and a password."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your full name."},
    )
    new_password1, new_password2 = _new_password_fields(
        "Create a password", "Confirm your password"
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean_full_name(self) -> str:
        return " ".join(str(self.cleaned_data["full_name"]).split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.validate_passwords("new_password1", "new_password2")
        # The similarity check compares the password with the person's name and email.
        self.validate_password_for_user(
            Person(email=self.email, full_name=data.get("full_name", ""))
        )
        return data


# --- Passwords -------------------------------------------------------------------------


class PasswordResetRequestForm(PasswordResetForm):
    """Asks for an email address. The emails are built by ``views_password``."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address in the right format, like name@example.nhs.uk.",
        },
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class NhsSetPasswordForm(NhsPasswordRules, SetPasswordForm):  # type: ignore[type-arg]
    """Choose a new password after following a reset link."""

    new_password1, new_password2 = _new_password_fields("New password", "Confirm your new password")


class NhsPasswordChangeForm(NhsPasswordRules, PasswordChangeForm):
    """Change the password when logged in: the current one first."""

    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password."},
    )
    new_password1, new_password2 = _new_password_fields("New password", "Confirm your new password")
    error_messages = {
        **NhsPasswordRules.error_messages,
        "password_incorrect": "Your current password is not right. Check it and try again.",
    }


# --- API tokens ------------------------------------------------------------------------


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, to tell your tokens apart, like 'Ward data feed'.",
        error_messages={
            "required": "Enter a name for the token.",
            "max_length": "The name must be 100 characters or fewer.",
        },
    )

    def clean_name(self) -> str:
        return " ".join(str(self.cleaned_data["name"]).split())
