"""API: projects, their team, aim and progress reports.

Each endpoint does what its page does: the viewer-scoped selector (absent or not the
viewer's: 404), the same ``rules`` permission (403), the same form, the same service.
"""

# No "from __future__ import annotations": ninja reads the signatures at import time.

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from qicollab.api.auth import public_auth
from qicollab.collaborative.models import Theme, Workstream
from qicollab.core.http import AuthedHttpRequest, require
from qicollab.core.services import EditConflict, version_token
from qicollab.organisations.models import Collaborative, Organisation
from qicollab.projects import presenters, selectors, services
from qicollab.projects.api.schemas import (
    AimIn,
    AimOut,
    ConflictOut,
    MemberIn,
    MemberOut,
    MemberPatchIn,
    ProgressIn,
    ProgressOut,
    ProjectCreateIn,
    ProjectOut,
    ProjectPatchIn,
    SmartCheckOut,
)
from qicollab.projects.forms.aim import AimForm, draft_aim
from qicollab.projects.forms.progress import ProgressReportForm
from qicollab.projects.forms.project import (
    ProjectCreateForm,
    ProjectDetailsForm,
    ProjectSharingForm,
)
from qicollab.projects.models import Project, ProjectMember, RaterType
from qicollab.projects.services import ProjectError
from qicollab.projects.smart import aim_sentence

router = Router(tags=["projects"])


def project_or_404(request: HttpRequest, slug: str, perm: str | None = None) -> Project:
    project = selectors.project_get(viewer=request.user, slug=slug)
    if project is None:
        raise HttpError(404, f"There is no project '{slug}' that you can see.")
    if perm:
        require(request.user, perm, project)
    return project


def valid(form: BaseForm) -> dict[str, Any]:
    """Cleaned data, or 422 with the pages' own messages per field."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}


def refused(exc: ProjectError) -> ValidationError:
    return ValidationError({exc.field or "__all__": [str(exc)]})


def _ref(obj: Any) -> dict[str, str] | None:
    return {"slug": obj.slug, "name": obj.name} if obj is not None else None


def project_out(p: Project) -> dict[str, Any]:
    return {
        "id": p.pk,
        "slug": p.slug,
        "title": p.title,
        "summary": p.summary,
        "status": p.status,
        "stop_reason": p.stop_reason,
        "sharing": p.sharing,
        "collaborative": _ref(p.collaborative),
        "lead_organisation": _ref(p.lead_organisation),
        "partner_organisations": [_ref(o) for o in p.partner_organisations.all()],
        "workstream": _ref(p.workstream),
        "themes": [_ref(t) for t in p.themes.all()],
        "tags": [t.name for t in p.tags.all()],
        "start_date": p.start_date,
        "end_date": p.end_date,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "version": version_token(p),
        "url": p.get_absolute_url(),
    }


def _pk(model: Any, slug: str | None, **scope: Any) -> Any:
    """The primary key for a slug, or the slug itself so the form reports it as a bad choice."""
    if not slug:
        return ""
    found = model.objects.filter(slug=slug, **scope).values_list("pk", flat=True).first()
    return found if found is not None else f"unknown:{slug}"


# --- projects ---------------------------------------------------------------------------------


class ProjectFilters(Schema):
    status: str = ""
    q: str = ""
    workstream: str = ""
    organisation: str = ""


@router.get("/", response=list[ProjectOut], auth=public_auth, summary="Projects you can see")
@paginate(PageNumberPagination, page_size=50)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> Any:
    qs = selectors.project_list(
        viewer=request.user,
        search=filters.q,
        status=filters.status,
        workstream=Workstream.objects.filter(slug=filters.workstream).first()
        if filters.workstream
        else None,
        organisation=Organisation.objects.filter(slug=filters.organisation).first()
        if filters.organisation
        else None,
    ).prefetch_related("partner_organisations", "themes", "tags")
    return [project_out(p) for p in qs]


@router.post("/", response={201: ProjectOut}, summary="Start a project (you become its lead)")
def project_create(request: AuthedHttpRequest, body: ProjectCreateIn) -> Any:
    require(request.user, "projects.add_project")
    collab_pk = _pk(Collaborative, body.collaborative)
    form = ProjectCreateForm(
        data={
            "title": body.title,
            "summary": body.summary,
            "sharing": body.sharing,
            "collaborative": collab_pk,
            "lead_organisation": _pk(Organisation, body.lead_organisation),
            "workstream": _pk(Workstream, body.workstream),
        },
        viewer=request.user,
        current=None,
    )
    d = valid(form)
    try:
        project = services.project_create(
            actor=request.user,
            collaborative=d["collaborative"],
            lead_organisation=d["lead_organisation"],
            title=d["title"],
            workstream=d["workstream"],
            sharing=d["sharing"],
            summary=d["summary"],
        )
    except ProjectError as exc:
        raise refused(exc) from exc
    return 201, project_out(project_or_404(request, project.slug))


@router.get("/{slug}", response=ProjectOut, auth=public_auth, summary="One project")
def project_detail(request: HttpRequest, slug: str) -> Any:
    return project_out(project_or_404(request, slug))


@router.patch("/{slug}", response={200: ProjectOut, 409: ConflictOut}, summary="Change a project")
def project_update(request: AuthedHttpRequest, slug: str, body: ProjectPatchIn) -> Any:
    """Details need the team; sharing and partner organisations need a project lead, the
    programme manager or the faculty. Send the `version` you read to detect a concurrent edit."""
    project = project_or_404(request, slug, "projects.change_project")
    changes = body.dict(exclude_unset=True)
    version = changes.pop("version", "")
    sharing: dict[str, Any] = {
        k: changes.pop(k) for k in ("sharing", "partner_organisations") if k in changes
    }
    try:
        with transaction.atomic():
            if changes:
                _update_details(request, project, changes, version)
                version = ""  # checked once; the second save is part of the same change
            if sharing:
                _update_sharing(request, project_or_404(request, slug), sharing, version)
    except EditConflict as exc:
        return 409, {
            "detail": "Someone else changed this project after you read it. Read it again, "
            "then re-apply your change.",
            "current_version": version_token(exc.current),
            "current": project_out(project_or_404(request, slug)),
        }
    except ProjectError as exc:
        raise refused(exc) from exc
    return 200, project_out(project_or_404(request, slug))


def _update_details(
    request: AuthedHttpRequest, project: Project, changes: dict[str, Any], version: str
) -> None:
    data: dict[str, Any] = {}
    for name in ProjectDetailsForm.Meta.fields:
        value = getattr(project, name)
        data[name] = [o.pk for o in value.all()] if hasattr(value, "all") else value
    data["workstream"] = project.workstream_id
    data["tags"] = ", ".join(t.name for t in project.tags.all())
    if "workstream" in changes:
        changes["workstream"] = _pk(
            Workstream, changes["workstream"], collaborative=project.collaborative
        )
    if "themes" in changes:
        changes["themes"] = [
            _pk(Theme, s, collaborative=project.collaborative) for s in changes["themes"]
        ]
    if "tags" in changes:
        changes["tags"] = ", ".join(changes["tags"])
    data.update({k: ("" if v is None else v) for k, v in changes.items()})
    form = ProjectDetailsForm(data=data, instance=copy.copy(project))
    d = valid(form)
    services.project_update(actor=request.user, project=project, data=d, loaded_version=version)


def _update_sharing(
    request: AuthedHttpRequest, project: Project, changes: dict[str, Any], version: str
) -> None:
    require(request.user, "projects.manage_project", project)
    partners = changes.get("partner_organisations")
    form = ProjectSharingForm(
        data={
            "sharing": changes.get("sharing", project.sharing),
            "partner_organisations": [_pk(Organisation, s) for s in partners]
            if partners is not None
            else list(project.partner_org_ids),
        },
        project=project,
    )
    d = valid(form)
    services.project_set_sharing(
        actor=request.user,
        project=project,
        sharing=d["sharing"],
        partner_organisations=d["partner_organisations"],
        loaded_version=version,
    )


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
    try:
        member = services.member_add(
            actor=request.user, project=project, person=person, role=body.role
        )
    except ProjectError as exc:
        raise refused(exc) from exc
    return 201, member_out(member)


@router.patch("/{slug}/team/{member_id}", response=MemberOut, summary="Change a team member's role")
def team_role(request: AuthedHttpRequest, slug: str, member_id: int, body: MemberPatchIn) -> Any:
    project = project_or_404(request, slug, "projects.manage_project")
    member = get_object_or_404(
        ProjectMember.objects.select_related("person"), pk=member_id, project=project
    )
    try:
        member = services.member_change_role(actor=request.user, member=member, role=body.role)
    except ProjectError as exc:
        raise refused(exc) from exc
    return member_out(member)


@router.delete(
    "/{slug}/team/{member_id}", response={204: None}, summary="Remove someone from the team"
)
def team_remove(request: AuthedHttpRequest, slug: str, member_id: int) -> Any:
    project = project_or_404(request, slug, "projects.manage_project")
    member = get_object_or_404(ProjectMember, pk=member_id, project=project)
    try:
        services.member_remove(actor=request.user, member=member)
    except ProjectError as exc:
        raise refused(exc) from exc
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
    d = valid(AimForm(data=_aim_data(body), instance=copy.copy(services.aim_of(project))))
    try:
        services.aim_update(
            actor=request.user, project=project, data=d, loaded_version=body.version
        )
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
    perm = (
        "projects.change_project"
        if body.rater_type == RaterType.SELF.value
        else "projects.rate_project_as_faculty"
    )
    project = project_or_404(request, slug, perm)
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
    try:
        report = services.progress_report_save(
            actor=request.user, project=project, rater_type=body.rater_type, **d
        )
    except ProjectError as exc:
        raise refused(exc) from exc
    return 201, progress_out(report, scale)
