"""Learning from Excellence (LfE): reports of excellence, their recipients' consent, themes,
acknowledgements and appreciative-inquiry conversations.

A report belongs to one organisation. Its recipients are people or a team (a
:class:`~qicollab.organisations.models.Unit`); each recipient row carries that recipient's own
choices: keep the report on their page, tell their line manager, share it more widely. The
organisation's LfE leads (an :class:`LfeLead` row, added by the organisation's programme
manager) tag reports with themes, acknowledge them, hold appreciative inquiries and turn a
theme into a QI project. Who sees what is decided in :mod:`qicollab.excellence.selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel


class LfeLead(TimeStampedModel):
    """A person who leads Learning from Excellence for an organisation.

    The minimal designation the LfE lead needs: the organisation's programme manager adds and
    removes it. ``title`` is shown with an acknowledgement ("Chief Nurse"), so an executive
    who acknowledges reports is recorded the same way.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="lfe_leads"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lfe_leads"
    )
    title = models.CharField("Job title (optional)", max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("organisation__name", "person__full_name")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="lfe_lead_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: LfE lead, {self.organisation}"


class Theme(TimeStampedModel):
    """A tag an organisation's LfE lead puts on reports ("Kindness", "Escalation")."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="lfe_themes"
    )
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=90)
    description = models.TextField(blank=True)
    # The QI project this theme became or was linked to (made by the projects app's service).
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lfe_themes",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("organisation__name", "name")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="lfe_theme_slug"),
            models.UniqueConstraint(fields=["organisation", "name"], name="lfe_theme_name"),
        ]

    def __str__(self) -> str:
        return self.name


class WorkKind(models.TextChoices):
    CLINICAL = "clinical", "Clinical"
    NON_CLINICAL = "non_clinical", "Non-clinical"


class ExcellenceReport(TimeStampedModel):
    """One report of excellence, written by a colleague."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="excellence_reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="excellence_sent",
    )
    # Hidden from the recipients, their managers and wider sharing; the LfE lead still sees it.
    anonymous = models.BooleanField("Keep my name from the recipients", default=False)
    work_kind = models.CharField(
        "Clinical or non-clinical", max_length=14, choices=WorkKind.choices
    )
    # Where it happened: the department counted on the LfE lead's dashboard.
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="excellence_reports",
        verbose_name="Ward, team or department",
    )
    happened_on = models.DateField("When it happened", default=timezone.localdate)
    what_they_did = models.TextField("What did they do?")
    why_excellent = models.TextField("Why was it excellent?")
    learning = models.TextField("What can others learn from it?", blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="reports")

    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ("-happened_on", "-id")
        indexes = [models.Index(fields=["organisation", "happened_on"])]

    def __str__(self) -> str:
        return f"Excellence report {self.pk} ({self.organisation})"


class Recipient(TimeStampedModel):
    """A person or a team the report is about, with the recipient's own consent choices.

    A team's choices are made by its unit leaders. Until the recipient answers, the report is
    "new" in their inbox and nothing is shared beyond the reporter, the recipient and the LfE
    lead.
    """

    report = models.ForeignKey(
        ExcellenceReport, on_delete=models.CASCADE, related_name="recipients"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="excellence_received",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="excellence_received",
    )
    keep = models.BooleanField("Keep it on my excellence page", default=True)
    tell_manager = models.BooleanField("Tell my line manager", default=False)
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="excellence_managed",
    )
    share_wider = models.BooleanField("Share it more widely in the organisation", default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    manager_told_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("report", "id")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="lfe_recipient_person_or_unit",
                violation_error_message="A recipient is either a person or a team.",
            ),
            models.UniqueConstraint(
                fields=["report", "person"],
                condition=Q(person__isnull=False),
                name="lfe_recipient_person_once",
            ),
            models.UniqueConstraint(
                fields=["report", "unit"],
                condition=Q(unit__isnull=False),
                name="lfe_recipient_unit_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person or self.unit)

    @property
    def name(self) -> str:
        if self.person is not None:
            return self.person.full_name
        return self.unit.name if self.unit is not None else ""


class Acknowledgement(TimeStampedModel):
    """A report acknowledged by an LfE lead or an executive, with a message to the recipients."""

    report = models.ForeignKey(
        ExcellenceReport, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=120, blank=True)
    message = models.TextField("Message to the recipients")

    history = HistoricalRecords()

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"Acknowledged by {self.person}"


class AppreciativeInquiry(TimeStampedModel):
    """An appreciative-inquiry conversation: what made this go well, and how could it happen
    every time? Recorded by the LfE lead; seen only by the organisation's LfE leads."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="lfe_inquiries"
    )
    held_on = models.DateField("Date of the conversation")
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="inquiries"
    )
    report = models.ForeignKey(
        ExcellenceReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    attendees = models.TextField("Who took part", help_text="Roles are enough.")
    went_well = models.TextField("What made this go well?")
    every_time = models.TextField("How could it happen every time?")
    notes = models.TextField("Notes and actions", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("-held_on", "-id")
        verbose_name_plural = "appreciative inquiries"

    def __str__(self) -> str:
        return f"Appreciative inquiry on {self.held_on}"
