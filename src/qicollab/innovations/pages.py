"""What innovations add to lower apps' pages, through ``core.contributions``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qicollab.collaborative.models import Theme, Workstream
from qicollab.events.models import LearningSession, Storyboard
from qicollab.innovations import selectors
from qicollab.projects.models import Project


def _link(collab_slug: str, key: str, value: str) -> str:
    return f"{reverse('innovations:innovation_list', args=[collab_slug])}?{key}={value}"


def workstream_link(*, workstream: Workstream, **_: Any) -> dict[str, Any]:
    """The workstream page's "Go to innovations" link, filtered to the workstream."""
    return {"innovations_url": _link(workstream.collaborative.slug, "workstream", workstream.slug)}


def theme_link(*, theme: Theme, **_: Any) -> dict[str, Any]:
    """The theme page's "Go to innovations" link, filtered to the theme."""
    return {"innovations_url": _link(theme.collaborative.slug, "theme", theme.slug)}


def session_harvest(*, session: LearningSession, viewer: Any, **_: Any) -> dict[str, Any]:
    """The innovations harvested from the session's storyboards (the innovation harvest)."""
    return {"harvested_innovations": list(selectors.harvested_at(viewer=viewer, session=session))}


def gallery_innovations(*, cards: list[Storyboard], viewer: Any, **_: Any) -> dict[str, Any]:
    """Storyboard id -> where "steal" leads: the adopt page of its harvested innovation, and
    storyboard id -> the harvest page for storyboards without one yet."""
    found = selectors.storyboard_innovations(viewer=viewer, storyboards=cards)
    return {
        "steal_next": {pk: reverse("innovations:adopt", args=[i.slug]) for pk, i in found.items()},
        "storyboard_innovation": found,
        "harvest_url": {
            c.pk: reverse("innovations:harvest", args=[c.pk]) for c in cards if c.pk not in found
        },
    }


def project_links(*, project: Project, viewer: Any, **_: Any) -> dict[str, Any]:
    """On a project page: its innovations, the innovation it was started from (the link
    back), and for its editors the one-step "Share as an innovation"."""
    own, adopted = selectors.project_related(viewer=viewer, project=project)
    links: list[tuple[str, str]] = [(f"Innovation: {i.title}", i.get_absolute_url()) for i in own]
    links += [
        (f"Started from the innovation “{i.title}” ({i.organisation.name})", i.get_absolute_url())
        for i in adopted
    ]
    if viewer.has_perm("projects.change_project", project):
        links.append(
            (
                "Share this project as an innovation",
                reverse("innovations:innovation_create", args=[project.slug]),
            )
        )
    return {"project_innovations": links}
