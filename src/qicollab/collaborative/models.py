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


class PrincipleEvidence(TimeStampedModel):
    """A project's claim that its work evidences one principle of a cross-cutting theme."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="principle_evidence"
    )
    principle = models.ForeignKey(ThemePrinciple, on_delete=models.CASCADE, related_name="evidence")
    note = models.TextField("How the project evidences it", blank=True, max_length=2000)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ("principle", "project")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "principle"], name="principle_evidence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} evidences {self.principle}"


class Period(models.TextChoices):
    MONTH = "month", "Monthly"
    QUARTER = "quarter", "Quarterly"
    YEAR = "year", "Yearly (financial year, April to March)"


class GoalDirection(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"


class ProgrammeGoal(TimeStampedModel):
    """A collaborative's goal, measured by a metric the platform computes from its own data.

    ``metric_key`` names a function in :mod:`qicollab.insights.metrics`; its parameters
    (e.g. which capability level counts) are in ``metric_params``.
    """

    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="programme_goals"
    )
    workstream = models.ForeignKey(
        Workstream, null=True, blank=True, on_delete=models.SET_NULL, related_name="goals"
    )
    slug = models.SlugField(max_length=80)
    statement = models.CharField(max_length=300)
    metric_key = models.CharField(max_length=60)
    metric_params = models.JSONField(default=dict, blank=True)
    period = models.CharField(max_length=8, choices=Period.choices, default=Period.QUARTER)
    baseline_date = models.DateField()
    target_value = models.DecimalField(max_digits=10, decimal_places=2)
    deadline = models.DateField()
    unit = models.CharField(max_length=30, blank=True, help_text="e.g. % or members.")
    direction = models.CharField(
        max_length=8, choices=GoalDirection.choices, default=GoalDirection.INCREASE
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ("collaborative", "order", "statement")
        constraints = [
            models.UniqueConstraint(fields=["collaborative", "slug"], name="goal_unique_slug")
        ]

    def __str__(self) -> str:
        return self.statement
