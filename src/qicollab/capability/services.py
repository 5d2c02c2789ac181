"""Writes for the 3 L's (subject areas, self-assessments) and training records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qicollab.accounts.roles import roles_for
from qicollab.capability.defaults import DEFAULT_SUBJECTS
from qicollab.capability.models import (
    AssessmentItem,
    Attendance,
    Cohort,
    CohortSession,
    Course,
    Enrolment,
    EnrolmentStatus,
    Level,
    SelfAssessment,
    SubjectArea,
)
from qicollab.core.services import apply_fields, check_version, save_as
from qicollab.organisations.models import Collaborative


@dataclass(frozen=True)
class Answer:
    level: int
    evidence: str = ""


def subject_areas_seed(*, actor: Any, collaborative: Collaborative) -> int:
    """Add any of the default subject areas the collaborative does not have yet."""
    if not actor.has_perm("capability.manage_framework", collaborative):
        raise PermissionDenied
    made = 0
    with transaction.atomic():
        for order, (slug, name, learn, live, lead) in enumerate(DEFAULT_SUBJECTS):
            _, created = SubjectArea.objects.get_or_create(
                collaborative=collaborative,
                slug=slug,
                defaults={
                    "name": name,
                    "order": order,
                    "learn_descriptor": learn,
                    "live_descriptor": live,
                    "lead_descriptor": lead,
                },
            )
            made += created
    return made


def _member_org_id(person: Any, collaborative: Collaborative) -> int | None:
    """The person's organisation in this collaborative (lowest id if they have several)."""
    r = roles_for(person)
    orgs = sorted(r.own_org_ids & r.collab_org_ids.get(collaborative.pk, frozenset()))
    return orgs[0] if orgs else None


def self_assessment_create(
    *,
    actor: Any,
    collaborative: Collaborative,
    answers: Mapping[int, Answer],
    assessed_on: dt.date | None = None,
    note: str = "",
) -> SelfAssessment:
    """Record a complete assessment: one level for every active subject area.

    A missing subject is refused with a message naming it, so the set stays comparable
    from one learning session to the next.
    """
    if not actor.has_perm("capability.assess_in", collaborative):
        raise PermissionDenied
    subjects = list(SubjectArea.objects.filter(collaborative=collaborative, is_active=True))
    if not subjects:
        raise ValidationError("This collaborative has no subject areas to assess yet.")
    by_id = {s.pk: s for s in subjects}
    missing = [s.name for s in subjects if s.pk not in answers]
    if missing:
        raise ValidationError(
            "Choose a level for every subject area. Missing: " + ", ".join(missing) + "."
        )
    unknown = set(answers) - set(by_id)
    if unknown:
        raise ValidationError("One of the subject areas is not part of this collaborative.")
    for sid, ans in answers.items():
        if ans.level not in Level.values:
            raise ValidationError(f"Choose Learn, Live or Lead for {by_id[sid].name}.")
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise ValidationError("The assessment date cannot be in the future.")
    with transaction.atomic():
        assessment = SelfAssessment.objects.create(
            person=actor,
            collaborative=collaborative,
            organisation_id=_member_org_id(actor, collaborative),
            assessed_on=assessed_on,
            note=note[:200],
        )
        AssessmentItem.objects.bulk_create(
            AssessmentItem(
                assessment=assessment,
                subject=by_id[sid],
                level=ans.level,
                evidence=ans.evidence.strip(),
            )
            for sid, ans in answers.items()
        )
    return assessment


# --- Training records -----------------------------------------------------------------

COURSE_FIELDS = ("title", "slug", "category", "level", "description", "duration", "provider")
COHORT_FIELDS = (
    "name",
    "starts_on",
    "ends_on",
    "delivery",
    "venue",
    "online_link",
    "facilitator",
    "capacity",
)


def _validation(exc: ValidationError) -> ValidationError:
    """A model's ``full_clean`` error, with the unique-slug message said plainly."""
    if "__all__" in getattr(exc, "message_dict", {}) and any(
        "slug" in m.lower() for m in exc.message_dict["__all__"]
    ):
        return ValidationError(
            {"slug": "Another course in this collaborative uses this short name."}
        )
    return exc


def course_save(
    *,
    actor: Any,
    collaborative: Collaborative,
    data: Mapping[str, Any],
    course: Course | None = None,
    version: str | None = None,
) -> Course:
    """Create a course (``course=None``) or change one; faculty and leads only."""
    if not actor.has_perm("capability.manage_training", collaborative):
        raise PermissionDenied
    if course is not None and course.collaborative_id != collaborative.pk:
        raise PermissionDenied
    with transaction.atomic():
        if course is None:
            course = Course(collaborative=collaborative)
        else:
            check_version(course, version)
        apply_fields(course, {k: data[k] for k in (*COURSE_FIELDS, "is_active") if k in data})
        try:
            save_as(course, actor)
        except ValidationError as exc:
            raise _validation(exc) from None
    return course


def cohort_save(
    *,
    actor: Any,
    course: Course,
    data: Mapping[str, Any],
    session_dates: list[dt.date] | None = None,
    cohort: Cohort | None = None,
    version: str | None = None,
) -> Cohort:
    """Create or change a cohort; ``session_dates`` (if given) become its taught dates.

    Dates that already have attendance are kept even if left out, so a record is never
    lost by editing the cohort.
    """
    if not actor.has_perm("capability.manage_training", course.collaborative):
        raise PermissionDenied
    with transaction.atomic():
        if cohort is None:
            cohort = Cohort(course=course)
        else:
            if cohort.course_id != course.pk:
                raise PermissionDenied
            check_version(cohort, version)
        apply_fields(cohort, {k: data[k] for k in COHORT_FIELDS if k in data})
        if cohort.capacity is not None and cohort.pk:
            taken = cohort.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).count()
            if cohort.capacity < taken:
                raise ValidationError(
                    {
                        "capacity": f"{taken} people are already enrolled; "
                        "the capacity cannot be lower."
                    }
                )
        save_as(cohort, actor)
        if session_dates is not None:
            wanted = set(session_dates)
            existing = {s.held_on: s for s in cohort.sessions.all()}
            for day in sorted(wanted - set(existing)):
                CohortSession.objects.create(cohort=cohort, held_on=day)
            for day, sess in existing.items():
                if day not in wanted and not sess.attendance.exists():
                    sess.delete()
    return cohort


def enrolment_create(*, actor: Any, cohort: Cohort, person: Any) -> Enrolment:
    """Put ``person`` on ``cohort``: themselves if they are a member of the collaborative,
    anyone in a member organisation if the actor runs the cohort.

    The cohort row is locked while places are counted, so two people taking the last place
    at the same moment cannot both get it. A withdrawn person who enrols again is re-enrolled.
    """
    collab = cohort.course.collaborative
    runs = actor.has_perm("capability.run_cohort", cohort)
    if person.pk == actor.pk:
        if not (runs or actor.has_perm("capability.assess_in", collab)):
            raise PermissionDenied
    elif not runs:
        raise PermissionDenied
    org_id = _member_org_id(person, collab)
    if org_id is None and not runs:
        raise ValidationError("Only people in the collaborative's member organisations can enrol.")
    if not cohort.course.is_active:
        raise ValidationError("This course is no longer taking enrolments.")
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        existing = Enrolment.objects.filter(cohort=locked, person=person).first()
        if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
            raise ValidationError(f"{person} is already on this cohort.")
        taken = locked.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).count()
        if locked.capacity is not None and taken >= locked.capacity:
            raise ValidationError("This cohort is full.")
        e = existing or Enrolment(cohort=locked, person=person)
        e.organisation_id = org_id
        e.status = EnrolmentStatus.ENROLLED
        e.withdrawn_on = None
        e.enrolled_on = timezone.localdate()
        save_as(e, actor)
    return e


def _require_runner(actor: Any, enrolment: Enrolment) -> None:
    if not actor.has_perm("capability.run_cohort", enrolment.cohort):
        raise PermissionDenied


def enrolment_complete(*, actor: Any, enrolment: Enrolment, completed_on: dt.date) -> Enrolment:
    """Record completion (which earns the certificate and counts as trained)."""
    _require_runner(actor, enrolment)
    if completed_on > timezone.localdate():
        raise ValidationError("The completion date cannot be in the future.")
    if completed_on < enrolment.cohort.starts_on:
        raise ValidationError("The completion date cannot be before the cohort started.")
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_on = completed_on
    enrolment.withdrawn_on = None
    save_as(enrolment, actor)
    return enrolment


def enrolment_withdraw(
    *, actor: Any, enrolment: Enrolment, withdrawn_on: dt.date | None = None
) -> Enrolment:
    """Withdraw: by the cohort's runners, or the person themselves before completing."""
    own = enrolment.person_id == actor.pk
    if not (own or actor.has_perm("capability.run_cohort", enrolment.cohort)):
        raise PermissionDenied
    if (
        own
        and enrolment.is_completed
        and not actor.has_perm("capability.run_cohort", enrolment.cohort)
    ):
        raise ValidationError("A completed course cannot be withdrawn from.")
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_on = withdrawn_on or timezone.localdate()
    enrolment.completed_on = None
    save_as(enrolment, actor)
    return enrolment


def attendance_mark(*, actor: Any, session: CohortSession, present: set[int]) -> int:
    """Record who came to one taught date: enrolments in ``present`` came, the rest did not.

    Withdrawn people are left alone. Returns the number of people marked present.
    """
    if not actor.has_perm("capability.run_cohort", session.cohort):
        raise PermissionDenied
    enrolments = list(session.cohort.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN))
    unknown = present - {e.pk for e in enrolments}
    if unknown:
        raise ValidationError("Someone marked present is not enrolled on this cohort.")
    with transaction.atomic():
        existing = {a.enrolment_id: a for a in session.attendance.all()}
        for e in enrolments:
            here = e.pk in present
            row = existing.get(e.pk)
            if row is None:
                Attendance.objects.create(enrolment=e, session=session, present=here)
            elif row.present != here:
                row.present = here
                row.save(update_fields=["present"])
    return len(present)
