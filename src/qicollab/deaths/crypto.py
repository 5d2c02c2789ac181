"""Encryption at rest for the few identifying values a case may hold.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from the ``cryptography``
package). The key comes from ``FIELD_ENCRYPTION_KEY``: one or more comma-separated Fernet
keys, the first used to encrypt and all tried to decrypt, so a key can be rotated by putting
the new one first. Generate one with::

    python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"

Without it (development, tests) a key is derived from ``SECRET_KEY`` with HKDF-SHA256, so a
fresh checkout works; production should set its own key so that rotating ``SECRET_KEY``
does not make stored values unreadable.

A separate keyed digest (HMAC-SHA256 with a second derived key) lets the service notice a
duplicate NHS number without decrypting every row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

_PREFIX = "fernet:"


class DecryptionError(Exception):
    """A stored value could not be decrypted: the key it was written with is not configured."""


def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"qicollab.deaths", info=info).derive(
        secret.encode()
    )


def _configured_keys(configured: str) -> list[str]:
    return [k.strip() for k in configured.split(",") if k.strip()]


@lru_cache(maxsize=4)
def _fernets(configured: str, secret_key: str) -> tuple[Fernet, ...]:
    keys = _configured_keys(configured)
    if not keys:
        keys = [base64.urlsafe_b64encode(_derive(secret_key, b"field-encryption")).decode()]
    try:
        return tuple(Fernet(k.encode()) for k in keys)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be one or more comma-separated Fernet keys "
            "(32 url-safe base64-encoded bytes each)."
        ) from exc


@lru_cache(maxsize=4)
def _fernet(configured: str, secret_key: str) -> MultiFernet:
    return MultiFernet(list(_fernets(configured, secret_key)))


def _setting() -> str:
    return getattr(settings, "FIELD_ENCRYPTION_KEY", "") or ""


def fernet() -> MultiFernet:
    return _fernet(_setting(), settings.SECRET_KEY)


def rotate(stored: str) -> str | None:
    """``stored`` re-encrypted with the newest key, or None if it already uses that key.

    Raises :class:`DecryptionError` when no configured key opens it.
    """
    if not stored:
        return None
    if not stored.startswith(_PREFIX):
        raise DecryptionError("Stored value is not in the encrypted format.")
    token = stored[len(_PREFIX) :].encode()
    newest = _fernets(_setting(), settings.SECRET_KEY)[0]
    try:
        newest.decrypt(token)
        return None  # already under the newest key: rotating again changes nothing
    except InvalidToken:
        pass
    try:
        return _PREFIX + fernet().rotate(token).decode()
    except InvalidToken as exc:
        raise DecryptionError(
            "A stored value could not be decrypted with any key in FIELD_ENCRYPTION_KEY."
        ) from exc


def encrypt(value: str) -> str:
    """Encrypt ``value`` (empty stays empty, so "not recorded" needs no key)."""
    if not value:
        return ""
    return _PREFIX + fernet().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(_PREFIX):
        raise DecryptionError("Stored value is not in the encrypted format.")
    try:
        return fernet().decrypt(stored[len(_PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError(
            "A stored value could not be decrypted with the configured FIELD_ENCRYPTION_KEY."
        ) from exc


def digest(value: str) -> str:
    """A keyed, non-reversible fingerprint of ``value`` for equality checks."""
    if not value:
        return ""
    # Only the newest key counts, so adding a key ("new,old") does not change digests by
    # itself; ``qicollab rotate_field_key`` recomputes them under the new key. With one key
    # (or none) this is the same input as before key rotation existed.
    keys = _configured_keys(_setting())
    key = _derive(settings.SECRET_KEY + "|" + (keys[0] if keys else ""), b"digest")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column whose value is encrypted before it reaches the database.

    Python code sees plain text; the column (and any copy of it in the audit history) holds
    only ciphertext. It cannot be searched or ordered by.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        return decrypt(value) if value else ""

    def to_python(self, value: Any) -> str:
        if value is None:
            return ""
        value = str(value)
        return decrypt(value) if value.startswith(_PREFIX) else value

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        if not value:
            return ""
        return value if str(value).startswith(_PREFIX) else encrypt(str(value))
