"""Bridges Django forms to the NHS.UK frontend macros (see ``components/forms.jinja``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from qicollab.core.services import ServiceError
from qicollab.core.text import text_problem


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    # CheckboxSelectMultiple subclasses RadioSelect, so it must be tested first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def field_context(bf: forms.BoundField) -> dict[str, Any]:
    """Everything a macro needs to render one field, keeping what the person typed."""
    widget = bf.field.widget
    kind = _kind(widget)
    value = bf.value()
    input_type = getattr(widget, "input_type", "text")
    if kind == "input" and isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if input_type == "date" and hasattr(value, "isoformat"):
        value = value.isoformat()
    choices: list[dict[str, Any]] = []
    if kind in ("radios", "checkboxes", "select"):
        selected = value if isinstance(value, list | tuple) else [value]
        selected_str = {str(v) for v in selected if v not in (None, "")}
        for option_value, option_label in bf.field.choices:  # type: ignore[attr-defined]
            raw = getattr(option_value, "value", option_value)
            choices.append(
                {
                    "value": "" if raw is None else str(raw),
                    "text": str(option_label),
                    "selected": str(raw) in selected_str,
                    "checked": str(raw) in selected_str,
                }
            )
    attrs = {k: v for k, v in widget.attrs.items() if k not in ("class", "id")}
    if bf.field.required and kind not in ("checkbox", "checkboxes"):
        attrs.setdefault("aria-required", "true")
    return {
        "kind": kind,
        "id": bf.auto_id or f"id_{bf.html_name}",
        "name": bf.html_name,
        "label": str(bf.label),
        "hint": str(bf.help_text) if bf.help_text else "",
        "value": "" if value is None or kind == "password" else value,
        "checked": bool(value) if kind == "checkbox" else False,
        "error": " ".join(str(e) for e in bf.errors),
        "choices": choices,
        "input_type": input_type,
        "autocomplete": widget.attrs.get("autocomplete", ""),
        "classes": widget.attrs.get("class", ""),
        "attrs": attrs,
        "required": bf.field.required,
    }


def error_list(form: forms.BaseForm) -> list[dict[str, str]]:
    """Items for the NHS.UK error summary: each links to its field."""
    items: list[dict[str, str]] = [
        {"text": str(e), "href": "#main-form"} for e in form.non_field_errors()
    ]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        bf = form[name]
        anchor = f"#{bf.auto_id or 'id_' + bf.html_name}"
        items.extend({"text": str(e), "href": anchor} for e in errors)
    return items


class NhsFormMixin:
    """Strip text input and mark widgets with NHS.UK width classes where sensible."""

    width_classes: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, css in self.width_classes.items():
            self.fields[name].widget.attrs["class"] = css  # type: ignore[attr-defined]


class ConflictMixin(forms.Form):
    """Detects a concurrent edit: the form carries the version it was loaded at.

    Services compare ``loaded_version`` with the object's ``updated_at``; if someone else
    saved in between, the person sees both versions instead of silently losing one.
    """

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)


def add_service_error(form: forms.BaseForm, exc: ServiceError | ValidationError) -> None:
    """Put a service's refusal on the field it names (or the form) for the error summary.

    The one way every page shows a refused business rule: a :class:`ServiceError` (one field
    or several) or a model's ``ValidationError`` (a dict of fields or a list of messages).
    A field the form does not have becomes an error of the form as a whole, so no message
    is lost and ``add_error`` never raises for an unknown name.
    """
    if isinstance(exc, ServiceError):
        by_field: dict[str | None, list[str]] = exc.errors
    elif hasattr(exc, "error_dict"):
        by_field = dict(exc.message_dict.items())
    else:
        by_field = {None: exc.messages}
    for name, messages in by_field.items():
        form.add_error(name if name in form.fields else None, messages)


def show_conflict(form: forms.BaseForm, exc: Any, what: str) -> Any:
    """After an ``EditConflict``: keep the person's edits, say what happened, and arm the
    form (its ``loaded_version``) so that saving again overwrites on purpose.

    Returns the version someone else saved, for the conflict panel.
    """
    from qicollab.core.services import version_token

    form.add_error(
        None,
        f"Someone else saved changes to this {what} while you were editing. Their version is "
        "shown below; your changes are still in the form. Check both, then save again to "
        "keep yours.",
    )
    data = form.data.copy()  # type: ignore[attr-defined]
    data["loaded_version"] = version_token(exc.current)
    form.data = data
    return exc.current


# --- text that cannot be stored ------------------------------------------------------------

_char_to_python = forms.CharField.to_python


def _storable_to_python(self: forms.CharField, value: Any) -> Any:
    value = _char_to_python(self, value)
    if isinstance(value, str) and (problem := text_problem(value)):
        raise ValidationError(problem, code="unstorable_text")
    return value


def refuse_unstorable_text() -> None:
    """Make every text field of every form refuse NUL characters and lone surrogates.

    Called once from ``CoreConfig.ready``. Django's ``CharField`` refuses NUL alone, with
    a bare "Null characters are not allowed."; a lone surrogate (which a JSON body can
    carry into a form, as the API's forms are fed) then fails with a server error when
    saved. Checking in ``CharField.to_python`` covers every ``CharField`` and ``TextField``
    of every form (and their subclasses: email, URL, slug), including forms built before
    this ran, with one message (:func:`qicollab.core.text.text_problem`).
    """
    forms.CharField.to_python = _storable_to_python  # type: ignore[method-assign]
