"""What each My work block shows: plain rows of text, link and tag, built from selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    """One line of a block: what, where it is acted on, and an optional tag and detail."""

    text: str
    url: str
    detail: str = ""
    tag: str = ""
    tag_class: str = ""


@dataclass
class ProjectRow:
    """One of my projects: my role, its main chart's state and what is due."""

    title: str
    url: str
    role: str
    organisation: str
    state: str
    state_tag: str
    state_url: str
    state_text: str
    due: list[Item] = field(default_factory=list)


def short_date(d: dt.date | None) -> str:
    """ "7 Dec 2026" (empty for no date).

    >>> short_date(dt.date(2026, 12, 7)), short_date(None)
    ('7 Dec 2026', '')
    """
    return f"{d.day} {d:%b %Y}" if d else ""


def plural(n: int, word: str, many: str = "") -> str:
    """ "1 project", "3 projects".

    >>> plural(1, "project"), plural(3, "project"), plural(2, "person", "people")
    ('1 project', '3 projects', '2 people')
    """
    return f"{n} {word if n == 1 else (many or word + 's')}"
