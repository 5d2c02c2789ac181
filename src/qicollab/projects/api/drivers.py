"""API: edit the driver diagram: add, rename, move, link and delete its nodes.

The pages' rules, form and services: anyone on the team edits (others who can see the
project get 403, everyone else 404), the text is checked by the page's ``NodeForm``, and
``services.node_*`` do the writes. Links point left: a secondary driver feeds primary
drivers, a change idea acts on secondary drivers; both are many-to-many.
"""

# No "from __future__ import annotations": ninja reads the signatures at import time.

from collections.abc import Sequence
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError

from qicollab.api.auth import public_auth
from qicollab.api.schemas import ErrorOut, FieldErrorsOut
from qicollab.api.versions import required_version
from qicollab.core.http import AuthedHttpRequest
from qicollab.core.services import EditConflict, version_token
from qicollab.projects import services
from qicollab.projects.api.common import project_or_404, router
from qicollab.projects.api.schemas import (
    ChangeIdeaIn,
    ChangeIdeaOut,
    ChangeIdeaPatchIn,
    ConflictOut,
    MoveIn,
    PrimaryDriverIn,
    PrimaryDriverOut,
    PrimaryDriverPatchIn,
    SecondaryDriverIn,
    SecondaryDriverOut,
    SecondaryDriverPatchIn,
)
from qicollab.projects.forms.drivers import NodeForm
from qicollab.projects.models import Project
from qicollab.projects.services import ProjectError
from qicollab.projects.services.drivers import KINDS, Node, delete_blocker, kind_of, noun

EDIT = "projects.change_project"
BASE = "/{slug}/driver-diagram"
# The answers besides success, for the OpenAPI document (as the organisations API does).
READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut}
# Each kind's name for its links in the API (the pages call them all "links").
LINKS = {"primary": None, "secondary": "primary_driver_ids", "idea": "secondary_driver_ids"}


# --- helpers ----------------------------------------------------------------------------------


def node_out(node: Node) -> dict[str, Any]:
    """A node as the API shows it, with the ids of the nodes it links to on its left."""
    kind = kind_of(node)
    out: dict[str, Any] = {
        "id": node.pk,
        "text": node.text,
        "order": node.order,
        "version": version_token(node),
    }
    attr = KINDS[kind][1]
    if attr:
        out[LINKS[kind]] = sorted(n.pk for n in getattr(node, attr).all())  # type: ignore[index]
    if kind == "idea":
        out["description"] = node.description  # type: ignore[union-attr]
    return out


def column(project: Project, kind: str) -> QuerySet[Any]:
    """One column of the diagram in order, with its links fetched in one more query."""
    model, attr, link_model, _ = KINDS[kind]
    qs = model.objects.filter(project=project).order_by("order", "id")
    if attr and link_model:
        qs = qs.prefetch_related(Prefetch(attr, queryset=link_model.objects.only("id")))
    return qs  # type: ignore[no-any-return]


def node_or_404(project: Project, kind: str, pk: int) -> Any:
    node = KINDS[kind][0].objects.filter(project=project, pk=pk).first()
    if node is None:
        raise HttpError(404, f"This project's driver diagram has no {noun(kind)} {pk}.")
    return node


def checked(
    project: Project, kind: str, text: str, description: str | None = None
) -> dict[str, Any]:
    """The text (and a change idea's description) through the page's form: its messages."""
    data = {"text": text}
    if kind == "idea":
        data["description"] = description or ""
    form = NodeForm(data=data, project=project, kind=kind)
    form.fields.pop("links", None)  # links are checked by the service, which names bad ids
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def refused(exc: ProjectError, kind: str) -> ValidationError:
    field = LINKS[kind] if exc.field == "links" else exc.field
    return ValidationError({field or "__all__": [str(exc)]})


def conflict(exc: EditConflict, kind: str) -> tuple[int, dict[str, Any]]:
    return 409, {
        "detail": f"Someone else changed this {noun(kind)} after you read it. Read it again, "
        "then re-apply your change.",
        "current_version": version_token(exc.current),
        "current": node_out(cast(Node, exc.current)),
    }


def _create(
    request: AuthedHttpRequest,
    slug: str,
    kind: str,
    text: str,
    links: Sequence[int] = (),
    description: str = "",
) -> tuple[int, dict[str, Any]]:
    project = project_or_404(request, slug, EDIT)
    d = checked(project, kind, text, description)
    try:
        node = services.node_add(
            actor=request.user,
            project=project,
            kind=kind,
            text=d["text"],
            links=links,
            description=d.get("description", ""),
        )
    except ProjectError as exc:
        raise refused(exc, kind) from exc
    return 201, node_out(node)


def _update(
    request: AuthedHttpRequest,
    slug: str,
    kind: str,
    pk: int,
    body: PrimaryDriverPatchIn,
) -> Any:
    project = project_or_404(request, slug, EDIT)
    node = node_or_404(project, kind, pk)
    version = required_version(request, body.version, node)
    changes = body.dict(exclude_unset=True)
    text = changes.get("text")
    description = changes.get("description")
    d = checked(
        project,
        kind,
        node.text if text is None else text,
        node.description if kind == "idea" and description is None else description,
    )
    link_name = LINKS[kind]
    links = changes.get(link_name) if link_name else None
    try:
        node = services.node_update(
            actor=request.user,
            node=node,
            text=d["text"],
            links=links,
            description=d.get("description"),
            loaded_version=version,
        )
    except EditConflict as exc:
        return conflict(exc, kind)
    except ProjectError as exc:
        raise refused(exc, kind) from exc
    return 200, node_out(node_or_404(project, kind, pk))


def _move(request: AuthedHttpRequest, slug: str, kind: str, pk: int, direction: str) -> Any:
    project = project_or_404(request, slug, EDIT)
    node = node_or_404(project, kind, pk)
    ids = list(
        KINDS[kind][0]
        .objects.filter(project=project)
        .order_by("order", "id")
        .values_list("pk", flat=True)
    )
    index = ids.index(node.pk)
    if (direction == "up" and index == 0) or (direction == "down" and index == len(ids) - 1):
        edge = "first" if direction == "up" else "last"
        raise ValidationError(
            {"direction": [f"This {noun(kind)} is already {edge} in its column."]}
        )
    services.node_move(actor=request.user, node=node, direction=direction)
    return [node_out(n) for n in column(project, kind)]


def _delete(request: AuthedHttpRequest, slug: str, kind: str, pk: int) -> Any:
    project = project_or_404(request, slug, EDIT)
    node = node_or_404(project, kind, pk)
    blocker = delete_blocker(node)
    if blocker:
        return 409, {"detail": blocker}
    services.node_delete(actor=request.user, node=node)
    return 204, None


def _link(
    request: AuthedHttpRequest, slug: str, kind: str, pk: int, target: int, *, linked: bool
) -> Any:
    project = project_or_404(request, slug, EDIT)
    node = node_or_404(project, kind, pk)
    try:
        services.node_link(actor=request.user, node=node, target=target, linked=linked)
    except ProjectError as exc:
        raise refused(exc, kind) from exc
    return node_out(node_or_404(project, kind, pk))


def _read(request: HttpRequest, slug: str, kind: str) -> list[dict[str, Any]]:
    return [node_out(n) for n in column(project_or_404(request, slug), kind)]


# --- primary drivers --------------------------------------------------------------------------

PRIMARY = f"{BASE}/primary-drivers"


@router.get(
    PRIMARY,
    response={200: list[PrimaryDriverOut], **READ},
    auth=public_auth,
    summary="Primary drivers",
)
def primary_list(request: HttpRequest, slug: str) -> Any:
    """In diagram order, each with its `version` for a later change."""
    return _read(request, slug, "primary")


@router.post(PRIMARY, response={201: PrimaryDriverOut, **WRITE}, summary="Add a primary driver")
def primary_create(request: AuthedHttpRequest, slug: str, body: PrimaryDriverIn) -> Any:
    """Added at the end of the column. An empty or over-long text is refused (422)."""
    return _create(request, slug, "primary", body.text)


@router.get(
    PRIMARY + "/{node_id}",
    response={200: PrimaryDriverOut, **READ},
    auth=public_auth,
    summary="A primary driver",
)
def primary_detail(request: HttpRequest, slug: str, node_id: int) -> Any:
    """Read one primary driver, with the `version` to send back when changing it."""
    return node_out(node_or_404(project_or_404(request, slug), "primary", node_id))


@router.patch(
    PRIMARY + "/{node_id}",
    response={200: PrimaryDriverOut, 409: ConflictOut, **WRITE},
    summary="Rename a primary driver",
)
def primary_update(
    request: AuthedHttpRequest, slug: str, node_id: int, body: PrimaryDriverPatchIn
) -> Any:
    """Send only `text`, with the `version` you read: 409 with the current
    version if someone changed it since."""
    return _update(request, slug, "primary", node_id, body)


@router.post(
    PRIMARY + "/{node_id}/move",
    response={200: list[PrimaryDriverOut], **WRITE},
    summary="Move a primary driver",
)
def primary_move(request: AuthedHttpRequest, slug: str, node_id: int, body: MoveIn) -> Any:
    """Swaps it with its neighbour; answers with the column in its new order (422 if it is
    already at that end)."""
    return _move(request, slug, "primary", node_id, body.direction)


@router.delete(
    PRIMARY + "/{node_id}",
    response={204: None, 409: ErrorOut, **WRITE},
    summary="Delete a primary driver",
)
def primary_delete(request: AuthedHttpRequest, slug: str, node_id: int) -> Any:
    """Its secondary drivers stay, no longer linked to it."""
    return _delete(request, slug, "primary", node_id)


# --- secondary drivers ------------------------------------------------------------------------

SECONDARY = f"{BASE}/secondary-drivers"


@router.get(
    SECONDARY,
    response={200: list[SecondaryDriverOut], **READ},
    auth=public_auth,
    summary="Secondary drivers",
)
def secondary_list(request: HttpRequest, slug: str) -> Any:
    """In diagram order, each with the ids of the primary drivers it feeds."""
    return _read(request, slug, "secondary")


@router.post(
    SECONDARY, response={201: SecondaryDriverOut, **WRITE}, summary="Add a secondary driver"
)
def secondary_create(request: AuthedHttpRequest, slug: str, body: SecondaryDriverIn) -> Any:
    """Added at the end of the column, feeding the given primary drivers."""
    return _create(request, slug, "secondary", body.text, body.primary_driver_ids)


@router.get(
    SECONDARY + "/{node_id}",
    response={200: SecondaryDriverOut, **READ},
    auth=public_auth,
    summary="A secondary driver",
)
def secondary_detail(request: HttpRequest, slug: str, node_id: int) -> Any:
    """Read one secondary driver, with its links and the `version` to send back."""
    return node_out(node_or_404(project_or_404(request, slug), "secondary", node_id))


@router.patch(
    SECONDARY + "/{node_id}",
    response={200: SecondaryDriverOut, 409: ConflictOut, **WRITE},
    summary="Rename a secondary driver or replace its links",
)
def secondary_update(
    request: AuthedHttpRequest, slug: str, node_id: int, body: SecondaryDriverPatchIn
) -> Any:
    """Send `text`, `primary_driver_ids` (replacing the links) or both, with the `version`
    you read: 409 with the current version if someone changed it since."""
    return _update(request, slug, "secondary", node_id, body)


@router.post(
    SECONDARY + "/{node_id}/move",
    response={200: list[SecondaryDriverOut], **WRITE},
    summary="Move a secondary driver",
)
def secondary_move(request: AuthedHttpRequest, slug: str, node_id: int, body: MoveIn) -> Any:
    """Swaps it with its neighbour; answers with the column in its new order (422 if it is
    already at that end)."""
    return _move(request, slug, "secondary", node_id, body.direction)


@router.delete(
    SECONDARY + "/{node_id}",
    response={204: None, 409: ErrorOut, **WRITE},
    summary="Delete a secondary driver",
)
def secondary_delete(request: AuthedHttpRequest, slug: str, node_id: int) -> Any:
    """Its change ideas stay, no longer linked to it."""
    return _delete(request, slug, "secondary", node_id)


@router.put(
    SECONDARY + "/{node_id}/primary-drivers/{primary_id}",
    response={200: SecondaryDriverOut, **WRITE},
    summary="Link a secondary driver to a primary driver",
)
def secondary_link(request: AuthedHttpRequest, slug: str, node_id: int, primary_id: int) -> Any:
    """Keeps its other links; linking twice changes nothing. A driver that is not in this
    project's diagram is refused (422)."""
    return _link(request, slug, "secondary", node_id, primary_id, linked=True)


@router.delete(
    SECONDARY + "/{node_id}/primary-drivers/{primary_id}",
    response={200: SecondaryDriverOut, **WRITE},
    summary="Unlink a secondary driver from a primary driver",
)
def secondary_unlink(request: AuthedHttpRequest, slug: str, node_id: int, primary_id: int) -> Any:
    """Keeps its other links; unlinking what is not linked changes nothing."""
    return _link(request, slug, "secondary", node_id, primary_id, linked=False)


# --- change ideas -----------------------------------------------------------------------------

IDEAS = f"{BASE}/change-ideas"


@router.get(
    IDEAS, response={200: list[ChangeIdeaOut], **READ}, auth=public_auth, summary="Change ideas"
)
def idea_list(request: HttpRequest, slug: str) -> Any:
    """In diagram order, each with the ids of the secondary drivers it acts on."""
    return _read(request, slug, "idea")


@router.post(IDEAS, response={201: ChangeIdeaOut, **WRITE}, summary="Add a change idea")
def idea_create(request: AuthedHttpRequest, slug: str, body: ChangeIdeaIn) -> Any:
    """Added at the end of the column, acting on the given secondary drivers."""
    return _create(request, slug, "idea", body.text, body.secondary_driver_ids, body.description)


@router.get(
    IDEAS + "/{node_id}",
    response={200: ChangeIdeaOut, **READ},
    auth=public_auth,
    summary="A change idea",
)
def idea_detail(request: HttpRequest, slug: str, node_id: int) -> Any:
    """Read one change idea, with its links and the `version` to send back."""
    return node_out(node_or_404(project_or_404(request, slug), "idea", node_id))


@router.patch(
    IDEAS + "/{node_id}",
    response={200: ChangeIdeaOut, 409: ConflictOut, **WRITE},
    summary="Rename or describe a change idea, or replace its links",
)
def idea_update(
    request: AuthedHttpRequest, slug: str, node_id: int, body: ChangeIdeaPatchIn
) -> Any:
    """Send any of `text`, `description` and `secondary_driver_ids` (replacing the links),
    with the `version` you read: 409 with the current version if someone changed it since."""
    return _update(request, slug, "idea", node_id, body)


@router.post(
    IDEAS + "/{node_id}/move",
    response={200: list[ChangeIdeaOut], **WRITE},
    summary="Move a change idea",
)
def idea_move(request: AuthedHttpRequest, slug: str, node_id: int, body: MoveIn) -> Any:
    """Swaps it with its neighbour; answers with the column in its new order (422 if it is
    already at that end)."""
    return _move(request, slug, "idea", node_id, body.direction)


@router.delete(
    IDEAS + "/{node_id}",
    response={204: None, 409: ErrorOut, **WRITE},
    summary="Delete a change idea",
)
def idea_delete(request: AuthedHttpRequest, slug: str, node_id: int) -> Any:
    """Refused (409) once the idea has PDSA cycles: their learning would be lost."""
    return _delete(request, slug, "idea", node_id)


@router.put(
    IDEAS + "/{node_id}/secondary-drivers/{secondary_id}",
    response={200: ChangeIdeaOut, **WRITE},
    summary="Link a change idea to a secondary driver",
)
def idea_link(request: AuthedHttpRequest, slug: str, node_id: int, secondary_id: int) -> Any:
    """Keeps its other links; linking twice changes nothing. A driver that is not in this
    project's diagram is refused (422)."""
    return _link(request, slug, "idea", node_id, secondary_id, linked=True)


@router.delete(
    IDEAS + "/{node_id}/secondary-drivers/{secondary_id}",
    response={200: ChangeIdeaOut, **WRITE},
    summary="Unlink a change idea from a secondary driver",
)
def idea_unlink(request: AuthedHttpRequest, slug: str, node_id: int, secondary_id: int) -> Any:
    """Keeps its other links; unlinking what is not linked changes nothing."""
    return _link(request, slug, "idea", node_id, secondary_id, linked=False)
