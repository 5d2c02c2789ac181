"""The 3 L's capability framework: subject areas, self-assessments and their items.

The level belongs to the subject, not the person: someone can be at *Learn* in measurement
and *Lead* in culture. Every assessment is a dated, complete set of levels, kept for ever
so growth between learning sessions is visible.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel
from qicollab.organisations.models import Collaborative, Organisation


class Level(models.IntegerChoices):
    """Ordered, so 'movement up a level' is a comparison."""

    LEARN = 1, "Learn"
    LIVE = 2, "Live"
    LEAD = 3, "Lead"


LEVEL_SUBTITLES = {
    Level.LEARN: "Thinking and learning",
    Level.LIVE: "Doing and completing",
    Level.LEAD: "Leading improvement",
}


class SubjectArea(TimeStampedModel):
    """A subject of the framework, configured per collaborative, with a descriptor per level."""

    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="subject_areas"
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    learn_descriptor = models.TextField("What Learn looks like")
    live_descriptor = models.TextField("What Live looks like")
    lead_descriptor = models.TextField("What Lead looks like")
    is_active = models.BooleanField(
        default=True, help_text="Retired subjects stay in past assessments but are not asked."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("collaborative", "order", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative", "slug"], name="subject_area_unique_slug"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def descriptor(self, level: int) -> str:
        return {
            Level.LEARN: self.learn_descriptor,
            Level.LIVE: self.live_descriptor,
            Level.LEAD: self.lead_descriptor,
        }[Level(level)]


class SelfAssessment(TimeStampedModel):
    """One person's dated set of levels, one per active subject area of the collaborative."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_assessments"
    )
    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="self_assessments"
    )
    # The member organisation the person assessed as; aggregates and the programme
    # manager's view follow it even if the person later moves trust.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_on = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("-assessed_on", "-created_at")
        indexes = [models.Index(fields=["collaborative", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.person} on {self.assessed_on:%d %b %Y}"


class AssessmentItem(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="items")
    subject = models.ForeignKey(SubjectArea, on_delete=models.PROTECT, related_name="items")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ("subject__order", "subject__name")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "subject"], name="assessment_item_once"),
            models.CheckConstraint(condition=Q(level__in=[1, 2, 3]), name="assessment_item_level"),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.get_level_display()}"


class CapabilityGoal(TimeStampedModel):
    """The collaborative's goal, e.g. "+30% members who Learn, Live or Lead QI by March 2019".

    ``rule`` and ``min_level`` are the agreed definition of how a member counts (see
    :mod:`qicollab.capability.metrics`).
    """

    class Rule(models.TextChoices):
        AT_LEVEL = "at_level", "At a level or above in any subject"
        MOVED_UP = "moved_up", "Moved up a level in any subject"

    collaborative = models.OneToOneField(
        Collaborative, on_delete=models.CASCADE, related_name="capability_goal"
    )
    rule = models.CharField(max_length=10, choices=Rule.choices, default=Rule.AT_LEVEL)
    min_level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.LEARN)
    baseline_on = models.DateField()
    target_on = models.DateField()
    target_percent = models.DecimalField(max_digits=5, decimal_places=1, default=30)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"+{self.target_percent}% by {self.target_on:%B %Y}"
