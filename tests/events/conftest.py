from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from qicollab.capability.models import SubjectArea
from qicollab.capability.services import subject_areas_seed
from qicollab.events.models import AgendaItem, LearningSession


@pytest.fixture
def subjects(world: Any) -> list[SubjectArea]:
    subject_areas_seed(actor=world.people["collab_lead"], collaborative=world.collab)
    return list(SubjectArea.objects.filter(collaborative=world.collab))


def make_session(collab: Any, *, days_ahead: int = 30, **kw: Any) -> LearningSession:
    start = timezone.localdate() + dt.timedelta(days=days_ahead)
    defaults: dict[str, Any] = {
        "title": f"Learning session {LearningSession.objects.count() + 1}",
        "slug": f"ls-{LearningSession.objects.count() + 1}",
        "starts_on": start,
        "ends_on": start + dt.timedelta(days=1),
        "venue": "Ashton Court, Bristol",
    }
    defaults.update(kw)
    return LearningSession.objects.create(collaborative=collab, **defaults)


def make_workshop(
    session: LearningSession, subject: SubjectArea, level: int, **kw: Any
) -> AgendaItem:
    defaults: dict[str, Any] = {
        "kind": "workshop",
        "title": f"{subject.name} ({level})",
        "starts_at": dt.time(11, 0),
        "ends_at": dt.time(12, 0),
        "subject": subject,
        "level": level,
    }
    defaults.update(kw)
    return AgendaItem.objects.create(session=session, **defaults)


@pytest.fixture
def session(world: Any) -> LearningSession:
    return make_session(world.collab, capacity=2)
