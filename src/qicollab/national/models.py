"""Designations recorded for the national roll-up: safety champions and QI experts.

National patient safety programmes publish how many safety champions and QI experts each
collaborative recruited. Nothing else in the platform records that, so a designation is the
lightest correct fact: *this person was designated as this, at this organisation, for this
collaborative, on this date*. The roll-up counts designations by their date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel


class DesignationKind(models.TextChoices):
    SAFETY_CHAMPION = "safety_champion", "Patient safety champion"
    QI_EXPERT = "qi_expert", "QI expert"


class Designation(TimeStampedModel):
    """A person designated as a safety champion or QI expert within a member organisation."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="designations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="designations"
    )
    collaborative = models.ForeignKey(
        "organisations.Collaborative",
        on_delete=models.CASCADE,
        related_name="designations",
        help_text="The collaborative that recruited the person and counts them.",
    )
    kind = models.CharField("Designated as", max_length=20, choices=DesignationKind.choices)
    designated_on = models.DateField("Date designated")
    ended_on = models.DateField("Date stepped down", null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("-designated_on", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "collaborative", "kind"],
                name="designation_once_per_collaborative",
                violation_error_message=(
                    "This person is already designated as this in this collaborative."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("designated_on")),
                name="designation_ends_after_start",
                violation_error_message="The end date must be on or after the date designated.",
            ),
        ]
        indexes = [models.Index(fields=["collaborative", "designated_on"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}, {self.organisation}"
