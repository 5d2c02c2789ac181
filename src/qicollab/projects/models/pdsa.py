"""PDSA cycles: small tests of change, in ramps of increasing scale."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel
from qicollab.projects.models.drivers import ChangeIdea
from qicollab.projects.models.project import Project


class PdsaStatus(models.TextChoices):
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    STUDY = "study", "Study"
    ACT = "act", "Act"
    COMPLETE = "complete", "Complete"


class Purpose(models.TextChoices):
    COLLECT = "collect", "Collect information"
    DEVELOP = "develop", "Develop a change"
    TEST = "test", "Test a change"
    IMPLEMENT = "implement", "Implement a change"


class ActDecision(models.TextChoices):
    ADOPT = "adopt", "Adopt"
    ADAPT = "adapt", "Adapt"
    ABANDON = "abandon", "Abandon"


class PdsaCycle(TimeStampedModel):
    """One Plan-Do-Study-Act cycle, testing one or more change ideas.

    ``study_measure_ids`` is the hook for the measures app: a list of ids of the project's
    measure definitions this cycle's Study looked at. The measures app owns its meaning and
    validation (and may replace it with a many-to-many relation in its own migration).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="pdsa_cycles")
    change_ideas = models.ManyToManyField(ChangeIdea, related_name="pdsa_cycles")
    title = models.CharField(max_length=200)
    cycle_number = models.PositiveSmallIntegerField(
        "Cycle number",
        blank=True,  # left blank on a form, the service numbers it next in the ramp
        help_text="Its place in the ramp of tests of this change idea: 1, 2, 3…",
    )
    scale = models.CharField(
        "Scale of this test",
        max_length=150,
        blank=True,
        help_text="For example: '1 patient, 1 shift', then '1 ward for a week'.",
    )
    purpose = models.CharField(
        "This cycle will", max_length=10, choices=Purpose.choices, default=Purpose.TEST
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=PdsaStatus.choices, default=PdsaStatus.PLAN)
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    # Plan
    objective = models.TextField("Objective of this cycle", blank=True)
    questions = models.TextField("Questions we want to answer", blank=True)
    predictions = models.TextField("What we predict will happen", blank=True)
    plan_who = models.CharField("Who", max_length=300, blank=True)
    plan_what = models.TextField("What", blank=True)
    plan_where = models.CharField("Where", max_length=300, blank=True)
    plan_when = models.CharField("When", max_length=300, blank=True)
    data_to_collect = models.TextField("Data to collect", blank=True)
    # Do
    what_happened = models.TextField("What happened", blank=True)
    carried_out_as_planned = models.BooleanField("Carried out as planned?", null=True, blank=True)
    problems = models.TextField("Problems", blank=True)
    observations = models.TextField("Unexpected observations", blank=True)
    # Study
    results = models.TextField("Results compared with predictions", blank=True)
    prediction_confirmed = models.BooleanField("Were the predictions right?", null=True, blank=True)
    learning = models.TextField("What we learned", blank=True)
    study_measure_ids = models.JSONField(default=list, blank=True)
    # Act
    act_decision = models.CharField(
        "Decision", max_length=8, choices=ActDecision.choices, blank=True
    )
    next_steps = models.TextField("What the next cycle will test", blank=True)

    history = HistoricalRecords(m2m_fields=[change_ideas])

    class Meta:
        ordering = ("project", "cycle_number", "planned_start", "id")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PdsaStatus.COMPLETE) | ~Q(act_decision=""),
                name="pdsa_complete_needs_decision",
                violation_error_message=(
                    "A complete cycle needs a decision: adopt, adapt or abandon."
                ),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="pdsa_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="pdsa_actual_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(cycle_number__gte=1), name="pdsa_cycle_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Cycle {self.cycle_number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:pdsa_detail", args=[self.project.slug, self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.status == PdsaStatus.COMPLETE and not self.act_decision:
            errors["act_decision"] = (
                "Choose adopt, adapt or abandon before marking the cycle complete."
            )
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            a, b = getattr(self, start), getattr(self, end)
            if a and b and b < a:
                errors[end] = "The end date must be the same as or after the start date."
        if not isinstance(self.study_measure_ids, list) or not all(
            isinstance(i, int) for i in self.study_measure_ids
        ):
            errors["study_measure_ids"] = "Measure ids must be a list of whole numbers."
        if errors:
            raise ValidationError(errors)
