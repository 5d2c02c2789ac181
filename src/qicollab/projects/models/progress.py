"""Progress scores: the IHI Assessment Scale for Collaboratives, modelled as data.

The scale exists in several local wordings (Life QI, SQE/collaborative, a collaborative's
own). Each is a versioned :class:`ScaleDefinition` with its :class:`ScaleLevel` rows, and
every :class:`ProgressReport` stores the scale it was rated on, so a later change of
wording never rewrites what a team was told it scored.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel
from qicollab.projects.models.project import Project

DEFAULT_SCALE_CODE = "ihi-lifeqi"


class ScaleDefinition(TimeStampedModel):
    code = models.SlugField(max_length=40, help_text="e.g. ihi-lifeqi, ihi-collaborative.")
    version = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    step = models.DecimalField(max_digits=3, decimal_places=1, default=Decimal("0.5"))
    is_active = models.BooleanField(
        default=True, help_text="Inactive versions stay for the ratings made with them."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("code", "-version")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="scale_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class ScaleLevel(TimeStampedModel):
    scale = models.ForeignKey(ScaleDefinition, on_delete=models.CASCADE, related_name="levels")
    value = models.DecimalField(max_digits=3, decimal_places=1)
    label = models.CharField(max_length=150)
    definition = models.TextField()
    wording_confirmed = models.BooleanField(
        default=True,
        help_text="False where the wording is a common form not yet checked against the source.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("scale", "value")
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="scale_level_unique_value")
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


class CollaborativeScaleChoice(TimeStampedModel):
    """The scale a collaborative rates its projects on (Life QI wording when none is chosen)."""

    collaborative = models.OneToOneField(
        "organisations.Collaborative", on_delete=models.CASCADE, related_name="progress_scale"
    )
    scale = models.ForeignKey(ScaleDefinition, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.collaborative}: {self.scale}"


class RaterType(models.TextChoices):
    SELF = "self", "Team self-assessment"
    FACULTY = "faculty", "Faculty rating"


class ProgressReport(TimeStampedModel):
    """A month's progress score with a short report. One self and one faculty rating a month."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_reports")
    month = models.DateField(help_text="The first day of the month reported on.")
    scale = models.ForeignKey(ScaleDefinition, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=3, decimal_places=1)
    rater_type = models.CharField(max_length=8, choices=RaterType.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    progress = models.TextField("Progress this month", blank=True)
    barriers = models.TextField("Barriers", blank=True)
    help_needed = models.TextField("Help needed", blank=True)
    #: The score qicollab suggested from the project's evidence when the team first recorded
    #: this self-rating, and why; the team's own ``score`` confirms or overrides it.
    suggested_score = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    suggestion_reasons = models.JSONField(default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("project", "-month", "rater_type")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month", "rater_type"],
                name="progress_one_rating_per_month",
                violation_error_message="There is already a rating of this kind for this month.",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="progress_month_is_first_day"),
            models.CheckConstraint(
                condition=Q(score__gte=Decimal("0.5")) & Q(score__lte=Decimal("5.0")),
                name="progress_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.score} ({self.get_rater_type_display()}, {self.month:%B %Y})"

    @property
    def suggestion_followed(self) -> bool | None:
        """True: the team confirmed the suggestion; False: overrode it; None: none made."""
        if self.suggested_score is None:
            return None
        return Decimal(self.score) == Decimal(self.suggested_score)

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            self.month = self.month.replace(day=1)
        if self.scale_id is not None and self.score is not None:
            allowed = set(self.scale.levels.values_list("value", flat=True))
            if Decimal(self.score) not in allowed:
                shown = ", ".join(f"{v:.1f}" for v in sorted(allowed))
                raise ValidationError({"score": f"Choose one of the scale's scores: {shown}."})
