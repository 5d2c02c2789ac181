"""Writes for learning from deaths. Each is one transaction and leaves an audit record.

Business rules live here (forms only check shapes): a red flag needs a review, a second
review needs a different reviewer, a summary is shared only after the de-identification
check and a lead's approval.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.accounts.roles import roles_for
from qicollab.core.services import apply_fields, check_version, delete_as, save_as
from qicollab.deaths import choices as c
from qicollab.deaths import crypto, deid
from qicollab.deaths.access import forget_team_roles
from qicollab.deaths.identifiers import format_nhs_number, is_valid_nhs_number, normalise_nhs_number
from qicollab.deaths.models import (
    CandourRecord,
    CareProblem,
    CaseAccess,
    CaseAction,
    CaseName,
    CaseReview,
    Death,
    DeathsSettings,
    FamilyInvolvement,
    LearningSummary,
    LearningTheme,
    MortalityTeamMember,
    PhaseJudgement,
    Screening,
)
from qicollab.notifications.services import notify
from qicollab.organisations.models import Collaborative, Organisation


class DeidentificationError(Exception):
    """The summary still contains something that could identify a person."""

    def __init__(self, findings: list[deid.Finding]) -> None:
        super().__init__("The summary contains identifying details.")
        self.findings = findings


# --- settings and team ------------------------------------------------------------------


@transaction.atomic
def settings_update(
    *, actor: Person, organisation: Organisation, data: dict[str, Any]
) -> DeathsSettings:
    obj, _ = DeathsSettings.objects.get_or_create(organisation=organisation)
    apply_fields(obj, data)
    save_as(obj, actor)
    return obj


@transaction.atomic
def team_member_set(
    *, actor: Person, organisation: Organisation, person: Person, role: str
) -> MortalityTeamMember:
    """Add ``person`` to the team (or change their role). They must belong to the organisation."""
    if organisation.pk not in roles_for(person).own_org_ids:
        raise ValidationError(
            {
                "person": f"{person} does not belong to {organisation.display_name}. Invite "
                "them to the organisation first."
            }
        )
    member = MortalityTeamMember.objects.filter(organisation=organisation, person=person).first()
    member = member or MortalityTeamMember(organisation=organisation, person=person)
    member.role = role
    save_as(member, actor)
    forget_team_roles(person)
    return member


@transaction.atomic
def team_member_remove(*, actor: Person, member: MortalityTeamMember) -> None:
    delete_as(member, actor)
    forget_team_roles(member.person)


# --- case records -----------------------------------------------------------------------


def _nhs_number(organisation: Organisation, raw: str, *, exclude_pk: int | None = None) -> str:
    digits = normalise_nhs_number(raw)
    if not digits:
        return ""
    settings = DeathsSettings.objects.filter(organisation=organisation).first()
    if settings is None or not settings.nhs_number_enabled:
        raise ValidationError(
            {"nhs_number": "Your organisation does not record NHS numbers. Leave this blank."}
        )
    if len(digits) != 10 or not digits.isdigit():
        raise ValidationError({"nhs_number": "Enter a 10-digit NHS number, like 943 476 5919."})
    if not is_valid_nhs_number(digits):
        raise ValidationError(
            {
                "nhs_number": "This is not a valid NHS number: check each digit (the last is a "
                "check digit)."
            }
        )
    duplicate = (
        Death.objects.live()
        .filter(organisation=organisation, nhs_number_digest=crypto.digest(digits))
        .exclude(pk=exclude_pk or 0)
        .first()
    )
    if duplicate is not None:
        raise ValidationError(
            {
                "nhs_number": "This NHS number is already recorded as case "
                f"{duplicate.case_reference}."
            }
        )
    return digits


def _check_reference(
    organisation: Organisation, reference: str, exclude_pk: int | None = None
) -> None:
    names = [n.name for n in CaseName.objects.filter(death_id=exclude_pk)] if exclude_pk else []
    problem = deid.reference_problem(reference, names=names)
    if problem:
        raise ValidationError({"case_reference": problem})
    clash = Death.objects.live().filter(organisation=organisation, case_reference__iexact=reference)
    if clash.exclude(pk=exclude_pk or 0).exists():
        raise ValidationError(
            {"case_reference": f"Case {reference} already exists. Use a different reference."}
        )


def _clean_leder(death: Death) -> None:
    if not death.needs_leder:
        death.leder_status = ""
    if death.leder_status != c.LederStatus.REFERRED:
        death.leder_referred_on = None
        death.leder_reference = ""
    if death.leder_status != c.LederStatus.NOT_REFERRED:
        death.leder_reason = ""
    if death.in_scope:
        death.out_of_scope_reason = ""


@transaction.atomic
def case_create(*, actor: Person, organisation: Organisation, data: dict[str, Any]) -> Death:
    data = dict(data)
    reference = data.pop("case_reference").strip()
    _check_reference(organisation, reference)
    nhs = _nhs_number(organisation, data.pop("nhs_number", "") or "")
    if data.get("date_of_death") and data["date_of_death"] > timezone.localdate():
        raise ValidationError({"date_of_death": "The date of death must be today or in the past."})
    death = Death(organisation=organisation, case_reference=reference, created_by=actor, **data)
    death.nhs_number = nhs
    death.nhs_number_digest = crypto.digest(nhs)
    _clean_leder(death)
    save_as(death, actor)
    return death


@transaction.atomic
def case_update(
    *, actor: Person, death: Death, data: dict[str, Any], loaded_version: str = ""
) -> Death:
    check_version(death, loaded_version)
    data = dict(data)
    reference = data.pop("case_reference", death.case_reference).strip()
    _check_reference(death.organisation, reference, exclude_pk=death.pk)
    if "nhs_number" in data:
        nhs = _nhs_number(death.organisation, data.pop("nhs_number") or "", exclude_pk=death.pk)
        death.nhs_number = nhs
        death.nhs_number_digest = crypto.digest(nhs)
    if data.get("date_of_death") and data["date_of_death"] > timezone.localdate():
        raise ValidationError({"date_of_death": "The date of death must be today or in the past."})
    death.case_reference = reference
    apply_fields(death, data)
    _clean_leder(death)
    save_as(death, actor)
    return death


@transaction.atomic
def case_delete(*, actor: Person, death: Death, reason: str) -> None:
    """Soft delete: the case disappears everywhere, leaving a tombstone in its audit history.

    Identifiers go: the NHS number is erased and the names kept for the check are deleted.
    """
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(
            {"reason": "Say why this case is being deleted (at least 10 characters)."}
        )
    death.deleted_at = timezone.now()
    death.deleted_by = actor
    death.deletion_reason = reason
    death.nhs_number = ""
    death.nhs_number_digest = ""
    death.names.all().delete()
    save_as(death, actor)
    LearningSummary.objects.filter(death=death, status=c.SummaryStatus.SHARED).update(
        status=c.SummaryStatus.WITHDRAWN, withdrawn_reason="The case was deleted."
    )


def case_access_record(*, actor: Person, death: Death, action: str, what: str) -> None:
    """Write one line to the access log: every read of a case record is recorded."""
    CaseAccess.objects.create(
        death=death,
        organisation_id=death.organisation_id,
        person=actor,
        action=action,
        what=what[:120],
    )


def case_open(
    *, viewer: Person, organisation: Organisation, pk: int, action: str, what: str
) -> Death | None:
    """The live case ``pk`` of ``organisation``, authorised and logged in one step.

    ``None`` when the viewer is not on the organisation's mortality-review team or there is
    no such case (the caller answers 404 either way, so existence does not leak). Pages and
    the API both open cases here, so a read can never skip the access log.
    """
    from qicollab.deaths.selectors import case_get

    death = case_get(viewer=viewer, organisation=organisation, pk=pk)
    if death is not None:
        case_access_record(actor=viewer, death=death, action=action, what=what)
    return death


@transaction.atomic
def cases_export_record(*, actor: Person, deaths: Iterable[Death], what: str) -> None:
    """Log every case in an export, in one transaction and one INSERT.

    Either the whole export is in the access log or none of it is (the export is not served
    if logging fails).
    """
    CaseAccess.objects.bulk_create(
        CaseAccess(
            death=d,
            organisation_id=d.organisation_id,
            person=actor,
            action=c.AccessAction.EXPORT,
            what=what[:120],
        )
        for d in deaths
    )


def nhs_number_display(death: Death) -> str:
    return format_nhs_number(death.nhs_number) if death.nhs_number else ""


# --- screening --------------------------------------------------------------------------


def in_sample(death: Death, rate: int) -> bool:
    """Whether the organisation's random sample picks this death.

    Deterministic (a hash of the organisation and case reference), so the sample can be
    reproduced and audited, and cannot be nudged by re-screening.
    """
    if rate <= 0:
        return False
    h = hashlib.sha256(f"{death.organisation_id}:{death.case_reference}".encode()).digest()
    return int.from_bytes(h[:4], "big") % 100 < rate


@transaction.atomic
def screening_save(*, actor: Person, death: Death, data: dict[str, Any]) -> Screening:
    red_flags = [f for f in data.get("red_flags", []) if f in c.RedFlag.values]
    settings = DeathsSettings.objects.filter(organisation_id=death.organisation_id).first()
    allowed_local = settings.local_flag_list if settings else []
    local_flags = [f for f in data.get("local_flags", []) if f in allowed_local]
    outcome = data["outcome"]
    sampled = bool(data.get("sampled"))
    if outcome == c.ScreeningOutcome.NO_FURTHER_REVIEW and (red_flags or local_flags or sampled):
        why = "has a red flag" if red_flags or local_flags else "was chosen in the sample"
        raise ValidationError(
            {
                "outcome": f"This death {why}, so it needs a review: choose case record review, "
                "structured judgement review, LeDeR referral or PSII."
            }
        )
    if outcome == c.ScreeningOutcome.LEDER and not death.needs_leder:
        raise ValidationError(
            {
                "outcome": "LeDeR reviews the deaths of people with a learning disability and "
                "autistic "
                "people. Record that on the case first, or choose another response."
            }
        )
    if not (data.get("reason") or "").strip():
        raise ValidationError({"reason": "Give the reason for the decision."})
    screening = Screening.objects.filter(death=death).first() or Screening(death=death)
    screening.screened_on = data.get("screened_on") or timezone.localdate()
    screening.screened_by = actor
    screening.red_flags = red_flags
    screening.local_flags = local_flags
    screening.sampled = sampled
    screening.outcome = outcome
    screening.reason = data["reason"].strip()
    save_as(screening, actor)
    return screening


# --- reviews ----------------------------------------------------------------------------


def review_method_for(death: Death) -> str:
    settings = DeathsSettings.objects.filter(organisation_id=death.organisation_id).first()
    screening = Screening.objects.filter(death=death).first()
    if screening and screening.outcome == c.ScreeningOutcome.CASE_RECORD_REVIEW:
        return c.ReviewMethod.CASE_RECORD
    tool = settings.review_tool if settings else c.ReviewTool.MH
    return c.ReviewMethod.MH if tool == c.ReviewTool.MH else c.ReviewMethod.SJR


@transaction.atomic
def review_start(*, actor: Person, death: Death, stage: int) -> CaseReview:
    existing = {r.stage: r for r in death.reviews.all()}
    if stage in existing:
        return existing[stage]
    if stage == 2:
        first = existing.get(1)
        if first is None or not first.is_completed:
            raise ValidationError("Complete the first review before starting a second review.")
        if first.reviewer_id == actor.pk:
            raise ValidationError(
                "A second review must be done by someone other than the first reviewer."
            )
    elif stage != 1:
        raise ValidationError("A review is stage 1 or stage 2.")
    review = CaseReview(
        death=death,
        stage=stage,
        method=review_method_for(death),
        reviewer=actor,
        started_on=timezone.localdate(),
    )
    save_as(review, actor)
    return review


def phase_codes(review: CaseReview) -> list[tuple[str, str]]:
    tool: str = c.ReviewTool.MH if review.method == c.ReviewMethod.MH else c.ReviewTool.SJR
    if review.method == c.ReviewMethod.CASE_RECORD:
        settings = DeathsSettings.objects.filter(
            organisation_id=review.death.organisation_id
        ).first()
        tool = settings.review_tool if settings else c.ReviewTool.MH
    return c.phases_for(tool)


@transaction.atomic
def review_save(
    *,
    actor: Person,
    review: CaseReview,
    data: dict[str, Any],
    complete: bool,
    loaded_version: str = "",
) -> CaseReview:
    """Save a review (a draft, or ``complete``). Completing checks every judgement is made.

    ``data["phases"]``: {code: (rating or None, applicable, narrative)};
    ``data["problems"]``: {type: (harm, description)} for the problem types found;
    ``data["avoidability_number"]``: the number on the organisation's scale, or None.
    """
    check_version(review, loaded_version)
    if review.reviewer_id != actor.pk:
        raise ValidationError("Only the reviewer can change this review.")
    if review.is_completed:
        raise ValidationError("This review is complete. Reopen it to change it.")
    settings = DeathsSettings.objects.filter(organisation_id=review.death.organisation_id).first()
    orientation = settings.scale_orientation if settings else c.ScaleOrientation.HOGAN
    errors: dict[str, list[str]] = {}
    phases: dict[str, tuple[int | None, bool, str]] = data.get("phases", {})
    problems: dict[str, tuple[str, str]] = data.get("problems", {})
    number = data.get("avoidability_number")
    review.avoidability = c.avoidability_from_number(number, orientation).value if number else ""
    review.avoidability_number_entered = number or None
    review.avoidability_scale_entered = orientation if number else ""
    review.overall_rating = data.get("overall_rating") or None
    review.overall_narrative = (data.get("overall_narrative") or "").strip()
    review.problems_found = (
        bool(problems) if data.get("problems_answered") else review.problems_found
    )
    review.good_practice = (data.get("good_practice") or "").strip()
    review.learning = (data.get("learning") or "").strip()
    review.disagrees_with_first = bool(data.get("disagrees_with_first"))
    review.disagreement = (data.get("disagreement") or "").strip()
    if complete:
        applicable = [code for code, (_, app, _) in phases.items() if app]
        if not applicable:
            errors.setdefault("__all__", []).append("Judge at least one phase of care.")
        for code, (rating, app, narrative) in phases.items():
            if app and rating is None:
                errors.setdefault(f"phase_{code}", []).append(
                    f"Rate {c.ALL_PHASES.get(code, code).lower()}, or choose 'not applicable'."
                )
            if app and not narrative.strip():
                errors.setdefault(f"phase_{code}_narrative", []).append(
                    f"Explain your rating of {c.ALL_PHASES.get(code, code).lower()}."
                )
        if review.overall_rating is None:
            errors.setdefault("overall_rating", []).append("Rate the care overall.")
        if not review.overall_narrative:
            errors.setdefault("overall_narrative", []).append("Explain your overall judgement.")
        if not review.avoidability and review.method != c.ReviewMethod.CASE_RECORD:
            errors.setdefault("avoidability", []).append("Judge whether the death was avoidable.")
        if review.stage == 2 and review.disagrees_with_first and not review.disagreement:
            errors.setdefault("disagreement", []).append(
                "Say where and why you disagree with the first review."
            )
    for ptype, (harm, _desc) in problems.items():
        if harm not in c.Harm.values:
            errors.setdefault(f"problem_{ptype}", []).append("Say whether the problem led to harm.")
    if errors:
        raise ValidationError(errors)
    if complete:
        review.status = c.ReviewStatus.COMPLETED
        review.completed_on = timezone.localdate()
    save_as(review, actor)
    for code, (rating, app, narrative) in phases.items():
        pj = PhaseJudgement.objects.filter(review=review, phase=code).first() or PhaseJudgement(
            review=review, phase=code
        )
        pj.applicable, pj.rating, pj.narrative = app, (rating if app else None), narrative.strip()
        save_as(pj, actor)
    for existing in CareProblem.objects.filter(review=review).exclude(
        problem_type__in=list(problems)
    ):
        delete_as(existing, actor)
    for ptype, (harm, desc) in problems.items():
        cp = CareProblem.objects.filter(review=review, problem_type=ptype).first() or CareProblem(
            review=review, problem_type=ptype
        )
        cp.harm, cp.description = harm, desc.strip()
        save_as(cp, actor)
    return review


@transaction.atomic
def review_reopen(*, actor: Person, review: CaseReview) -> CaseReview:
    if review.reviewer_id != actor.pk:
        raise ValidationError("Only the reviewer can reopen their review.")
    if review.stage == 1 and review.death.reviews.filter(stage=2).exists():
        raise ValidationError(
            "A second review has started, so the first review can no longer change."
        )
    review.status = c.ReviewStatus.DRAFT
    review.completed_on = None
    save_as(review, actor)
    return review


# --- family, candour, actions, names ----------------------------------------------------


@transaction.atomic
def family_save(*, actor: Person, death: Death, data: dict[str, Any]) -> FamilyInvolvement:
    obj = FamilyInvolvement.objects.filter(death=death).first() or FamilyInvolvement(death=death)
    apply_fields(obj, data)
    if obj.contacted:
        obj.not_contacted_reason = ""
    else:
        obj.contacted_on = None
    save_as(obj, actor)
    return obj


@transaction.atomic
def candour_save(*, actor: Person, death: Death, data: dict[str, Any]) -> CandourRecord:
    obj = CandourRecord.objects.filter(death=death).first() or CandourRecord(death=death)
    apply_fields(obj, data)
    save_as(obj, actor)
    return obj


@transaction.atomic
def action_save(
    *, actor: Person, death: Death, data: dict[str, Any], action: CaseAction | None = None
) -> CaseAction:
    obj = action or CaseAction(death=death)
    apply_fields(obj, data)
    if obj.status == c.ActionStatus.DONE and obj.completed_on is None:
        obj.completed_on = timezone.localdate()
    elif obj.status != c.ActionStatus.DONE:
        obj.completed_on = None
    save_as(obj, actor)
    return obj


@transaction.atomic
def case_name_add(*, actor: Person, death: Death, name: str, role: str) -> CaseName:
    name = " ".join(name.split())
    if len(name) < 2:
        raise ValidationError({"name": "Enter the name as it might appear in the notes."})
    obj = CaseName(death=death, name=name, role=role)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def case_name_remove(*, actor: Person, name: CaseName) -> None:
    name.delete()


# --- learning summaries -----------------------------------------------------------------


def summary_findings(summary: LearningSummary) -> list[deid.Finding]:
    names = [n.name for n in CaseName.objects.filter(death_id=summary.death_id)]
    return deid.check_fields(
        {
            "Title": summary.title,
            "What happened": summary.what_happened,
            "What was learned": summary.what_learned,
            "What changed": summary.what_changed,
        },
        names=names,
    )


@transaction.atomic
def summary_save(
    *, actor: Person, death: Death, data: dict[str, Any], themes: Iterable[LearningTheme]
) -> LearningSummary:
    """Save the summary as a draft. Changing a shared summary takes it out of the library
    until it is checked and approved again."""
    obj = LearningSummary.objects.filter(death=death).first()
    obj = obj or LearningSummary(death=death, organisation_id=death.organisation_id, author=actor)
    changed = apply_fields(obj, data)
    if changed or obj.status == c.SummaryStatus.WITHDRAWN:
        obj.status = c.SummaryStatus.DRAFT
        obj.checked_at = None
        obj.approver = None
        obj.shared_at = None
    save_as(obj, actor)
    obj.themes.set(list(themes))
    return obj


@transaction.atomic
def summary_submit(*, actor: Person, summary: LearningSummary) -> LearningSummary:
    """Run the de-identification check; if it passes, ask a lead to approve."""
    findings = summary_findings(summary)
    if findings:
        raise DeidentificationError(findings)
    if not summary.themes.exists():
        raise ValidationError("Choose at least one theme so others can find this learning.")
    summary.status = c.SummaryStatus.AWAITING_APPROVAL
    summary.checked_at = timezone.now()
    save_as(summary, actor)
    _ask_for_approval(actor=actor, summary=summary)
    return summary


def _ask_for_approval(*, actor: Person, summary: LearningSummary) -> None:
    """Tell the team's leads (not the author) that a summary waits for them. The text names
    only the organisation and the de-identified title that has just passed the check."""
    from qicollab.deaths.selectors import summary_approvers

    notify(
        recipients=summary_approvers(organisation=summary.organisation),
        kind="approvals.requested",
        actor=actor,
        target=summary,
        url=reverse("deaths:summary_approve", args=[summary.organisation.slug, summary.death_id]),
        text=f"A learning summary from {summary.organisation.name} is waiting for your "
        f"approval: {summary.title}",
        dedupe_key=f"summary:{summary.pk}:{summary.checked_at:%Y%m%d%H%M%S%f}",
    )


@transaction.atomic
def summary_approve(
    *,
    actor: Person,
    summary: LearningSummary,
    collaboratives: Iterable[Collaborative],
    today: date | None = None,
) -> LearningSummary:
    """A named lead signs the summary off; it is shared with the chosen collaboratives."""
    if summary.status != c.SummaryStatus.AWAITING_APPROVAL:
        raise ValidationError(
            "Only a summary that has passed the check and is waiting for approval can be approved."
        )
    if summary.author_id == actor.pk:
        raise ValidationError("Someone other than the author must approve the summary.")
    findings = summary_findings(summary)  # names may have been added since it was checked
    if findings:
        raise DeidentificationError(findings)
    collabs = list(collaboratives)
    if not collabs:
        raise ValidationError(
            {"collaboratives": "Choose at least one collaborative to share with."}
        )
    member_of = set(
        summary.organisation.collaborative_memberships.current().values_list(
            "collaborative_id", flat=True
        )
    )
    if any(col.pk not in member_of for col in collabs):
        raise ValidationError(
            {
                "collaboratives": "You can share only with collaboratives your organisation "
                "belongs to."
            }
        )
    summary.status = c.SummaryStatus.SHARED
    summary.approver = actor
    summary.shared_at = timezone.now()
    summary.withdrawn_reason = ""
    save_as(summary, actor)
    summary.collaboratives.set(collabs)
    return summary


@transaction.atomic
def summary_withdraw(*, actor: Person, summary: LearningSummary, reason: str) -> LearningSummary:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the summary is being withdrawn."})
    summary.status = c.SummaryStatus.WITHDRAWN
    summary.withdrawn_reason = reason.strip()[:300]
    save_as(summary, actor)
    return summary
