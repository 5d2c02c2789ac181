"""What discussion adds to the project, measure and PDSA pages (``DiscussionConfig.ready``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from qicollab.discussion import presenters, targets


def _panel(viewer: Any, target: targets.Target) -> dict[str, Any]:
    if not getattr(viewer, "is_authenticated", False):
        return {}
    return {"discussion": presenters.thread_panel(viewer=viewer, target=target)}


def project_thread(*, project: Any, viewer: Any, **_: Any) -> dict[str, Any]:
    return _panel(viewer, targets.for_project(project))


def measure_thread(
    *, measure: Any, project: Any, viewer: Any, periods: list[date] | None = None, **_: Any
) -> dict[str, Any]:
    return _panel(viewer, targets.for_measure(measure, project, periods or []))


def pdsa_thread(*, cycle: Any, project: Any, viewer: Any, **_: Any) -> dict[str, Any]:
    return _panel(viewer, targets.for_pdsa(cycle, project))
