"""Learning from deaths: case records, screening, reviews, families, actions and shared learning.

Case records belong to one organisation and are seen only by its mortality-review team
(:class:`MortalityTeamMember`). They hold no names: a local case reference, and an NHS
number only where the organisation has switched it on, encrypted at rest.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qicollab.core.models import TimeStampedModel
from qicollab.deaths import choices as c
from qicollab.deaths.crypto import EncryptedTextField
from qicollab.deaths.identifiers import FinancialQuarter
from qicollab.organisations.models import Collaborative, Organisation

USER = settings.AUTH_USER_MODEL


class DeathsSettings(TimeStampedModel):
    """How one organisation runs learning from deaths (its programme manager or lead sets it)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="deaths_settings"
    )
    nhs_number_enabled = models.BooleanField(
        "Record NHS numbers",
        default=False,
        help_text="Only if your information governance lead has agreed. Stored encrypted.",
    )
    scale_orientation = models.CharField(
        "Avoidability scale numbering",
        max_length=10,
        choices=c.ScaleOrientation.choices,
        default=c.ScaleOrientation.HOGAN,
    )
    review_tool = models.CharField(
        "Review tool", max_length=5, choices=c.ReviewTool.choices, default=c.ReviewTool.MH
    )
    sample_rate = models.PositiveSmallIntegerField(
        "Sample of other deaths to review (%)",
        default=10,
        validators=[MaxValueValidator(100)],
        help_text="The share of deaths without a red flag that you also review.",
    )
    local_red_flags = models.TextField(
        "Local red flags",
        blank=True,
        help_text="One per line, e.g. 'Death within 7 days of a change of medication'.",
    )
    split_adult_ages = models.BooleanField(
        "Split adults 18 to 64 and 65 and over on the dashboard", default=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "learning from deaths settings"
        verbose_name_plural = "learning from deaths settings"

    def __str__(self) -> str:
        return f"Learning from deaths settings for {self.organisation}"

    @property
    def local_flag_list(self) -> list[str]:
        return [line.strip() for line in self.local_red_flags.splitlines() if line.strip()]


class MortalityTeamMember(TimeStampedModel):
    """A person on an organisation's mortality-review team: the only people who see its cases."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mortality_team"
    )
    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="mortality_teams")
    role = models.CharField(max_length=10, choices=c.TeamRole.choices, default=c.TeamRole.REVIEWER)

    history = HistoricalRecords()

    class Meta:
        ordering = ("organisation__name", "person__full_name")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="mortality_team_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.organisation})"


class DeathQuerySet(models.QuerySet["Death"]):
    def live(self) -> DeathQuerySet:
        return self.filter(deleted_at__isnull=True)

    def in_period(self, start: object, end: object) -> DeathQuerySet:
        return self.filter(date_of_death__gte=start, date_of_death__lte=end)


class Death(TimeStampedModel):
    """One death of a person in the organisation's care. Never a name."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deaths")
    case_reference = models.CharField(
        "Local case reference",
        max_length=40,
        help_text="Your own reference, e.g. LfD-2025-041. Never a name or NHS number.",
    )
    nhs_number = EncryptedTextField("NHS number", blank=True)
    nhs_number_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    date_of_death = models.DateField()
    age_band = models.CharField("Age at death", max_length=6, choices=c.AgeBand.choices)
    setting = models.CharField(
        "Where the person was in care", max_length=24, choices=c.Setting.choices
    )
    service = models.CharField("Service or team", max_length=150)
    category = models.CharField("Type of death", max_length=24, choices=c.Category.choices)
    learning_disability = models.BooleanField("The person had a learning disability", default=False)
    autism = models.BooleanField("The person was autistic", default=False)
    leder_status = models.CharField(
        "LeDeR referral", max_length=14, choices=c.LederStatus.choices, blank=True
    )
    leder_referred_on = models.DateField("Date referred to LeDeR", null=True, blank=True)
    leder_reference = models.CharField("LeDeR reference", max_length=40, blank=True)
    leder_reason = models.CharField("Why not referred", max_length=300, blank=True)
    notified_by = models.CharField("How you were told", max_length=20, choices=c.NotifiedBy.choices)
    notified_on = models.DateField("Date you were told", null=True, blank=True)
    in_scope = models.BooleanField(
        "In scope for learning from deaths",
        default=True,
        help_text="Counted on the dashboard. Record why if not.",
    )
    out_of_scope_reason = models.CharField("Why it is out of scope", max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deletion_reason = models.CharField(max_length=500, blank=True)

    # The audit history keeps everything but the NHS number, so deleting a case leaves a
    # tombstone (reference, dates, who and why) without the identifier.
    history = HistoricalRecords(excluded_fields=["nhs_number", "nhs_number_digest"])
    objects = DeathQuerySet.as_manager()

    class Meta:
        ordering = ("-date_of_death", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "case_reference"],
                condition=Q(deleted_at__isnull=True),
                name="death_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.case_reference

    @property
    def quarter(self) -> FinancialQuarter:
        """The NHS financial quarter of the date of death (Q1 = April to June)."""
        return FinancialQuarter.containing(self.date_of_death)

    @property
    def needs_leder(self) -> bool:
        return self.learning_disability or self.autism

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.needs_leder:
            if not self.leder_status:
                errors["leder_status"] = (
                    "Say whether the death has been referred to LeDeR: it must be for a person "
                    "with a learning disability or autistic person."
                )
            elif self.leder_status == c.LederStatus.REFERRED and not self.leder_referred_on:
                errors["leder_referred_on"] = "Enter the date the death was referred to LeDeR."
            elif self.leder_status == c.LederStatus.NOT_REFERRED and not self.leder_reason.strip():
                errors["leder_reason"] = "Say why the death has not been referred to LeDeR."
        if not self.in_scope and not self.out_of_scope_reason.strip():
            errors["out_of_scope_reason"] = "Say why this death is out of scope."
        if self.notified_on and self.notified_on < self.date_of_death:
            errors["notified_on"] = "The date you were told cannot be before the date of death."
        if errors:
            raise ValidationError(errors)


class Screening(TimeStampedModel):
    """Stage 1: which red flags apply, whether the death was sampled, and the response."""

    death = models.OneToOneField(Death, on_delete=models.CASCADE, related_name="screening")
    screened_on = models.DateField()
    screened_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    red_flags = models.JSONField(default=list, blank=True)
    local_flags = models.JSONField(default=list, blank=True)
    sampled = models.BooleanField("Chosen in the sample of other deaths", default=False)
    outcome = models.CharField(max_length=20, choices=c.ScreeningOutcome.choices)
    reason = models.TextField("Reason for the decision")

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Screening of {self.death}"

    @property
    def red_flag_labels(self) -> list[str]:
        labels = dict(c.RedFlag.choices)
        return [labels.get(f, f) for f in self.red_flags]

    @property
    def any_flag(self) -> bool:
        return bool(self.red_flags or self.local_flags)


class CaseReview(TimeStampedModel):
    """A structured judgement review (stage 1) or an independent second review (stage 2)."""

    death = models.ForeignKey(Death, on_delete=models.CASCADE, related_name="reviews")
    stage = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    method = models.CharField(max_length=12, choices=c.ReviewMethod.choices)
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=c.ReviewStatus.choices, default=c.ReviewStatus.DRAFT
    )
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    overall_rating = models.PositiveSmallIntegerField(
        "Overall care", choices=c.CareRating.choices, null=True, blank=True
    )
    overall_narrative = models.TextField("Overall judgement", blank=True)
    problems_found = models.BooleanField("Problems in care were found", null=True, blank=True)
    avoidability = models.CharField(
        max_length=16,
        choices=c.Avoidability.choices,
        blank=True,
        help_text="Stored by meaning; shown in the organisation's numbering.",
    )
    avoidability_number_entered = models.PositiveSmallIntegerField(null=True, blank=True)
    avoidability_scale_entered = models.CharField(
        max_length=10, choices=c.ScaleOrientation.choices, blank=True
    )
    good_practice = models.TextField("Good practice", blank=True)
    learning = models.TextField("Learning points", blank=True)
    disagrees_with_first = models.BooleanField("Disagrees with the first review", default=False)
    disagreement = models.TextField("Where and why the reviewers disagree", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("stage", "pk")
        constraints = [
            models.UniqueConstraint(fields=["death", "stage"], name="review_one_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} (stage {self.stage}) of {self.death}"

    @property
    def is_completed(self) -> bool:
        return self.status == c.ReviewStatus.COMPLETED

    @property
    def triggers_second_review(self) -> bool:
        return self.stage == 1 and self.is_completed and (self.overall_rating or 5) <= 2

    @property
    def more_likely_than_not(self) -> bool:
        return self.avoidability in c.MORE_LIKELY_THAN_NOT


class PhaseJudgement(models.Model):
    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(max_length=20)
    applicable = models.BooleanField(default=True)
    rating = models.PositiveSmallIntegerField(choices=c.CareRating.choices, null=True, blank=True)
    narrative = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "phase"], name="phase_once")]

    def __str__(self) -> str:
        return c.ALL_PHASES.get(self.phase, self.phase)

    @property
    def label(self) -> str:
        return c.ALL_PHASES.get(self.phase, self.phase)


class CareProblem(models.Model):
    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="problems")
    problem_type = models.CharField(max_length=16, choices=c.ProblemType.choices)
    harm = models.CharField(max_length=10, choices=c.Harm.choices)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "problem_type"], name="problem_type_once")
        ]

    def __str__(self) -> str:
        return self.get_problem_type_display()


class FamilyInvolvement(TimeStampedModel):
    """How the family or carers were involved (NQB guidance on working with bereaved families)."""

    death = models.OneToOneField(Death, on_delete=models.CASCADE, related_name="family")
    contacted = models.BooleanField("The family or carers were contacted", default=False)
    contacted_on = models.DateField("Date first contacted", null=True, blank=True)
    not_contacted_reason = models.CharField("Why not", max_length=300, blank=True)
    wanted_involvement = models.CharField(
        "They wanted to be involved in the review",
        max_length=3,
        choices=c.WantedInvolvement.choices,
        blank=True,
    )
    questions = models.TextField("Their questions and concerns", blank=True)
    involved_in_review = models.BooleanField("They were involved in the review", default=False)
    findings_shared_on = models.DateField("Date findings shared", null=True, blank=True)
    findings_shared_how = models.CharField(
        "How findings were shared", max_length=10, choices=c.FindingsSharedHow.choices, blank=True
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Family involvement for {self.death}"


class CandourRecord(TimeStampedModel):
    """Duty of candour (Regulation 20) steps, where the death was a notifiable safety incident."""

    death = models.OneToOneField(Death, on_delete=models.CASCADE, related_name="candour")
    applies = models.BooleanField("Duty of candour applies", default=False)
    harm_level = models.CharField(max_length=14, choices=c.CandourHarm.choices, blank=True)
    notified_in_person_on = models.DateField("Told in person on", null=True, blank=True)
    notified_by = models.CharField("Told by (role)", max_length=150, blank=True)
    apology_given = models.BooleanField("An apology was given", default=False)
    written_notification_on = models.DateField(
        "Written notification sent on", null=True, blank=True
    )
    findings_shared_on = models.DateField("Findings of enquiries shared on", null=True, blank=True)
    notes = models.TextField("Support offered and where the record is kept", blank=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Duty of candour for {self.death}"


class CaseAction(TimeStampedModel):
    """An action arising from a review, optionally carried out as a QI project."""

    death = models.ForeignKey(Death, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("Action")
    owner = models.CharField("Owner (name or role)", max_length=150)
    due_on = models.DateField("Due date")
    status = models.CharField(
        max_length=12, choices=c.ActionStatus.choices, default=c.ActionStatus.OPEN
    )
    completed_on = models.DateField(null=True, blank=True)
    impact = models.TextField("Impact of the action", blank=True)
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="death_actions",
        verbose_name="Linked QI project",
        help_text="The QI project carrying out this action, if there is one.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("due_on", "pk")

    def __str__(self) -> str:
        return self.description[:60]


class CaseName(TimeStampedModel):
    """A name mentioned in the case, kept only so the de-identification check can find it.

    Encrypted at rest and never shown outside the case record; no audit copy is kept.
    """

    death = models.ForeignKey(Death, on_delete=models.CASCADE, related_name="names")
    name = EncryptedTextField()
    role = models.CharField(max_length=10, choices=c.NameRole.choices)

    def __str__(self) -> str:
        return self.get_role_display()


class LearningTheme(models.Model):
    """A theme learning is filed under (recurring themes are counted across organisations)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class LearningSummary(TimeStampedModel):
    """What happened (de-identified), what was learned and what changed, for sharing."""

    death = models.OneToOneField(Death, on_delete=models.CASCADE, related_name="learning_summary")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="learning_summaries"
    )
    title = models.CharField(max_length=150)
    what_happened = models.TextField("What happened")
    what_learned = models.TextField("What was learned")
    what_changed = models.TextField("What changed as a result")
    phase_of_care = models.CharField(max_length=20, choices=list(c.ALL_PHASES.items()))
    themes = models.ManyToManyField(LearningTheme, related_name="summaries")
    status = models.CharField(
        max_length=20, choices=c.SummaryStatus.choices, default=c.SummaryStatus.DRAFT
    )
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)
    approver = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    collaboratives = models.ManyToManyField(
        Collaborative, blank=True, related_name="shared_learning"
    )
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords(m2m_fields=[themes, collaboratives])

    class Meta:
        ordering = ("-shared_at", "-pk")
        verbose_name_plural = "learning summaries"

    def __str__(self) -> str:
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.status == c.SummaryStatus.SHARED


class CaseAccess(models.Model):
    """One read of a case record: who, when, how. Append-only; the programme manager reads it."""

    death = models.ForeignKey(Death, on_delete=models.CASCADE, related_name="access_log")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=10, choices=c.AccessAction.choices)
    what = models.CharField(max_length=120)

    class Meta:
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.person} {self.get_action_display().lower()} {self.death} ({self.what})"
