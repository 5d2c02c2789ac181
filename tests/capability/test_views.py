from __future__ import annotations

from typing import Any

import pytest

from qicollab.capability.models import SelfAssessment, SubjectArea
from qicollab.capability.services import Answer, self_assessment_create


def post_data(
    subjects: list[SubjectArea], level: int = 2, skip: int | None = None
) -> dict[str, str]:
    data = {f"level_{s.pk}": str(level) for s in subjects}
    data.update({f"evidence_{s.pk}": "" for s in subjects})
    if skip is not None:
        del data[f"level_{subjects[skip].pk}"]
    return data


def test_member_assesses_and_sees_levels(world: Any, login: Any, subjects: list) -> None:
    c = login(world.people["staff_a"])
    assert c.get("/learning/").status_code == 200
    page = c.get("/learning/assess/")
    assert page.status_code == 200
    assert "Model for Improvement" in page.content.decode()
    r = c.post("/learning/assess/", post_data(subjects, 3))
    assert r.status_code == 302
    a = SelfAssessment.objects.get()
    detail = c.get(r["Location"]).content.decode()
    assert "Lead" in detail and "Safety culture" in detail
    assert a.person == world.people["staff_a"]


def test_missing_subject_keeps_input_and_names_it(world: Any, login: Any, subjects: list) -> None:
    c = login(world.people["staff_a"])
    data = post_data(subjects, 3, skip=2)
    data[f"evidence_{subjects[0].pk}"] = "My typed evidence"
    r = c.post("/learning/assess/", data)
    body = r.content.decode()
    assert r.status_code == 200
    assert "There is a problem" in body
    assert f"Choose Learn, Live or Lead for {subjects[2].name}" in body
    assert "My typed evidence" in body
    assert body.count("checked") >= 9
    assert not SelfAssessment.objects.exists()


def test_garbage_level_is_a_form_error_not_a_500(world: Any, login: Any, subjects: list) -> None:
    c = login(world.people["staff_a"])
    data = post_data(subjects)
    data[f"level_{subjects[0].pk}"] = "'; drop table"
    r = c.post("/learning/assess/", data)
    assert r.status_code == 200 and "There is a problem" in r.content.decode()


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("staff_a", 200),  # the person
        ("pm_a", 200),  # their organisation's programme manager
        ("faculty", 200),
        ("collab_lead", 200),
        ("staff_b", 404),  # a peer in another trust: aggregates only
        ("partner_a", 404),  # same trust, not the programme manager
        ("pm_o", 404),
        ("outsider", 404),
    ],
)
def test_individual_assessment_visibility(
    world: Any, login: Any, subjects: list, viewer: str, status: int
) -> None:
    a = self_assessment_create(
        actor=world.people["staff_a"],
        collaborative=world.collab,
        answers={s.pk: Answer(1) for s in subjects},
    )
    assert login(world.people[viewer]).get(f"/learning/assessments/{a.pk}/").status_code == status


def test_assessment_list_shows_only_what_the_viewer_may_see(
    world: Any, login: Any, subjects: list
) -> None:
    for who in ("staff_a", "staff_b"):
        self_assessment_create(
            actor=world.people[who],
            collaborative=world.collab,
            answers={s.pk: Answer(1) for s in subjects},
        )
    pm = login(world.people["pm_a"]).get("/learning/assessments/").content.decode()
    assert "Staff A" in pm and "Staff B" not in pm
    fac = login(world.people["faculty"]).get("/learning/assessments/").content.decode()
    assert "Staff A" in fac and "Staff B" in fac
    peer = login(world.people["staff_b"]).get("/learning/assessments/").content.decode()
    assert "Staff A" not in peer and "Staff B" in peer


def test_aggregates_page_shows_counts_not_names(world: Any, login: Any, subjects: list) -> None:
    for who in ("staff_a", "partner_a", "viewer_a", "pm_a", "staff_b"):
        self_assessment_create(
            actor=world.people[who],
            collaborative=world.collab,
            answers={s.pk: Answer(1) for s in subjects},
        )
    c = login(world.people["staff_b"])
    body = c.get("/learning/capability/").content.decode()
    assert "Mostly learning" in body
    assert "Staff A" not in body
    # organisation filter, and a bad value is ignored rather than a 500
    assert c.get(f"/learning/capability/?organisation={world.trust_a.pk}").status_code == 200
    assert c.get("/learning/capability/?organisation=abc").status_code == 200
    assert c.get(f"/learning/capability/?organisation={world.trust_o.pk}").status_code == 200


def test_outsider_and_anonymous(world: Any, login: Any, subjects: list) -> None:
    out = login(world.people["outsider"])
    assert "not part of a collaborative" in out.get("/learning/").content.decode()
    assert login(None).get("/learning/").status_code == 302
    assert login(world.people["pm_o"]).get("/learning/assess/").status_code == 200  # own collab D
    assert login(world.people["staff_a"]).post("/learning/subjects/defaults/").status_code == 403


def test_lead_sets_up_default_subjects(world: Any, login: Any) -> None:
    c = login(world.people["collab_lead"])
    assert "Add the standard subject areas" in c.get("/learning/").content.decode()
    assert c.post("/learning/subjects/defaults/").status_code == 302
    assert SubjectArea.objects.filter(collaborative=world.collab).count() == 10


def test_small_groups_are_suppressed_for_those_who_may_not_see_individuals(
    world: Any, login: Any, subjects: list
) -> None:
    """The documented rule: fewer than 5 assessed members -> no counts, except for the
    organisation's programme manager (their own organisation) and faculty and leads."""
    for who in ("staff_a", "partner_a"):
        self_assessment_create(
            actor=world.people[who],
            collaborative=world.collab,
            answers={s.pk: Answer(3) for s in subjects},
        )
    trust_a = f"/learning/capability/?organisation={world.trust_a.pk}"
    for who, url in (
        ("staff_b", trust_a),
        ("staff_b", "/learning/capability/"),
        ("staff_a", trust_a),
        ("pm_a", "/learning/capability/"),
    ):
        body = login(world.people[who]).get(url).content.decode()
        assert "Fewer than 5 members" in body, (who, url)
        assert "Members at each level" not in body
    for who, url in (
        ("pm_a", trust_a),
        ("faculty", trust_a),
        ("collab_lead", "/learning/capability/"),
    ):
        body = login(world.people[who]).get(url).content.decode()
        assert "2 members have assessed themselves" in body, (who, url)
        assert "Members at each level" in body
