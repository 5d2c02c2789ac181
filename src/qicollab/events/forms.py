from __future__ import annotations

from django import forms


class RegistrationForm(forms.Form):
    needs = forms.CharField(
        label="Accessibility or dietary needs (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the organisers see this, and it is deleted after the event.",
        error_messages={"max_length": "Keep your needs to 1,000 characters or fewer"},
    )
