"""Refusals as API answers: a form's errors or a service's refused business rule → 422.

The API's one way of doing it (projects, measures and organisations used to each have
their own copy), answered by the ``ValidationError`` handler in ``api.api`` with messages
per field, in the pages' wording. A :class:`~qicollab.core.services.ServiceError` a route
does not catch is answered the same way by the API's handler, through :func:`refused`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseForm

from qicollab.core.services import ServiceError


def valid(form: BaseForm) -> dict[str, Any]:
    """The form's cleaned data (without its version field), or 422 with its messages."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}


def refused(exc: Exception, field: str | None = None) -> ValidationError:
    """A service's refusal as a 422 for the field(s) it names (``field`` overrides one).

    A :class:`ServiceError` may name several fields; any other error is one message for
    ``field``, its own ``field`` attribute, or the request as a whole (``__all__``).
    """
    if isinstance(exc, ServiceError) and field is None:
        return ValidationError(
            {name or NON_FIELD_ERRORS: list(messages) for name, messages in exc.errors.items()}
        )
    name = field or getattr(exc, "field", None) or NON_FIELD_ERRORS
    return ValidationError({name: [str(exc)]})
