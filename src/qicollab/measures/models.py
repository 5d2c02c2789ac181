"""Measures of a project, their data, chart decisions and care-bundle audits.

A measure belongs to a project (its family of measures: outcome, process, balancing) and
carries its operational definition. Data points hold one value per period; chart events
record the team's decisions about the chart (a new phase, a frozen baseline, an excluded
point) so that they are part of the audit history, not silent settings.
"""

from __future__ import annotations

from typing import Any

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
    #: The collaborative's library definition this measure was created from, and its version
    #: then (so the page can say which version it follows and whether a newer one exists).
    library_measure = models.ForeignKey(
        "measures.LibraryMeasure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    library_version = models.PositiveIntegerField(null=True, blank=True)

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
        errors = definition_errors(self)
        if errors:
            raise ValidationError(errors)


def definition_errors(definition: Any) -> dict[str, str]:
    """The operational definition's inconsistencies, by field (shared by the measure library).

    ``definition`` is anything with the definition's attributes: a :class:`Measure` or a
    :class:`LibraryMeasure`.
    """
    errors: dict[str, str] = {}
    value_type = ValueType(definition.value_type)
    allowed = ALLOWED_CHARTS.get(value_type, ())
    if definition.chart_type and definition.chart_type not in allowed:
        names = ", ".join(ChartType(c).label.split(" (")[0] for c in allowed)
        errors["chart_type"] = (
            f"A {ChartType(definition.chart_type).label.split(' (')[0]} does not suit "
            f"'{value_type.label.split(':')[0].split(' (')[0]}' values. "
            f"Choose one of: {names}."
        )
    if value_type in RATIO_TYPES and not (definition.denominator_definition or "").strip():
        errors["denominator_definition"] = (
            "Say what the numerator is counted out of: this measure has a denominator."
        )
    if value_type != ValueType.RATE and definition.rate_multiplier != 1:
        errors["rate_multiplier"] = "Only rates are shown per a number of units; use 1."
    if definition.target is not None and definition.direction == Direction.NEUTRAL:
        errors["target"] = (
            "A target needs a direction of improvement: choose 'Higher is better' or "
            "'Lower is better', or remove the target."
        )
    if (
        value_type == ValueType.PERCENTAGE
        and definition.target is not None
        and not 0 <= definition.target <= 100
    ):
        errors["target"] = "A percentage target must be between 0 and 100."
    return errors


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


# --- The measure library ---------------------------------------------------------------

#: The fields of an operational definition, shared by a library measure, its versions and
#: the measures created from it (in the order the pages show them).
DEFINITION_FIELDS: tuple[str, ...] = (
    "name",
    "measure_type",
    "value_type",
    "numerator_definition",
    "denominator_definition",
    "inclusions",
    "exclusions",
    "data_source",
    "frequency",
    "unit",
    "rate_multiplier",
    "chart_type",
    "direction",
    "target",
)


class LibraryMeasure(TimeStampedModel):
    """A collaborative's shared operational definition of a measure (the measure library).

    The row holds the current version; every version, the first included, is also kept as a
    :class:`LibraryMeasureVersion` (editing makes a new one), so a project can say which
    version it follows.
    """

    collaborative = models.ForeignKey(
        "organisations.Collaborative", on_delete=models.CASCADE, related_name="library_measures"
    )
    name = models.CharField(
        max_length=200,
        help_text="Say what is counted: 'Number of…', 'Percentage of…' or 'Rate of…'.",
    )
    description = models.TextField(
        "Why this measure", blank=True, help_text="What it tells a team and when to use it."
    )
    measure_type = models.CharField(
        "Type of measure", max_length=10, choices=MeasureType.choices, default=MeasureType.OUTCOME
    )
    value_type = models.CharField(
        "What each value is", max_length=14, choices=ValueType.choices, default=ValueType.COUNT
    )
    numerator_definition = models.TextField("Numerator", blank=True)
    denominator_definition = models.TextField(
        "Denominator",
        blank=True,
        help_text="What it is counted out of. Leave empty for a count or a measurement.",
    )
    inclusions = models.TextField("Who or what is included", blank=True)
    exclusions = models.TextField("Who or what is excluded", blank=True)
    data_source = models.CharField("Where the data comes from", max_length=300, blank=True)
    frequency = models.CharField(
        "How often the data is collected",
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.MONTHLY,
    )
    unit = models.CharField(max_length=60, blank=True)
    rate_multiplier = models.PositiveIntegerField("Rate per", default=1)
    chart_type = models.CharField(
        "Chart", max_length=4, choices=ChartType.choices, default=ChartType.C
    )
    direction = models.CharField(
        "Improvement is", max_length=8, choices=Direction.choices, default=Direction.INCREASE
    )
    target = models.FloatField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("collaborative", "name")
        constraints = [
            models.UniqueConstraint(
                "collaborative",
                Lower("name"),
                name="librarymeasure_unique_name",
                violation_error_message="The library already has a measure with this name.",
            ),
            models.CheckConstraint(
                condition=Q(rate_multiplier__gte=1), name="librarymeasure_rate_multiplier_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measure_library:library_detail", args=[self.collaborative.slug, self.pk])

    @property
    def uses_denominator(self) -> bool:
        return self.value_type in RATIO_TYPES

    def definition(self) -> dict[str, Any]:
        """The operational definition as plain values (what a version stores)."""
        return {name: getattr(self, name) for name in DEFINITION_FIELDS}

    def clean(self) -> None:
        errors = definition_errors(self)
        if errors:
            raise ValidationError(errors)


class LibraryMeasureVersion(models.Model):
    """One version of a library definition, kept for ever (what projects say they follow)."""

    library_measure = models.ForeignKey(
        LibraryMeasure, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    change_note = models.TextField("What changed and why", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("library_measure", "-number")
        constraints = [
            models.UniqueConstraint(
                fields=["library_measure", "number"], name="librarymeasureversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.library_measure_id} v{self.number}"
