"""Concurrent edits over the API: every PATCH or PUT of a versioned record names the version.

Each record the API changes carries a ``version`` (its last-saved time). A change must say
which version it was based on, in the body (``version``) or an ``If-Match`` header;
without one the API answers 428 rather than silently overwriting an edit made since. A
stale version is answered 409 by the endpoint (with the current record) or, failing that,
by the API's ``EditConflict`` handler.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError

from qicollab.core.services import version_token

MISSING = (
    "Send the `version` you read (in the body, or as an If-Match header) so that a change "
    "someone else saved since is not overwritten. Read the record again to get it."
)


def if_match(request: HttpRequest) -> str:
    """The version in an ``If-Match`` header, without quotes or a weak-tag prefix."""
    value = request.headers.get("If-Match", "").strip()
    if value.startswith("W/"):
        value = value[2:]
    return value.strip('"')


def required_version(request: HttpRequest, sent: str | None, record: Any) -> str:
    """The version the client based its change on; 428 if it sent none.

    ``sent`` is the body's ``version`` field (``None`` or ``""`` when left out); the
    ``If-Match`` header is used when the body has none. A record never saved (an aim not
    written yet) has no version to send, so none is required for it.
    """
    version = (sent or "").strip() or if_match(request)
    if not version and version_token(record):
        raise HttpError(428, MISSING)
    return version
