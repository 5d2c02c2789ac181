"""The vocabularies of learning from deaths, and the avoidability scale's two numberings.

Avoidability is stored by its *meaning* (:class:`Avoidability`) and shown in the numbering
the organisation chose (:class:`ScaleOrientation`), because published forms number the
six-point Hogan scale in opposite directions:

>>> avoidability_number(Avoidability.PROBABLY, ScaleOrientation.HOGAN)
4
>>> avoidability_number(Avoidability.PROBABLY, ScaleOrientation.REVERSE)
3
>>> avoidability_from_number(3, ScaleOrientation.REVERSE) == Avoidability.PROBABLY
True
"""

from __future__ import annotations

from django.db import models


class ScaleOrientation(models.TextChoices):
    HOGAN = "hogan", "Hogan: 1 = definitely not avoidable, 6 = definitely avoidable"
    REVERSE = "reverse", "Reversed: 1 = definitely avoidable, 6 = definitely not avoidable"


class ReviewTool(models.TextChoices):
    SJR = "sjr", "Royal College of Physicians Structured Judgement Review"
    MH = "mh", "Royal College of Psychiatrists care review tool (mental health)"


class Avoidability(models.TextChoices):
    """The six levels of the Hogan scale, in order of increasing avoidability."""

    DEFINITELY_NOT = "definitely_not", "Definitely not avoidable"
    SLIGHT = "slight", "Slight evidence of avoidability"
    POSSIBLY = "possibly", "Possibly avoidable but not very likely (less than 50:50)"
    PROBABLY = "probably", "Probably avoidable (more than 50:50)"
    STRONG = "strong", "Strong evidence of avoidability"
    DEFINITELY = "definitely", "Definitely avoidable"


AVOIDABILITY_ORDER: tuple[str, ...] = tuple(a.value for a in Avoidability)

#: "More likely than not due to problems in care" (NQB): probably avoidable or worse.
MORE_LIKELY_THAN_NOT: frozenset[str] = frozenset(
    {Avoidability.PROBABLY, Avoidability.STRONG, Avoidability.DEFINITELY}
)


def avoidability_number(meaning: str, orientation: str) -> int:
    """The number ``meaning`` has on the organisation's scale."""
    rank = AVOIDABILITY_ORDER.index(meaning) + 1
    return rank if orientation == ScaleOrientation.HOGAN else 7 - rank


def avoidability_from_number(number: int, orientation: str) -> Avoidability:
    """The meaning of ``number`` (1-6) on the organisation's scale."""
    if not 1 <= number <= 6:
        raise ValueError("The avoidability scale runs from 1 to 6.")
    rank = number if orientation == ScaleOrientation.HOGAN else 7 - number
    return Avoidability(AVOIDABILITY_ORDER[rank - 1])


def avoidability_choices(orientation: str) -> list[tuple[str, str]]:
    """Radio choices ``(number, "number \u2013 meaning")`` in the organisation's numbering."""
    items = [(avoidability_number(a, orientation), a.label) for a in Avoidability]
    return [(str(n), f"{n} \u2013 {label}") for n, label in sorted(items)]


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", "Under 18"
    A18 = "18-24", "18 to 24"
    A25 = "25-34", "25 to 34"
    A35 = "35-44", "35 to 44"
    A45 = "45-54", "45 to 54"
    A55 = "55-64", "55 to 64"
    A65 = "65-74", "65 to 74"
    A75 = "75-84", "75 to 84"
    A85 = "85+", "85 and over"


ADULT_18_64: frozenset[str] = frozenset({"18-24", "25-34", "35-44", "45-54", "55-64"})
ADULT_65_PLUS: frozenset[str] = frozenset({"65-74", "75-84", "85+"})


class Setting(models.TextChoices):
    INPATIENT = "inpatient", "Inpatient ward"
    RECENTLY_DISCHARGED = "recently_discharged", "Recently discharged from inpatient care"
    CRISIS = "crisis", "Crisis resolution or home treatment team"
    COMMUNITY = "community", "Community mental health or community health service"
    EMERGENCY = "emergency", "Emergency department or liaison service"
    CARE_HOME = "care_home", "Care home"
    HOSPICE = "hospice", "Hospice"
    OTHER = "other", "Other"


class Category(models.TextChoices):
    EXPECTED_NATURAL = "expected_natural", "Expected natural death"
    UNEXPECTED_NATURAL = "unexpected_natural", "Unexpected natural death"
    SUSPECTED_SUICIDE = "suspected_suicide", "Suspected suicide"
    HOMICIDE = "homicide", "Homicide"
    ACCIDENTAL = "accidental", "Accidental death"
    UNKNOWN = "unknown", "Not known yet"


class NotifiedBy(models.TextChoices):
    WARD = "ward", "Ward or team where the person died"
    INCIDENT = "incident", "Incident report"
    SPINE = "spine", "NHS Spine or demographic service"
    CORONER = "coroner", "Coroner"
    FAMILY = "family", "Family or carers"
    GP = "gp", "GP or primary care"
    POLICE = "police", "Police"
    MEDICAL_EXAMINER = "medical_examiner", "Medical examiner"
    OTHER = "other", "Other"


class LederStatus(models.TextChoices):
    NOT_APPLICABLE = "", "Not applicable"
    REFERRED = "referred", "Referred to LeDeR"
    PENDING = "pending", "Not referred yet"
    NOT_REFERRED = "not_referred", "Not referred (give the reason)"


class RedFlag(models.TextChoices):
    """The Royal College of Psychiatrists care review tool's stage 1 red flags."""

    CONCERN = "concern", "Family, carers or staff raised concerns about care"
    PSYCHOSIS_OR_ED = (
        "psychosis_or_ed",
        "Psychosis or an eating disorder during the last episode of care",
    )
    INPATIENT = "inpatient", "Psychiatric inpatient at the time of death, or recently discharged"
    CRISIS_TEAM = (
        "crisis_team",
        "Under a crisis resolution or home treatment team at the time of death",
    )


class ScreeningOutcome(models.TextChoices):
    NO_FURTHER_REVIEW = "none", "No further review"
    CASE_RECORD_REVIEW = "case_record_review", "Case record review"
    SJR = "sjr", "Structured judgement review"
    LEDER = "leder", "Referral to LeDeR"
    PSII = "psii", "Patient safety incident investigation (PSII)"


REVIEW_OUTCOMES = frozenset({ScreeningOutcome.CASE_RECORD_REVIEW, ScreeningOutcome.SJR})


class SjrPhase(models.TextChoices):
    ADMISSION = "admission", "Admission and initial care (first 24 hours)"
    ONGOING = "ongoing", "Ongoing care"
    PROCEDURE = "procedure", "Care during a procedure"
    PERIOPERATIVE = "perioperative", "Perioperative care"
    END_OF_LIFE = "end_of_life", "End-of-life care (or discharge care)"
    OVERALL = "overall", "Assessment of care overall"


class MhPhase(models.TextChoices):
    """Phases used with the mental-health care review tool (set locally; see the docs)."""

    ASSESSMENT = "mh_assessment", "Assessment and initial care"
    CARE_PLANNING = "mh_care_planning", "Care planning, risk assessment and treatment"
    ONGOING = "mh_ongoing", "Ongoing care and engagement"
    TRANSITIONS = "mh_transitions", "Transitions: admission, discharge and transfers"
    PHYSICAL_HEALTH = "mh_physical_health", "Physical health care"
    FAMILY = "mh_family", "Involvement of family and carers"
    OVERALL = "mh_overall", "Assessment of care overall"


ALL_PHASES: dict[str, str] = {**dict(SjrPhase.choices), **dict(MhPhase.choices)}


def phases_for(tool: str) -> list[tuple[str, str]]:
    return list(MhPhase.choices if tool == ReviewTool.MH else SjrPhase.choices)


class CareRating(models.IntegerChoices):
    VERY_POOR = 1, "1 \u2013 Very poor"
    POOR = 2, "2 \u2013 Poor"
    ADEQUATE = 3, "3 \u2013 Adequate"
    GOOD = 4, "4 \u2013 Good"
    EXCELLENT = 5, "5 \u2013 Excellent"


class ProblemType(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment, investigation or diagnosis"
    MEDICATION = "medication", "Medication, IV fluids, electrolytes or oxygen"
    TREATMENT = "treatment", "Treatment and management plan"
    INFECTION = "infection", "Infection management"
    PROCEDURE = "procedure", "Operation or invasive procedure"
    MONITORING = (
        "monitoring",
        "Clinical monitoring, including recognising and responding to deterioration",
    )
    RESUSCITATION = "resuscitation", "Resuscitation following a cardiac or respiratory arrest"
    COMMUNICATION = "communication", "Communication, including with family and between teams"
    OTHER = "other", "Other"


class Harm(models.TextChoices):
    NO = "no", "Did not lead to harm"
    PROBABLY = "probably", "Probably led to harm"
    YES = "yes", "Led to harm"


class ReviewMethod(models.TextChoices):
    SJR = "sjr", "Structured judgement review (RCP)"
    MH = "mh", "Care review (RCPsych tool)"
    CASE_RECORD = "case_record", "Case record review"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    COMPLETED = "completed", "Completed"


class FindingsSharedHow(models.TextChoices):
    NOT_YET = "", "Not shared yet"
    MEETING = "meeting", "In a meeting"
    PHONE = "phone", "By phone"
    LETTER = "letter", "By letter or email"
    DECLINED = "declined", "Family did not want the findings"


class WantedInvolvement(models.TextChoices):
    NOT_ASKED = "", "Not asked yet"
    YES = "yes", "Yes"
    NO = "no", "No"


class CandourHarm(models.TextChoices):
    DEATH = "death", "Death"
    SEVERE = "severe", "Severe harm"
    MODERATE = "moderate", "Moderate harm"
    PSYCHOLOGICAL = "psychological", "Prolonged psychological harm"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class TeamRole(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    LEAD = "lead", "Mortality review lead"


class NameRole(models.TextChoices):
    PATIENT = "patient", "The person who died"
    FAMILY = "family", "Family member or carer"
    STAFF = "staff", "Member of staff"
    OTHER = "other", "Someone else"


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
    SHARED = "shared", "Approved and shared"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    EDIT = "edit", "Opened to edit"
    EXPORT = "export", "Exported"
    API = "api", "Read through the API"
