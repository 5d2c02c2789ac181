"""The driver diagram: aim -> primary drivers -> secondary drivers -> change ideas.

Links are many-to-many at both steps: a secondary driver can feed several primary drivers
and a change idea several secondary drivers. Nothing here is required to be linked: an
unlinked change idea is allowed while a team thinks, and is flagged as an orphan.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel
from qicollab.projects.models.project import Project


class DiagramNode(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ("order", "id")

    def __str__(self) -> str:
        return self.text


class PrimaryDriver(DiagramNode):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="primary_drivers")

    history = HistoricalRecords()

    class Meta(DiagramNode.Meta):
        pass


class SecondaryDriver(DiagramNode):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="secondary_drivers")
    primaries = models.ManyToManyField(
        PrimaryDriver, blank=True, related_name="secondaries", verbose_name="Primary drivers"
    )

    history = HistoricalRecords(m2m_fields=[primaries])

    class Meta(DiagramNode.Meta):
        pass


class ChangeIdea(DiagramNode):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_ideas")
    description = models.TextField(blank=True)
    secondaries = models.ManyToManyField(
        SecondaryDriver, blank=True, related_name="change_ideas", verbose_name="Secondary drivers"
    )

    history = HistoricalRecords(m2m_fields=[secondaries])

    class Meta(DiagramNode.Meta):
        pass
