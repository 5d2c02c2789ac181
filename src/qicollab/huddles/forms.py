"""Forms of the huddle pages: they check the shape of input; services check the rules.

The huddle form is built for a phone at the start of a shift: every field but the date
and shift is optional, counts are numeric keypads, and open actions from earlier huddles
are listed to tick off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone

from qicollab.core.forms import NhsFormMixin
from qicollab.huddles.models import (
    ATTENDANCE_ROLES,
    TEXT_FIELDS,
    HarmCategory,
    HuddleAction,
    Severity,
    Shift,
)
from qicollab.huddles.services import ActionInput, HuddleInput

ACTION_ROWS = 2


def guess_shift(now: dt.datetime | None = None) -> str:
    """The shift a huddle starting now most likely belongs to (a default the person can change)."""
    hour = (now or timezone.localtime()).hour
    if 6 <= hour < 12:
        return Shift.EARLY
    if 12 <= hour < 19:
        return Shift.LATE
    return Shift.NIGHT


def _count(label: str, maximum: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=maximum,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
    )


class HuddleForm(NhsFormMixin, forms.Form):
    """Record one huddle; fields for attendance, at-risk counts and actions are added per role,
    category and action row."""

    held_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    shift = forms.ChoiceField(label="Shift", choices=Shift.choices, widget=forms.RadioSelect)
    started_at = forms.TimeField(
        label="Start time",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_min = _count("Minutes it took (optional)", 120)
    close_actions = forms.MultipleChoiceField(
        label="Open actions: tick the ones now done",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        categories: Sequence[HarmCategory],
        open_actions: Sequence[HuddleAction],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        for role, label in ATTENDANCE_ROLES:
            self.fields[f"attend_{role}"] = _count(label, 200)
        for cat in self.categories:
            self.fields[f"risk_{cat.pk}"] = _count(cat.name, 99)
            self.fields[f"refs_{cat.pk}"] = forms.CharField(
                label=f"{cat.name}: bed numbers or local codes (optional)",
                required=False,
                max_length=200,
                help_text="Never names.",
            )
        for name, label in TEXT_FIELDS:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for i in range(1, ACTION_ROWS + 1):
            self.fields[f"action{i}_text"] = forms.CharField(
                label="New action" if i == 1 else "Another action",
                required=False,
                max_length=300,
            )
            self.fields[f"action{i}_owner"] = forms.CharField(
                label="Owner", required=False, max_length=80, help_text="A role or first name."
            )
            self.fields[f"action{i}_due_on"] = forms.DateField(
                label="Due (optional)",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        self.fields["close_actions"].choices = [  # type: ignore[attr-defined]
            (
                str(a.pk),
                f"{a.text} ({a.owner}" + (f", due {a.due_on:%-d %b}" if a.due_on else "") + ")",
            )
            for a in open_actions
        ]

    @property
    def attendance_fields(self) -> list[forms.BoundField]:
        return [self[f"attend_{role}"] for role, _ in ATTENDANCE_ROLES]

    @property
    def risk_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"risk_{c.pk}"], self[f"refs_{c.pk}"]) for c in self.categories]

    @property
    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _ in TEXT_FIELDS]

    @property
    def action_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"action{i}_text"], self[f"action{i}_owner"], self[f"action{i}_due_on"])
            for i in range(1, ACTION_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, ACTION_ROWS + 1):
            text, owner = data.get(f"action{i}_text"), data.get(f"action{i}_owner")
            if owner and not text:
                self.add_error(f"action{i}_text", "Enter what the action is")
            if text and not owner:
                self.add_error(f"action{i}_owner", "Enter who owns the action")
        return data

    def to_input(self) -> HuddleInput:
        """The typed input of :func:`services.huddle_create`."""
        d = self.cleaned_data
        actions = [
            ActionInput(d[f"action{i}_text"], d[f"action{i}_owner"], d.get(f"action{i}_due_on"))
            for i in range(1, ACTION_ROWS + 1)
            if d.get(f"action{i}_text")
        ]
        return HuddleInput(
            held_on=d["held_on"],
            shift=d["shift"],
            started_at=d.get("started_at"),
            duration_min=d.get("duration_min"),
            attendance={
                role: d[f"attend_{role}"]
                for role, _ in ATTENDANCE_ROLES
                if d.get(f"attend_{role}") is not None
            },
            at_risk={
                c.pk: (d.get(f"risk_{c.pk}") or 0, d.get(f"refs_{c.pk}") or "")
                for c in self.categories
                if d.get(f"risk_{c.pk}") is not None or d.get(f"refs_{c.pk}")
            },
            texts={name: d.get(name) or "" for name, _ in TEXT_FIELDS},
            new_actions=actions,
            close_action_ids=[int(x) for x in d.get("close_actions") or []],
        )


class HarmEventForm(NhsFormMixin, forms.Form):
    """Record one harm event."""

    category = forms.ChoiceField(label="What happened", widget=forms.RadioSelect)
    occurred_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    occurred_at = forms.TimeField(
        label="Time (optional)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    severity = forms.ChoiceField(
        label="Harm to the patient", choices=Severity.choices, widget=forms.RadioSelect
    )
    incident_ref = forms.CharField(
        label="Incident reference (optional)",
        required=False,
        max_length=40,
        help_text="The number from your incident reporting system, like W123456.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )

    def __init__(self, *args: Any, categories: Sequence[HarmCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_pk = {str(c.pk): c for c in categories}
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), c.name) for c in categories
        ]

    def clean_category(self) -> HarmCategory:
        return self.by_pk[self.cleaned_data["category"]]
