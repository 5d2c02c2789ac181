"""Re-encrypt every stored encrypted value with the newest ``FIELD_ENCRYPTION_KEY``.

Rotation procedure: put the new key first (``FIELD_ENCRYPTION_KEY=new,old``), deploy, run
``qicollab rotate_field_key``, then drop the old key. Values are found by field type
(:class:`~qicollab.deaths.crypto.EncryptedTextField`) across every installed model, so a new
encrypted field is rotated without changes here. A sibling ``<field>_digest`` column, when the
model has one, is recomputed too: the digest key follows the newest encryption key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from qicollab.deaths import crypto


@dataclass
class FieldCount:
    """What rotation did to one encrypted field."""

    label: str
    rotated: int = 0
    current: int = 0
    digests: int = 0
    failed: list[int] = field(default_factory=list)


def encrypted_fields() -> Iterator[tuple[type[models.Model], str, str | None]]:
    """Every (model, encrypted field name, digest field name or None) in the project."""
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        for f in model._meta.concrete_fields:
            if isinstance(f, crypto.EncryptedTextField):
                digest = f"{f.name}_digest"
                yield model, f.name, digest if digest in names else None


def rotate_field(
    model: type[models.Model],
    name: str,
    digest_name: str | None,
    *,
    batch_size: int = 500,
    progress: Callable[[FieldCount], None] | None = None,
) -> FieldCount:
    """Rotate one field, ``batch_size`` rows per transaction, locking each batch's rows."""
    count = FieldCount(label=f"{model._meta.label}.{name}")
    manager = model._default_manager
    pks = list(manager.exclude(**{name: ""}).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch_size):
        batch = pks[start : start + batch_size]
        with transaction.atomic():
            # Cast to plain text so the ORM hands back the ciphertext, not the decrypted value;
            # the row lock stops an edit made meanwhile from being overwritten by old data.
            rows = (
                manager.select_for_update()
                .filter(pk__in=batch)
                .annotate(_raw=Cast(name, models.TextField()))
                .values_list("pk", "_raw", *([digest_name] if digest_name else []))
            )
            for row in rows:
                pk, stored = row[0], row[1]
                try:
                    new = crypto.rotate(stored)
                    plain = crypto.decrypt(new or stored)
                except crypto.DecryptionError:
                    count.failed.append(pk)
                    continue
                changes: dict[str, str] = {}
                if new is None:
                    count.current += 1
                else:
                    changes[name] = new
                    count.rotated += 1
                if digest_name and row[2] != crypto.digest(plain):
                    changes[digest_name] = crypto.digest(plain)
                    count.digests += 1
                if changes:
                    manager.filter(pk=pk).update(**changes)
        if progress is not None:
            progress(count)
    return count


def rotate_all(
    *, batch_size: int = 500, progress: Callable[[FieldCount], None] | None = None
) -> list[FieldCount]:
    """Rotate every encrypted field in the project; returns the counts per field."""
    return [
        rotate_field(model, name, digest, batch_size=batch_size, progress=progress)
        for model, name, digest in encrypted_fields()
    ]
