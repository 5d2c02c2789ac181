"""Storyboard pages: the gallery, submitting, the permission-checked files, and steals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qicollab.core import contributions
from qicollab.core.http import AuthedHttpRequest, found, require, safe_next
from qicollab.events import feedback, selectors
from qicollab.events import storyboard_files as files
from qicollab.events import storyboards as sb
from qicollab.events.forms import ProjectStoryboardForm, StealForm, UploadStoryboardForm
from qicollab.events.models import LearningSession
from qicollab.events.views import HOME, SESSIONS


def _crumbs(s: LearningSession, *rest: tuple[str, str]) -> list[tuple[str, str]]:
    return [HOME, SESSIONS, (s.title, s.get_absolute_url()), *rest]


def session_panel(viewer: Any, s: LearningSession) -> dict[str, Any]:
    """What the session page shows about storyboards and feedback (its own template block)."""
    can_manage = viewer.has_perm("events.manage_session", s)
    return {
        # The innovation harvest (qicollab.innovations registers itself here).
        "harvested_innovations": [],
        **contributions.collect("events.session_detail", session=s, viewer=viewer),
        "presented": sb.presented(session=s),
        "storyboard_count": sb.storyboard_count(session=s),
        "feedback_reason": feedback.why_not_give(person=viewer, session=s),
        "feedback_given": feedback.has_responded(person=viewer, session=s),
        "can_see_feedback_results": viewer.has_perm("events.view_feedback_results", s),
        "show_missing": can_manage,
    }


def _gallery_context(request: AuthedHttpRequest, s: LearningSession) -> dict[str, Any]:
    workstreams = list(sb.session_workstreams(session=s))
    chosen = request.GET.get("workstream", "")
    workstream = next((w for w in workstreams if w.slug == chosen), None)
    cards = list(sb.gallery(session=s, viewer=request.user, workstream=workstream))
    return {
        "page_title": f"Storyboards: {s.title}",
        "active_nav": "learning",
        "breadcrumbs": _crumbs(s, ("Storyboards", "")),
        "s": s,
        "cards": cards,
        "workstreams": workstreams,
        "workstream": workstream,
        "unknown_workstream": bool(chosen) and workstream is None,
        "presented": sb.presented(session=s),
        "can_manage": request.user.has_perm("events.manage_session", s),
        "can_submit": request.user.has_perm("events.submit_storyboard", s),
        "can_steal": request.user.has_perm("events.register", s),
        "project_links": {
            c.pk: request.user.has_perm("projects.view_project", c.project)
            for c in cards
            if c.project is not None
        },
        "mine": {c.pk for c in cards if sb.can_withdraw(request.user, c)},
        "own": sb.presented_by(request.user, cards),
        "steal_form": StealForm(),
        # Where "steal" leads (an innovation's adopt page) and harvest links, from innovations.
        "steal_next": {},
        "harvest_url": {},
        **contributions.collect("events.storyboard_gallery", cards=cards, viewer=request.user),
    }


@login_required
def storyboard_gallery(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = found(selectors.session_get(viewer=request.user, pk=pk))
    require(request.user, "events.view_storyboards", s)
    return render(request, "events/storyboard_gallery.jinja", _gallery_context(request, s))


def _submit_page(
    request: AuthedHttpRequest,
    s: LearningSession,
    *,
    project_form: ProjectStoryboardForm | None = None,
    upload_form: UploadStoryboardForm | None = None,
) -> HttpResponse:
    projects = sb.submittable_projects(actor=request.user, session=s)
    upload_form = upload_form or _upload_form(request, s)
    return render(
        request,
        "events/storyboard_submit.jinja",
        {
            "page_title": f"Present a storyboard: {s.title}",
            "active_nav": "learning",
            "breadcrumbs": _crumbs(
                s,
                ("Storyboards", reverse("events:storyboard_gallery", args=[s.pk])),
                ("Present a storyboard", ""),
            ),
            "s": s,
            "projects": projects,
            "project_form": project_form
            or ProjectStoryboardForm(prefix="project", projects=projects),
            "upload_form": upload_form,
            "can_upload": upload_form.fields["organisation"].queryset.exists(),  # type: ignore[attr-defined]
        },
    )


def _upload_form(request: AuthedHttpRequest, s: LearningSession, **kw: Any) -> UploadStoryboardForm:
    orgs = sb.upload_organisations(actor=request.user, session=s)
    only = list(orgs[:2])
    if len(only) == 1 and "data" not in kw:
        kw["initial"] = {"organisation": only[0].pk}
    return UploadStoryboardForm(
        prefix="upload",
        organisations=orgs,
        workstreams=sb.session_workstreams(session=s),
        max_mb=files.max_upload_mb(),
        **kw,
    )


@login_required
def storyboard_submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = found(selectors.session_get(viewer=request.user, pk=pk))
    require(request.user, "events.submit_storyboard", s)
    return _submit_page(request, s)


@login_required
@require_POST
def storyboard_submit_project(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = found(selectors.session_get(viewer=request.user, pk=pk))
    require(request.user, "events.submit_storyboard", s)
    projects = sb.submittable_projects(actor=request.user, session=s)
    form = ProjectStoryboardForm(request.POST, prefix="project", projects=projects)
    if form.is_valid():
        try:
            board = sb.storyboard_submit_project(
                actor=request.user,
                session=s,
                project=form.cleaned_data["project"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as exc:
            form.add_error("project", " ".join(exc.messages))
        else:
            messages.success(request, f"“{board.title}” is in the gallery.")
            return redirect("events:storyboard_gallery", pk=s.pk)
    return _submit_page(request, s, project_form=form)


@login_required
@require_POST
def storyboard_upload(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = found(selectors.session_get(viewer=request.user, pk=pk))
    require(request.user, "events.submit_storyboard", s)
    form = _upload_form(request, s, data=request.POST, files=request.FILES)
    if form.is_valid():
        try:
            board = sb.storyboard_upload(
                actor=request.user,
                session=s,
                organisation=form.cleaned_data["organisation"],
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                workstream=form.cleaned_data["workstream"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_error("file", " ".join(exc.messages))
        else:
            messages.success(request, f"“{board.title}” is in the gallery.")
            return redirect("events:storyboard_gallery", pk=s.pk)
    return _submit_page(request, s, upload_form=form)


def _file_response(request: AuthedHttpRequest, pk: int, *, thumbnail: bool) -> HttpResponse:
    board = found(sb.storyboard_get(viewer=request.user, pk=pk))
    require(request.user, "events.view_storyboards", board.session)
    data = files.read_file(board, thumbnail=thumbnail)
    if data is None:
        raise Http404
    content_type = "image/png" if thumbnail else board.content_type
    resp = HttpResponse(data, content_type=content_type)
    # Images show inline (thumbnails, the poster itself); PDFs download, so a crafted PDF is
    # never rendered under this site's origin.
    disposition = "inline" if content_type.startswith("image/") else "attachment"
    resp["Content-Disposition"] = f'{disposition}; filename="{files.download_name(board)}"'
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    resp["Cache-Control"] = "private, max-age=300"
    return resp


@login_required
def storyboard_file(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _file_response(request, pk, thumbnail=False)


@login_required
def storyboard_thumbnail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _file_response(request, pk, thumbnail=True)


@login_required
@require_POST
def storyboard_steal(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    board = found(sb.storyboard_get(viewer=request.user, pk=pk))
    require(request.user, "events.register", board.session)
    back = safe_next(request, reverse("events:storyboard_gallery", args=[board.session_id]))
    form = StealForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["note"]))
        return redirect(back)
    try:
        sb.storyboard_steal(actor=request.user, storyboard=board, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"You intend to steal “{board.title}”. We have let the team know."
        )
    return redirect(back)


@login_required
@require_POST
def storyboard_unsteal(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    board = found(sb.storyboard_get(viewer=request.user, pk=pk))
    back = safe_next(request, reverse("events:storyboard_gallery", args=[board.session_id]))
    if sb.storyboard_unsteal(actor=request.user, storyboard=board):
        messages.success(request, f"You no longer intend to steal “{board.title}”.")
    return redirect(back)


@login_required
@require_POST
def storyboard_withdraw(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    board = found(sb.storyboard_get(viewer=request.user, pk=pk))
    if not sb.can_withdraw(request.user, board):
        require(request.user, "events.manage_session", board.session)
    session_id, title = board.session_id, board.title
    sb.storyboard_withdraw(actor=request.user, storyboard=board)
    messages.success(request, f"“{title}” has been taken out of the gallery.")
    return redirect("events:storyboard_gallery", pk=session_id)
