"""Keeps an uploaded file between the import preview and its confirmation.

The preview shows exactly what will change; the confirmation re-reads the same file and
checks that the plan is still the same (see ``services.points_import``). The file is kept
in the media storage under an unguessable name tied to the person and the measure, and is
removed when the import is confirmed, or after a day.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time

from django.conf import settings

MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _dir() -> str:
    path = os.path.join(settings.MEDIA_ROOT, "measure-imports")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def _path(token: str, person_id: int, measure_id: int) -> str:
    return os.path.join(_dir(), f"{person_id}-{measure_id}-{token}")


def _tidy() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for entry in os.scandir(_dir()):
        try:
            if entry.stat().st_mtime < cutoff:
                os.remove(entry.path)
        except OSError:
            continue


def keep(*, person_id: int, measure_id: int, filename: str, data: bytes) -> str:
    """Store the upload; returns the token that the confirmation form carries."""
    _tidy()
    token = secrets.token_urlsafe(24)
    ext = os.path.splitext(filename)[1].lower()[:6]
    with open(_path(token, person_id, measure_id), "wb") as fh:
        fh.write(ext.encode() + b"\n" + data)
    return token


def load(*, token: str, person_id: int, measure_id: int) -> tuple[str, bytes] | None:
    """(filename extension, bytes) of a kept upload, or None if unknown or expired."""
    if not _TOKEN.match(token or ""):
        return None
    path = _path(token, person_id, measure_id)
    try:
        if os.stat(path).st_mtime < time.time() - MAX_AGE_SECONDS:
            return None
        with open(path, "rb") as fh:
            ext, _, data = fh.read().partition(b"\n")
    except OSError:
        return None
    return "upload" + ext.decode(), data


def discard(*, token: str, person_id: int, measure_id: int) -> None:
    if _TOKEN.match(token or ""):
        with contextlib.suppress(OSError):
            os.remove(_path(token, person_id, measure_id))
