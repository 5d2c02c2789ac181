"""Writes to monthly progress reports and the collaborative's choice of scale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.core.services import check_version, save_as
from qicollab.organisations.models import Collaborative
from qicollab.projects.models import (
    CollaborativeScaleChoice,
    ProgressReport,
    Project,
    RaterType,
    ScaleDefinition,
)
from qicollab.projects.services.projects import ProjectError

# Who may record each kind of rating (the rules live in ``projects.rules``).
RATER_PERMS = {
    RaterType.SELF: "projects.rate_project_as_team",
    RaterType.FACULTY: "projects.rate_project_as_faculty",
}


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def check_score(scale: ScaleDefinition, score: Decimal | str | float) -> Decimal:
    """The score as a Decimal if it is one of the scale's levels, else ``ProjectError``."""
    try:
        value = Decimal(str(score)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ProjectError("Enter the score as a number, like 2.5.", "score") from None
    allowed = [lv.value for lv in scale.levels.all()]
    if value not in allowed:
        shown = ", ".join(f"{v:.1f}" for v in sorted(allowed))
        raise ProjectError(f"Choose one of the scale's scores: {shown}.", "score")
    return value


@transaction.atomic
def progress_report_save(
    *,
    actor: Person,
    project: Project,
    rater_type: str,
    month: dt.date,
    score: Decimal | str | float,
    progress: str = "",
    barriers: str = "",
    help_needed: str = "",
    report: ProgressReport | None = None,
    loaded_version: str = "",
) -> ProgressReport:
    """Record (or correct) a month's rating with its short report.

    A new team self-rating keeps the score qicollab suggested from the project's evidence
    (``projects.scoring``) and its reasons, beside the team's own. A new report is rated on
    the collaborative's current scale; a corrected one keeps the
    scale it was first rated on, so history never changes meaning. Only the team records
    (or corrects) its self-rating and only faculty the faculty rating: ``PermissionDenied``
    otherwise, whoever the caller is.
    """
    from qicollab.projects.selectors import progress_suggestion, scale_for

    if report is not None:
        rater_type = report.rater_type
    if rater_type not in RaterType.values:
        raise ProjectError("Choose who is rating: the team or the faculty.", "rater_type")
    if not actor.has_perm(RATER_PERMS[RaterType(rater_type)], project):
        raise PermissionDenied
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise ProjectError("You can only rate this month or earlier months.", "month")
    if report is None:
        scale = scale_for(collaborative=project.collaborative_id)
        clash = ProgressReport.objects.filter(project=project, month=month, rater_type=rater_type)
    else:
        check_version(report, loaded_version)
        scale = report.scale
        clash = ProgressReport.objects.filter(
            project=project, month=month, rater_type=report.rater_type
        ).exclude(pk=report.pk)
        rater_type = report.rater_type
    if clash.exists():
        who = "the team" if rater_type == RaterType.SELF else "the faculty"
        raise ProjectError(
            f"There is already a rating by {who} for {month:%B %Y}. Change that one instead.",
            "month",
        )
    value = check_score(scale, score)
    if report is None:
        report = ProgressReport(project=project, scale=scale, rater_type=rater_type)
        if rater_type == RaterType.SELF:
            # Kept beside the team's own score: it confirms or overrides the suggestion.
            suggestion = progress_suggestion(project=project, scale=scale)
            report.suggested_score = suggestion.score
            report.suggestion_reasons = suggestion.reason_texts
    report.month = month
    report.score = value
    report.rater = actor
    report.progress, report.barriers, report.help_needed = progress, barriers, help_needed
    save_as(report, actor)
    return report


@transaction.atomic
def scale_choose(
    *, actor: Person, collaborative: Collaborative, scale: ScaleDefinition
) -> CollaborativeScaleChoice:
    """Set the scale a collaborative's new ratings use (earlier ratings keep theirs)."""
    choice = CollaborativeScaleChoice.objects.filter(collaborative=collaborative).first()
    if choice is None:
        choice = CollaborativeScaleChoice(collaborative=collaborative, scale=scale)
    choice.scale = scale
    save_as(choice, actor)
    return choice
