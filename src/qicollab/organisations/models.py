"""Organisations, collaboratives and memberships: the tenant boundary of the platform."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel


class OrganisationType(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    AHSN = "ahsn", "AHSN / health innovation network"
    PRIMARY_CARE = "primary_care", "Primary care"
    CARE_HOME = "care_home", "Care home"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    UNIVERSITY = "university", "University"
    COMPANY = "company", "Company"
    NATIONAL_BODY = "national_body", "National body"


class Region(models.TextChoices):
    """NHS England's seven regions."""

    NORTH_EAST_YORKSHIRE = "ney", "North East and Yorkshire"
    NORTH_WEST = "nw", "North West"
    MIDLANDS = "mid", "Midlands"
    EAST_OF_ENGLAND = "eoe", "East of England"
    LONDON = "lon", "London"
    SOUTH_EAST = "se", "South East"
    SOUTH_WEST = "sw", "South West"
    NATIONAL = "national", "National"


# ODS codes (NHS Organisation Data Service): upper-case letters and digits. Trusts have
# three characters starting R or T; GP practices a letter and five digits; others 3-6.
_ODS_ANY = re.compile(r"^[A-Z0-9]{3,6}$")
_ODS_TRUST = re.compile(r"^[RT][A-Z0-9]{2}$")
_ODS_PRACTICE = re.compile(r"^[A-Z][0-9]{5}$")


def validate_ods_code(code: str, org_type: str | None = None) -> None:
    """Check an ODS code's format, and its shape for NHS trusts and GP practices."""
    if not _ODS_ANY.match(code):
        raise ValidationError(
            "Enter an ODS code of 3 to 6 capital letters and numbers, like RX2 or A81001.",
            code="ods_format",
        )
    if org_type == OrganisationType.NHS_TRUST and not _ODS_TRUST.match(code):
        raise ValidationError(
            "An NHS trust's ODS code has 3 characters and starts with R or T, like RX2.",
            code="ods_trust",
        )
    if (
        org_type == OrganisationType.PRIMARY_CARE
        and len(code) == 6
        and not _ODS_PRACTICE.match(code)
    ):
        raise ValidationError(
            "A GP practice's ODS code is a letter followed by 5 numbers, like A81001.",
            code="ods_practice",
        )


class Organisation(TimeStampedModel):
    """A member organisation: an NHS trust, AHSN, practice, care home, charity, university…"""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    org_type = models.CharField("Type", max_length=20, choices=OrganisationType.choices)
    ods_code = models.CharField(
        "ODS code",
        max_length=6,
        blank=True,
        help_text="The NHS Organisation Data Service code, e.g. RX2. Required for NHS trusts.",
    )
    region = models.CharField(max_length=12, choices=Region.choices)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"],
                condition=~Q(ods_code=""),
                name="organisation_unique_ods",
                violation_error_message="Another organisation already has this ODS code.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:organisation_detail", args=[self.slug])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        self.ods_code = (self.ods_code or "").strip().upper()
        if self.ods_code:
            try:
                validate_ods_code(self.ods_code, self.org_type)
            except ValidationError as exc:
                raise ValidationError({"ods_code": exc.messages}) from exc
        elif self.org_type == OrganisationType.NHS_TRUST:
            raise ValidationError({"ods_code": "Enter the trust's ODS code, like RX2."})


class NationalProgramme(TimeStampedModel):
    """A national programme grouping regional collaboratives (e.g. the 15 PSCs)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="administered_programmes"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class CollaborativeKind(models.TextChoices):
    REGIONAL_PSC = "regional_psc", "Regional Patient Safety Collaborative"
    TOPIC = "topic", "Topic collaborative"


class Collaborative(TimeStampedModel):
    """A learning network of member organisations, led by faculty, running many QI projects."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=CollaborativeKind.choices)
    programme = models.ForeignKey(
        NationalProgramme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collaboratives",
        help_text="The national programme this collaborative belongs to, if any.",
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_collaboratives",
        help_text="Usually the AHSN that hosts the collaborative.",
    )
    sponsors = models.ManyToManyField(
        Organisation, blank=True, related_name="sponsored_collaboratives"
    )
    region = models.CharField(max_length=12, choices=Region.choices, blank=True)
    purpose = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    is_public = models.BooleanField(
        "Public page",
        default=True,
        help_text="Anyone can see the purpose, members, workstreams and themes.",
    )

    history = HistoricalRecords(m2m_fields=[sponsors])

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:collaborative_detail", args=[self.slug])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class CollaborativeMembershipQuerySet(models.QuerySet["CollaborativeMembership"]):
    def current(self) -> CollaborativeMembershipQuerySet:
        today = timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=today), joined_on__lte=today)


class CollaborativeMembership(TimeStampedModel):
    """An organisation's membership of a collaborative, with its programme manager (link person)."""

    collaborative = models.ForeignKey(
        Collaborative, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="collaborative_memberships"
    )
    programme_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_memberships",
        help_text="The organisation's link person for the collaborative.",
    )
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = CollaborativeMembershipQuerySet.as_manager()

    class Meta:
        ordering = ("organisation__name",)
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative", "organisation", "joined_on"],
                name="membership_unique_start",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.collaborative}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.joined_on <= today and (self.left_on is None or self.left_on > today)


class AffiliationRole(models.TextChoices):
    """A person's role within their organisation."""

    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    STAFF = "staff", "Staff member"
    PARTNER = "partner", "Lived-experience partner"
    VIEWER = "viewer", "Viewer"


class Affiliation(TimeStampedModel):
    """A person's membership of an organisation (people can belong to more than one)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="affiliations"
    )
    role = models.CharField(max_length=20, choices=AffiliationRole.choices, default="staff")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("organisation__name", "person__full_name")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=Q(ended_on__isnull=True),
                name="affiliation_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.organisation} ({self.get_role_display()})"


class CollaborativeRoleKind(models.TextChoices):
    LEAD = "lead", "Collaborative lead"
    FACULTY = "faculty", "Faculty"
    # A senior sponsor (e.g. an executive of a member or funding organisation): named on the
    # hub, sees the dashboard; not a coordinator (no private projects, no coaching view).
    SPONSOR = "sponsor", "Sponsor"


class CollaborativeRole(TimeStampedModel):
    """A person's leadership role in a collaborative: lead, faculty member or sponsor."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaborative_roles"
    )
    collaborative = models.ForeignKey(Collaborative, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=10, choices=CollaborativeRoleKind.choices)
    title = models.CharField(
        max_length=150, blank=True, help_text="e.g. Clinical lead, Improvement advisor."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("role", "person__full_name")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "collaborative", "role"], name="collaborative_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()}, {self.collaborative}"


class UnitKind(models.TextChoices):
    WARD = "ward", "Ward"
    TEAM = "team", "Team"
    SERVICE = "service", "Service"
    DEPARTMENT = "department", "Department"


class Unit(TimeStampedModel):
    """A work setting inside an organisation: a ward, team, service or department.

    Safety huddles run per unit, and culture surveys survey units; both use this one model so
    that a ward's huddle data and its culture results belong to the same place.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    kind = models.CharField(max_length=12, choices=UnitKind.choices, default=UnitKind.WARD)
    # Records dated before the unit opened are refused (e.g. a harm event on a ward that did
    # not exist yet).
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    # Occupied beds, where the unit has them: the exposure for rates per 1,000 bed days.
    beds = models.PositiveSmallIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("organisation__name", "name")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unit_slug_per_org"),
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_name_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class UnitRole(models.TextChoices):
    MEMBER = "member", "Staff member"
    LEADER = "leader", "Unit leader"


class UnitMember(TimeStampedModel):
    """A person who works in a unit; a leader manages it (e.g. a ward manager)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_memberships"
    )
    role = models.CharField(max_length=10, choices=UnitRole.choices, default=UnitRole.MEMBER)

    history = HistoricalRecords()

    class Meta:
        ordering = ("unit", "person__full_name")
        constraints = [
            models.UniqueConstraint(fields=["unit", "person"], name="unit_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.unit} ({self.get_role_display()})"
