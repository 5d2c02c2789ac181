"""Reads of threads: every comment of a target the viewer may read, in two queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from qicollab.accounts.models import Person
from qicollab.discussion import targets
from qicollab.discussion.models import Comment
from qicollab.discussion.targets import Target


@dataclass
class ThreadItem:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def thread(*, viewer: Any, target: Target) -> list[ThreadItem]:
    """The target's comments the viewer may read, oldest first, replies under their comment.

    Two queries whatever the thread's length (comments with authors; mentions), plus the
    viewer's roles; team-only notes are left out for people who may not read them.
    """
    qs = (
        Comment.objects.filter(target_kind=target.kind, target_id=target.pk)
        .select_related("author", "removed_by")
        .prefetch_related(Prefetch("mentions", queryset=Person.objects.order_by("full_name")))
        .order_by("created_at", "pk")
    )
    if not targets.sees_team_only(viewer, target):
        qs = qs.filter(Q(team_only=False) | Q(author_id=getattr(viewer, "pk", None)))
    items: dict[int, ThreadItem] = {}
    orphans: list[Comment] = []
    for c in qs:
        if c.parent_id is None:
            items[c.pk] = ThreadItem(c)
        elif c.parent_id in items:
            items[c.parent_id].replies.append(c)
        else:  # a reply whose comment the viewer may not read (a team-only note)
            orphans.append(c)
    return list(items.values())


def comment_get(*, viewer: Any, pk: int) -> tuple[Comment, Target] | None:
    """A comment and its target, if the viewer may read both (else ``None``: 404)."""
    c = Comment.objects.filter(pk=pk).select_related("author").first()
    if c is None:
        return None
    target = targets.resolve(viewer=viewer, kind=c.target_kind, pk=c.target_id)
    if target is None or not targets.can_see_comment(viewer, target, c):
        return None
    return c, target


def visible_people(*, viewer: Any) -> QuerySet[Person]:
    """People the viewer may see (the people directory's own rule)."""
    from qicollab.accounts.selectors import person_list

    return person_list(viewer=viewer)


def mention_candidates(*, viewer: Any, target: Target) -> list[Person]:
    """Whom the author may mention: people they may see who take part in this target's
    work (its team, the collaborative's faculty and leads, earlier commenters). One query."""
    from qicollab.organisations.models import CollaborativeRole, CollaborativeRoleKind
    from qicollab.projects.models import ProjectMember

    involved = Q(
        pk__in=CollaborativeRole.objects.filter(
            collaborative_id=target.collaborative_id,
            role__in=[CollaborativeRoleKind.LEAD, CollaborativeRoleKind.FACULTY],
        ).values("person_id")
    ) | Q(
        pk__in=Comment.objects.filter(target_kind=target.kind, target_id=target.pk).values(
            "author_id"
        )
    )
    if target.project is not None:
        involved |= Q(
            pk__in=ProjectMember.objects.filter(project_id=target.project.pk).values("person_id")
        )
    return list(
        visible_people(viewer=viewer)
        .filter(involved)
        .exclude(pk__in=[viewer.pk] if getattr(viewer, "pk", None) else [])
        .only("pk", "full_name", "email", "job_title")
    )
