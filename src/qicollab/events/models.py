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
