"""NUL characters and lone surrogates are refused, with a message, by every form's text fields."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django import forms

import qicollab
from qicollab.core.text import text_problem

BAD = {"nul": "Ward\x00closed", "surrogate": "caf\udce9"}


def _all_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in qicollab (modules imported so that subclasses exist)."""
    for module in pkgutil.walk_packages(qicollab.__path__, "qicollab."):
        name = module.name
        if ".migrations" in name or name.endswith(("__main__", ".wsgi", ".asgi")):
            continue
        if name.startswith("qicollab.spc") or name.startswith("qicollab.config.settings"):
            continue
        importlib.import_module(name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type[Any]] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("qicollab."):
                found.append(sub)
    return found


def test_text_problem_names_the_character() -> None:
    assert text_problem("Ward closed") is None
    assert "null character (U+0000)" in (text_problem(BAD["nul"]) or "")
    assert "U+DCE9" in (text_problem(BAD["surrogate"]) or "")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(BAD))
def test_every_text_field_of_every_form_refuses_unstorable_text(kind: str) -> None:
    form_classes = _all_forms()
    assert len(form_classes) > 40  # the walk found the project's forms
    checked = 0
    accepted: list[str] = []
    for form_class in form_classes:
        for name, field in getattr(form_class, "base_fields", {}).items():
            if not isinstance(field, forms.CharField) or field.disabled:
                continue
            checked += 1
            try:
                field.clean(BAD[kind])
            except forms.ValidationError as exc:
                if not any("cannot be saved" in m for m in exc.messages):
                    accepted.append(f"{form_class.__qualname__}.{name}: {exc.messages}")
            else:
                accepted.append(f"{form_class.__qualname__}.{name}")
    assert checked > 100
    assert accepted == []
