"""Base model pieces shared by every domain app."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    """Adds ``created_at`` and ``updated_at``; ``updated_at`` doubles as an edit-conflict token."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
