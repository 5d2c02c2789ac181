"""Read a rendered HTML form back into POST data, as a browser would submit it unchanged."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.forms: list[dict[str, Any]] = []
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option_value: str | None = None
        self._option_text = ""
        self._option_selected = False
        self._textarea: str | None = None
        self._textarea_text = ""

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "form" and not self.in_form:
            if attrs.get("method", "get").lower() == "post":
                self.in_form = True
                self.data = {}
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.data.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, ""
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self.data.setdefault(name, [])
        elif tag == "option" and self._select:
            self._option_value = attrs.get("value")
            self._option_text = ""
            self._option_selected = "selected" in attrs

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea_text += data
        elif self._option_value is not None or self._select:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.in_form:
            self.in_form = False
            self.forms.append({k: v if len(v) != 1 else v[0] for k, v in self.data.items()})
        elif tag == "textarea" and self._textarea is not None:
            text = (
                self._textarea_text[1:]
                if self._textarea_text.startswith("\n")
                else self._textarea_text
            )
            self.data.setdefault(self._textarea, []).append(text)
            self._textarea = None
        elif tag == "option" and self._select:
            value = (
                self._option_value if self._option_value is not None else self._option_text.strip()
            )
            if self._select_first is None:
                self._select_first = value
            if self._option_selected:
                self.data[self._select].append(value)
                self._select_chosen = True
            self._option_value = None
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.data[self._select].append(self._select_first)
            self._select = None


def _forms(html: str) -> list[dict[str, Any]]:
    reader = _FormReader()
    reader.feed(html)
    return reader.forms


def form_data(html: str, *, field: str) -> dict[str, Any]:
    """The fields of the page's POST form that has a field called ``field``."""
    for data in _forms(html):
        if field in data:
            return data
    raise AssertionError(f"no POST form with a field {field!r} on the page")
