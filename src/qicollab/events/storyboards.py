"""Storyboards at learning sessions: checked uploads, the gallery, steals and who presented.

A team presents either its project storyboard (``measures/storyboard.py`` renders it from the
project workspace; the gallery links to it) or an uploaded PDF, PNG or JPEG. Uploads are
checked by their content, never by file name or the browser's claimed type: the first bytes
must be a PDF, PNG or JPEG signature, images must open and decode with Pillow, and PDFs must
have the structure of a PDF (header, ``startxref`` pointing at a cross-reference, ``%%EOF``)
and no scripts, launch actions or embedded files. Files are stored under random names in the
media storage and served only by a view that checks the viewer may see the session.
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from qicollab.accounts.roles import roles_for
from qicollab.collaborative.models import Workstream
from qicollab.core.services import save_as
from qicollab.events import emails
from qicollab.events.models import LearningSession, Storyboard, StoryboardKind, StoryboardSteal
from qicollab.organisations.models import AffiliationRole, CollaborativeMembership, Organisation
from qicollab.projects.models import Project, ProjectMember, Sharing

PNG = "image/png"
JPEG = "image/jpeg"
PDF = "application/pdf"
EXTENSIONS = {PNG: "png", JPEG: "jpg", PDF: "pdf"}
THUMB_WIDTH = 480
# Affiliation roles that present for their organisation (viewers only look).
PRESENTER_ROLES = frozenset(
    {AffiliationRole.PROGRAMME_MANAGER, AffiliationRole.STAFF, AffiliationRole.PARTNER}
)
DIR = "storyboards"


# --- checking uploads by content -------------------------------------------------------


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are (PDF, PNG or JPEG), or ``None``.

    >>> sniff(b"%PDF-1.7\\n...")
    'application/pdf'
    >>> sniff(b"MZ\\x90\\x00") is None
    True
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"%PDF-"):
        return PDF
    return None


_PDF_HEADER = re.compile(rb"\A%PDF-[12]\.\d")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
_XREF_AT = re.compile(rb"\s*(xref|\d+\s+\d+\s+obj)")
# Active content a storyboard never needs. Long names only: short ones (/JS) turn up by
# chance in compressed data.
_PDF_ACTIVE = (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/RichMedia")


def _check_pdf(data: bytes) -> None:
    if not _PDF_HEADER.match(data):
        raise ValidationError("The file starts like a PDF but its version header is not valid.")
    tail = data[-2048:]
    m = _STARTXREF.search(tail)
    if m is None:
        raise ValidationError(
            "The PDF is incomplete or damaged (it has no proper ending). Save it again and "
            "upload the new copy."
        )
    offset = int(m.group(1))
    if offset >= len(data) or not _XREF_AT.match(data, offset):
        raise ValidationError(
            "The PDF is damaged (its table of contents is not where it says). Save it again "
            "and upload the new copy."
        )
    if any(marker in data for marker in _PDF_ACTIVE):
        raise ValidationError(
            "The PDF contains scripts, actions or embedded files. Export a plain PDF and "
            "upload that."
        )


def _check_image(data: bytes, content_type: str) -> bytes:
    """Open and fully decode the image; return a PNG thumbnail re-encoded from the pixels."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is a dependency; stay safe without it
        return b""
    expected = {PNG: "PNG", JPEG: "JPEG"}[content_type]
    try:
        with warnings.catch_warnings():
            # A huge pixel count is a decompression bomb, not a poster.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != expected:
                    raise ValidationError("The image is not the type its content says.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                thumb = img.convert("RGB")
                thumb.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 2))
                out = io.BytesIO()
                thumb.save(out, format="PNG", optimize=True)
                return out.getvalue()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "The image has too many pixels. Resize it (for example to A1 at 150 dpi) and "
            "upload it again."
        ) from None
    except Exception:  # Pillow raises many kinds of error for broken files
        raise ValidationError(
            "The image could not be opened: the file may be damaged. Save it again and "
            "upload the new copy."
        ) from None


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    thumbnail: bytes
    original_name: str


def max_upload_mb() -> int:
    return int(settings.STORYBOARD_MAX_UPLOAD_BYTES // (1024 * 1024))


def check_upload(upload: Any) -> CheckedFile:
    """Read and check an uploaded file by its content. Raises ValidationError with the reason."""
    limit = int(settings.STORYBOARD_MAX_UPLOAD_BYTES)
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            f"The file is {size / (1024 * 1024):.1f} MB; a storyboard can be up to "
            f"{max_upload_mb()} MB. Reduce its size (for example, export the PDF for screen "
            "rather than print) and upload it again."
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"The file is larger than {max_upload_mb()} MB.")
    if not data:
        raise ValidationError("The file is empty.")
    content_type = sniff(data)
    if content_type is None:
        raise ValidationError(
            "Upload a PDF, PNG or JPEG file. This file is not one of those, whatever its name says."
        )
    thumbnail = b""
    if content_type == PDF:
        _check_pdf(data)
    else:
        thumbnail = _check_image(data, content_type)
    name = re.sub(r"[^\w .()-]", "_", str(getattr(upload, "name", "") or ""))[:150].strip()
    return CheckedFile(data, content_type, thumbnail, name or "storyboard")


def _store(data: bytes) -> str:
    # Random, extension-less names: nothing to guess, and nothing a web server would run.
    return default_storage.save(f"{DIR}/{secrets.token_urlsafe(32)}", ContentFile(data))


def read_file(storyboard: Storyboard, *, thumbnail: bool = False) -> bytes | None:
    name = storyboard.thumb_name if thumbnail else storyboard.file_name
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as fh:
            data: bytes = fh.read()
            return data
    except OSError:
        return None


def download_name(storyboard: Storyboard) -> str:
    """A safe filename for Content-Disposition, with the extension of the real content."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", storyboard.original_name.rsplit(".", 1)[0]).strip("-")
    return f"{stem[:80] or 'storyboard'}.{EXTENSIONS.get(storyboard.content_type, 'bin')}"


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
    file_name = _store(checked.data)
    thumb_name = _store(checked.thumbnail) if checked.thumbnail else ""
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
        _delete_files(file_name, thumb_name)
        raise
    return sb


def _delete_files(*names: str) -> None:
    for name in names:
        if name:
            try:
                default_storage.delete(name)
            except OSError:
                continue


def storyboard_withdraw(*, actor: Any, storyboard: Storyboard) -> None:
    """Take a storyboard out of the gallery (its steals go with it) and delete its files."""
    if not can_withdraw(actor, storyboard):
        raise PermissionDenied
    names = (storyboard.file_name, storyboard.thumb_name)
    with transaction.atomic():
        storyboard._history_user = actor  # type: ignore[attr-defined]
        storyboard.delete()
        transaction.on_commit(lambda: _delete_files(*names))


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
