"""Safety huddles and the harm data a ward counts (domain.md §8.2, §8.5).

A unit (``organisations.Unit``: a ward, team or service) holds a short huddle at the start of
a shift: what happened in the last 24 hours, which patients are at risk today (as counts per
harm category, or pseudonymous references such as bed numbers: never names), staffing,
equipment and environment concerns, good catches, and actions with owners. Open actions come
back at every huddle until someone closes them.

Harm events are recorded per unit and harm category; the days since the last event, the
safety cross, and the charts (days between events, events per 1,000 occupied bed days,
huddle compliance) are all computed from them, never typed twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel


def default_milestones() -> list[int]:
    """Harm-free days celebrated on the huddle page (bronze, silver, gold)."""
    return [10, 30, 100]


class HarmCategory(TimeStampedModel):
    """A kind of harm an organisation's units count (falls, pressure ulcers…).

    Each organisation gets the six defaults the first time its units use the huddle pages
    (``services.harm_categories_ensure``) and may rename, hide or add categories.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="harm_categories"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    # Harm-free days celebrated for this category, e.g. [10, 30, 100].
    milestones = models.JSONField(default=default_milestones)

    history = HistoricalRecords()

    class Meta:
        ordering = ("organisation", "order", "name")
        verbose_name_plural = "harm categories"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="harm_category_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Shift(models.TextChoices):
    EARLY = "early", "Early"
    DAY = "day", "Day"
    LATE = "late", "Late"
    NIGHT = "night", "Night"


#: Attendance is counted by role (numbers, not names).
ATTENDANCE_ROLES = (
    ("nurses", "Nurses"),
    ("healthcare_assistants", "Healthcare assistants"),
    ("doctors", "Doctors"),
    ("therapists", "Therapists"),
    ("pharmacists", "Pharmacists"),
    ("other", "Other staff"),
)

#: The huddle's free-text fields, shared with the whole unit team and its safety leads.
TEXT_FIELDS = (
    ("look_back", "Look back: the last 24 hours"),
    ("look_ahead", "Look ahead: risks in the next 24 hours"),
    ("staffing", "Staffing concerns"),
    ("equipment", "Equipment concerns"),
    ("environment", "Environment concerns"),
    ("recognition", "Good catches and recognition"),
)


class Huddle(TimeStampedModel):
    """One huddle of one unit, on one date and shift."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="huddles")
    held_on = models.DateField("Date")
    shift = models.CharField(max_length=8, choices=Shift.choices, default=Shift.DAY)
    started_at = models.TimeField("Start time", null=True, blank=True)
    duration_min = models.PositiveSmallIntegerField("Minutes", null=True, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # {role: number present}, roles from ATTENDANCE_ROLES.
    attendance = models.JSONField(default=dict, blank=True)
    look_back = models.TextField(blank=True)
    look_ahead = models.TextField(blank=True)
    staffing = models.TextField(blank=True)
    equipment = models.TextField(blank=True)
    environment = models.TextField(blank=True)
    recognition = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("-held_on", "-started_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "held_on", "shift"],
                name="huddle_once_per_shift",
                violation_error_message="This unit already has a huddle for this shift.",
            ),
        ]
        indexes = [models.Index(fields=["unit", "held_on"])]

    def __str__(self) -> str:
        return f"{self.unit.name} huddle, {self.held_on} {self.get_shift_display()}"

    @property
    def attendance_total(self) -> int:
        return sum(int(v) for v in self.attendance.values())


class HuddleAtRisk(models.Model):
    """Patients at risk of one harm today, flagged at a huddle: a count and, optionally,
    pseudonymous references (bed numbers, local codes), never names."""

    huddle = models.ForeignKey(Huddle, on_delete=models.CASCADE, related_name="at_risk")
    category = models.ForeignKey(HarmCategory, on_delete=models.PROTECT, related_name="+")
    patients = models.PositiveSmallIntegerField()
    references = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("category__order", "category__name")
        constraints = [
            models.UniqueConstraint(fields=["huddle", "category"], name="at_risk_once"),
        ]

    def __str__(self) -> str:
        return f"{self.patients} at risk of {self.category}"


class HuddleAction(TimeStampedModel):
    """Something a huddle agreed to do; it comes back at every huddle until closed."""

    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.CASCADE, related_name="huddle_actions"
    )
    raised_at = models.ForeignKey(
        Huddle, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    text = models.CharField("Action", max_length=300)
    # A role or first name as the team says it ("Charge nurse", "Sam"): staff, not patients.
    owner = models.CharField(max_length=80)
    due_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_at = models.ForeignKey(
        Huddle, on_delete=models.SET_NULL, null=True, blank=True, related_name="closed_actions"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("closed_on", "due_on", "id")
        indexes = [models.Index(fields=["unit", "closed_on"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Severity(models.TextChoices):
    """NHS harm grading (as in the national incident reporting system)."""

    NO_HARM = "none", "No harm"
    LOW = "low", "Low harm"
    MODERATE = "moderate", "Moderate harm"
    SEVERE = "severe", "Severe harm"
    DEATH = "death", "Death"


class HarmEvent(TimeStampedModel):
    """One harm (a fall, a pressure ulcer…) on a unit, with its severity."""

    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.CASCADE, related_name="harm_events"
    )
    category = models.ForeignKey(HarmCategory, on_delete=models.PROTECT, related_name="events")
    occurred_on = models.DateField("Date")
    occurred_at = models.TimeField("Time", null=True, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    # The local incident system's reference (e.g. a Datix or LFPSE number), never a patient's.
    incident_ref = models.CharField("Incident reference", max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("-occurred_on", "-occurred_at", "-id")
        indexes = [models.Index(fields=["unit", "category", "occurred_on"])]
        constraints = [
            models.CheckConstraint(condition=~Q(severity=""), name="harm_event_has_severity"),
        ]

    def __str__(self) -> str:
        return f"{self.category} on {self.unit.name}, {self.occurred_on}"
