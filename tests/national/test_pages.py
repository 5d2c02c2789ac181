"""Roll-up pages, exports and designations: personas, drill-down, bad input, query counts."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from qicollab.national.models import Designation, DesignationKind
from tests import factories as f
from tests.jobs.reports import download_report
from tests.national.conftest import Nation, Q, project

pytestmark = pytest.mark.django_db


def rollup_url(n: Nation, **params: str) -> str:
    url = reverse("national:rollup", args=[n.world.programme.slug])
    query = {"quarter": Q.slug, **params}
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("national_admin", 200),
        ("collab_lead", 200),
        ("faculty", 403),
        ("pm_a", 403),
        ("staff_a", 403),
        ("partner_a", 403),
        ("viewer_a", 403),
        ("staff_b", 403),
        ("pm_o", 404),
        ("outsider", 404),
    ],
)
def test_rollup_personas(nation: Nation, login: Any, who: str, status: int) -> None:
    resp = login(nation.world.people[who]).get(rollup_url(nation))
    assert resp.status_code == status


def test_rollup_anonymous_is_sent_to_log_in(nation: Nation, login: Any) -> None:
    resp = login(None).get(rollup_url(nation))
    assert resp.status_code == 302 and "login" in resp["Location"]


def test_unknown_programme_is_404(world: Any, login: Any) -> None:
    resp = login(world.people["national_admin"]).get("/national/no-such-programme/")
    assert resp.status_code == 404


def test_admin_sees_every_collaborative_and_totals(nation: Nation, login: Any) -> None:
    page = login(nation.world.people["national_admin"]).get(rollup_url(nation)).content.decode()
    assert nation.world.collab.name in page and nation.second.name in page
    assert "All collaboratives" in page
    assert "People trained" in page
    assert "2025/26 Q1" in page


def test_lead_sees_only_their_own_collaborative(nation: Nation, login: Any) -> None:
    page = login(nation.world.people["collab_lead"]).get(rollup_url(nation)).content.decode()
    assert nation.world.collab.name in page
    assert nation.second.name not in page
    assert "the collaboratives you lead" in page


def test_bad_quarter_says_why_and_keeps_the_page(nation: Nation, login: Any) -> None:
    c = login(nation.world.people["national_admin"])
    resp = c.get(rollup_url(nation, quarter="summer"))
    assert resp.status_code == 200
    assert "&#39;summer&#39; is not a quarter" in resp.content.decode()
    resp = c.get(rollup_url(nation, quarter="2099-Q1"))
    assert "has not started yet" in resp.content.decode()


def test_drill_down_to_organisations(nation: Nation, login: Any) -> None:
    w = nation.world
    url = reverse("national:rollup_collaborative", args=[w.programme.slug, w.collab.slug])
    page = login(w.people["national_admin"]).get(url + f"?quarter={Q.slug}").content.decode()
    assert w.trust_a.name in page and w.trust_b.name in page
    assert w.trust_a.get_absolute_url() in page
    # The lead of the other collaborative cannot open this one's organisations.
    assert login(nation.lead_s).get(url).status_code == 404
    assert login(w.people["outsider"]).get(url).status_code == 404
    assert login(w.people["faculty"]).get(url).status_code == 403
    assert login(w.people["collab_lead"]).get(url).status_code == 200


def test_rollup_page_queries_do_not_grow_with_organisations(
    nation: Nation, login: Any, django_assert_max_num_queries: Any
) -> None:
    c = login(nation.world.people["national_admin"])
    c.get(rollup_url(nation))  # warm the session and caches
    # Session, roles, grouped figure queries, and one per collaborative (the deaths app's
    # sharing selector, reused as it is).
    with django_assert_max_num_queries(22) as small:
        c.get(rollup_url(nation))
    for i in range(15):
        org = f.OrganisationFactory(org_type="care_home" if i % 2 else "primary_care")
        f.MembershipFactory(
            collaborative=nation.second, organisation=org, joined_on=date(2024, 1, 1)
        )
        project(nation.second, org, start_date=date(2025, 5, 1))
        Designation.objects.create(
            person=f.PersonFactory(),
            organisation=org,
            collaborative=nation.second,
            kind=DesignationKind.QI_EXPERT,
            designated_on=date(2025, 5, 2),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        resp = c.get(rollup_url(nation))
    assert "16" in resp.content.decode()  # 15 new projects plus the care home's


# --- exports ---------------------------------------------------------------------------


def export(n: Nation, who: Any, fmt: str, login: Any, quarter: str = Q.slug) -> Any:
    url = reverse("national:rollup_export", args=[n.world.programme.slug, fmt])
    return login(who).get(url + f"?quarter={quarter}")


def test_csv_export_has_every_level(nation: Nation, login: Any) -> None:
    resp = export(nation, nation.world.people["national_admin"], "csv", login)
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))
    levels = [r["Level"] for r in rows]
    assert levels.count("national") == 1 and levels.count("collaborative") == 2
    assert levels.count("organisation") == 3
    trust_a = next(r for r in rows if r["Organisation"] == nation.world.trust_a.name)
    assert trust_a["Projects started"] == "2"
    assert rows[0]["People trained"] == "0"
    assert trust_a["People trained"] == ""  # recorded per collaborative, not organisation


def test_excel_export_has_a_sheet_per_level(nation: Nation, login: Any) -> None:
    from openpyxl import load_workbook

    resp = export(nation, nation.world.people["national_admin"], "xlsx", login)
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["National summary", "Collaboratives", "Organisations"]
    ws = wb["Collaboratives"]
    header = [c.value for c in ws[1]]
    started = header.index("Projects started")
    assert ws.cell(row=2, column=1).value == nation.world.collab.name
    assert ws.cell(row=2, column=started + 1).value == 2
    assert ws.cell(row=2, column=started + 1).number_format == "#,##0"
    assert wb["Organisations"].max_row == 4  # header and three organisations


def test_pdf_report(nation: Nation, login: Any) -> None:
    url = reverse("national:rollup_export", args=[nation.world.programme.slug, "pdf"])
    resp = download_report(login(nation.world.people["national_admin"]), url + f"?quarter={Q.slug}")
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF")


def test_exports_keep_the_page_permissions(nation: Nation, login: Any) -> None:
    w = nation.world
    assert export(nation, w.people["outsider"], "csv", login).status_code == 404
    assert export(nation, w.people["faculty"], "xlsx", login).status_code == 403
    lead = export(nation, w.people["collab_lead"], "csv", login).content.decode("utf-8-sig")
    assert w.collab.name in lead and nation.second.name not in lead
    assert export(nation, w.people["national_admin"], "doc", login).status_code == 404
    bad = export(nation, w.people["national_admin"], "csv", login, quarter="Q9")
    assert bad.status_code == 400 and "not a quarter" in bad.content.decode()


# --- designations ----------------------------------------------------------------------


def test_programme_manager_records_a_designation(nation: Nation, login: Any) -> None:
    w = nation.world
    url = reverse("national:designation_list", args=[w.collab.slug])
    c = login(w.people["pm_a"])
    assert c.get(url).status_code == 200
    data = {
        "email": w.people["staff_a"].email.upper(),
        "organisation": w.trust_a.pk,
        "kind": DesignationKind.SAFETY_CHAMPION,
        "designated_on": "2025-05-01",
    }
    resp = c.post(url, data)
    assert resp.status_code == 302
    d = Designation.objects.get()
    assert (d.person, d.organisation, d.collaborative) == (w.people["staff_a"], w.trust_a, w.collab)
    assert d.history.first().history_user == w.people["pm_a"]  # type: ignore[attr-defined]
    again = c.post(url, data)
    assert "already designated" in again.content.decode()
    # trust B is not pm_a's organisation: not a choice.
    other = c.post(url, {**data, "organisation": w.trust_b.pk, "kind": "qi_expert"})
    assert "Select a valid choice" in other.content.decode()
    unknown = c.post(url, {**data, "email": "nobody@example.org"})
    assert "No one with this email address" in unknown.content.decode()
    assert 'value="nobody@example.org"' in unknown.content.decode()
    future = c.post(url, {**data, "kind": "qi_expert", "designated_on": "2099-01-01"})
    assert "cannot be in the future" in future.content.decode()
    assert Designation.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("national_admin", 200),
        ("collab_lead", 200),
        ("pm_a", 200),
        ("faculty", 403),
        ("staff_a", 403),
        ("viewer_a", 403),
        # The collaborative's page is public, so it exists for them: 403, not 404.
        ("pm_o", 403),
        ("outsider", 403),
    ],
)
def test_designation_page_personas(nation: Nation, login: Any, who: str, status: int) -> None:
    url = reverse("national:designation_list", args=[nation.world.collab.slug])
    assert login(nation.world.people[who]).get(url).status_code == status


def test_designations_of_a_private_collaborative_are_hidden(world: Any, login: Any) -> None:
    url = reverse("national:designation_list", args=[world.other_collab.slug])
    assert login(world.people["outsider"]).get(url).status_code == 404
    assert login(world.people["pm_a"]).get(url).status_code == 404
    assert login(world.people["pm_o"]).get(url).status_code == 200


def test_index_lists_programmes_for_admins_and_leads(nation: Nation, login: Any) -> None:
    w = nation.world
    assert w.programme.name in login(w.people["national_admin"]).get("/national/").content.decode()
    assert w.programme.name in login(nation.lead_s).get("/national/").content.decode()
    assert w.programme.name not in login(w.people["outsider"]).get("/national/").content.decode()
    assert login(None).get("/national/").status_code == 302


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("national_admin", True),
        ("collab_lead", True),
        ("faculty", False),
        ("pm_a", False),
        ("staff_a", False),
        ("outsider", False),
    ],
)
def test_national_link_in_the_header_only_for_those_who_see_a_roll_up(
    nation: Nation, login: Any, who: str, shown: bool
) -> None:
    page = login(nation.world.people[who]).get("/").content.decode()
    assert (f'href="{reverse("national:index")}"' in page) is shown
