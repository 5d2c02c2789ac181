"""The thread panel shown on project, measure and PDSA pages and on a thread's own page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from qicollab.discussion import selectors, targets
from qicollab.discussion.forms import CommentForm
from qicollab.discussion.models import Comment
from qicollab.discussion.selectors import ThreadItem
from qicollab.discussion.targets import Target


@dataclass(frozen=True)
class CommentView:
    comment: Comment
    can_edit: bool
    can_remove: bool
    mentions: list[str]

    @property
    def removed(self) -> bool:
        return self.comment.is_removed


@dataclass(frozen=True)
class ThreadView:
    comment: CommentView
    replies: list[CommentView]


@dataclass(frozen=True)
class ThreadPanel:
    target: Target
    threads: list[ThreadView]
    count: int
    can_write: bool
    form: CommentForm | None
    action: str


def _view(viewer: Any, target: Target, c: Comment) -> CommentView:
    return CommentView(
        c,
        targets.can_edit(viewer, c),
        targets.can_remove(viewer, target, c),
        [p.full_name for p in c.mentions.all()],  # prefetched by the thread's selector
    )


def comment_form(viewer: Any, target: Target, data: Any = None) -> CommentForm:
    return CommentForm(
        data,
        periods=target.periods,
        candidates=selectors.mention_candidates(viewer=viewer, target=target),
        team_only=targets.can_write_team_only(viewer, target),
    )


def thread_panel(*, viewer: Any, target: Target, form: CommentForm | None = None) -> ThreadPanel:
    """The thread and, for someone who may write, the comment form (constant queries)."""
    items: list[ThreadItem] = selectors.thread(viewer=viewer, target=target)
    writable = targets.can_write(viewer, target)
    if writable and form is None:
        form = comment_form(viewer, target)
    threads = [
        ThreadView(_view(viewer, target, i.comment), [_view(viewer, target, r) for r in i.replies])
        for i in items
    ]
    return ThreadPanel(
        target=target,
        threads=threads,
        count=sum(1 + len(t.replies) for t in threads),
        can_write=writable,
        form=form if writable else None,
        action=reverse("discussion:comment_add", args=[target.kind, target.pk]),
    )
