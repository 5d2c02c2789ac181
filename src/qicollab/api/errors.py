"""Refusals as API answers: a form's errors or a service's refused business rule → 422.

The API's one way of doing it (projects, measures and organisations used to each have
their own copy), answered by the ``ValidationError`` handler in ``api.api`` with messages
per field, in the pages' wording.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm


def valid(form: BaseForm) -> dict[str, Any]:
    """The form's cleaned data (without its version field), or 422 with its messages."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}


def refused(exc: Exception, field: str | None = None) -> ValidationError:
    """A service's refusal (an error with an optional ``field``) as a 422 for that field."""
    name = field or getattr(exc, "field", None) or "__all__"
    return ValidationError({name: [str(exc)]})
