"""People (the user model) and their API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class LivedExperience(models.TextChoices):
    """Why a person brings lived experience to the collaborative (co-production is counted)."""

    NONE = "", "None recorded"
    PATIENT = "patient", "Patient or service user"
    CARER = "carer", "Carer"
    FAMILY = "family", "Family member"


class Profession(models.TextChoices):
    NURSING = "nursing", "Nursing"
    MEDICAL = "medical", "Medical"
    PSYCHOLOGY = "psychology", "Psychology"
    PHARMACY = "pharmacy", "Pharmacy"
    AHP = "ahp", "Allied health professional"
    SOCIAL_WORK = "social_work", "Social work"
    HEALTHCARE_SUPPORT = "support", "Healthcare support worker"
    MANAGEMENT = "management", "Management and administration"
    QUALITY = "quality", "Quality improvement and patient safety"
    ACADEMIC = "academic", "Academic and research"
    LIVED_EXPERIENCE = "lived_experience", "Lived-experience partner"
    OTHER = "other", "Other"


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> Person:
        if not email:
            raise ValueError("A person needs an email address.")
        person = self.model(email=self.normalize_email(email).lower(), **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> Person:
        """Create an ordinary person."""
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Person:
        """Create a person with every permission (for operators; not a product role)."""
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):
    """A person using the platform: staff, faculty, partner with lived experience, or admin."""

    email = models.EmailField("Email address", unique=True)
    full_name = models.CharField("Full name", max_length=150)
    job_title = models.CharField("Job title", max_length=150, blank=True)
    profession = models.CharField(max_length=32, choices=Profession.choices, blank=True)
    lived_experience = models.CharField(
        "Lived experience",
        max_length=16,
        choices=LivedExperience.choices,
        blank=True,
        help_text="Patients, carers and family members who join as partners in improvement.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "Can use the admin site",
        default=False,
        help_text="Operators only; what they see there is still limited by their roles.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ("full_name",)
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("accounts:person_detail", args=[self.pk])

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def has_lived_experience(self) -> bool:
        return bool(self.lived_experience)


def hash_token(raw: str) -> str:
    """Tokens are stored as SHA-256 digests: they are long random strings, so no salt is needed."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token for scripts. Only its hash is stored; the key is shown once."""

    PREFIX = "qic_"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="What the token is for, e.g. 'ward data feed'."
    )
    key_prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a person's calendar subscription link (their learning sessions as .ics).

    Calendar apps cannot log in, so the link itself is the credential. It is deliberately
    not an :class:`ApiToken`: it opens one read-only feed and nothing else, and it lives in
    URLs (calendar settings, proxy logs), where a full API key must never be. Only its hash
    is stored; a person has at most one working link, and resetting it revokes the old one.
    """

    PREFIX = "cal_"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    key_prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(revoked_at__isnull=True),
                name="calendar_token_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar link of {self.person} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class InvitationKind(models.TextChoices):
    STAFF = "staff", "Join an organisation"
    ORGANISATION = "organisation", "Bring an organisation into a collaborative"


class Invitation(models.Model):
    """An emailed invitation to join an organisation, or to bring one into a collaborative.

    A programme manager invites staff of their organisation; a collaborative lead invites a
    member organisation's programme manager. Only the token's hash is stored.
    """

    kind = models.CharField(max_length=16, choices=InvitationKind.choices, default="staff")
    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    # Empty for an invitation to bring in an organisation not yet on qicollab: it is created
    # from ``organisation_details`` when the invitation is accepted.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    organisation_details = models.JSONField(
        default=dict,
        blank=True,
        help_text="For organisation invitations: name, type, ODS code and region to create.",
    )
    collaborative = models.ForeignKey(
        "organisations.Collaborative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    role = models.CharField(max_length=20, default="staff")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the latest email went out ("Send again" issues a new link and moves this on).
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="staff") | models.Q(organisation__isnull=False),
                name="invitation_staff_has_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="organisation") | models.Q(collaborative__isnull=False),
                name="invitation_organisation_has_collaborative",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.target_name}"

    @property
    def target_name(self) -> str:
        """The organisation the invitation is about, even before it exists on qicollab."""
        if self.organisation_id:
            return str(self.organisation)
        return str(self.organisation_details.get("name", ""))

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "Accepted"
        if self.revoked_at:
            return "Withdrawn"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Waiting"
