"""Measures of a project, their data, chart decisions and care-bundle audits.

A measure belongs to a project (its family of measures: outcome, process, balancing) and
carries its operational definition. Data points hold one value per period; chart events
record the team's decisions about the chart (a new phase, a frozen baseline, an excluded
point) so that they are part of the audit history, not silent settings.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel
from qicollab.measures.periods import WEEKDAYS


class MeasureType(models.TextChoices):
    OUTCOME = "outcome", "Outcome"
    PROCESS = "process", "Process"
    BALANCING = "balancing", "Balancing"


class ValueType(models.TextChoices):
    COUNT = "count", "Count of events (for example incidents a month)"
    PERCENTAGE = "percentage", "Percentage: a numerator out of a denominator"
    RATE = "rate", "Rate: events per unit of exposure (for example per 1,000 bed days)"
    MEASUREMENT = "measurement", "Measurement or average (for example minutes, days, a score)"
    DAYS_BETWEEN = "days_between", "Days between rare events"
    CASES_BETWEEN = "cases_between", "Cases (patients, procedures) between rare events"


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class ChartType(models.TextChoices):
    """Chart types of the SPC engine that fit one value per period.

    X-bar and S charts need every individual measurement in each subgroup, which a data
    point (one value per period) does not hold, so they are not offered here.
    """

    RUN = "run", "Run chart (median and runs rules)"
    I = "i", "I chart (XmR, individual values)"  # noqa: E741 - the chart's name
    P = "p", "P chart (proportions)"
    PP = "pp", "P' chart (Laney, very large denominators)"
    U = "u", "U chart (rates)"
    UP = "up", "U' chart (Laney, very large denominators)"
    C = "c", "C chart (counts)"
    G = "g", "G chart (cases or days between rare events)"
    T = "t", "T chart (time between events)"


class Direction(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"
    NEUTRAL = "neutral", "Neither (monitor only)"


#: The chart a value type gets unless the team chooses another.
DEFAULT_CHART = {
    ValueType.COUNT: ChartType.C,
    ValueType.PERCENTAGE: ChartType.P,
    ValueType.RATE: ChartType.U,
    ValueType.MEASUREMENT: ChartType.I,
    ValueType.DAYS_BETWEEN: ChartType.G,
    ValueType.CASES_BETWEEN: ChartType.G,
}
#: Charts that suit each value type (the first is the default).
ALLOWED_CHARTS = {
    ValueType.COUNT: (ChartType.C, ChartType.I, ChartType.RUN),
    ValueType.PERCENTAGE: (ChartType.P, ChartType.PP, ChartType.I, ChartType.RUN),
    ValueType.RATE: (ChartType.U, ChartType.UP, ChartType.I, ChartType.RUN),
    ValueType.MEASUREMENT: (ChartType.I, ChartType.RUN),
    ValueType.DAYS_BETWEEN: (ChartType.G, ChartType.T, ChartType.I, ChartType.RUN),
    ValueType.CASES_BETWEEN: (ChartType.G, ChartType.I, ChartType.RUN),
}
RATIO_TYPES = frozenset({ValueType.PERCENTAGE, ValueType.RATE})
WEEKDAY_CHOICES = [(i, name) for i, name in enumerate(WEEKDAYS)]


class Measure(TimeStampedModel):
    """One measure of a project's family, with its operational definition."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="measures"
    )
    name = models.CharField(
        max_length=200,
        help_text="Say what is counted: 'Number of…', 'Percentage of…' or 'Rate of…'.",
    )
    measure_type = models.CharField(
        "Type of measure", max_length=10, choices=MeasureType.choices, default=MeasureType.PROCESS
    )
    is_main_outcome = models.BooleanField(
        "This is the project's main outcome measure",
        default=False,
        help_text="The measure the aim is judged by. A project has at most one.",
    )
    value_type = models.CharField(
        "What each value is", max_length=14, choices=ValueType.choices, default=ValueType.COUNT
    )
    numerator_definition = models.TextField(
        "Numerator", blank=True, help_text="What is counted, for example 'patients with…'."
    )
    denominator_definition = models.TextField(
        "Denominator",
        blank=True,
        help_text="What it is counted out of. Leave empty for a count or a measurement.",
    )
    inclusions = models.TextField("Who or what is included", blank=True)
    exclusions = models.TextField("Who or what is excluded", blank=True)
    data_source = models.CharField(
        "Where the data comes from",
        max_length=300,
        blank=True,
        help_text="For example: 'Datix incident reports', 'weekly notes audit of 10 patients'.",
    )
    frequency = models.CharField(
        "How often the data is collected",
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.MONTHLY,
    )
    week_start = models.PositiveSmallIntegerField(
        "Weeks start on",
        choices=WEEKDAY_CHOICES,
        default=0,
        help_text="For weekly measures: each week's value is recorded against this day.",
    )
    unit = models.CharField(
        max_length=60, blank=True, help_text="For example '%', 'minutes', 'incidents'."
    )
    rate_multiplier = models.PositiveIntegerField(
        "Rate per",
        default=1,
        help_text="For rates: show events per this many units, for example 1000 for "
        "'per 1,000 occupied bed days'.",
    )
    chart_type = models.CharField(
        "Chart", max_length=4, choices=ChartType.choices, default=ChartType.C
    )
    direction = models.CharField(
        "Improvement is", max_length=8, choices=Direction.choices, default=Direction.INCREASE
    )
    target = models.FloatField(
        null=True, blank=True, help_text="In the units the chart shows, for example 95 for 95%."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_measures",
        help_text="Who collects the data or answers for it.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("project", "order", "id")
        constraints = [
            models.UniqueConstraint(
                "project",
                Lower("name"),
                name="measure_unique_name_in_project",
                violation_error_message="This project already has a measure with this name.",
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(is_main_outcome=True),
                name="measure_one_main_outcome",
                violation_error_message="The project already has a main outcome measure.",
            ),
            models.CheckConstraint(
                condition=Q(week_start__lte=6), name="measure_week_start_is_a_weekday"
            ),
            models.CheckConstraint(
                condition=Q(rate_multiplier__gte=1), name="measure_rate_multiplier_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measures:measure_detail", args=[self.project.slug, self.pk])

    @property
    def uses_denominator(self) -> bool:
        return self.value_type in RATIO_TYPES

    @property
    def is_proportion(self) -> bool:
        return self.value_type == ValueType.PERCENTAGE

    @property
    def whole_numbers(self) -> bool:
        """Counts and ratios of counts are whole numbers (rate denominators need not be)."""
        return self.value_type in (ValueType.COUNT, ValueType.PERCENTAGE, ValueType.CASES_BETWEEN)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        allowed = ALLOWED_CHARTS.get(ValueType(self.value_type), ())
        if self.chart_type and self.chart_type not in allowed:
            names = ", ".join(ChartType(c).label.split(" (")[0] for c in allowed)
            errors["chart_type"] = (
                f"A {ChartType(self.chart_type).label.split(' (')[0]} does not suit "
                f"'{ValueType(self.value_type).label.split(':')[0].split(' (')[0]}' values. "
                f"Choose one of: {names}."
            )
        if self.uses_denominator and not (self.denominator_definition or "").strip():
            errors["denominator_definition"] = (
                "Say what the numerator is counted out of: this measure has a denominator."
            )
        if self.value_type != ValueType.RATE and self.rate_multiplier != 1:
            errors["rate_multiplier"] = "Only rates are shown per a number of units; use 1."
        if self.target is not None and self.direction == Direction.NEUTRAL:
            errors["target"] = (
                "A target needs a direction of improvement: choose 'Higher is better' or "
                "'Lower is better', or remove the target."
            )
        if self.is_proportion and self.target is not None and not 0 <= self.target <= 100:
            errors["target"] = "A percentage target must be between 0 and 100."
        if errors:
            raise ValidationError(errors)


class DataPoint(TimeStampedModel):
    """The value of a measure for one period (identified by the period's first day).

    Either ``value`` (counts, measurements, days between) or ``numerator`` and
    ``denominator`` (percentages and rates). A point with neither is a period with no data
    and a note, for example "ward closed for refurbishment".
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="points")
    period = models.DateField()
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("measure", "period")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period"],
                name="datapoint_one_per_period",
                violation_error_message="This measure already has a value for this period.",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="datapoint_numerator_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gte=0),
                name="datapoint_denominator_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(numerator__isnull=False, denominator__isnull=False),
                name="datapoint_numerator_with_denominator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.period.isoformat()}"


class EventKind(models.TextChoices):
    REBASE = "rebase", "New phase (recalculate the limits)"
    FREEZE = "freeze", "Freeze the baseline"
    EXCLUDE = "exclude", "Exclude a point"


class ChartEvent(TimeStampedModel):
    """A decision about how a measure's chart is calculated, kept in the audit history.

    * ``rebase``: a new phase with its own centre line and limits starts on ``on``
      (a change was adopted and the process has shifted);
    * ``freeze``: each phase's limits come from its first ``points`` points;
    * ``exclude``: the point for period ``on`` is shown but left out of the calculations.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="chart_events")
    kind = models.CharField(max_length=8, choices=EventKind.choices)
    on = models.DateField("Date", null=True, blank=True)
    points = models.PositiveSmallIntegerField("Number of baseline points", null=True, blank=True)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("measure", "kind", "on")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "kind", "on"],
                condition=Q(on__isnull=False),
                name="chartevent_unique_date",
                violation_error_message="There is already one on this date.",
            ),
            models.UniqueConstraint(
                fields=["measure"],
                condition=Q(kind="freeze"),
                name="chartevent_one_freeze",
                violation_error_message="The baseline is already frozen; change that instead.",
            ),
            models.CheckConstraint(
                condition=Q(kind="freeze", points__gte=2)
                | (~Q(kind="freeze") & Q(on__isnull=False)),
                name="chartevent_has_date_or_points",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == EventKind.FREEZE:
            return f"Baseline frozen at {self.points} points"
        return f"{self.get_kind_display()}: {self.on}"

    def clean(self) -> None:
        if self.kind == EventKind.EXCLUDE and not (self.reason or "").strip():
            raise ValidationError({"reason": "Say why this point is left out of the calculations."})
        if self.kind == EventKind.FREEZE and (self.points or 0) < 2:
            raise ValidationError({"points": "A baseline needs at least 2 points."})
        if self.kind != EventKind.FREEZE and self.on is None:
            raise ValidationError({"on": "Enter the date."})


# --- Care bundles ------------------------------------------------------------------------


class Bundle(TimeStampedModel):
    """A care bundle: a small set of evidence-based steps that should all be done."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="bundles"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(
        "Who the bundle applies to",
        blank=True,
        help_text="For example: 'every patient prescribed clozapine on the ward'.",
    )
    frequency = models.CharField(
        "Audits are summarised",
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.MONTHLY,
    )
    week_start = models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("project", "name")
        constraints = [
            models.UniqueConstraint(
                "project",
                Lower("name"),
                name="bundle_unique_name_in_project",
                violation_error_message="This project already has a bundle with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measures:bundle_detail", args=[self.project.slug, self.pk])


class BundleElement(TimeStampedModel):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="elements")
    text = models.CharField("Element", max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ("bundle", "order", "id")

    def __str__(self) -> str:
        return self.text


class BundleAudit(TimeStampedModel):
    """One patient's or episode's audit against the bundle.

    ``reference`` is a pseudonymous reference (an audit number, a bed and date), never an
    NHS number or a name: the service refuses anything that passes the NHS number check.
    """

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="audits")
    period = models.DateField()
    audited_on = models.DateField()
    reference = models.CharField(
        "Audit reference",
        max_length=40,
        help_text="A pseudonymous reference such as 'W3-0412'. Never an NHS number or a name.",
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("bundle", "-period", "reference")
        constraints = [
            models.UniqueConstraint(
                fields=["bundle", "period", "reference"],
                name="bundleaudit_unique_reference",
                violation_error_message="This reference has already been audited in this period.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bundle}: {self.reference} ({self.period.isoformat()})"


class AuditResult(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    NA = "na", "Not applicable"


class BundleAuditResult(models.Model):
    audit = models.ForeignKey(BundleAudit, on_delete=models.CASCADE, related_name="results")
    element = models.ForeignKey(BundleElement, on_delete=models.CASCADE, related_name="results")
    result = models.CharField(max_length=8, choices=AuditResult.choices)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "element"], name="auditresult_one_per_element")
        ]

    def __str__(self) -> str:
        return f"{self.element}: {self.get_result_display()}"
