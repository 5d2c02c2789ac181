"""API: a project's team, aim (with its SMART check) and monthly progress reports."""

# No "from __future__ import annotations": ninja reads the signatures at import time.

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from qicollab.api.auth import public_auth
from qicollab.api.versions import required_version
from qicollab.core.http import AuthedHttpRequest
from qicollab.core.services import EditConflict, version_token
from qicollab.projects import presenters, selectors, services
from qicollab.projects.api.common import project_or_404, router, valid
from qicollab.projects.api.schemas import (
    AimIn,
    AimOut,
    ConflictOut,
    MemberIn,
    MemberOut,
    MemberPatchIn,
    ProgressIn,
    ProgressOut,
    SmartCheckOut,
)
from qicollab.projects.forms.aim import AimForm, draft_aim
from qicollab.projects.forms.progress import ProgressReportForm
from qicollab.projects.models import Project, ProjectMember, RaterType
from qicollab.projects.services.progress import RATER_PERMS
from qicollab.projects.smart import aim_sentence

# --- team -------------------------------------------------------------------------------------


def member_out(m: ProjectMember) -> dict[str, Any]:
    return {
        "id": m.pk,
        "person_id": m.person_id,
        "full_name": m.person.full_name,
        "role": m.role,
        "role_label": m.get_role_display(),
    }


@router.get("/{slug}/team", response=list[MemberOut], summary="The project team")
def team_list(request: HttpRequest, slug: str) -> Any:
    project = project_or_404(request, slug, "projects.change_project")
    return [member_out(m) for m in selectors.project_team(project=project)]


@router.post("/{slug}/team", response={201: MemberOut}, summary="Add someone to the team")
def team_add(request: AuthedHttpRequest, slug: str, body: MemberIn) -> Any:
    project = project_or_404(request, slug, "projects.manage_project")
    person = (
        selectors.team_candidates(project=project, viewer=request.user)
        .filter(pk=body.person_id)
        .first()
    )
    if person is None:
        raise ValidationError(
            {
                "person_id": [
                    "Choose someone at the project's organisations or its "
                    "faculty, who is not already on the team."
                ]
            }
        )
    member = services.member_add(actor=request.user, project=project, person=person, role=body.role)
    return 201, member_out(member)


@router.patch("/{slug}/team/{member_id}", response=MemberOut, summary="Change a team member's role")
def team_role(request: AuthedHttpRequest, slug: str, member_id: int, body: MemberPatchIn) -> Any:
    project = project_or_404(request, slug, "projects.manage_project")
    member = get_object_or_404(
        ProjectMember.objects.select_related("person"), pk=member_id, project=project
    )
    member = services.member_change_role(actor=request.user, member=member, role=body.role)
    return member_out(member)


@router.delete(
    "/{slug}/team/{member_id}", response={204: None}, summary="Remove someone from the team"
)
def team_remove(request: AuthedHttpRequest, slug: str, member_id: int) -> Any:
    project = project_or_404(request, slug, "projects.manage_project")
    member = get_object_or_404(ProjectMember, pk=member_id, project=project)
    services.member_remove(actor=request.user, member=member)
    return 204, None


# --- aim --------------------------------------------------------------------------------------


def aim_out(project: Project) -> dict[str, Any]:
    aim = services.aim_of(project)
    return {
        **{f: getattr(aim, f) for f in AimForm.Meta.fields},
        "sentence": aim_sentence(aim),
        "smart_problems": presenters.aim_problems(aim, project),
        "version": version_token(aim),
    }


def _aim_data(body: AimIn) -> dict[str, Any]:
    return {k: ("" if v is None else v) for k, v in body.dict().items() if k != "version"}


@router.get(
    "/{slug}/aim", response=AimOut, auth=public_auth, summary="The aim, with its SMART check"
)
def aim_get(request: HttpRequest, slug: str) -> Any:
    return aim_out(project_or_404(request, slug))


@router.put("/{slug}/aim", response={200: AimOut, 409: ConflictOut}, summary="Write the aim")
def aim_put(request: AuthedHttpRequest, slug: str, body: AimIn) -> Any:
    project = project_or_404(request, slug, "projects.change_project")
    aim = services.aim_of(project)
    version = required_version(request, body.version, aim)
    d = valid(AimForm(data=_aim_data(body), instance=copy.copy(aim)))
    try:
        services.aim_update(actor=request.user, project=project, data=d, loaded_version=version)
    except EditConflict as exc:
        return 409, {
            "detail": "Someone else changed the aim after you read it.",
            "current_version": version_token(exc.current),
            "current": aim_out(project_or_404(request, slug)),
        }
    return 200, aim_out(project_or_404(request, slug))


@router.post("/{slug}/aim/check", response=SmartCheckOut, summary="Check an aim without saving it")
def aim_check(request: AuthedHttpRequest, slug: str, body: AimIn) -> Any:
    project = project_or_404(request, slug, "projects.change_project")
    draft = draft_aim(AimForm(data=_aim_data(body)))
    return {
        "sentence": aim_sentence(draft),
        "smart_problems": presenters.aim_problems(draft, project),
    }


# --- progress ---------------------------------------------------------------------------------


def progress_out(r: Any, scale: Any) -> dict[str, Any]:
    level = presenters.level_for(r.scale, r.score) if r.scale_id == scale.pk else None
    return {
        "id": r.pk,
        "month": r.month,
        "score": r.score,
        "label": level.label if level else "",
        "scale": r.scale.code,
        "rater_type": r.rater_type,
        "rater": str(r.rater) if r.rater else None,
        "progress": r.progress,
        "barriers": r.barriers,
        "help_needed": r.help_needed,
    }


@router.get(
    "/{slug}/progress-reports",
    response=list[ProgressOut],
    auth=public_auth,
    summary="Monthly progress scores, newest first",
)
def progress_list(request: HttpRequest, slug: str) -> Any:
    project = project_or_404(request, slug)
    scale = selectors.scale_for(collaborative=project.collaborative_id)
    return [progress_out(r, scale) for r in selectors.progress_reports(project=project)]


@router.post("/{slug}/progress-reports", response={201: ProgressOut}, summary="Rate a month")
def progress_create(request: AuthedHttpRequest, slug: str, body: ProgressIn) -> Any:
    project = project_or_404(request, slug, RATER_PERMS[RaterType(body.rater_type)])
    scale = selectors.scale_for(collaborative=project.collaborative_id)
    month = body.month if len(body.month) > 7 else f"{body.month}-01"
    form = ProgressReportForm(
        data={
            "month": month[:8] + "01",
            "score": f"{body.score:.1f}",
            "progress": body.progress,
            "barriers": body.barriers,
            "help_needed": body.help_needed,
        },
        scale=scale,
    )
    d = valid(form)
    report = services.progress_report_save(
        actor=request.user, project=project, rater_type=body.rater_type, **d
    )
    return 201, progress_out(report, scale)
