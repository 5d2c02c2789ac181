"""Breakthrough-Series learning sessions, action periods, agenda, workshops and bookings."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qicollab.capability.models import Level, SubjectArea
from qicollab.collaborative.models import Workstream
from qicollab.core.models import TimeStampedModel
from qicollab.organisations.models import Collaborative


class LearningSession(TimeStampedModel):
    """A learning session: often two days, three a year, between action periods."""

    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="learning_sessions"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    starts_on = models.DateField()
    ends_on = models.DateField()
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    description = models.TextField(blank=True)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places at the session; leave empty for no limit."
    )
    ask_needs = models.BooleanField(
        "Ask about accessibility or dietary needs",
        default=False,
        help_text="Answers are seen only by organisers and deleted after the event.",
    )
    needs_purged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A stable, unguessable id for calendar entries (UID in the .ics feed).
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("starts_on", "title")
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative", "slug"], name="learning_session_unique_slug"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:session_detail", args=[self.pk])


class ActionPeriod(TimeStampedModel):
    """The weeks between learning sessions, when teams test changes at home."""

    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="action_periods"
    )
    title = models.CharField(max_length=120)
    starts_on = models.DateField()
    ends_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ("starts_on",)
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="action_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AgendaKind(models.TextChoices):
    PLENARY = "plenary", "Plenary"
    NATIONAL = "national", "National presenter"
    WORKSHOP = "workshop", "Workshop"
    BREAK = "break", "Break"


class AgendaItem(TimeStampedModel):
    """A slot on the agenda. Workshops carry a 3 L's subject, level, workstream and capacity."""

    session = models.ForeignKey(LearningSession, on_delete=models.CASCADE, related_name="agenda")
    kind = models.CharField(max_length=10, choices=AgendaKind.choices)
    title = models.CharField(max_length=200)
    day = models.PositiveSmallIntegerField(default=1, help_text="Day 1, 2… of the session.")
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    presenter = models.CharField(max_length=200, blank=True)
    room = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    subject = models.ForeignKey(
        SubjectArea, on_delete=models.PROTECT, null=True, blank=True, related_name="workshops"
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    workstream = models.ForeignKey(
        Workstream, on_delete=models.SET_NULL, null=True, blank=True, related_name="workshops"
    )
    capacity = models.PositiveIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("session", "day", "starts_at", "title")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="workshop") | (Q(subject__isnull=False) & Q(level__isnull=False)),
                name="workshop_has_subject_and_level",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="agenda_item_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


class Registration(TimeStampedModel):
    """A person's place (or waiting-list position) at a learning session."""

    session = models.ForeignKey(
        LearningSession, on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=10, choices=BookingStatus.choices)
    needs = models.TextField(
        "Accessibility or dietary needs",
        blank=True,
        help_text="Seen only by the organisers; deleted after the event.",
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The organiser who checked this person in.",
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.session}"


class WorkshopBooking(TimeStampedModel):
    """A place (or waiting-list position) at one workshop of a session."""

    workshop = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="bookings")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_bookings"
    )
    status = models.CharField(max_length=10, choices=BookingStatus.choices)

    class Meta:
        ordering = ("created_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "person"], name="workshop_booking_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.workshop}"


# --- Feedback (anonymous) ---------------------------------------------------------------
#
# Feedback is anonymous to faculty: a response is stored WITHOUT any link to the person and
# a separate receipt records only that the person has answered (to stop a second response).
# Nothing lines the two up: the response has a random UUID key (no sequence to compare with
# the receipt's), no timestamps at all, and no audit history (django-simple-history would
# record the respondent as ``history_user``). Results are always listed in key order, which
# is random. See docs/learning-sessions.md for the reasoning and what it does not cover.


class Rating(models.IntegerChoices):
    VERY_POOR = 1, "Very poor"
    POOR = 2, "Poor"
    NEUTRAL = 3, "Neither good nor poor"
    GOOD = 4, "Good"
    EXCELLENT = 5, "Excellent"


#: A response is "positive" when the overall rating is 4 or 5 of 5 (Good or Excellent).
POSITIVE_RATINGS = (Rating.GOOD, Rating.EXCELLENT)


class Contribution(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class FeedbackResponse(models.Model):
    """One anonymous answer to a session's feedback survey. Deliberately no person, no dates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        LearningSession, on_delete=models.CASCADE, related_name="feedback_responses"
    )
    rating = models.PositiveSmallIntegerField("Overall rating", choices=Rating.choices)
    learning = models.CharField(
        "Did it contribute to your learning?", max_length=6, choices=Contribution.choices
    )
    patient_care = models.CharField(
        "Will it contribute to improving patient care?", max_length=6, choices=Contribution.choices
    )
    do_differently = models.TextField("What will you do differently?", blank=True)
    comments = models.TextField("Any other comments", blank=True)

    class Meta:
        # Random UUID order: never the order in which people answered.
        ordering = ("id",)
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.session_id}"

    @property
    def is_positive(self) -> bool:
        return self.rating in POSITIVE_RATINGS


class FeedbackReceipt(models.Model):
    """That a person has answered a session's survey (and nothing about what they said)."""

    session = models.ForeignKey(
        LearningSession, on_delete=models.CASCADE, related_name="feedback_receipts"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_receipts"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="feedback_once")]

    def __str__(self) -> str:
        return f"{self.person} answered {self.session}"


# --- Storyboards ------------------------------------------------------------------------


class StoryboardKind(models.TextChoices):
    PROJECT = "project", "Project storyboard"
    UPLOAD = "upload", "Uploaded file"


class Storyboard(TimeStampedModel):
    """A team's storyboard at a learning session: its project storyboard or an uploaded file.

    Uploaded files live in the media storage under a random name (``file_name``) and are
    served only through a permission-checked view; ``original_name`` is kept for the
    download's filename alone.
    """

    session = models.ForeignKey(
        LearningSession, on_delete=models.CASCADE, related_name="storyboards"
    )
    kind = models.CharField(max_length=8, choices=StoryboardKind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(
        "The idea others could take away",
        blank=True,
        help_text="In a few lines: what you changed and what happened.",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="storyboards"
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="session_storyboards",
    )
    workstream = models.ForeignKey(
        Workstream, on_delete=models.SET_NULL, null=True, blank=True, related_name="storyboards"
    )
    file_name = models.CharField(max_length=100, blank=True, editable=False)
    thumb_name = models.CharField(max_length=100, blank=True, editable=False)
    content_type = models.CharField(max_length=40, blank=True, editable=False)
    file_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    original_name = models.CharField(max_length=200, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="storyboards_submitted",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("session", "organisation__name", "title")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "project"],
                condition=Q(project__isnull=False),
                name="storyboard_project_once_per_session",
            ),
            models.CheckConstraint(
                condition=~Q(kind="project") | Q(project__isnull=False),
                name="storyboard_project_kind_has_project",
            ),
            models.CheckConstraint(
                condition=~Q(kind="upload") | ~Q(file_name=""),
                name="storyboard_upload_has_file",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class StoryboardSteal(TimeStampedModel):
    """An attendee intends to "steal" (adopt) the idea on a storyboard. Undoing keeps the row
    (``undone_at``) so that marking it again does not email the team a second time."""

    storyboard = models.ForeignKey(Storyboard, on_delete=models.CASCADE, related_name="steals")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="storyboard_steals"
    )
    note = models.TextField(blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("created_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["storyboard", "person"], name="storyboard_steal_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} steals {self.storyboard}"
