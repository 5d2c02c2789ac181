"""The search form: the words, and filters offered only from what the viewer may see."""

from __future__ import annotations

from typing import Any

from django import forms

from qicollab.search import selectors
from qicollab.search.models import Kind
from qicollab.search.selectors import SearchFilters, SearchInputError


class _Named(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", obj))


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", required=False, strip=True)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Everything"), *Kind.choices]
    )
    organisation = _Named(
        queryset=None, label="Organisation", required=False, empty_label="Any organisation"
    )
    workstream = _Named(
        queryset=None, label="Workstream", required=False, empty_label="Any workstream"
    )
    theme = _Named(queryset=None, label="Theme", required=False, empty_label="Any theme")

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = selectors.filter_choices(viewer=viewer)
        self.fields["organisation"].queryset = choices.organisations  # type: ignore[attr-defined]
        self.fields["workstream"].queryset = choices.workstreams  # type: ignore[attr-defined]
        self.fields["theme"].queryset = choices.themes  # type: ignore[attr-defined]

    def clean_q(self) -> str:
        q: str = self.cleaned_data.get("q") or ""
        if q:
            try:
                selectors.check_query(q)
            except SearchInputError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return q

    def filters(self) -> SearchFilters:
        d = self.cleaned_data
        return SearchFilters(
            kind=d.get("kind") or "",
            organisation_id=d["organisation"].pk if d.get("organisation") else None,
            workstream_id=d["workstream"].pk if d.get("workstream") else None,
            theme_id=d["theme"].pk if d.get("theme") else None,
        )
