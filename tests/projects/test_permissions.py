"""Who sees and changes a project: every persona x every sharing level, pages and API.

The project is led by trust A (staff_a its lead, partner_a on the team). The tables below
are the specification; each test compares the whole table at once so a failure lists every
persona that got the wrong answer.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qicollab.core.services import version_token
from qicollab.projects import selectors
from qicollab.projects.models import Sharing
from tests.conftest import PERSONAS

ANON = "anonymous"
EVERYONE = {*PERSONAS, ANON}
TEAM_SIDE = {"national_admin", "collab_lead", "faculty", "pm_a", "staff_a", "partner_a"}
VIEW = {
    Sharing.PRIVATE: TEAM_SIDE,
    Sharing.ORGANISATION: TEAM_SIDE | {"viewer_a"},
    Sharing.COLLABORATIVE: TEAM_SIDE | {"viewer_a", "staff_b"},
    Sharing.PUBLIC: EVERYONE,
}
EDIT = TEAM_SIDE  # the team (any role) and those who manage it
MANAGE = TEAM_SIDE - {"partner_a"}  # a team member, not a lead
RATE_AS_FACULTY = {"national_admin", "collab_lead", "faculty"}
# The team's own rating: only people on the team, whatever their role (not faculty, leads or
# programme managers who merely manage or coach it, or their self-rating would count as the
# team's in the self-versus-faculty gap).
RATE_AS_TEAM = {"staff_a", "partner_a"}


def person(world: Any, name: str) -> Any:
    return None if name == ANON else world.people[name]


def _who(world: Any, perm: str, project: Any) -> set[str]:
    from django.contrib.auth.models import AnonymousUser

    out = set()
    for name in EVERYONE:
        user = person(world, name) or AnonymousUser()
        if user.has_perm(perm, project):
            out.add(name)
    return out


@pytest.mark.parametrize("sharing", list(Sharing))
def test_predicates_follow_sharing(sharing: str, make_project: Any, world: Any) -> None:
    project = make_project(sharing=sharing)
    assert _who(world, "projects.view_project", project) == VIEW[sharing]
    assert _who(world, "projects.change_project", project) == EDIT
    assert _who(world, "projects.manage_project", project) == MANAGE
    assert _who(world, "projects.rate_project_as_faculty", project) == RATE_AS_FACULTY
    assert _who(world, "projects.rate_project_as_team", project) == RATE_AS_TEAM


@pytest.mark.parametrize("sharing", list(Sharing))
def test_selector_matches_predicate(sharing: str, make_project: Any, world: Any) -> None:
    """The list (SQL) and the permission check (Python) must never disagree."""
    from django.contrib.auth.models import AnonymousUser

    project = make_project(sharing=sharing)
    seen = {
        name
        for name in EVERYONE
        if selectors.visible_projects(viewer=person(world, name) or AnonymousUser())
        .filter(pk=project.pk)
        .exists()
    }
    assert seen == VIEW[sharing]


@pytest.mark.parametrize("sharing", list(Sharing))
def test_project_page_status_by_persona(
    sharing: str, make_project: Any, world: Any, login: Any
) -> None:
    project = make_project(sharing=sharing)
    url = reverse("projects:project_detail", args=[project.slug])
    wrong = {}
    for name in EVERYONE:
        response = login(person(world, name)).get(url)
        expected = 200 if name in VIEW[sharing] else 302 if name == ANON else 404
        if response.status_code != expected:
            wrong[name] = (response.status_code, expected)
    assert wrong == {}


@pytest.mark.parametrize("sharing", [Sharing.ORGANISATION, Sharing.PUBLIC])
def test_edit_pages_status_by_persona(
    sharing: str, make_project: Any, world: Any, login: Any
) -> None:
    """Edit: 200 for the team; 403 for readers; 404 for those who cannot see it."""
    project = make_project(sharing=sharing)
    pages = {
        "projects:project_edit": EDIT,
        "projects:aim_edit": EDIT,
        "projects:project_sharing": MANAGE,
        "projects:pdsa_create": EDIT,
    }
    wrong = {}
    for page, allowed in pages.items():
        url = reverse(page, args=[project.slug])
        for name in PERSONAS:
            code = login(person(world, name)).get(url).status_code
            expected = 200 if name in allowed else 403 if name in VIEW[sharing] else 404
            if code != expected:
                wrong[(page, name)] = (code, expected)
    assert wrong == {}


def test_anonymous_is_sent_to_log_in_for_edit_pages(make_project: Any, login: Any) -> None:
    project = make_project(sharing=Sharing.PUBLIC)
    response = login(None).get(reverse("projects:project_edit", args=[project.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_anonymous_private_project_and_missing_project_look_the_same(
    make_project: Any, login: Any
) -> None:
    """Logging-in is asked for both, so an outsider cannot probe which slugs exist."""
    project = make_project(sharing=Sharing.PRIVATE)
    c = login(None)
    real = c.get(reverse("projects:project_detail", args=[project.slug]))
    fake = c.get(reverse("projects:project_detail", args=["no-such-project"]))
    assert real.status_code == fake.status_code == 302


@pytest.mark.parametrize("sharing", [Sharing.PRIVATE, Sharing.ORGANISATION])
def test_trust_b_never_sees_trust_a_projects(
    sharing: str, make_project: Any, world: Any, login: Any
) -> None:
    project = make_project(sharing=sharing, title="Trust A secret")
    c = login(world.people["staff_b"])
    assert c.get(reverse("projects:project_detail", args=[project.slug])).status_code == 404
    assert c.get(reverse("projects:drivers", args=[project.slug])).status_code == 404
    assert c.get(reverse("projects:diagram_svg", args=[project.slug])).status_code == 404
    assert c.get(f"/api/projects/{project.slug}").status_code == 404
    listing = c.get(reverse("projects:project_list"))
    assert b"Trust A secret" not in listing.content
    api_list = c.get("/api/projects/").json()
    assert all(p["slug"] != project.slug for p in api_list["items"])


def test_partner_organisation_staff_see_organisation_projects(
    make_project: Any, world: Any
) -> None:
    from qicollab.projects import services

    project = make_project(sharing=Sharing.ORGANISATION)
    staff_b = world.people["staff_b"]
    assert not staff_b.has_perm("projects.view_project", project)
    services.project_set_sharing(
        actor=world.people["staff_a"],
        project=project,
        sharing=Sharing.ORGANISATION,
        partner_organisations=[world.trust_b],
    )
    project = selectors.project_get(viewer=staff_b, slug=project.slug)
    assert project is not None
    assert staff_b.has_perm("projects.view_project", project)
    assert not staff_b.has_perm("projects.change_project", project)


@pytest.mark.parametrize("sharing", list(Sharing))
def test_api_detail_and_patch_by_persona(
    sharing: str, make_project: Any, world: Any, login: Any
) -> None:
    project = make_project(sharing=sharing)
    url = f"/api/projects/{project.slug}"
    wrong = {}
    for name in EVERYONE:
        c = login(person(world, name))
        got = c.get(url).status_code
        want = 200 if name in VIEW[sharing] else 404
        if got != want:
            wrong[("GET", name)] = (got, want)
        project.refresh_from_db()
        body = {"summary": f"by {name}", "version": version_token(project)}
        got = c.patch(url, body, content_type="application/json").status_code
        if name == ANON:
            want = 401
        elif name in EDIT:
            want = 200
        else:
            want = 403 if name in VIEW[sharing] else 404
        if got != want:
            wrong[("PATCH", name)] = (got, want)
    assert wrong == {}


def test_team_member_cannot_change_sharing_or_team(project: Any, world: Any, login: Any) -> None:
    c = login(world.people["partner_a"])  # lived-experience partner on the team
    assert c.get(reverse("projects:aim_edit", args=[project.slug])).status_code == 200
    assert c.get(reverse("projects:project_sharing", args=[project.slug])).status_code == 403
    response = c.post(
        reverse("projects:team", args=[project.slug]),
        {"person": world.people["viewer_a"].pk, "role": "member"},
    )
    assert response.status_code == 403
    patch = c.patch(
        f"/api/projects/{project.slug}",
        {"sharing": "public", "version": version_token(project)},
        content_type="application/json",
    )
    assert patch.status_code == 403
    project.refresh_from_db()
    assert project.sharing == Sharing.PRIVATE


def test_only_faculty_rate_as_faculty(project: Any, world: Any, login: Any) -> None:
    lead = login(world.people["staff_a"])
    assert (
        lead.get(reverse("projects:progress_create", args=[project.slug, "faculty"])).status_code
        == 403
    )
    assert (
        lead.get(reverse("projects:progress_create", args=[project.slug, "self"])).status_code
        == 200
    )
    faculty = login(world.people["faculty"])
    assert (
        faculty.get(reverse("projects:progress_create", args=[project.slug, "faculty"])).status_code
        == 200
    )
    api = lead.post(
        f"/api/projects/{project.slug}/progress-reports",
        {"month": "2025-01", "score": "2.0", "rater_type": "faculty"},
        content_type="application/json",
    )
    assert api.status_code == 403


@pytest.mark.parametrize("rater", ["self", "faculty"])
def test_rating_pages_and_api_by_persona(
    rater: str, make_project: Any, world: Any, login: Any
) -> None:
    """Every persona, both ratings, page GET, page POST and API POST: only the allowed record.

    200/201 for those allowed; 403 for those who can see the project; 404 for those who
    cannot; and a refused POST records nothing.
    """
    from qicollab.projects.forms.progress import month_choices
    from qicollab.projects.models import ProgressReport

    months = [m for m, _ in month_choices()]
    project = make_project(sharing=Sharing.ORGANISATION)
    allowed = RATE_AS_TEAM if rater == "self" else RATE_AS_FACULTY
    url = reverse("projects:progress_create", args=[project.slug, rater])
    wrong = {}
    for i, name in enumerate(sorted(PERSONAS)):
        c = login(person(world, name))
        expected = 200 if name in allowed else 403 if name in VIEW[Sharing.ORGANISATION] else 404
        got = c.get(url).status_code
        if got != expected:
            wrong[("page", name)] = (got, expected)
        month = months[i]
        before = ProgressReport.objects.count()
        got = c.post(url, {"month": month, "score": "1.5"}).status_code
        recorded = ProgressReport.objects.count() - before
        if (got, recorded) != ((302, 1) if name in allowed else (expected, 0)):
            wrong[("post", name)] = (got, recorded)
        api = c.post(
            f"/api/projects/{project.slug}/progress-reports",
            {"month": months[i + 12][:7], "score": "1.5", "rater_type": rater},
            content_type="application/json",
        ).status_code
        if api != (201 if name in allowed else expected):
            wrong[("api", name)] = (api, expected)
    assert wrong == {}
    who = {r.rater.email.split("@")[0] for r in ProgressReport.objects.filter(project=project)}
    assert who == allowed
    assert set(
        ProgressReport.objects.filter(project=project).values_list("rater_type", flat=True)
    ) == {rater}


def test_the_service_refuses_a_self_rating_from_outside_the_team(project: Any, world: Any) -> None:
    """The rule lives in the service too, so no other caller can file the team's rating."""
    import datetime as dt

    from django.core.exceptions import PermissionDenied

    from qicollab.projects import services

    for name in ("faculty", "collab_lead", "pm_a"):
        with pytest.raises(PermissionDenied):
            services.progress_report_save(
                actor=world.people[name],
                project=project,
                rater_type="self",
                month=dt.date(2025, 1, 1),
                score="1.5",
            )
    with pytest.raises(PermissionDenied):
        services.progress_report_save(
            actor=world.people["staff_a"],
            project=project,
            rater_type="faculty",
            month=dt.date(2025, 1, 1),
            score="1.5",
        )


def test_only_managers_stop_a_project(project: Any, world: Any, login: Any) -> None:
    c = login(world.people["partner_a"])
    response = c.patch(
        f"/api/projects/{project.slug}",
        {"status": "stopped", "stop_reason": "No funding", "version": version_token(project)},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "status" in response.json()["detail"]
    project.refresh_from_db()
    assert project.status != "stopped"
