"""A project's last activity: one definition (``selectors.last_activity``) for every page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qicollab.measures.models import DataPoint, Measure
from qicollab.projects import selectors
from qicollab.projects.models import PdsaCycle, ProgressReport, Project

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)


def _ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def _annotated(project: Project, **kw: Any) -> Project:
    return selectors.with_last_activity(Project.objects.filter(pk=project.pk), **kw).get()


def test_the_latest_record_of_any_kind_by_when_it_was_recorded(project: Project) -> None:
    measure = Measure.objects.create(project=project, name="Falls")
    point = DataPoint.objects.create(measure=measure, period=dt.date(2026, 6, 1), value=3)
    # Entered 90 days ago, for a recent period: the entry date counts, not the period.
    DataPoint.objects.filter(pk=point.pk).update(created_at=_ago(90), updated_at=_ago(90))
    cycle = PdsaCycle.objects.create(project=project, title="Test a checklist", cycle_number=1)
    # Added 30 days ago, edited yesterday: an edit to an old record is not new activity.
    PdsaCycle.objects.filter(pk=cycle.pk).update(created_at=_ago(30), updated_at=_ago(1))
    report = ProgressReport.objects.create(
        project=project,
        month=dt.date(2026, 4, 1),
        scale=selectors.scale_for(collaborative=project.collaborative_id),
        score=Decimal("2.0"),
        rater_type="self",
    )
    ProgressReport.objects.filter(pk=report.pk).update(created_at=_ago(45))
    # The project itself saved today (a title or sharing edit) is not activity either.
    Project.objects.filter(pk=project.pk).update(updated_at=NOW)

    p = _annotated(project, by_kind=True)
    assert p.last_activity == _ago(30)  # type: ignore[attr-defined]
    assert (p.last_data_at, p.last_pdsa_at, p.last_report_at) == (  # type: ignore[attr-defined]
        _ago(90),
        _ago(30),
        _ago(45),
    )


def test_a_project_that_recorded_nothing_has_no_last_activity(project: Project) -> None:
    assert _annotated(project).last_activity is None  # type: ignore[attr-defined]


def test_one_kind_alone_is_enough(project: Project) -> None:
    """GREATEST returns NULL on SQLite when any argument is NULL: the selector must not."""
    report = ProgressReport.objects.create(
        project=project,
        month=dt.date(2026, 4, 1),
        scale=selectors.scale_for(collaborative=project.collaborative_id),
        score=Decimal("2.0"),
        rater_type="self",
    )
    ProgressReport.objects.filter(pk=report.pk).update(created_at=_ago(3))
    assert _annotated(project).last_activity == _ago(3)  # type: ignore[attr-defined]


def test_one_query_for_many_projects(make_project: Any) -> None:
    projects = [make_project(title=f"Project {i}") for i in range(5)]
    for p in projects:
        Measure.objects.create(project=p, name="Falls").points.create(
            period=dt.date(2026, 1, 1), value=1
        )
    with CaptureQueriesContext(connection) as ctx:
        rows = list(selectors.with_last_activity(Project.objects.all(), by_kind=True))
    assert len(ctx.captured_queries) == 1
    assert all(r.last_activity is not None for r in rows)  # type: ignore[attr-defined]
