"""Writes of comments: add, reply, edit (kept in the history), remove ("comment removed").

Mentions and replies are told to people through :func:`_tell`, the one place that does so:
today an email through ``core.mail`` (sent by the worker after the commit); when the
notifications app lands, ``_tell`` calls its ``notify(...)`` instead and nothing else here
changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from qicollab.core.services import ServiceError, attribute, check_version, save_as
from qicollab.core.text import text_problem
from qicollab.discussion import selectors, targets
from qicollab.discussion.models import MAX_BODY, Comment, TargetKind
from qicollab.discussion.targets import Target
from qicollab.notifications.services import notify

MAX_MENTIONS = 10


class CommentError(ServiceError):
    """A comment the rules refuse."""


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CommentError("Write your comment.", field="body")
    if len(body) > MAX_BODY:
        raise CommentError(
            f"A comment can be up to {MAX_BODY:,} characters (this one has {len(body):,}).",
            field="body",
        )
    problem = text_problem(body, what="The comment")
    if problem:
        raise CommentError(problem, field="body")
    return body


def _mentioned(
    *, actor: Any, target: Target, body: str, mention_ids: Iterable[int], team_only: bool
) -> list[Any]:
    """People to tell: those named (by choice or as "@Full Name" in the text) among the
    people the author may mention, who may also read this comment. Anyone else is ignored:
    never told, so a mention cannot reveal the thread to someone outside it."""
    candidates = selectors.mention_candidates(viewer=actor, target=target)
    wanted = {int(i) for i in mention_ids}
    text = body.casefold()
    chosen = [p for p in candidates if p.pk in wanted or f"@{p.full_name.casefold()}" in text][
        :MAX_MENTIONS
    ]
    allowed = []
    for person in chosen:
        seen = targets.resolve(viewer=person, kind=target.kind, pk=target.pk)
        if seen is None:
            continue
        if team_only and not targets.sees_team_only(person, seen):
            continue
        allowed.append(person)
    return allowed


def comment_add(
    *,
    actor: Any,
    target: Target,
    body: str,
    parent: Comment | None = None,
    period: date | None = None,
    team_only: bool = False,
    mention_ids: Iterable[int] = (),
) -> Comment:
    """Add a comment (or a reply) to ``target``; tell the people mentioned and, for a reply,
    the author of the comment replied to."""
    if not targets.can_write(actor, target):
        raise CommentError("You cannot comment here.")
    body = _check_body(body)
    if parent is not None:
        if parent.target_kind != target.kind or parent.target_id != target.pk:
            raise CommentError("Reply to a comment in this thread.", field="parent")
        if parent.is_removed:
            raise CommentError("That comment has been removed.", field="parent")
        if parent.parent_id is not None:
            parent = parent.parent  # one level of replies: a reply to a reply joins the comment
        team_only = parent.team_only if parent is not None else team_only
    elif team_only and not targets.can_write_team_only(actor, target):
        raise CommentError(
            "Only the collaborative's faculty and leads can write a note for the team only.",
            field="team_only",
        )
    if period is not None:
        if target.kind != TargetKind.MEASURE:
            raise CommentError("Only a measure's comments can name a point.", field="period")
        if period not in target.periods:
            raise CommentError("Choose a point that is on the chart.", field="period")
    with transaction.atomic():
        comment = Comment(
            target_kind=target.kind,
            target_id=target.pk,
            project=target.project,
            parent=parent,
            author=actor,
            body=body,
            period=period,
            team_only=team_only,
        )
        save_as(comment, actor)
        mentioned = _mentioned(
            actor=actor, target=target, body=body, mention_ids=mention_ids, team_only=team_only
        )
        if mentioned:
            attribute(comment, actor)
            comment.mentions.set(mentioned)
        _tell(recipients=mentioned, comment=comment, target=target, reason="mention")
        if parent is not None and parent.author is not None:
            already = {p.pk for p in mentioned} | {actor.pk}
            if parent.author_id not in already and targets.can_see_comment(
                parent.author, target, comment
            ):
                _tell(recipients=[parent.author], comment=comment, target=target, reason="reply")
    return comment


def comment_edit(
    *, actor: Any, comment: Comment, body: str, loaded_version: str | None = None
) -> Comment:
    """Change a comment's text; the earlier text stays in its history."""
    if not targets.can_edit(actor, comment):
        raise CommentError("Only the author can change a comment.")
    body = _check_body(body)
    with transaction.atomic():
        check_version(comment, loaded_version)
        comment.body = body
        comment.edited_at = timezone.now()
        save_as(comment, actor)
    return comment


def comment_remove(*, actor: Any, target: Target, comment: Comment) -> Comment:
    """Remove a comment: the thread shows "Comment removed" in its place (replies stay);
    the text is kept only in the audit history."""
    if not targets.can_remove(actor, target, comment):
        raise CommentError("You cannot remove this comment.")
    comment.body = ""
    comment.removed_at = timezone.now()
    comment.removed_by = actor
    with transaction.atomic():
        save_as(comment, actor)
    return comment


def _tell(*, recipients: Iterable[Any], comment: Comment, target: Target, reason: str) -> None:
    """Tell people about a comment through the notifications app (the one switch point).

    ``reason`` is "mention" or "reply"; each person's preference for that kind decides
    whether they are emailed now, in a digest, or not at all. The line shown is the first
    line of ``discussion/email/<reason>.txt`` ("Staff A mentioned you on Project: …").
    """
    people = [p for p in recipients if p is not None]
    if not people:
        return
    text = render_to_string(
        f"discussion/email/{reason}.txt",
        {"person": people[0], "author": comment.author, "target": target, "comment": comment},
    )
    line = text.strip().partition("\n")[0]
    notify(
        recipients=people,
        kind=f"discussion.{reason}",
        actor=comment.author,
        target=comment,
        text=line,
        url=target.url + f"#comment-{comment.pk}",
    )
