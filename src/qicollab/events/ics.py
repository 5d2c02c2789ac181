"""iCalendar (RFC 5545) written by hand: CRLF line ends, TEXT escaping, 75-octet folding.

Sessions are all-day events (DTEND is exclusive, so a two-day session ends the day after
its last day), which calendar apps show without time-zone surprises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from qicollab.events.models import LearningSession

CRLF = "\r\n"


def escape_text(value: str) -> str:
    r"""Escape a TEXT value (RFC 5545 §3.3.11).

    >>> escape_text("a,b;c\\d\ne")
    'a\\,b\\;c\\\\d\\ne'
    """
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never splitting a UTF-8 character (§3.1).

    >>> fold("X" * 80).split("\\r\\n")[1]
    ' XXXXX'
    """
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current = " "
            size = 1
            limit = 75
        current += ch
        size += n
    out.append(current)
    return CRLF.join(out)


def _stamp(d: dt.datetime) -> str:
    return d.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(sessions: Iterable[LearningSession], *, name: str, site_url: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//qicollab//Learning sessions//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    now = _stamp(timezone.now())
    for s in sessions:
        where = s.venue or ("Online" if s.online_link else "")
        desc = s.description
        if s.online_link:
            desc = (desc + "\n\n" if desc else "") + f"Join online: {s.online_link}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{s.uid}@qicollab",
            f"DTSTAMP:{now}",
            f"LAST-MODIFIED:{_stamp(s.updated_at)}",
            f"DTSTART;VALUE=DATE:{s.starts_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{s.ends_on + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(s.title)}",
            f"URL:{site_url.rstrip('/')}{s.get_absolute_url()}",
        ]
        if where:
            lines.append(f"LOCATION:{escape_text(where)}")
        if desc:
            lines.append(f"DESCRIPTION:{escape_text(desc)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF
