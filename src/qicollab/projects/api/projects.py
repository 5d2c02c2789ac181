"""API: projects (list, read, start, change).

Each endpoint does what its page does: the viewer-scoped selector (absent or not the
viewer's: 404), the same ``rules`` permission (403), the same form, the same service.
"""

# No "from __future__ import annotations": ninja reads the signatures at import time.

import copy
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Schema
from ninja.pagination import paginate

from qicollab.api.auth import public_auth
from qicollab.api.pagination import Pages
from qicollab.api.versions import required_version
from qicollab.collaborative.models import Theme, Workstream
from qicollab.core.http import AuthedHttpRequest, require
from qicollab.core.services import EditConflict, version_token
from qicollab.organisations.models import Collaborative, Organisation
from qicollab.organisations.selectors import organisation_by_slug
from qicollab.projects import selectors, services
from qicollab.projects.api.common import pk_for, project_or_404, router, valid
from qicollab.projects.api.schemas import ConflictOut, ProjectCreateIn, ProjectOut, ProjectPatchIn
from qicollab.projects.forms.project import (
    ProjectCreateForm,
    ProjectDetailsForm,
    ProjectSharingForm,
)
from qicollab.projects.models import Project


def project_json(project: Project) -> dict[str, Any]:
    return ProjectOut.from_orm(project).model_dump(mode="json")


# --- projects ---------------------------------------------------------------------------------


class ProjectFilters(Schema):
    status: str = ""
    q: str = ""
    workstream: str = ""
    organisation: str = ""


@router.get("/", response=list[ProjectOut], auth=public_auth, summary="Projects you can see")
@paginate(Pages, page_size=50)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> Any:
    """Filter by status, a word in the title, summary or tags, a workstream slug, or an
    organisation slug (lead or partner). An unknown slug matches nothing."""
    organisation = None
    if filters.organisation:
        organisation = organisation_by_slug(slug=filters.organisation)
    qs = selectors.project_list(
        viewer=request.user,
        search=filters.q,
        status=filters.status,
        organisation=organisation,
    )
    if filters.organisation and organisation is None:
        return qs.none()
    if filters.workstream:  # workstream slugs are unique within a collaborative only
        qs = qs.filter(workstream__slug=filters.workstream)
    return qs.prefetch_related("partner_organisations", "themes", "tags")


@router.post("/", response={201: ProjectOut}, summary="Start a project (you become its lead)")
def project_create(request: AuthedHttpRequest, body: ProjectCreateIn) -> Any:
    require(request.user, "projects.add_project")
    collab_pk = pk_for(Collaborative, body.collaborative)
    form = ProjectCreateForm(
        data={
            "title": body.title,
            "summary": body.summary,
            "sharing": body.sharing,
            "collaborative": collab_pk,
            "lead_organisation": pk_for(Organisation, body.lead_organisation),
            "workstream": pk_for(Workstream, body.workstream),
        },
        viewer=request.user,
        current=None,
    )
    d = valid(form)
    project = services.project_create(
        actor=request.user,
        collaborative=d["collaborative"],
        lead_organisation=d["lead_organisation"],
        title=d["title"],
        workstream=d["workstream"],
        sharing=d["sharing"],
        summary=d["summary"],
    )
    return 201, project_or_404(request, project.slug)


@router.get("/{slug}", response=ProjectOut, auth=public_auth, summary="One project")
def project_detail(request: HttpRequest, slug: str) -> Any:
    return project_or_404(request, slug)


@router.patch("/{slug}", response={200: ProjectOut, 409: ConflictOut}, summary="Change a project")
def project_update(request: AuthedHttpRequest, slug: str, body: ProjectPatchIn) -> Any:
    """Details need the team; sharing and partner organisations need a project lead, the
    programme manager or the faculty. Send the `version` you read to detect a concurrent edit."""
    project = project_or_404(request, slug, "projects.change_project")
    changes = body.dict(exclude_unset=True)
    version = required_version(request, changes.pop("version", ""), project)
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
            "current": project_json(project_or_404(request, slug)),
        }
    return 200, project_or_404(request, slug)


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
        changes["workstream"] = pk_for(
            Workstream, changes["workstream"], collaborative=project.collaborative
        )
    if "themes" in changes:
        changes["themes"] = [
            pk_for(Theme, s, collaborative=project.collaborative) for s in changes["themes"]
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
            "partner_organisations": [pk_for(Organisation, s) for s in partners]
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
