"""The monthly progress report form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from qicollab.core.forms import ConflictMixin
from qicollab.projects.models import ScaleDefinition

MONTHS_BACK = 36


def month_choices(today: dt.date | None = None, back: int = MONTHS_BACK) -> list[tuple[str, str]]:
    """This month and the ``back`` months before it, newest first."""
    d = (today or timezone.localdate()).replace(day=1)
    out = []
    for _ in range(back + 1):
        out.append((d.isoformat(), f"{d:%B %Y}"))
        d = (d - dt.timedelta(days=1)).replace(day=1)
    return out


class ProgressReportForm(ConflictMixin, forms.Form):
    month = forms.TypedChoiceField(
        label="Month",
        choices=(),
        coerce=dt.date.fromisoformat,
        error_messages={
            "required": "Choose the month you are reporting on.",
            "invalid_choice": f"Choose this month or one of the {MONTHS_BACK} months before it.",
        },
    )
    score = forms.TypedChoiceField(
        label="Progress score",
        choices=(),
        widget=forms.RadioSelect,
        coerce=str,
        error_messages={
            "required": "Choose a score.",
            "invalid_choice": "Choose one of the scale's scores.",
        },
    )
    progress = forms.CharField(
        label="Progress this month",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you tested, what changed in your measures.",
    )
    barriers = forms.CharField(
        label="Barriers", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    help_needed = forms.CharField(
        label="Help needed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="From the faculty, your organisation or other teams.",
    )

    def __init__(
        self, *args: Any, scale: ScaleDefinition, extra_month: dt.date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        months = month_choices()
        if extra_month and extra_month.isoformat() not in dict(months):
            months.append((extra_month.isoformat(), f"{extra_month:%B %Y}"))
        self.fields["month"].choices = months  # type: ignore[attr-defined]
        self.fields["score"].choices = [  # type: ignore[attr-defined]
            (f"{lv.value:.1f}", f"{lv.value:.1f} {lv.label}") for lv in scale.levels.all()
        ]
        self.levels = list(scale.levels.all())
