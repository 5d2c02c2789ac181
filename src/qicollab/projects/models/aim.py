"""The aim: what the team is trying to accomplish, in SMART form."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel
from qicollab.projects.models.project import Project


class Direction(models.TextChoices):
    INCREASE = "increase", "Increase"
    REDUCE = "reduce", "Reduce"


class Aim(TimeStampedModel):
    """One aim per project; every part is optional so a team can draft it over time.

    ``smart_check`` (in ``projects.smart``) names what is still missing.
    """

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="aim")
    statement = models.TextField(
        "Your aim in your own words",
        blank=True,
        help_text="Optional. If you leave it blank, the sentence is written from the parts above.",
    )
    direction = models.CharField(
        "Do you want to increase or reduce it?", max_length=8, choices=Direction.choices, blank=True
    )
    measure_text = models.CharField(
        "What will you measure?",
        max_length=200,
        blank=True,
        help_text="For example: 'restrictive practice incidents per 1,000 occupied bed days'.",
    )
    population = models.CharField(
        "For whom?", max_length=200, blank=True, help_text="For example: 'adult inpatients'."
    )
    setting = models.CharField(
        "Where?", max_length=200, blank=True, help_text="For example: 'Willow and Ash wards'."
    )
    baseline_value = models.DecimalField(
        "Baseline (where you are now)", max_digits=14, decimal_places=3, null=True, blank=True
    )
    target_value = models.DecimalField(
        "Target (how much)", max_digits=14, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(
        "Unit", max_length=60, blank=True, help_text="For example: %, days, per 1,000 bed days."
    )
    target_date = models.DateField("By when?", null=True, blank=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Aim of {self.project}"
