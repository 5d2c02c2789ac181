"""The signed link in every notification email that changes one preference, signed out.

The token names a person and a kind and nothing else: whoever holds it may change how
that person hears of that one kind, which is all an email forwarded by mistake can give
away. It expires after :data:`MAX_AGE` so old mail stops working eventually.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "qicollab.notifications.preference"
MAX_AGE = 180 * 24 * 3600


@dataclass(frozen=True)
class PreferenceToken:
    person_id: int
    kind: str


def make_token(*, person_id: int, kind: str) -> str:
    """A URL-safe signed token for one person's one kind.

    >>> from django.conf import settings
    >>> t = make_token(person_id=7, kind="measures.signal")
    >>> read_token(t)
    PreferenceToken(person_id=7, kind='measures.signal')
    """
    return signing.dumps({"p": person_id, "k": kind}, salt=SALT, compress=True)


def read_token(token: str, *, max_age: int = MAX_AGE) -> PreferenceToken | None:
    """The token's person and kind, or ``None`` if it is forged, altered or too old."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    person_id, kind = data.get("p"), data.get("k")
    if not isinstance(person_id, int) or not isinstance(kind, str):
        return None
    return PreferenceToken(person_id, kind)
