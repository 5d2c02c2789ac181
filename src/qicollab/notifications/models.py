"""Notifications: one row per person told something, and each person's email preferences.

A notification is the recipient's alone: every read goes through ``selectors`` filtered by
the recipient, so another person's notification is a 404. Notifications carry no
simple-history: they are written in bulk, never edited (only marked read), and the thing
they point at keeps its own history.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel
from qicollab.notifications.kinds import Frequency


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    #: Where the notification leads (a path on this site); the target's own URL by default.
    url = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    #: Makes notify() idempotent: one notification per recipient, kind and key.
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    #: How the recipient wanted to hear of it by email, fixed when it was made (a later
    #: change of preference updates the ones not yet sent).
    email = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.OFF)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [
            # The header's unread count and the list page.
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created"),
            # The digest jobs: what is still to be emailed.
            models.Index(
                fields=["email", "recipient"],
                name="notif_digest_pending",
                condition=Q(emailed_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notif_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.text}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(TimeStampedModel):
    """How one person wants to hear of one kind by email (absent: the kind's default)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=40)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ("person", "kind")
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="notif_pref_unique")]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind} {self.frequency}"
