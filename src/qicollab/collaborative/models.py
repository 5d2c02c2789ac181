"""Workstreams and cross-cutting themes of a collaborative."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel
from qicollab.organisations.models import Collaborative


class Workstream(TimeStampedModel):
    """A topic the collaborative improves, e.g. medication or learning from deaths."""

    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="workstreams"
    )
    name = models.CharField(max_length=150)
    subtitle = models.CharField(max_length=200, blank=True)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    goal_statement = models.TextField(
        blank=True, help_text="e.g. 100% of member organisations will share the learning."
    )
    order = models.PositiveSmallIntegerField(default=0)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_workstreams"
    )

    history = HistoricalRecords(m2m_fields=[leads])

    class Meta:
        ordering = ("collaborative", "order", "name")
        constraints = [
            models.UniqueConstraint(fields=["collaborative", "slug"], name="workstream_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Theme(TimeStampedModel):
    """A cross-cutting theme: 'the way things are done in the collaborative'."""

    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ("collaborative", "order", "name")
        constraints = [
            models.UniqueConstraint(fields=["collaborative", "slug"], name="theme_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class ThemePrinciple(TimeStampedModel):
    """A principle of a theme that projects can evidence.

    For example "Patients as partners in their care".
    """

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="principles")
    text = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ("theme", "order")

    def __str__(self) -> str:
        return self.text
