"""Storyboards at learning sessions: submitting, the gallery, steals and who presented.

A team presents either its project storyboard (``measures/storyboard.py`` renders it from the
project workspace; the gallery links to it) or an uploaded PDF, PNG or JPEG, checked by its
content and stored under a random name (:mod:`qicollab.events.storyboard_files`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from qicollab.accounts.roles import roles_for
from qicollab.collaborative.models import Workstream
from qicollab.core.services import delete_as, save_as
from qicollab.events import emails
from qicollab.events.models import LearningSession, Storyboard, StoryboardKind, StoryboardSteal
from qicollab.events.storyboard_files import (
    check_upload,
    delete_files,
    store,
)
from qicollab.organisations.models import AffiliationRole, CollaborativeMembership, Organisation
from qicollab.projects.models import Project, ProjectMember, Sharing

# Affiliation roles that present for their organisation (viewers only look).
PRESENTER_ROLES = frozenset(
    {AffiliationRole.PROGRAMME_MANAGER, AffiliationRole.STAFF, AffiliationRole.PARTNER}
)


# --- who may do what ------------------------------------------------------------------


def member_ids_at(session: LearningSession) -> frozenset[int]:
    """Organisations that were members of the session's collaborative while it ran."""
    return frozenset(
        CollaborativeMembership.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gt=session.starts_on),
            collaborative_id=session.collaborative_id,
            joined_on__lte=session.ends_on,
        ).values_list("organisation_id", flat=True)
    )


def upload_organisations(*, actor: Any, session: LearningSession) -> QuerySet[Organisation]:
    """Member organisations ``actor`` may present for: their own (not as a viewer), or any
    member for the session's organisers (who may collect posters on the day)."""
    members = member_ids_at(session)
    if actor.has_perm("events.manage_session", session):
        ids = members
    else:
        r = roles_for(actor)
        ids = members & frozenset(o for o, role in r.org_roles.items() if role in PRESENTER_ROLES)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def submittable_projects(*, actor: Any, session: LearningSession) -> list[Project]:
    """The actor's projects in the session's collaborative that are not yet in the gallery."""
    mine = ProjectMember.objects.filter(person_id=actor.pk).values("project_id")
    qs = (
        Project.objects.filter(collaborative_id=session.collaborative_id, pk__in=mine)
        .exclude(session_storyboards__session=session)
        .select_related("lead_organisation", "workstream")
        .order_by("title")
    )
    return [p for p in qs if actor.has_perm("projects.change_project", p)]


def can_withdraw(user: Any, storyboard: Storyboard) -> bool:
    if user.has_perm("events.manage_session", storyboard.session):
        return True
    if storyboard.submitted_by_id == user.pk:
        return True
    return storyboard.project is not None and user.has_perm(
        "projects.change_project", storyboard.project
    )


def is_presenter(user: Any, storyboard: Storyboard) -> bool:
    """The people whose idea it is: the project team, or whoever uploaded it."""
    if storyboard.submitted_by_id == user.pk:
        return True
    return (
        storyboard.project_id is not None
        and ProjectMember.objects.filter(
            project_id=storyboard.project_id, person_id=user.pk
        ).exists()
    )


def presented_by(user: Any, storyboards: Iterable[Storyboard]) -> set[int]:
    """The storyboards among these that are ``user``'s own idea (see :func:`is_presenter`),
    in one query: an organiser may withdraw any storyboard but still steal others' ideas."""
    boards = list(storyboards)
    teams = set(
        ProjectMember.objects.filter(
            person_id=user.pk, project_id__in={b.project_id for b in boards if b.project_id}
        ).values_list("project_id", flat=True)
    )
    return {b.pk for b in boards if b.submitted_by_id == user.pk or b.project_id in teams}


# --- writes ---------------------------------------------------------------------------


def storyboard_submit_project(
    *, actor: Any, session: LearningSession, project: Project, summary: str = ""
) -> Storyboard:
    """Put a project's storyboard in the session's gallery, linking to the project."""
    if not actor.has_perm("events.view_session", session):
        raise PermissionDenied
    if not actor.has_perm("projects.change_project", project):
        raise PermissionDenied
    if project.collaborative_id != session.collaborative_id:
        raise ValidationError("Choose a project in this learning session's collaborative.")
    if project.sharing not in (Sharing.COLLABORATIVE, Sharing.PUBLIC):
        raise ValidationError(
            f"“{project.title}” is shared only with "
            f"{'its team' if project.sharing == Sharing.PRIVATE else 'its organisations'}, so "
            "other teams could not open its storyboard. Share it with everyone in the "
            "collaborative first (on the project's sharing page), or upload a file instead."
        )
    if project.lead_organisation_id not in member_ids_at(session):
        raise ValidationError(
            "The project's lead organisation was not a member of the collaborative at this session."
        )
    already = ValidationError(f"“{project.title}” is already in this session's gallery.")
    if Storyboard.objects.filter(session=session, project=project).exists():
        raise already
    sb = Storyboard(
        session=session,
        kind=StoryboardKind.PROJECT,
        title=project.title,
        summary=summary.strip() or project.summary,
        organisation_id=project.lead_organisation_id,
        project=project,
        workstream_id=project.workstream_id,
        submitted_by=actor,
    )
    try:
        with transaction.atomic():
            save_as(sb, actor)
    except IntegrityError:  # a simultaneous submission of the same project
        raise already from None
    return sb


def storyboard_upload(
    *,
    actor: Any,
    session: LearningSession,
    organisation: Organisation,
    title: str,
    upload: Any,
    summary: str = "",
    workstream: Workstream | None = None,
) -> Storyboard:
    """Check an uploaded PDF or image by its content, store it under a random name, and put
    it in the session's gallery for ``organisation``."""
    if not actor.has_perm("events.view_session", session):
        raise PermissionDenied
    if not upload_organisations(actor=actor, session=session).filter(pk=organisation.pk).exists():
        raise ValidationError(
            f"You cannot present for {organisation.name} at this session: choose a member "
            "organisation you work for."
        )
    if workstream is not None and workstream.collaborative_id != session.collaborative_id:
        raise ValidationError("Choose a workstream of this collaborative.")
    checked = check_upload(upload)
    file_name = store(checked.data)
    thumb_name = store(checked.thumbnail) if checked.thumbnail else ""
    sb = Storyboard(
        session=session,
        kind=StoryboardKind.UPLOAD,
        title=" ".join(title.split()),
        summary=summary.strip(),
        organisation=organisation,
        workstream=workstream,
        file_name=file_name,
        thumb_name=thumb_name,
        content_type=checked.content_type,
        file_size=len(checked.data),
        original_name=checked.original_name,
        submitted_by=actor,
    )
    try:
        with transaction.atomic():
            save_as(sb, actor)
    except Exception:
        delete_files(file_name, thumb_name)
        raise
    return sb


def storyboard_withdraw(*, actor: Any, storyboard: Storyboard) -> None:
    """Take a storyboard out of the gallery (its steals go with it) and delete its files."""
    if not can_withdraw(actor, storyboard):
        raise PermissionDenied
    names = (storyboard.file_name, storyboard.thumb_name)
    with transaction.atomic():
        delete_as(storyboard, actor)
        transaction.on_commit(lambda: delete_files(*names))


def storyboard_steal(*, actor: Any, storyboard: Storyboard, note: str = "") -> StoryboardSteal:
    """Mark that ``actor`` intends to adopt the idea. The team is emailed the first time only:
    undoing and marking again changes the note but sends nothing more."""
    if not actor.has_perm("events.register", storyboard.session):
        raise PermissionDenied
    if is_presenter(actor, storyboard):
        raise ValidationError("This is your own team's storyboard, so there is nothing to steal.")
    note = note.strip()
    with transaction.atomic():
        steal, created = StoryboardSteal.objects.select_for_update().get_or_create(
            storyboard=storyboard, person=actor, defaults={"note": note}
        )
        if not created:
            if steal.undone_at is None:
                raise ValidationError("You have already said you will steal this idea.")
            steal.undone_at = None
            steal.note = note
            save_as(steal, actor)
        if steal.notified_at is None:
            steal.notified_at = timezone.now()
            save_as(steal, actor)
            s = steal
            transaction.on_commit(lambda: emails.send_storyboard_stolen(s))
    return steal


def storyboard_unsteal(*, actor: Any, storyboard: Storyboard) -> bool:
    """Undo ``actor``'s steal. Returns whether there was one to undo."""
    with transaction.atomic():
        steal = (
            StoryboardSteal.objects.select_for_update()
            .filter(storyboard=storyboard, person_id=actor.pk, undone_at__isnull=True)
            .first()
        )
        if steal is None:
            return False
        steal.undone_at = timezone.now()
        save_as(steal, actor)
    return True


# --- reads ----------------------------------------------------------------------------


def storyboard_get(*, viewer: Any, pk: int) -> Storyboard | None:
    """A storyboard of a session the viewer may see, or ``None``."""
    r = roles_for(viewer)
    qs = Storyboard.objects.select_related(
        "session", "session__collaborative", "organisation", "project", "workstream"
    )
    if not r.is_superuser:
        qs = qs.filter(session__collaborative_id__in=r.visible_collab_ids)
    return qs.filter(pk=pk).first()


def storyboard_count(*, session: LearningSession) -> int:
    """How many storyboards were shared at ``session`` (the session page's panel)."""
    return Storyboard.objects.filter(session=session).count()


def gallery(
    *, session: LearningSession, viewer: Any, workstream: Workstream | None = None
) -> QuerySet[Storyboard]:
    """The session's storyboards with their steal counts and whether the viewer stole each."""
    qs = (
        Storyboard.objects.filter(session=session)
        .select_related("organisation", "project", "workstream")
        # can_view_project reads the partner organisations: one query for all cards.
        .prefetch_related("project__partner_organisations")
        .annotate(
            steal_count=Count("steals", filter=Q(steals__undone_at__isnull=True)),
            stolen_by_me=Exists(
                StoryboardSteal.objects.filter(
                    storyboard=OuterRef("pk"), person_id=viewer.pk, undone_at__isnull=True
                )
            ),
        )
        .order_by("organisation__name", "title")
    )
    if workstream is not None:
        qs = qs.filter(workstream=workstream)
    return qs


def session_workstreams(*, session: LearningSession) -> QuerySet[Workstream]:
    return Workstream.objects.filter(collaborative_id=session.collaborative_id).order_by("name")


@dataclass(frozen=True)
class Presented:
    """Which member organisations presented at a session (members while it ran only)."""

    members: list[Organisation]
    presented: list[Organisation]
    missing: list[Organisation]

    @property
    def pct(self) -> float | None:
        return 100.0 * len(self.presented) / len(self.members) if self.members else None

    @property
    def headline(self) -> str:
        if not self.members:
            return "The collaborative had no member organisations at this session."
        if len(self.presented) == len(self.members):
            n = len(self.members)
            return f"100% of member organisations presented ({n} of {n})."
        return (
            f"{len(self.presented)} of {len(self.members)} member organisations presented "
            f"({self.pct:.0f}%)."
        )


def presented(*, session: LearningSession) -> Presented:
    """Member organisations at the time of the session, split by whether they presented.

    Organisations that had left before the session (or joined after it) are not counted;
    a storyboard from a non-member does not count either.
    """
    members = list(Organisation.objects.filter(pk__in=member_ids_at(session)).order_by("name"))
    shown = set(
        Storyboard.objects.filter(session=session).values_list("organisation_id", flat=True)
    )
    return Presented(
        members=members,
        presented=[o for o in members if o.pk in shown],
        missing=[o for o in members if o.pk not in shown],
    )
