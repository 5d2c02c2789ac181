"""Learning-session feedback: who answers, anonymity, suppression, results and the metric."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from qicollab.events import feedback
from qicollab.events.models import FeedbackReceipt, FeedbackResponse, LearningSession, Registration
from qicollab.insights import metrics
from tests import factories as f
from tests.events.conftest import make_session

pytestmark = pytest.mark.django_db

ANSWERS = {"rating": "5", "learning": "yes", "patient_care": "partly"}


def past_session(world: Any, **kw: Any) -> LearningSession:
    return make_session(world.collab, days_ahead=kw.pop("days_ahead", -10), **kw)


def attendee(world: Any, session: LearningSession, name: str = "") -> Any:
    """A staff member of trust A with a place at ``session``."""
    person = f.PersonFactory(full_name=name or None) if name else f.PersonFactory()
    f.AffiliationFactory(person=person, organisation=world.trust_a, role="staff")
    Registration.objects.create(session=session, person=person, status="booked")
    return person


def answer(session: LearningSession, person: Any, rating: int, comments: str = "") -> None:
    """Answer as if while feedback was open: a session whose window has closed is moved to
    end today for the write, then put back (feedback closes 14 days after a session)."""
    starts, ends = session.starts_on, session.ends_on
    if feedback.results_published(session):
        today = timezone.localdate()
        LearningSession.objects.filter(pk=session.pk).update(
            starts_on=today - (ends - starts), ends_on=today
        )
        session.refresh_from_db()
    try:
        feedback.feedback_submit(
            actor=person,
            session=session,
            rating=rating,
            learning="yes",
            patient_care="yes",
            comments=comments,
        )
    finally:
        LearningSession.objects.filter(pk=session.pk).update(starts_on=starts, ends_on=ends)
        session.starts_on, session.ends_on = starts, ends


def closed_session(world: Any, **kw: Any) -> LearningSession:
    """A session whose feedback window has closed, so its results are published."""
    return past_session(world, days_ahead=kw.pop("days_ahead", -40), **kw)


# --- who may answer ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff_a", 200),  # had a place
        ("staff_b", 403),  # a member, but no place: told why
        ("faculty", 403),
        ("pm_o", 404),  # another collaborative
        ("outsider", 404),
    ],
)
def test_who_sees_the_survey(world: Any, login: Any, who: str, status: int) -> None:
    s = past_session(world)
    Registration.objects.create(session=s, person=world.people["staff_a"], status="booked")
    r = login(world.people[who]).get(f"/learning/sessions/{s.pk}/feedback/")
    assert r.status_code == status
    if status == 403:
        assert "Only people who had a place" in r.content.decode()


def test_checked_in_counts_and_survey_opens_only_once_the_session_starts(
    world: Any, login: Any
) -> None:
    future = make_session(world.collab, days_ahead=5)
    Registration.objects.create(session=future, person=world.people["staff_a"], status="booked")
    r = login(world.people["staff_a"]).get(f"/learning/sessions/{future.pk}/feedback/")
    assert r.status_code == 403 and "Feedback opens when the session starts" in r.content.decode()
    # A person checked in (even if their booking was later tidied to cancelled) attended.
    s = past_session(world)
    Registration.objects.create(
        session=s,
        person=world.people["staff_b"],
        status="cancelled",
        checked_in_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    assert feedback.why_not_give(person=world.people["staff_b"], session=s) is None


def test_give_feedback_once_then_thanks(world: Any, login: Any) -> None:
    s = past_session(world)
    me = world.people["staff_a"]
    Registration.objects.create(session=s, person=me, status="booked")
    c = login(me)
    page = c.get(f"/learning/sessions/{s.pk}/").content.decode()
    assert f"/learning/sessions/{s.pk}/feedback/" in page
    r = c.post(
        f"/learning/sessions/{s.pk}/feedback/",
        {**ANSWERS, "do_differently": "Run a safety huddle", "comments": "Great day"},
    )
    assert r.status_code == 302 and r["Location"].endswith(f"/{s.pk}/feedback/thanks/")
    assert "Thank you for your feedback" in c.get(r["Location"]).content.decode()
    resp = FeedbackResponse.objects.get()
    assert (resp.rating, resp.learning, resp.do_differently) == (5, "yes", "Run a safety huddle")
    assert FeedbackReceipt.objects.filter(session=s, person=me).count() == 1
    # A second response is refused: the page sends them to the thanks page, the service says no.
    r = c.post(f"/learning/sessions/{s.pk}/feedback/", ANSWERS)
    assert r.status_code == 302 and "thanks" in r["Location"]
    with pytest.raises(ValidationError, match="already given feedback"):
        answer(s, me, 1)
    assert FeedbackResponse.objects.count() == 1


def test_bad_answers_keep_what_was_typed(world: Any, login: Any) -> None:
    s = past_session(world)
    Registration.objects.create(session=s, person=world.people["staff_a"], status="booked")
    r = login(world.people["staff_a"]).post(
        f"/learning/sessions/{s.pk}/feedback/",
        {"rating": "9", "learning": "yes", "comments": "kept text"},
    )
    body = r.content.decode()
    assert r.status_code == 200 and "There is a problem" in body
    assert "kept text" in body and "Say whether it will contribute" in body
    assert not FeedbackResponse.objects.exists() and not FeedbackReceipt.objects.exists()


# --- anonymity ----------------------------------------------------------------------------


def test_response_cannot_be_joined_to_the_person() -> None:
    person_model = apps.get_model("accounts", "Person")
    response_fields = FeedbackResponse._meta.get_fields()
    # No link to a person, no timestamps, a random key, no audit history.
    assert not any(getattr(fld, "related_model", None) is person_model for fld in response_fields)
    assert not any(
        isinstance(fld, models.DateTimeField | models.DateField) for fld in response_fields
    )
    assert isinstance(FeedbackResponse._meta.pk, models.UUIDField)
    assert FeedbackResponse._meta.ordering == ("id",)
    assert not any(
        m.__name__.startswith("HistoricalFeedback")
        for m in apps.get_app_config("events").get_models()
    )
    assert not hasattr(FeedbackResponse, "history") and not hasattr(FeedbackReceipt, "history")
    receipt_fields = {fld.name for fld in FeedbackReceipt._meta.get_fields()}
    assert receipt_fields == {"id", "session", "person"}
    assert FeedbackResponse not in admin.site._registry
    assert FeedbackReceipt not in admin.site._registry


def test_results_show_no_names_and_list_comments_alphabetically(
    world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    s = closed_session(world)
    people = [attendee(world, s, f"Respondent Number{i}") for i in range(6)]
    for i, (p, text) in enumerate(
        zip(people, ["zebra", "apple", "mango", "", "apple  ", "fig"], strict=True)
    ):
        answer(s, p, 5 if i % 2 else 2, comments=text)
    c = login(world.people["faculty"])
    with django_assert_max_num_queries(20):
        r = c.get(f"/learning/sessions/{s.pk}/feedback/results/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "Respondent" not in body and "Number" not in body
    positions = [body.index(t) for t in ["apple", "fig", "mango", "zebra"]]
    assert 'apple <span class="nhsuk-u-secondary-text-colour">(2 people)' in body
    assert positions == sorted(positions)  # not the order given
    api = login(world.people["faculty"]).get(f"/api/learning-sessions/sessions/{s.pk}/feedback")
    assert api.status_code == 200
    data = api.json()
    assert [(c["text"], c["count"]) for c in data["comments"]] == [
        ("apple", 2),
        ("fig", 1),
        ("mango", 1),
        ("zebra", 1),
    ]
    assert "Respondent" not in json.dumps(data)


# --- results and suppression ----------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("national_admin", 200),
        ("collab_lead", 200),
        ("faculty", 200),
        ("pm_a", 403),
        ("staff_a", 403),
        ("pm_o", 404),
        ("outsider", 404),
    ],
)
def test_who_sees_results(world: Any, login: Any, who: str, status: int) -> None:
    s = past_session(world)
    c = login(world.people[who])
    assert c.get(f"/learning/sessions/{s.pk}/feedback/results/").status_code == status
    api = c.get(f"/api/learning-sessions/sessions/{s.pk}/feedback")
    assert api.status_code == status


def test_fewer_than_five_responses_are_withheld(world: Any, login: Any) -> None:
    s = closed_session(world)
    for i, p in enumerate(attendee(world, s) for _ in range(4)):
        answer(s, p, 5, comments=f"secret comment {i}")
    r = login(world.people["faculty"]).get(f"/learning/sessions/{s.pk}/feedback/results/")
    body = r.content.decode()
    assert "4 responses." in body and "withheld" in body
    assert "4 of 4 people with a place responded" in body
    assert "secret comment" not in body and "% positive" not in body.split("Over time")[0]
    data = (
        login(world.people["faculty"])
        .get(f"/api/learning-sessions/sessions/{s.pk}/feedback")
        .json()
    )
    assert data["withheld"] is True and data["positive_pct"] is None
    assert data["comments"] == [] and data["ratings"] == [] and data["positive"] is None
    # The fifth response releases the results.
    answer(s, attendee(world, s), 2)
    res = feedback.session_results(session=s)
    assert not res.withheld and res.positive == 4 and res.positive_pct == pytest.approx(80.0)
    assert [(b.label, b.count) for b in res.ratings] == [
        ("Excellent", 4),
        ("Good", 0),
        ("Neither good nor poor", 0),
        ("Poor", 1),
        ("Very poor", 0),
    ]


def test_over_time_pools_only_sessions_with_results(world: Any, login: Any) -> None:
    first = past_session(world, days_ahead=-200, title="Learning session 1")
    second = past_session(world, days_ahead=-100, title="Learning session 2")
    third = past_session(world, days_ahead=-20, title="Learning session 3")
    for rating in (5, 5, 4, 4, 4, 1):  # 5 of 6 positive
        answer(first, attendee(world, first), rating)
    for rating in (5, 5, 5, 5, 5, 5, 5, 5, 5, 3):  # 9 of 10
        answer(second, attendee(world, second), rating)
    for rating in (1, 1):  # withheld
        answer(third, attendee(world, third), rating)
    pooled = feedback.results_over_time(collaborative=world.collab)
    assert [r.responses for r in pooled.rows] == [6, 10, 2]
    assert (pooled.positive, pooled.responses, pooled.withheld_sessions) == (14, 16, 1)
    assert pooled.positive_pct == pytest.approx(87.5)
    body = (
        login(world.people["faculty"])
        .get(f"/learning/sessions/{third.pk}/feedback/results/")
        .content.decode()
    )
    assert "88% of 16 responses were positive" in body and "Withheld (fewer than 5)" in body


def test_session_positive_metric_reads_feedback(world: Any) -> None:
    inside = past_session(world, days_ahead=-30)
    outside = past_session(world, days_ahead=-400)
    small = past_session(world, days_ahead=-40)
    for rating in (5, 4, 4, 3, 2, 5, 5, 5):  # 6 of 8 positive
        answer(inside, attendee(world, inside), rating)
    for rating in (1, 1, 1, 1, 1):
        answer(outside, attendee(world, outside), rating)
    answer(small, attendee(world, small), 1)
    end = inside.starts_on + dt.timedelta(days=5)
    start = end - dt.timedelta(days=90)
    v = metrics.get("session_positive_pct").compute(world.collab, start, end, {})
    assert (v.value, v.numerator, v.denominator) == (pytest.approx(75.0), 6, 8)
    assert "1 session(s) with fewer than 5" in v.detail
    empty = metrics.get("session_positive_pct").compute(
        world.collab, dt.date(2000, 1, 1), dt.date(2000, 3, 31), {}
    )
    assert (empty.value, empty.denominator) == (0.0, 0)


# --- publishing only after feedback closes (issue 11) ----------------------------------------


def test_nothing_is_published_while_feedback_is_open_not_even_the_count(
    world: Any, login: Any
) -> None:
    s = past_session(world)  # ended 9 days ago: feedback still open
    for _ in range(6):
        answer(s, attendee(world, s), 5, comments="Loved it")
    res = feedback.session_results(session=s)
    assert not res.published and res.withheld and res.responses == 0
    c = login(world.people["faculty"])
    body = c.get(f"/learning/sessions/{s.pk}/feedback/results/").content.decode()
    assert "published all at once when feedback closes" in body
    assert "Loved it" not in body and "6 of" not in body and "% positive" not in body
    data = c.get(f"/api/learning-sessions/sessions/{s.pk}/feedback").json()
    assert data["published"] is False and data["responses"] is None
    assert data["comments"] == [] and "feedback closes" in data["withheld_reason"]
    pooled = feedback.results_over_time(collaborative=world.collab)
    assert [(r.published, r.responses) for r in pooled.rows] == [(False, 0)]
    # One more answer changes nothing anyone can see.
    answer(s, attendee(world, s), 1)
    assert feedback.session_results(session=s) == res


def test_results_appear_all_at_once_when_feedback_closes_and_no_more_are_taken(
    world: Any,
) -> None:
    s = past_session(world)
    people = [attendee(world, s) for _ in range(6)]
    for p in people[:5]:
        answer(s, p, 5)
    closes = feedback.feedback_closes_on(s)
    assert closes == s.ends_on + dt.timedelta(days=feedback.FEEDBACK_WINDOW_DAYS)
    # Move the session back so that its window has closed.
    shift = dt.timedelta(days=(closes - timezone.localdate()).days + 1)
    LearningSession.objects.filter(pk=s.pk).update(
        starts_on=s.starts_on - shift, ends_on=s.ends_on - shift
    )
    s.refresh_from_db()
    res = feedback.session_results(session=s)
    assert res.published and not res.withheld and res.responses == 5
    assert "closed on" in (feedback.why_not_give(person=people[5], session=s) or "")
    with pytest.raises(ValidationError, match="closed on"):
        feedback.feedback_submit(
            actor=people[5], session=s, rating=1, learning="no", patient_care="no"
        )
