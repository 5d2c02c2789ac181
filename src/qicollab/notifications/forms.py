"""Notification settings: one radio group per kind."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.notifications.kinds import Frequency, Kind
from qicollab.notifications.selectors import Setting


def _field(k: Kind, initial: str) -> forms.ChoiceField:
    choices = (
        [(Frequency.IMMEDIATELY.value, "An email straight away (always)")]
        if k.app_emails
        else list(Frequency.choices)
    )
    return forms.ChoiceField(
        label=k.label,
        help_text=k.hint,
        choices=choices,
        initial=initial,
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Choose how you want to hear of “{k.label}”.",
            "invalid_choice": f"Choose one of the options for “{k.label}”.",
        },
    )


def field_name(k: Kind) -> str:
    return k.key.replace(".", "__")


class PreferencesForm(forms.Form):
    """Every kind at once (the preferences page)."""

    def __init__(self, *args: Any, settings: list[Setting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = settings
        for s in settings:
            self.fields[field_name(s.kind)] = _field(s.kind, s.frequency)

    def chosen(self) -> dict[str, str]:
        """Kind key -> frequency, for the cleaned form."""
        return {s.kind.key: self.cleaned_data[field_name(s.kind)] for s in self.settings}


class OneSettingForm(forms.Form):
    """One kind (the signed link in an email)."""

    def __init__(self, *args: Any, setting: Setting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["frequency"] = _field(setting.kind, setting.frequency)
