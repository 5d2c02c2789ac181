"""Only the organisation's mortality-review team reaches a case: by URL, API or export."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qicollab.deaths.models import CaseAccess

CASE_PAGES = (
    "case_detail",
    "case_edit",
    "screening_edit",
    "family_edit",
    "candour_edit",
    "case_names",
    "summary_edit",
    "case_delete",
    "action_create",
)
NOT_ON_TEAM_A = (
    "reviewer_b",
    "staff_b",
    "faculty",
    "collab_lead",
    "national_admin",
    "pm_a",
    "viewer_a",
    "partner_a",
    "pm_o",
    "outsider",
)


@pytest.mark.parametrize("persona", NOT_ON_TEAM_A)
def test_people_off_the_team_get_404_everywhere(
    case_a: Any, teams: Any, login: Any, persona: str
) -> None:
    client = login(teams.people[persona])
    slug, pk = teams.trust_a.slug, case_a.pk
    for name in CASE_PAGES:
        args = [slug, pk]
        assert client.get(reverse(f"deaths:{name}", args=args)).status_code == 404, name
    assert client.get(reverse("deaths:case_list", args=[slug])).status_code == 404
    assert client.get(reverse("deaths:cases_export", args=[slug])).status_code == 404
    assert client.post(reverse("deaths:review_start", args=[slug, pk, 1])).status_code == 404
    api = client.get(f"/api/deaths/organisations/{slug}/cases/{pk}")
    assert api.status_code == 404, api.content
    assert client.get(f"/api/deaths/organisations/{slug}/cases").status_code == 404
    assert not CaseAccess.objects.filter(person=teams.people[persona]).exists()


def test_other_trust_cannot_reach_a_case_through_its_own_organisation(
    case_a: Any, teams: Any, login: Any
) -> None:
    """A case id from trust A under trust B's address is not found, even for B's team."""
    client = login(teams.people["reviewer_b"])
    b = teams.trust_b.slug
    assert client.get(reverse("deaths:case_list", args=[b])).status_code == 200
    assert client.get(reverse("deaths:case_detail", args=[b, case_a.pk])).status_code == 404
    assert client.get(f"/api/deaths/organisations/{b}/cases/{case_a.pk}").status_code == 404
    export = client.get(reverse("deaths:cases_export", args=[b]))
    assert export.status_code == 200 and b"LfD-A-001" not in export.content


def test_anonymous_is_sent_to_log_in(case_a: Any, teams: Any, client: Any) -> None:
    r = client.get(reverse("deaths:case_detail", args=[teams.trust_a.slug, case_a.pk]))
    assert r.status_code == 302 and "/accounts/login" in r["Location"]
    assert (
        client.get(f"/api/deaths/organisations/{teams.trust_a.slug}/cases/{case_a.pk}").status_code
        == 401
    )


def test_team_member_reads_case_and_every_read_is_logged(
    case_a: Any, teams: Any, login: Any
) -> None:
    staff = teams.people["staff_a"]
    client = login(staff)
    slug = teams.trust_a.slug
    assert CaseAccess.objects.count() == 0
    r = client.get(reverse("deaths:case_detail", args=[slug, case_a.pk]))
    assert r.status_code == 200
    assert b"LfD-A-001" in r.content and b"943 476 5919" in r.content
    client.get(reverse("deaths:screening_edit", args=[slug, case_a.pk]))
    client.get(f"/api/deaths/organisations/{slug}/cases/{case_a.pk}")
    client.get(reverse("deaths:cases_export", args=[slug]))
    log = list(CaseAccess.objects.order_by("pk").values_list("person_id", "death_id", "action"))
    assert log == [
        (staff.pk, case_a.pk, "view"),
        (staff.pk, case_a.pk, "edit"),
        (staff.pk, case_a.pk, "api"),
        (staff.pk, case_a.pk, "export"),
    ]


def test_programme_manager_inspects_the_access_log(case_a: Any, teams: Any, login: Any) -> None:
    login(teams.people["staff_a"]).get(
        reverse("deaths:case_detail", args=[teams.trust_a.slug, case_a.pk])
    )
    page = login(teams.people["pm_a"]).get(reverse("deaths:access_log", args=[teams.trust_a.slug]))
    assert page.status_code == 200
    assert b"Staff A" in page.content and b"LfD-A-001" in page.content
    for persona in ("staff_a", "lead_a", "faculty", "pm_o"):
        assert (
            login(teams.people[persona])
            .get(reverse("deaths:access_log", args=[teams.trust_a.slug]))
            .status_code
            == 404
        )


def test_dashboard_is_aggregates_for_faculty_and_pm_but_not_other_trusts(
    case_a: Any, teams: Any, login: Any
) -> None:
    url = reverse("deaths:dashboard", args=[teams.trust_a.slug])
    for persona in ("staff_a", "pm_a", "faculty", "collab_lead", "national_admin"):
        r = login(teams.people[persona]).get(url)
        assert r.status_code == 200, persona
        assert b"LfD-A-001" not in r.content
    for persona in ("staff_b", "reviewer_b", "viewer_a", "pm_o", "outsider"):
        assert login(teams.people[persona]).get(url).status_code == 404, persona
        export = reverse("deaths:dashboard_export", args=[teams.trust_a.slug, "csv"])
        assert login(teams.people[persona]).get(export).status_code == 404, persona


def test_library_for_members_only(teams: Any, login: Any) -> None:
    url = reverse("deaths:library", args=[teams.collab.slug])
    for persona in ("staff_b", "viewer_a", "partner_a", "faculty"):
        assert login(teams.people[persona]).get(url).status_code == 200, persona
    for persona in ("pm_o", "outsider"):
        assert login(teams.people[persona]).get(url).status_code == 404, persona


def test_nav_item_only_for_people_who_can_see_something(teams: Any, login: Any) -> None:
    assert b"Learning from deaths" in login(teams.people["staff_b"]).get("/").content
    assert b"Learning from deaths" not in login(teams.people["outsider"]).get("/").content
    assert login(teams.people["outsider"]).get(reverse("deaths:home")).status_code == 404


def test_team_managed_by_programme_manager(teams: Any, login: Any) -> None:
    from qicollab.deaths.models import MortalityTeamMember

    url = reverse("deaths:team", args=[teams.trust_a.slug])
    assert login(teams.people["staff_a"]).get(url).status_code == 404
    pm = login(teams.people["pm_a"])
    r = pm.post(url, {"person": teams.people["viewer_a"].pk, "role": "reviewer"})
    assert r.status_code == 302
    assert MortalityTeamMember.objects.filter(
        person=teams.people["viewer_a"], organisation=teams.trust_a
    ).exists()
    # Someone from another trust cannot be added.
    r = pm.post(url, {"person": teams.people["staff_b"].pk, "role": "reviewer"})
    assert r.status_code == 200 and b"There is a problem" in r.content


def test_leaving_the_trust_ends_access(case_a: Any, teams: Any, login: Any) -> None:
    from django.utils import timezone

    staff = teams.people["staff_a"]
    staff.affiliations.update(ended_on=timezone.localdate())
    assert (
        login(staff)
        .get(reverse("deaths:case_detail", args=[teams.trust_a.slug, case_a.pk]))
        .status_code
        == 404
    )


def test_export_logs_every_case_in_one_insert(teams: Any, login: Any) -> None:
    """The export's access log is one INSERT, however many cases it holds (was one per case)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.deaths.conftest import make_case

    for i in range(12):
        make_case(teams, case_reference=f"LfD-A-{i:03d}")
    client = login(teams.people["staff_a"])
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(reverse("deaths:cases_export", args=[teams.trust_a.slug]))
    assert r.status_code == 200
    inserts = [
        q["sql"] for q in ctx.captured_queries if "INSERT" in q["sql"] and "caseaccess" in q["sql"]
    ]
    assert len(inserts) == 1
    assert CaseAccess.objects.filter(action="export").count() == 12


def test_api_does_not_import_the_views_layer() -> None:
    """The API calls services and selectors, never the page views (layering)."""
    import ast
    from pathlib import Path

    import qicollab.deaths.api as api

    tree = ast.parse(Path(api.__file__).read_text())
    modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [m for m in modules if ".views" in m]
