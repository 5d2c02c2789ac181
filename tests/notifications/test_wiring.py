"""The kinds that exist today reach the right people: signals, data due, places, approvals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from qicollab.deaths import services as deaths
from qicollab.deaths.models import LearningTheme
from qicollab.events import services as events
from qicollab.events import services_organiser
from qicollab.measures import alerts
from qicollab.measures import services as ms
from qicollab.notifications.models import Notification
from qicollab.notifications.selectors import notification_get
from qicollab.projects.models import Project
from tests import factories as f
from tests.deaths.conftest import make_case, teams  # noqa: F401 - the fixture
from tests.events.conftest import make_session

pytestmark = pytest.mark.django_db


def _kinds(person: Any) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def _measure(world: Any, values: list[float]) -> Any:
    project = f.project_with_team(world, title="Safer nights on Willow ward")
    Project.objects.filter(pk=project.pk).update(status="active")
    m = ms.measure_create(
        actor=world.people["staff_a"],
        project=project,
        data={
            "name": "Falls",
            "measure_type": "outcome",
            "value_type": "count",
            "frequency": "monthly",
            "direction": "decrease",
            "chart_type": "c",
            "is_main_outcome": True,
        },
    )
    first = timezone.localdate().replace(day=1)
    months = []
    d = first
    for _ in values:
        d = (d - dt.timedelta(days=1)).replace(day=1)
        months.append(d)
    for period, v in zip(reversed(months), values, strict=True):
        ms.datapoint_save(actor=world.people["staff_a"], measure=m, period=period, value=v)
    return m


def test_a_new_signal_tells_the_team_once(world: Any) -> None:
    # Twelve months around 10, then eight low months: a shift (improvement, lower is better).
    _measure(world, [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 3, 2, 3, 2, 3, 2, 3, 2])
    assert alerts.signals_notify() == 1
    assert _kinds(world.people["staff_a"]) == ["measures.signal"]
    assert _kinds(world.people["partner_a"]) == ["measures.signal"]
    assert _kinds(world.people["staff_b"]) == []
    n = Notification.objects.filter(recipient=world.people["staff_a"]).get()
    assert "Falls" in n.text and "improvement" in n.text
    # The same run on the next run of the job: nobody is told again.
    assert alerts.signals_notify() == 0
    assert Notification.objects.count() == 2


def test_no_signal_no_notification(world: Any) -> None:
    _measure(world, [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 10, 11])
    assert alerts.signals_notify() == 0
    assert not Notification.objects.exists()


def test_data_due_tells_the_lead_then_overdue(world: Any) -> None:
    m = _measure(world, [5, 6])
    # The last complete month has data: nothing due.
    assert alerts.data_due_notify() == 0
    later = timezone.localdate() + dt.timedelta(days=62)
    assert alerts.data_due_notify(today=later) == 1
    assert _kinds(world.people["staff_a"]) == ["measures.data_due"]
    assert _kinds(world.people["partner_a"]) == []
    n = Notification.objects.get()
    assert "data for" in n.text and n.url.endswith(f"/measures/{m.pk}/data/")
    assert alerts.data_due_notify(today=later) == 0


def test_a_place_offered_is_notified(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    s = make_session(world.collab, capacity=1)
    services_first = world.people["staff_a"]
    waiting = world.people["partner_a"]
    events.registration_create(actor=services_first, session=s)
    events.registration_create(actor=waiting, session=s)
    data = {name: getattr(s, name) for name in services_organiser.SESSION_FIELDS}
    with django_capture_on_commit_callbacks(execute=True):
        services_organiser.learning_session_update(
            actor=world.people["collab_lead"], session=s, data={**data, "capacity": 2}
        )
    assert _kinds(waiting) == ["events.place_offered"]
    n = Notification.objects.get(recipient=waiting)
    assert n.url == s.get_absolute_url() and n.email == "off"  # events emails it itself
    assert notification_get(viewer=services_first, pk=n.pk) is None


def test_a_summary_waiting_for_approval_tells_the_team_lead(teams: Any) -> None:  # noqa: F811
    p = teams.people
    death = make_case(teams)
    summary = deaths.summary_save(
        actor=p["staff_a"],
        death=death,
        data={
            "title": "Physical health checks after discharge",
            "phase_of_care": "mh_transitions",
            "what_happened": "A man in his fifties died at home three weeks after discharge.",
            "what_learned": "Follow-up within 72 hours did not include a physical health check.",
            "what_changed": "Discharge checklists now include booking a physical health review.",
        },
        themes=LearningTheme.objects.filter(slug__in=["physical-health-monitoring"]),
    )
    deaths.summary_submit(actor=p["staff_a"], summary=summary)
    assert _kinds(p["lead_a"]) == ["approvals.requested"]
    assert _kinds(p["staff_a"]) == []  # the author is not asked to approve their own
    assert _kinds(p["pm_a"]) == []
    n = Notification.objects.get(recipient=p["lead_a"])
    assert "waiting for your approval" in n.text and n.url.endswith("/summary/approve/")
