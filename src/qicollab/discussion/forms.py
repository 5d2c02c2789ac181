"""The comment form: text, a reply's parent, a chart point, team-only, mentions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from qicollab.core.text import text_problem
from qicollab.discussion.models import MAX_BODY


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_BODY,
        help_text="Write @ and a person's full name to mention them, or choose them below.",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    period = forms.TypedChoiceField(
        label="About a point on the chart (optional)",
        required=False,
        coerce=date.fromisoformat,
        empty_value=None,
        help_text='For example, to ask "what happened here?"',
    )
    team_only = forms.BooleanField(label="Coaching note: visible to the team only", required=False)
    mentions = forms.TypedMultipleChoiceField(
        label="Mention people (they will be told)",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        periods: list[date] | None = None,
        candidates: list[Any] | None = None,
        team_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if periods:
            self.fields["period"].choices = [("", "Not about one point")] + [  # type: ignore[attr-defined]
                (d.isoformat(), d.strftime("%-d %B %Y")) for d in reversed(periods)
            ]
        else:
            del self.fields["period"]
        if candidates:
            self.fields["mentions"].choices = [  # type: ignore[attr-defined]
                (p.pk, p.full_name + (f", {p.job_title}" if p.job_title else ""))
                for p in candidates
            ]
        else:
            del self.fields["mentions"]
        if not team_only:
            del self.fields["team_only"]

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        problem = text_problem(body, what="The comment")
        if problem:
            raise forms.ValidationError(problem)
        return body


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label="Your comment", widget=forms.Textarea(attrs={"rows": 5}), max_length=MAX_BODY
    )

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        problem = text_problem(body, what="The comment")
        if problem:
            raise forms.ValidationError(problem)
        return body
