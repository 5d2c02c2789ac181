"""Comments on the things teams share: projects, measures (and a point on their chart), PDSA
cycles and storyboards.

A comment names its target by kind and id; who may read or write it is never stored here
but always derived from the target's own rules (``discussion.targets``), so a private
project's comments are as private as the project. ``project`` is a copy of the target's
project for the thread query and for cascading deletes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel

MAX_BODY = 5000


class TargetKind(models.TextChoices):
    PROJECT = "project", "Project"
    MEASURE = "measure", "Measure"
    PDSA = "pdsa", "PDSA cycle"
    STORYBOARD = "storyboard", "Storyboard"


class Comment(TimeStampedModel):
    target_kind = models.CharField(max_length=12, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField()
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(blank=True)
    # A point on the measure's chart the comment is about ("what happened here?").
    period = models.DateField("Point on the chart", null=True, blank=True)
    # A coaching note from the collaborative's faculty or leads, for the team's eyes only.
    team_only = models.BooleanField("Visible to the team only", default=False)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="comment_mentions"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("created_at", "pk")
        indexes = [models.Index(fields=["target_kind", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.target_kind} {self.target_id}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None
