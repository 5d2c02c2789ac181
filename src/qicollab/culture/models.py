"""Safety-culture surveys: instruments as data, waves, anonymous responses, debriefs, actions.

Anonymity is built into the tables (see docs/culture.md): a :class:`Response` has a random
UUID key, no person, no account, no address and no date; it says only which surveyed unit
(and, for a large enough unit, which position and tenure band) it came from. Single-use codes
and unit links are stored only as SHA-256 digests, and nothing records who received which.
Responses keep no audit history, since django-simple-history would store the respondent.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel
from qicollab.organisations.models import Collaborative, Organisation, Unit


class InstrumentKind(models.TextChoices):
    SURVEY = "survey", "Survey (each person answers items on a scale)"
    REFLECTION = "reflection", "Team reflection (each person picks a maturity level)"


class Report(models.TextChoices):
    POSITIVE = "positive", "% positive / neutral / negative"
    CUTOFF = "cutoff", "% at or above a cut-off (burnout-type)"


class Instrument(TimeStampedModel):
    """A survey or reflection instrument, loaded from a JSON instrument file (one version)."""

    code = models.SlugField(max_length=60)
    version = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=InstrumentKind.choices)
    description = models.TextField(blank=True)
    licence = models.TextField(help_text="The licence and who holds the copyright.")
    redistributable = models.BooleanField(default=False)
    source = models.TextField(help_text="Where the structure and texts come from.")
    # The response scale: [{"code": "A", "label": "Disagree strongly", "value": 1}, ...];
    # a value of null (e.g. "Not applicable") is not scored.
    scale = models.JSONField()
    positive_at = models.FloatField(default=75.0)
    negative_at = models.FloatField(default=25.0)
    # A collaborative's own instrument; null for the instruments every collaborative may use.
    collaborative = models.ForeignKey(
        Collaborative, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The file as loaded (texts removed for licensed instruments), for provenance.
    definition = models.JSONField(default=dict)

    history = HistoricalRecords()

    class Meta:
        ordering = ("name", "version")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_code_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def scored_values(self) -> list[int]:
        return sorted(int(o["value"]) for o in self.scale if o.get("value") is not None)


class Domain(models.Model):
    """A scale of an instrument (e.g. Teamwork climate), or a dimension of a reflection."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    report = models.CharField(max_length=10, choices=Report.choices, default=Report.POSITIVE)
    # For burnout-type domains: a respondent at or above this score counts as concerning.
    cutoff = models.FloatField(null=True, blank=True)
    min_items = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ("instrument", "position")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="domain_code_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """One question. ``text`` is blank for a licensed instrument until its texts are loaded."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=30)
    text = models.TextField(blank=True)
    reverse = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("instrument", "position")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="item_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text or '(text not loaded)'}"


class WaveNumber(models.IntegerChoices):
    BASELINE = 1, "Baseline"
    REPEAT = 2, "Repeat"
    SECOND_REPEAT = 3, "Second repeat"


class Wave(TimeStampedModel):
    """A survey of one or more units of an organisation between two dates."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="waves")
    title = models.CharField(max_length=160)
    number = models.PositiveSmallIntegerField(choices=WaveNumber.choices, default=1)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats"
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    # Closed early by the organiser: results appear the next day, like a normal close.
    closed_early_on = models.DateField(null=True, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    team_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Smallest group any figure may describe; never below settings.CULTURE_MIN_GROUP.
    min_group = models.PositiveSmallIntegerField(default=5)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", through="ResultShare"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("-opens_on", "title")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="wave_closes_after_opens"
            ),
            models.CheckConstraint(condition=Q(min_group__gte=5), name="wave_min_group_5"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("culture:wave_detail", args=[self.pk])


class ResultShare(models.Model):
    """The team leader shared the wave's results with this person."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "person"], name="result_share_once"),
        ]

    def __str__(self) -> str:
        return f"Results of {self.wave} shared with {self.person}"


class WaveUnit(models.Model):
    """A unit surveyed in a wave, with how many staff were eligible to answer."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="wave_units")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    eligible = models.PositiveIntegerField()
    # SHA-256 of the unit's open link token (the token itself is shown once, never stored).
    link_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # Position and tenure bands are asked only where the unit is large enough (decided at
    # creation from the eligible headcount and the wave's threshold).
    ask_bands = models.BooleanField(default=False)

    class Meta:
        ordering = ("wave", "unit__name")
        constraints = [
            models.UniqueConstraint(fields=["wave", "unit"], name="wave_unit_once"),
            models.CheckConstraint(condition=Q(eligible__gte=1), name="wave_unit_eligible"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} in {self.wave}"


class AccessCode(models.Model):
    """A single-use code for a unit. Only its digest is stored; nothing says who received it."""

    wave_unit = models.ForeignKey(WaveUnit, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ("code_hash",)

    def __str__(self) -> str:
        return "A single-use survey code"


class PositionBand(models.TextChoices):
    NURSING = "nursing", "Nursing or midwifery"
    MEDICAL = "medical", "Doctor"
    AHP = "ahp", "Allied health professional or psychologist"
    SUPPORT = "support", "Support worker or assistant"
    ADMIN = "admin", "Administrative or management"
    OTHER = "other", "Other"


class TenureBand(models.TextChoices):
    UNDER_1 = "lt1", "Less than a year"
    ONE_TO_5 = "1to5", "1 to 5 years"
    OVER_5 = "gt5", "More than 5 years"


class Response(models.Model):
    """One anonymous answer set. Deliberately no person, no address, no date, no sequence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave_unit = models.ForeignKey(WaveUnit, on_delete=models.CASCADE, related_name="responses")
    position_band = models.CharField(max_length=10, choices=PositionBand.choices, blank=True)
    tenure_band = models.CharField(max_length=10, choices=TenureBand.choices, blank=True)
    # {item code: scale value, or null for "not applicable"}; unanswered items are absent.
    answers: Any = models.JSONField()

    class Meta:
        # Random UUID order: never the order in which people answered.
        ordering = ("id",)

    def __str__(self) -> str:
        return "An anonymous response"


class Debrief(TimeStampedModel):
    """The facilitated team discussion of a unit's results."""

    wave_unit = models.ForeignKey(WaveUnit, on_delete=models.CASCADE, related_name="debriefs")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField()
    attendees = models.PositiveSmallIntegerField()
    items_discussed = models.ManyToManyField(Item, blank=True, related_name="+")
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("-held_on",)

    def __str__(self) -> str:
        return f"Debrief of {self.wave_unit.unit.name} on {self.held_on:%d %B %Y}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Stopped"


class CultureAction(TimeStampedModel):
    """An action the team chose at a debrief; it may start or link a QI project."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=120, help_text="Who will make it happen (a name or role).")
    due_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="culture_actions",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("due_on", "title")

    def __str__(self) -> str:
        return self.title
