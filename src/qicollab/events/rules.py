"""Who may see, book and run learning sessions."""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for
from qicollab.events.models import LearningSession
from qicollab.organisations.models import Collaborative


@rules.predicate
def can_view_session(user: Any, s: LearningSession | None) -> bool:
    r = roles_for(user)
    if s is None:
        return bool(r.visible_collab_ids)
    return r.is_superuser or s.collaborative_id in r.visible_collab_ids


@rules.predicate
def can_register(user: Any, s: LearningSession | None) -> bool:
    """Staff and partners of member organisations, and the collaborative's faculty."""
    r = roles_for(user)
    if s is None:
        return bool(r.visible_collab_ids)
    return s.collaborative_id in r.visible_collab_ids


@rules.predicate
def can_manage_session(user: Any, s: LearningSession | None) -> bool:
    """Organisers: the collaborative's leads, faculty and national admins."""
    r = roles_for(user)
    if s is None:
        return bool(r.coordinator_collab_ids)
    return r.is_superuser or s.collaborative_id in r.coordinator_collab_ids


@rules.predicate
def can_view_calendar(user: Any, collab: Collaborative | None) -> bool:
    r = roles_for(user)
    if collab is None:
        return bool(r.visible_collab_ids)
    return r.is_superuser or collab.pk in r.visible_collab_ids


@rules.predicate
def can_organise(user: Any, collab: Collaborative | None) -> bool:
    """Add sessions and action periods to a collaborative: its leads, faculty, national admins."""
    r = roles_for(user)
    if collab is None:
        return bool(r.coordinator_collab_ids)
    return r.is_superuser or collab.pk in r.coordinator_collab_ids


rules.add_perm("events.view_calendar", can_view_calendar)
rules.add_perm("events.organise", can_organise)
rules.add_perm("events.view_session", can_view_session)
rules.add_perm("events.register", can_register)
rules.add_perm("events.manage_session", can_manage_session)


# Feedback results (aggregated, anonymous) are for the organisers: leads, faculty, admins.
rules.add_perm("events.view_feedback_results", can_manage_session)
# Storyboards: anyone who may see the session sees its gallery; members of the
# collaborative present and steal (the services check organisation and project).
rules.add_perm("events.view_storyboards", can_view_session)
rules.add_perm("events.submit_storyboard", can_register)
