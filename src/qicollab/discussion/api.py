"""API routes for comments: the same targets, rules and services as the thread pages.

A target the caller may not see is 404 (its comments too); one they may see but not write
on is 403; refused text is 422.
"""

# No "from __future__ import annotations": ninja reads the signatures at import time.

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from qicollab.api.schemas import ErrorOut, FieldErrorsOut, InputSchema, PersonRef
from qicollab.api.versions import required_version
from qicollab.core.http import found
from qicollab.core.services import version_token
from qicollab.discussion import selectors, services, targets
from qicollab.discussion.models import MAX_BODY, Comment, TargetKind

router = Router(tags=["discussion"])


class DiscussionCommentOut(Schema):
    id: int
    parent_id: int | None
    author: PersonRef | None
    body: str = Field(description="Empty for a removed comment.")
    removed: bool
    period: date | None = Field(description="The chart point the comment is about, if any.")
    team_only: bool
    mentions: list[PersonRef]
    created_at: datetime
    edited_at: datetime | None
    version: str


class CommentIn(InputSchema):
    body: str = Field(max_length=MAX_BODY)
    parent_id: int | None = Field(None, ge=1)
    period: date | None = None
    team_only: bool = False
    mention_ids: list[int] = Field(default_factory=list, max_length=50)


class CommentPatchIn(InputSchema):
    body: str = Field(max_length=MAX_BODY)
    version: str | None = None


def _ref(p: Any) -> PersonRef | None:
    return PersonRef(id=p.pk, full_name=p.full_name) if p is not None else None


def _out(c: Comment) -> DiscussionCommentOut:
    return DiscussionCommentOut(
        id=c.pk,
        parent_id=c.parent_id,
        author=_ref(c.author),
        body="" if c.is_removed else c.body,
        removed=c.is_removed,
        period=c.period,
        team_only=c.team_only,
        mentions=[PersonRef(id=p.pk, full_name=p.full_name) for p in c.mentions.all()],
        created_at=c.created_at,
        edited_at=c.edited_at,
        version=version_token(c),
    )


def _target(request: HttpRequest, kind: TargetKind, pk: int) -> targets.Target:
    return found(targets.resolve(viewer=request.user, kind=kind.value, pk=pk))


@router.get(
    "/discussion/{kind}/{pk}/comments",
    response={200: list[DiscussionCommentOut], 401: ErrorOut, 404: ErrorOut},
    summary="A thread",
    description="The comments on a project, measure, PDSA cycle or storyboard the caller "
    "may see, oldest first (replies follow their comment; team-only notes only for the "
    "team and the collaborative's faculty and leads).",
)
def thread(request: HttpRequest, kind: TargetKind, pk: int) -> Any:
    target = _target(request, kind, pk)
    out: list[DiscussionCommentOut] = []
    for item in selectors.thread(viewer=request.user, target=target):
        out.append(_out(item.comment))
        out.extend(_out(r) for r in item.replies)
    return out


@router.post(
    "/discussion/{kind}/{pk}/comments",
    response={
        201: DiscussionCommentOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: FieldErrorsOut,
    },
    summary="Comment or reply",
    description="Mentioned people (``mention_ids``, or @Full Name in the text) are told only "
    "if the author may see them and they may read the comment; others are ignored.",
)
def comment_add(request: HttpRequest, kind: TargetKind, pk: int, payload: CommentIn) -> Any:
    target = _target(request, kind, pk)
    if not targets.can_write(request.user, target):
        raise HttpError(403, "You cannot comment here.")
    parent = None
    if payload.parent_id is not None:
        got = selectors.comment_get(viewer=request.user, pk=payload.parent_id)
        if got is None:
            raise services.CommentError("Reply to a comment in this thread.", field="parent_id")
        parent = got[0]
    comment = services.comment_add(
        actor=request.user,
        target=target,
        body=payload.body,
        parent=parent,
        period=payload.period,
        team_only=payload.team_only,
        mention_ids=payload.mention_ids,
    )
    return 201, _out(comment)


def _comment(request: HttpRequest, pk: int) -> tuple[Comment, targets.Target]:
    got = selectors.comment_get(viewer=request.user, pk=pk)
    if got is None:
        raise Http404
    return got


@router.patch(
    "/discussion/comments/{pk}",
    response={
        200: DiscussionCommentOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: FieldErrorsOut,
        428: ErrorOut,
    },
    summary="Change a comment (its author)",
)
def comment_edit(request: HttpRequest, pk: int, payload: CommentPatchIn) -> Any:
    comment, _ = _comment(request, pk)
    if not targets.can_edit(request.user, comment):
        raise HttpError(403, "Only the author can change a comment.")
    version = required_version(request, payload.version, comment)
    services.comment_edit(
        actor=request.user, comment=comment, body=payload.body, loaded_version=version
    )
    return _out(comment)


@router.delete(
    "/discussion/comments/{pk}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Remove a comment",
    description="The thread keeps its place as “Comment removed”.",
)
def comment_remove(request: HttpRequest, pk: int) -> Any:
    comment, target = _comment(request, pk)
    if not targets.can_remove(request.user, target, comment):
        raise HttpError(403, "You cannot remove this comment.")
    services.comment_remove(actor=request.user, target=target, comment=comment)
    return 204, None
