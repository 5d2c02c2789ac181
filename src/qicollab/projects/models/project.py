"""The project: the anchor every other piece of improvement work hangs from."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel


class Status(models.TextChoices):
    IDEA = "idea", "Idea"
    ACTIVE = "active", "Active"
    SUSTAINING = "sustaining", "Sustaining"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


class Sharing(models.TextChoices):
    """Who may read the project. Editing is always limited to the team and its coordinators."""

    PRIVATE = "private", "Private to the team"
    ORGANISATION = "organisation", "Our organisations"
    COLLABORATIVE = "collaborative", "Everyone in the collaborative"
    PUBLIC = "public", "Public"


SHARING_HINTS = {
    Sharing.PRIVATE: (
        "The team, the lead organisation's programme manager and the collaborative's "
        "faculty and leads."
    ),
    Sharing.ORGANISATION: "Also everyone at the lead and partner organisations.",
    Sharing.COLLABORATIVE: "Also everyone at the collaborative's member organisations.",
    Sharing.PUBLIC: "Anyone, including people who are not logged in. Only the team can edit.",
}


class Tag(TimeStampedModel):
    """A keyword from a collaborative's own vocabulary, e.g. 'restrictive practice'.

    Tags belong to a collaborative so that one collaborative's private vocabulary never
    shows up in another's filters, and so that 'Falls' and 'falls' are one tag there.
    """

    collaborative = models.ForeignKey(
        "organisations.Collaborative", on_delete=models.CASCADE, related_name="project_tags"
    )
    name = models.CharField(max_length=50)
    slug = models.SlugField(max_length=60)

    history = HistoricalRecords()

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["collaborative", "slug"], name="tag_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Project(TimeStampedModel):
    """A QI project run by a team at one lead organisation, within a collaborative."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(
        blank=True, help_text="The problem you are tackling and why it matters, in a few lines."
    )
    collaborative = models.ForeignKey(
        "organisations.Collaborative", on_delete=models.PROTECT, related_name="projects"
    )
    lead_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="led_projects"
    )
    partner_organisations = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="partner_projects"
    )
    workstream = models.ForeignKey(
        "collaborative.Workstream",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    themes = models.ManyToManyField("collaborative.Theme", blank=True, related_name="projects")
    tags = models.ManyToManyField(Tag, blank=True, related_name="projects")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IDEA)
    stop_reason = models.TextField("Why the project stopped", blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    sharing = models.CharField(
        "Who can see this project", max_length=14, choices=Sharing.choices, default=Sharing.PRIVATE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[partner_organisations, themes, tags])

    class Meta:
        ordering = ("title",)
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.STOPPED) | ~Q(stop_reason=""),
                name="project_stopped_needs_reason",
                violation_error_message="Say why the project stopped.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_end_after_start",
                violation_error_message="The end date must be the same as or after the start date.",
            ),
        ]
        indexes = [models.Index(fields=["collaborative", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.slug])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.status == Status.STOPPED and not (self.stop_reason or "").strip():
            errors["stop_reason"] = "Say why the project stopped."
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be the same as or after the start date."
        workstream = self.workstream if self.workstream_id else None
        if (
            workstream is not None
            and self.collaborative_id
            and workstream.collaborative_id != self.collaborative_id
        ):
            errors["workstream"] = "Choose a workstream of the project's collaborative."
        if errors:
            raise ValidationError(errors)

    @property
    def partner_org_ids(self) -> frozenset[int]:
        """Partner organisation ids, from the prefetch when there is one (permission checks)."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "partner_organisations" in cache:
            return frozenset(o.pk for o in cache["partner_organisations"])
        cached: frozenset[int] | None = getattr(self, "_partner_org_ids", None)
        if cached is None:
            cached = frozenset(self.partner_organisations.values_list("id", flat=True))
            self._partner_org_ids = cached
        return cached

    def remember_partner_org_ids(self, ids: Iterable[int]) -> None:
        """Keep the partner organisations' ids that a selector has already read."""
        self._partner_org_ids = frozenset(ids)

    @property
    def organisation_ids(self) -> frozenset[int]:
        return self.partner_org_ids | {self.lead_organisation_id}


class TeamRole(models.TextChoices):
    LEAD = "lead", "Project lead"
    SPONSOR = "sponsor", "Sponsor"
    MEMBER = "member", "Team member"
    COACH = "coach", "QI coach"
    PARTNER = "partner", "Lived-experience partner"


class ProjectMember(TimeStampedModel):
    """A person on the project team, with one role. A project always has a lead."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships"
    )
    role = models.CharField(max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER)

    history = HistoricalRecords()

    class Meta:
        ordering = ("project", "role", "person__full_name")
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="project_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}), {self.project}"


class Stage(models.TextChoices):
    """Where patients and families can shape a project: the three questions, testing, spread."""

    AIM = "aim", "Deciding what to accomplish (the aim)"
    MEASURES = "measures", "Deciding how we will know a change is an improvement (measures)"
    CHANGES = "changes", "Choosing the changes to make (driver diagram and change ideas)"
    TESTING = "testing", "Testing changes (PDSA cycles)"
    SPREAD = "spread", "Spreading and sustaining"


class Involvement(models.TextChoices):
    """A ladder of participation, from being told to leading."""

    INFORMED = "informed", "Informed"
    CONSULTED = "consulted", "Consulted"
    INVOLVED = "involved", "Involved"
    CO_DESIGNED = "co_designed", "Co-designed"
    CO_LED = "co_led", "Co-led"


class CoProduction(TimeStampedModel):
    """How patients, carers and families took part at one stage of the project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="coproduction")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    level = models.CharField("How involved", max_length=12, choices=Involvement.choices)
    description = models.TextField(
        "What they did",
        blank=True,
        help_text="For example: 'Six ward community meeting members chose the aim with us.'",
    )
    partners_involved = models.CharField(
        "Who took part",
        max_length=300,
        blank=True,
        help_text="Names or groups. Partners do not need an account.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("project", "stage")
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="coproduction_one_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.get_level_display()}"
