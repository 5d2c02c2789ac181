"""Filter forms of the programme-wide read side (GET forms; the API validates with them too)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms

# --- portfolio and signal feed filters (GET forms; the API validates with them too) ------


class _SlugChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice by slug, so filter links read well: ``?workstream=medication``."""

    def __init__(self, *, label: str, empty: str, noun: str) -> None:
        super().__init__(
            queryset=None,
            to_field_name="slug",
            label=label,
            required=False,
            empty_label=empty,
            error_messages={
                "invalid_choice": "Choose a " + noun + " of this collaborative from the list"
            },
        )


class _DateInput(forms.DateInput):
    input_type = "date"


PORTFOLIO_SORTS = {
    "title": "Project title (A to Z)",
    "organisation": "Lead organisation (A to Z)",
    "workstream": "Workstream (A to Z)",
    "score": "Latest progress score (highest first)",
    "activity": "Last activity (newest first)",
}


class PortfolioFilterForm(forms.Form):
    """What the portfolio can be narrowed by; choices come from the collaborative."""

    organisation = _SlugChoice(label="Organisation", empty="Any organisation", noun="member")
    workstream = _SlugChoice(label="Workstream", empty="Any workstream", noun="workstream")
    theme = _SlugChoice(label="Cross-cutting theme", empty="Any theme", noun="theme")
    status = forms.ChoiceField(
        label="Status",
        required=False,
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    score = forms.TypedChoiceField(
        label="Latest progress score",
        required=False,
        coerce=Decimal,
        empty_value=None,
        error_messages={"invalid_choice": "Select a score from the list, for example 3.0"},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=list(PORTFOLIO_SORTS.items()),
        error_messages={"invalid_choice": "Select how to sort from the list"},
    )

    def __init__(
        self,
        data: Any,
        *,
        organisations: Any,
        workstreams: Any,
        themes: Any,
        statuses: Sequence[tuple[str, str]],
        score_values: Sequence[Decimal],
    ) -> None:
        super().__init__(data)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["workstream"].queryset = workstreams  # type: ignore[attr-defined]
        self.fields["theme"].queryset = themes  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", "Any status"), *statuses]  # type: ignore[attr-defined]
        self.fields["score"].choices = [  # type: ignore[attr-defined]
            ("", "Any score"),
            *((f"{v:.1f}", f"{v:.1f} or more") for v in score_values),
        ]

    def filters(self) -> dict[str, Any]:
        """The fields that were valid (an invalid one is reported and left out)."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in ("", None)}


class SignalFeedForm(forms.Form):
    since = forms.DateField(
        label="Signals since",
        required=False,
        widget=_DateInput(attrs={"class": "nhsuk-input--width-10"}),
        help_text="Signals with a point on or after this date. For example, 1 3 2025.",
        error_messages={"invalid": "Enter the date as a real date, for example 1 3 2025"},
    )

    def __init__(self, data: Any, *, today: date, max_days: int) -> None:
        super().__init__(data)
        self.today = today
        self.max_days = max_days

    def clean_since(self) -> date | None:
        since: date | None = self.cleaned_data.get("since")
        if since is None:
            return None
        if since > self.today:
            raise forms.ValidationError("The date must be today or in the past")
        if (self.today - since).days > self.max_days:
            raise forms.ValidationError(
                f"The date must be within the last {self.max_days} days "
                f"(on or after {self.today - timedelta(days=self.max_days):%-d %B %Y})"
            )
        return since
