"""Thread pages and the comment forms: htmx swaps the thread in place; without JavaScript
each form posts and comes back to the page it was on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from qicollab.core.forms import add_service_error
from qicollab.core.http import AuthedHttpRequest, found
from qicollab.discussion import presenters, selectors, services, targets
from qicollab.discussion.forms import CommentEditForm
from qicollab.discussion.models import Comment
from qicollab.discussion.services import CommentError
from qicollab.discussion.targets import Target


def _target(request: HttpRequest, kind: str, pk: int) -> Target:
    return found(targets.resolve(viewer=request.user, kind=kind, pk=pk))


def _thread_page(
    request: HttpRequest, target: Target, panel: presenters.ThreadPanel, status: int = 200
) -> HttpResponse:
    if getattr(request, "htmx", False):
        return render(request, "discussion/_thread.jinja", {"discussion": panel}, status=status)
    return render(
        request,
        "discussion/thread.jinja",
        {
            "page_title": f"Discussion: {target.title}",
            "breadcrumbs": [(target.title, target.url), ("Discussion", "")],
            "discussion": panel,
        },
        status=status,
    )


@login_required
def thread(request: AuthedHttpRequest, kind: str, pk: int) -> HttpResponse:
    """A thread on its own page (storyboards, and the no-JavaScript path after an error)."""
    target = _target(request, kind, pk)
    return _thread_page(
        request, target, presenters.thread_panel(viewer=request.user, target=target)
    )


@login_required
@require_POST
def comment_add(request: AuthedHttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target(request, kind, pk)
    if not targets.can_write(request.user, target):
        return _thread_page(
            request, target, presenters.thread_panel(viewer=request.user, target=target), 403
        )
    form = presenters.comment_form(request.user, target, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        parent = None
        if d.get("parent"):
            found_parent = selectors.comment_get(viewer=request.user, pk=d["parent"])
            parent = found_parent[0] if found_parent else None
            if parent is None:
                form.add_error(None, "The comment you replied to is no longer there.")
        if not form.errors:
            try:
                comment = services.comment_add(
                    actor=request.user,
                    target=target,
                    body=d["body"],
                    parent=parent,
                    period=d.get("period"),
                    team_only=bool(d.get("team_only")),
                    mention_ids=d.get("mentions") or [],
                )
            except CommentError as exc:
                add_service_error(form, exc)
            else:
                if getattr(request, "htmx", False):
                    panel = presenters.thread_panel(viewer=request.user, target=target)
                    return render(request, "discussion/_thread.jinja", {"discussion": panel})
                messages.success(request, "Your comment has been posted.")
                return redirect(f"{target.url}#comment-{comment.pk}")
    panel = presenters.thread_panel(viewer=request.user, target=target, form=form)
    return _thread_page(request, target, panel)


def _own_comment(request: HttpRequest, pk: int) -> tuple[Comment, Target]:
    return found(selectors.comment_get(viewer=request.user, pk=pk))


@login_required
def comment_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    comment, target = _own_comment(request, pk)
    if not targets.can_edit(request.user, comment):
        return render(
            request,
            "discussion/refused.jinja",
            {"page_title": "You cannot change this comment"},
            status=403,
        )
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                actor=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except CommentError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Your comment has been changed.")
            return redirect(f"{target.url}#comment-{comment.pk}")
    return render(
        request,
        "discussion/comment_edit.jinja",
        {
            "page_title": "Change your comment",
            "breadcrumbs": [(target.title, target.url), ("Change your comment", "")],
            "form": form,
            "comment": comment,
            "target": target,
            "history": comment.history.select_related("history_user").order_by("-history_date"),
        },
    )


@login_required
def comment_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    comment, target = _own_comment(request, pk)
    if not targets.can_remove(request.user, target, comment):
        return render(
            request,
            "discussion/refused.jinja",
            {"page_title": "You cannot remove this comment"},
            status=403,
        )
    if request.method == "POST":
        services.comment_remove(actor=request.user, target=target, comment=comment)
        messages.success(request, "The comment has been removed.")
        return redirect(f"{target.url}#comment-{comment.pk}")
    return render(
        request,
        "discussion/comment_remove.jinja",
        {
            "page_title": "Remove this comment",
            "breadcrumbs": [(target.title, target.url), ("Remove a comment", "")],
            "comment": comment,
            "target": target,
        },
    )
