"""Innovations, their change packages, and the adoptions that show how far they spread.

An innovation is a change that worked somewhere, written for someone who wants to try it.
Its evidence is the source project's own measures (live charts, never pictures); its change
package carries what another team needs to start: the change ideas with their driver-diagram
context, the measure definitions to use (copied, so a package survives export and the
source measure being edited or deleted), and resource files. An adoption is an
organisation's recorded intention to try it, with a dated status history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel
from qicollab.measures.models import ChartType, Direction, Frequency, MeasureType, ValueType


class Stage(models.TextChoices):
    TESTING = "testing", "Being tested"
    LOCAL = "local", "Implemented locally"
    SPREADING = "spreading", "Spreading"


class Sharing(models.TextChoices):
    """Who may read the innovation. Its evidence charts still follow the project's sharing."""

    COLLABORATIVE = "collaborative", "Everyone in the collaborative"
    ALL = "all", "Everyone in all collaboratives"
    PUBLIC = "public", "Public (the showcase)"


class Innovation(TimeStampedModel):
    """A change that worked at one organisation, packaged for others to try."""

    collaborative = models.ForeignKey(
        "organisations.Collaborative", on_delete=models.PROTECT, related_name="innovations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="innovations"
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="innovations",
        help_text="The project whose measures are the evidence.",
    )
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    problem = models.TextField("The problem", blank=True)
    change = models.TextField("The change: what to do differently", blank=True)
    evidence_summary = models.TextField("What the evidence shows", blank=True)
    evidence_measures = models.ManyToManyField(
        "measures.Measure", blank=True, related_name="evidence_for"
    )
    cost_effort = models.TextField("Cost and effort", blank=True)
    helped = models.TextField("What helped", blank=True)
    hindered = models.TextField("What got in the way", blank=True)
    contacts = models.TextField("Who to contact", blank=True)
    workstream = models.ForeignKey(
        "collaborative.Workstream",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="innovations",
    )
    themes = models.ManyToManyField("collaborative.Theme", blank=True, related_name="innovations")
    lived_experience = models.TextField(
        "How people with lived experience were involved", blank=True
    )
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.TESTING)
    sharing = models.CharField(
        "Who can see this innovation",
        max_length=14,
        choices=Sharing.choices,
        default=Sharing.COLLABORATIVE,
    )
    harvested_at = models.ForeignKey(
        "events.LearningSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="harvested_innovations",
    )
    storyboard = models.ForeignKey(
        "events.Storyboard",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="innovations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[themes, evidence_measures])

    class Meta:
        ordering = ("title",)
        indexes = [models.Index(fields=["collaborative", "stage"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("innovations:innovation_detail", args=[self.slug])


class PackageIdea(TimeStampedModel):
    """A change idea of the package with the driver-diagram context it answered."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="ideas")
    text = models.CharField("Change idea", max_length=300)
    description = models.TextField(blank=True)
    primary_driver = models.CharField(max_length=300, blank=True)
    secondary_driver = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ("innovation", "order", "id")

    def __str__(self) -> str:
        return self.text


class PackageMeasure(TimeStampedModel):
    """A measure definition to use, copied from the source measure's operational definition."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="measures")
    source_measure = models.ForeignKey(
        "measures.Measure", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    measure_type = models.CharField(
        max_length=10, choices=MeasureType.choices, default=MeasureType.PROCESS
    )
    value_type = models.CharField(max_length=14, choices=ValueType.choices)
    numerator_definition = models.TextField(blank=True)
    denominator_definition = models.TextField(blank=True)
    inclusions = models.TextField(blank=True)
    exclusions = models.TextField(blank=True)
    data_source = models.CharField(max_length=300, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    unit = models.CharField(max_length=60, blank=True)
    rate_multiplier = models.PositiveIntegerField(default=1)
    chart_type = models.CharField(max_length=4, choices=ChartType.choices)
    direction = models.CharField(max_length=8, choices=Direction.choices)
    target = models.FloatField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ("innovation", "order", "id")

    def __str__(self) -> str:
        return self.name


class Resource(TimeStampedModel):
    """A file of the package (protocol, checklist, poster), content-checked on upload."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    file_name = models.CharField(max_length=100, editable=False)
    content_type = models.CharField(max_length=40, editable=False)
    file_size = models.PositiveIntegerField(editable=False)
    original_name = models.CharField(max_length=200, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ("innovation", "title")

    def __str__(self) -> str:
        return self.title


class AdoptionStatus(models.TextChoices):
    CONSIDERING = "considering", "Considering"
    TESTING = "testing", "Testing"
    ADAPTED = "adapted", "Adapted"
    ADOPTED = "adopted", "Adopted"
    ABANDONED = "abandoned", "Abandoned"


class Adoption(TimeStampedModel):
    """An organisation's team trying an innovation; one per organisation and innovation."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="adoptions")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="adoptions"
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
    )
    status = models.CharField(
        max_length=12, choices=AdoptionStatus.choices, default=AdoptionStatus.CONSIDERING
    )
    status_date = models.DateField()
    what_changed = models.TextField("What you changed", blank=True)
    why_abandoned = models.TextField("Why you stopped", blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("innovation", "status_date", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "organisation"],
                name="adoption_one_per_organisation",
                violation_error_message="This organisation already records this innovation.",
            ),
            models.CheckConstraint(
                condition=~Q(status=AdoptionStatus.ABANDONED) | ~Q(why_abandoned=""),
                name="adoption_abandoned_needs_reason",
                violation_error_message="Say why you stopped.",
            ),
            models.CheckConstraint(
                condition=~Q(status=AdoptionStatus.ADAPTED) | ~Q(what_changed=""),
                name="adoption_adapted_needs_change",
                violation_error_message="Say what you changed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.innovation} ({self.get_status_display()})"


class AdoptionStep(TimeStampedModel):
    """One dated status of an adoption: the spread timeline is made of these."""

    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=12, choices=AdoptionStatus.choices)
    on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("adoption", "on", "id")

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.on}"
