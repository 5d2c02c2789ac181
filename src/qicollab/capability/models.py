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


# --- Training records -----------------------------------------------------------------
#
# Courses and programmes (Bronze, Silver and Gold QI training, cultural awareness, safety
# leadership, SBAR...), run as cohorts; a person's enrolment on a cohort carries their
# attendance at its dates and their completion, which is what "people trained" counts.


class TrainingCategory(models.TextChoices):
    """What a course is about; the programme goals count people trained per category."""

    QI = "qi", "Quality improvement"
    CULTURAL_AWARENESS = "cultural_awareness", "Cultural awareness"
    SAFETY_LEADERSHIP = "safety_leadership", "Safety leadership"
    MEASUREMENT = "measurement", "Measurement for improvement"
    HUMAN_FACTORS = "human_factors", "Human factors and SBAR"
    PATIENT_SAFETY_PROGRAMME = "patient_safety_programme", "Patient-safety programme"
    OTHER = "other", "Other"


class PersonKind(models.TextChoices):
    """The kind of person trained, derived from Person and Affiliation (never asked again).

    Lived-experience partners (patients, carers, family members: a ``lived_experience`` on
    the person, the lived-experience profession, or a partner affiliation) come first; then
    staff (a staff or programme-manager affiliation anywhere, reported by profession); then
    everyone else (viewers, governors, faculty from outside the NHS).
    """

    STAFF = "staff", "Staff"
    LIVED_EXPERIENCE = "lived_experience", "Lived-experience partners and patients"
    OTHER = "other", "Others"


class CourseLevel(models.TextChoices):
    NONE = "", "No level"
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"
    INTRODUCTORY = "introductory", "Introductory"
    PRACTITIONER = "practitioner", "Practitioner"
    ADVANCED = "advanced", "Advanced"


class Course(TimeStampedModel):
    """A course or programme the collaborative offers; it runs as one or more cohorts."""

    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="courses"
    )
    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80)
    category = models.CharField(max_length=32, choices=TrainingCategory.choices)
    level = models.CharField(max_length=16, choices=CourseLevel.choices, blank=True)
    description = models.TextField(blank=True)
    duration = models.CharField(
        max_length=80, blank=True, help_text="For example 'One day' or 'Six months, monthly'."
    )
    provider = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(
        default=True, help_text="Retired courses keep their records but take no new cohorts."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("collaborative", "category", "title")
        constraints = [
            models.UniqueConstraint(fields=["collaborative", "slug"], name="course_unique_slug")
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    BLENDED = "blended", "In person and online"


class Cohort(TimeStampedModel):
    """One run of a course: dates, where, who facilitates, and how many places."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120, help_text="For example 'Spring 2026, Avonvale'.")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default="in_person")
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_cohorts",
    )
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit.")

    history = HistoricalRecords()

    class Meta:
        ordering = ("-starts_on", "name")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course}: {self.name}"


class CohortSession(models.Model):
    """A taught date of a cohort (a multi-month programme meets several times)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ("held_on",)
        constraints = [
            models.UniqueConstraint(fields=["cohort", "held_on"], name="cohort_session_once")
        ]

    def __str__(self) -> str:
        return self.title or f"{self.held_on:%d %b %Y}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Enrolment(TimeStampedModel):
    """A person on a cohort. Completed enrolments count as "trained" and earn a certificate."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    # The person's organisation when they enrolled; their programme manager sees the record
    # through it (as with self-assessments), even if the person later moves trust.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enrolled_on = models.DateField(default=timezone.localdate)
    status = models.CharField(
        max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    completed_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("person__full_name",)
        indexes = [models.Index(fields=["status", "completed_on"])]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="enrolment_once"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="enrolment_completed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_on__isnull=False),
                name="enrolment_withdrawn_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.cohort}"

    @property
    def is_completed(self) -> bool:
        return self.status == EnrolmentStatus.COMPLETED

    @property
    def certificate_ref(self) -> str:
        """A stable reference printed on the certificate, so a copy can be checked."""
        return f"QIC-{self.cohort.course.collaborative_id:03d}-{self.pk:06d}"


class Attendance(models.Model):
    """Whether an enrolled person came to one of the cohort's dates."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(CohortSession, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person} {'present' if self.present else 'absent'} {self.session}"
