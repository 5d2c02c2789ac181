"""The demo's recorded-on dates tell one story in the portfolio and the coaching view."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from qicollab.demo import content as c
from qicollab.demo import run_demo
from qicollab.insights import coaching
from qicollab.projects import selectors
from qicollab.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        run_demo(only=["coaching"])
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_seeded: None, db: Any) -> list[Project]:
    qs = Project.objects.filter(collaborative__slug=c.MH_COLLABORATIVE.slug)
    return list(selectors.with_last_activity(qs).order_by("slug"))


def test_stopped_projects_look_stopped(demo: list[Project]) -> None:
    """Its last activity is near its end, not the day the demo was seeded.

    (A completed project may keep entering its measure to show the gain holds.)
    """
    finished = [p for p in demo if p.status == "stopped"]
    assert finished
    for p in finished:
        assert p.end_date is not None
        last = timezone.localdate(p.last_activity)  # type: ignore[attr-defined]
        assert last <= p.end_date + timedelta(days=45), (p.slug, last, p.end_date)


def test_quiet_projects_are_quiet_and_busy_ones_are_not(demo: list[Project]) -> None:
    now = timezone.now()
    under_way = [p for p in demo if p.status in coaching.UNDER_WAY]
    quiet = coaching.quiet_projects(
        projects=Project.objects.filter(pk__in=[p.pk for p in under_way])
    )
    quiet_ids = {q.pk for q in quiet}
    assert quiet and len(quiet) < len(under_way)  # some teams quiet, most busy
    for p in under_way:
        last = p.last_activity  # type: ignore[attr-defined]
        if p.pk in quiet_ids:
            assert last <= now - timedelta(days=59), p.slug
        else:
            assert last >= now - timedelta(weeks=coaching.DEFAULT_WEEKS), p.slug
    # Not everything happened the day the demo was seeded.
    assert len({timezone.localdate(p.last_activity) for p in demo if p.last_activity}) > 3  # type: ignore[attr-defined]
