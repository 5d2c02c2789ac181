"""Discussion: permissions from the target's own rules, replies, mentions, team-only notes,
edit history, removal, bad input, query counts, and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from qicollab.discussion import services, targets
from qicollab.discussion.models import Comment
from qicollab.discussion.services import CommentError
from qicollab.measures import services as measures
from qicollab.notifications.models import Notification
from qicollab.projects import services as projects
from tests.conftest import PERSONAS
from tests.factories import project_with_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(world: Any) -> Any:
    """Trust A's private project (staff_a leads, partner_a is on the team)."""
    return project_with_team(world, title="Private falls work")


@pytest.fixture
def shared(world: Any) -> Any:
    return project_with_team(world, title="Shared falls work", sharing="collaborative")


def add(actor: Any, project: Any, body: str = "How did you do that?", **kw: Any) -> Comment:
    return services.comment_add(actor=actor, target=targets.for_project(project), body=body, **kw)


def thread_url(project: Any) -> str:
    return reverse("discussion:thread", args=["project", project.pk])


# --- who may read and write -----------------------------------------------------------------


@pytest.mark.parametrize("persona", [None, *PERSONAS])
def test_private_projects_comments_stay_private(
    world: Any, private: Any, login: Any, persona: str | None
) -> None:
    add(world.people["staff_a"], private, "Only for those who may see it")
    person = world.people[persona] if persona else None
    client = login(person)
    thread = client.get(thread_url(private))
    post = client.post(
        reverse("discussion:comment_add", args=["project", private.pk]), {"body": "Hello"}
    )
    if person is None:
        assert thread.status_code == post.status_code == 302
        return
    if person.has_perm("projects.view_project", private):
        assert thread.status_code == 200
        assert b"Only for those who may see it" in thread.content
    else:
        # Commenting on (or reading) something you cannot see is 404, whoever you are.
        assert thread.status_code == post.status_code == 404
        assert Comment.objects.filter(body="Hello").count() == 0


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_write_on_a_shared_project(
    world: Any, shared: Any, login: Any, persona: str
) -> None:
    person = world.people[persona]
    url = reverse("discussion:comment_add", args=["project", shared.pk])
    response = login(person).post(url, {"body": f"From {persona}"})
    sees = person.has_perm("projects.view_project", shared)
    writes = sees and targets.can_write(person, targets.for_project(shared))
    expected = 302 if writes else (403 if sees else 404)
    assert response.status_code == expected
    assert Comment.objects.filter(body=f"From {persona}").exists() == writes
    # viewers read but do not write; the outsider and another collaborative's people see nothing
    assert (persona == "viewer_a" and not writes) or persona != "viewer_a"


@pytest.mark.parametrize("kind", ["project", "measure", "pdsa", "storyboard", "nonsense"])
def test_unknown_or_invisible_targets_are_404(world: Any, login: Any, kind: str) -> None:
    client = login(world.people["staff_b"])
    assert client.get(reverse("discussion:thread", args=[kind, 999999])).status_code == 404
    url = reverse("discussion:comment_add", args=[kind, 999999])
    assert client.post(url, {"body": "x"}).status_code == 404


def test_the_thread_on_the_project_measure_and_pdsa_pages(
    world: Any, private: Any, login: Any
) -> None:
    staff = world.people["staff_a"]
    m = measures.measure_create(
        actor=staff,
        project=private,
        data={"name": "Falls per 1,000 bed days", "value_type": "count"},
    )
    idea = projects.node_add(actor=staff, project=private, kind="idea", text="Falls huddle")
    cycle = projects.pdsa_cycle_create(
        actor=staff, project=private, data={"title": "Huddle on one ward"}, change_ideas=[idea]
    )
    services.comment_add(actor=staff, target=targets.for_measure(m, private), body="On the measure")
    services.comment_add(actor=staff, target=targets.for_pdsa(cycle, private), body="On the cycle")
    add(staff, private, "On the project")
    client = login(staff)
    assert b"On the project" in client.get(private.get_absolute_url()).content
    assert b"On the measure" in client.get(m.get_absolute_url()).content
    assert b"On the cycle" in client.get(cycle.get_absolute_url()).content
    # each thread holds only its own comments
    assert b"On the cycle" not in client.get(private.get_absolute_url()).content


# --- chart points ---------------------------------------------------------------------------


def _measure_with_points(world: Any, project: Any) -> Any:
    staff = world.people["staff_a"]
    m = measures.measure_create(
        actor=staff, project=project, data={"name": "Falls", "value_type": "count"}
    )
    from qicollab.measures.models import DataPoint

    for month in range(1, 4):
        DataPoint.objects.create(measure=m, period=dt.date(2025, month, 1), value=month)
    return m


def test_a_comment_names_a_point_on_the_chart(world: Any, private: Any, login: Any) -> None:
    m = _measure_with_points(world, private)
    client = login(world.people["staff_a"])
    url = reverse("discussion:comment_add", args=["measure", m.pk])
    response = client.post(url, {"body": "What happened here?", "period": "2025-02-01"})
    assert response.status_code == 302
    assert Comment.objects.get(body="What happened here?").period == dt.date(2025, 2, 1)
    page = client.get(m.get_absolute_url()).content.decode()
    assert "About the point for 1 February 2025" in page
    bad = client.post(url, {"body": "Here?", "period": "2031-01-01"})
    assert bad.status_code == 200 and not Comment.objects.filter(body="Here?").exists()


def test_a_point_only_on_a_measure(world: Any, private: Any) -> None:
    with pytest.raises(CommentError, match="measure"):
        add(world.people["staff_a"], private, period=dt.date(2025, 1, 1))


# --- replies and mentions -------------------------------------------------------------------


def test_reply_and_mention_tell_people_by_email(
    world: Any, shared: Any, django_capture_on_commit_callbacks: Any
) -> None:
    staff_a, staff_b, faculty = (world.people[k] for k in ("staff_a", "staff_b", "faculty"))
    with django_capture_on_commit_callbacks(execute=True):
        first = add(staff_b, shared, "How did you get night staff on board?")
    with django_capture_on_commit_callbacks(execute=True):
        reply = add(staff_a, shared, "Ask @Faculty, who coached us.", parent=first)
    assert reply.parent == first
    assert [p.full_name for p in reply.mentions.all()] == ["Faculty"]
    # Both are notifications; a mention is emailed straight away by default, a reply waits
    # for the daily digest (docs/notifications.md).
    told = {
        (n.recipient_id, n.kind, n.text)
        for n in Notification.objects.filter(kind__startswith="discussion.")
    }
    assert (
        faculty.pk,
        "discussion.mention",
        f"Staff A mentioned you on Project: {shared.title}",
    ) in told
    assert (
        staff_b.pk,
        "discussion.reply",
        f"Staff A replied to your comment on Project: {shared.title}",
    ) in told
    subjects = {(m.to[0], m.subject) for m in mail.outbox}
    assert (faculty.email, f"Staff A mentioned you on Project: {shared.title}") in subjects
    assert not any(to == staff_b.email for to, _ in subjects)


def test_mentions_only_of_people_the_author_may_see_and_who_may_read(
    world: Any, private: Any, django_capture_on_commit_callbacks: Any
) -> None:
    staff_a = world.people["staff_a"]
    with django_capture_on_commit_callbacks(execute=True):
        c = add(
            staff_a,
            private,
            "Thoughts, @Staff B and @Pm O and @Outsider?",
            mention_ids=[world.people["staff_b"].pk, world.people["outsider"].pk],
        )
    assert list(c.mentions.all()) == []
    assert mail.outbox == []
    assert not Notification.objects.filter(kind__startswith="discussion.").exists()


def test_mention_choices_offered_are_people_the_author_may_see(
    world: Any, private: Any, login: Any
) -> None:
    html = login(world.people["staff_a"]).get(private.get_absolute_url()).content.decode()
    form = html[html.index('class="app-comment-form"') :]
    assert "Partner A" in form and "Faculty" in form
    assert "Outsider" not in form and "Pm O" not in form and "Staff B" not in form


def test_a_reply_to_a_reply_joins_the_first_comment(world: Any, shared: Any) -> None:
    staff_a = world.people["staff_a"]
    first = add(staff_a, shared, "One")
    second = add(staff_a, shared, "Two", parent=first)
    third = add(staff_a, shared, "Three", parent=second)
    assert third.parent == first


# --- team-only coaching notes ---------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_team_only_notes(world: Any, shared: Any, login: Any, persona: str) -> None:
    note = add(world.people["faculty"], shared, "Coaching: try a run chart first", team_only=True)
    assert note.team_only
    person = world.people[persona]
    target = targets.for_project(shared)
    page = login(person).get(thread_url(shared))
    if page.status_code != 200:
        assert not person.has_perm("projects.view_project", shared)
        return
    reads = persona in ("staff_a", "partner_a", "faculty", "collab_lead", "national_admin")
    assert targets.sees_team_only(person, target) == reads
    assert (b"Coaching: try a run chart first" in page.content) == reads


def test_only_faculty_and_leads_write_team_only_notes(world: Any, shared: Any) -> None:
    with pytest.raises(CommentError, match="faculty"):
        add(world.people["staff_a"], shared, "Secret", team_only=True)


def test_replies_to_a_team_only_note_stay_team_only(world: Any, shared: Any) -> None:
    note = add(world.people["faculty"], shared, "Note", team_only=True)
    reply = add(world.people["staff_a"], shared, "Thanks", parent=note)
    assert reply.team_only


# --- editing and removing -------------------------------------------------------------------


def test_edit_keeps_the_history_and_only_the_author_edits(
    world: Any, shared: Any, login: Any
) -> None:
    c = add(world.people["staff_a"], shared, "Frist")
    url = reverse("discussion:comment_edit", args=[c.pk])
    assert login(world.people["staff_b"]).post(url, {"body": "Hacked"}).status_code == 403
    assert login(world.people["staff_a"]).post(url, {"body": "First"}).status_code == 302
    c.refresh_from_db()
    assert c.body == "First" and c.edited_at is not None
    assert [h.body for h in c.history.order_by("history_date")] == ["Frist", "First"]
    assert b"Frist" in login(world.people["staff_a"]).get(url).content  # the earlier version


def test_removal_leaves_comment_removed_and_keeps_replies(
    world: Any, shared: Any, login: Any
) -> None:
    c = add(world.people["staff_b"], shared, "Regrettable")
    add(world.people["staff_a"], shared, "A reply", parent=c)
    url = reverse("discussion:comment_remove", args=[c.pk])
    assert login(world.people["viewer_a"]).post(url).status_code == 403
    assert login(world.people["staff_a"]).post(url).status_code == 302  # the project lead
    page = login(world.people["staff_b"]).get(thread_url(shared)).content.decode()
    assert "Comment removed" in page and "Regrettable" not in page and "A reply" in page
    assert login(world.people["staff_b"]).post(url).status_code == 403  # already removed


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "required"), ("   ", "required"), ("a\x00b", "null character"), ("x" * 5001, "5000")],
)
def test_bad_comments_keep_what_was_typed(
    world: Any, shared: Any, login: Any, body: str, message: str
) -> None:
    url = reverse("discussion:comment_add", args=["project", shared.pk])
    page = login(world.people["staff_a"]).post(url, {"body": body, "parent": "abc"})
    assert page.status_code == 200
    assert message in page.content.decode().replace(",", "")
    assert not Comment.objects.exists()


def test_reply_to_a_comment_elsewhere_is_refused(world: Any, shared: Any, private: Any) -> None:
    other = add(world.people["staff_a"], private, "Elsewhere")
    with pytest.raises(CommentError, match="this thread"):
        add(world.people["staff_a"], shared, "Reply", parent=other)


# --- query count ----------------------------------------------------------------------------


def test_thread_query_count_does_not_grow_with_its_length(
    world: Any, shared: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(world.people["staff_b"])
    people = [world.people[k] for k in ("staff_a", "staff_b", "faculty", "partner_a")]
    add(people[0], shared, "Start")
    client.get(thread_url(shared))
    with django_assert_max_num_queries(14) as few:
        client.get(thread_url(shared))
    for i in range(20):
        c = add(people[i % 4], shared, f"Comment {i} @Faculty")
        add(people[(i + 1) % 4], shared, f"Reply {i}", parent=c)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(thread_url(shared))
    assert b"Reply 19" in page.content


# --- API ------------------------------------------------------------------------------------


def test_api_comment_lifecycle(world: Any, shared: Any, login: Any) -> None:
    client = login(world.people["staff_a"])
    base = f"/api/discussion/project/{shared.pk}/comments"
    made = client.post(
        base, {"body": "Via the API", "mention_ids": []}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    cid = made.json()["id"]
    assert [c["body"] for c in client.get(base).json()] == ["Via the API"]
    patch = client.patch(
        f"/api/discussion/comments/{cid}", {"body": "Changed"}, content_type="application/json"
    )
    assert patch.status_code == 428
    version = made.json()["version"]
    patch = client.patch(
        f"/api/discussion/comments/{cid}",
        {"body": "Changed", "version": version},
        content_type="application/json",
    )
    assert patch.status_code == 200 and patch.json()["body"] == "Changed"
    assert client.delete(f"/api/discussion/comments/{cid}").status_code == 204
    assert client.get(base).json()[0]["removed"] is True


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_follows_the_projects_rules(world: Any, private: Any, login: Any, persona: str) -> None:
    add(world.people["staff_a"], private, "Private words")
    person = world.people[persona]
    client = login(person)
    base = f"/api/discussion/project/{private.pk}/comments"
    listed = client.get(base)
    if person.has_perm("projects.view_project", private):
        assert listed.status_code == 200 and "Private words" in listed.text
    else:
        assert listed.status_code == 404 and "Private words" not in listed.text
        made = client.post(base, {"body": "x"}, content_type="application/json")
        assert made.status_code == 404


def test_api_bad_input(world: Any, shared: Any, login: Any) -> None:
    client = login(world.people["staff_a"])
    base = f"/api/discussion/project/{shared.pk}/comments"
    for body in (
        {"body": ""},
        {"body": "x" * 6000},
        {"body": "ok", "parent_id": 999999},
        {"nope": 1},
    ):
        assert client.post(base, body, content_type="application/json").status_code == 422
    assert client.get("/api/discussion/nonsense/1/comments").status_code in (404, 422)
