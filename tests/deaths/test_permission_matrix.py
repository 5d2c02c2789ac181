"""Who may open which learning-from-deaths page: every page, every persona, one table.

Trust A's mortality-review team is staff_a (reviewer) and lead_a (lead); pm_a manages it
without being on it. Case records answer 404 to everyone off the team (their existence is
private), 403 to a team member lacking the role, 302 (log in) to anonymous visitors. A test
fails if a page in the ``deaths`` URLconf has no row.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from qicollab.deaths import services
from qicollab.deaths.models import CaseAction, CaseName, Death, MortalityTeamMember
from tests.conftest import PERSONAS
from tests.deaths.conftest import make_case

ANON = "anonymous"
EVERYONE = (ANON, *PERSONAS, "lead_a", "reviewer_b")
TEAM_A = {"staff_a": 200, "lead_a": 200}
COORD = {"faculty": 200, "collab_lead": 200, "national_admin": 200}
MEMBERS_C = dict.fromkeys(
    (
        "staff_a",
        "lead_a",
        "pm_a",
        "partner_a",
        "viewer_a",
        "staff_b",
        "reviewer_b",
        "faculty",
        "collab_lead",
        "national_admin",
    ),
    200,
)


def row(
    name: str,
    *args: str,
    method: str = "GET",
    data: dict[str, str] | None = None,
    allow: dict[str, int] | None = None,
    default: int = 404,
) -> tuple[Any, ...]:
    expect = dict.fromkeys(EVERYONE, default)
    expect[ANON] = 401 if name.startswith("api:") else 302
    expect.update(allow or {})
    return (name, args, method, data or {}, expect)


CASE = ("org", "case")
ROWS = [
    row("deaths:home", allow={p: 200 for p in EVERYONE if p not in (ANON, "outsider")}),
    row("deaths:library", "collab", allow=MEMBERS_C),
    row("deaths:library_detail", "collab", "shared", allow=MEMBERS_C),
    row("deaths:collaborative_figures", "collab", allow=COORD),
    row("deaths:dashboard", "org", allow={**TEAM_A, "pm_a": 200, **COORD}),
    row("deaths:dashboard_export", "org", "csv", allow={**TEAM_A, "pm_a": 200, **COORD}),
    row("deaths:team", "org", allow={"pm_a": 200}),
    row("deaths:team_remove", "org", "member", method="POST", allow={"pm_a": 302}),
    row("deaths:settings", "org", allow={"pm_a": 200, "lead_a": 200}),
    row("deaths:access_log", "org", allow={"pm_a": 200}),
    row("deaths:case_list", "org", allow=TEAM_A),
    row("deaths:case_create", "org", allow=TEAM_A),
    row("deaths:cases_export", "org", allow=TEAM_A),
    row("deaths:case_detail", *CASE, allow=TEAM_A),
    row("deaths:case_edit", *CASE, allow=TEAM_A),
    row("deaths:screening_edit", *CASE, allow=TEAM_A),
    row("deaths:case_delete", *CASE, allow={"lead_a": 200, "staff_a": 403}),
    row("deaths:case_names", *CASE, allow=TEAM_A),
    row(
        "deaths:case_name_remove",
        *CASE,
        "name",
        method="POST",
        allow={"staff_a": 302, "lead_a": 302},
    ),
    row("deaths:review_start", *CASE, "2", method="POST", allow={"staff_a": 302, "lead_a": 302}),
    row("deaths:review_edit", *CASE, "1", allow=TEAM_A),
    row("deaths:review_reopen", *CASE, "1", method="POST", allow={"staff_a": 302, "lead_a": 302}),
    row("deaths:family_edit", *CASE, allow=TEAM_A),
    row("deaths:candour_edit", *CASE, allow=TEAM_A),
    row("deaths:action_create", *CASE, allow=TEAM_A),
    row("deaths:action_edit", *CASE, "action", allow=TEAM_A),
    row("deaths:summary_edit", *CASE, allow=TEAM_A),
    row("deaths:summary_check", *CASE, allow=TEAM_A),
    row("deaths:summary_approve", *CASE, allow={"lead_a": 200, "staff_a": 403}),
    row("deaths:summary_withdraw", *CASE, allow={"lead_a": 200, "staff_a": 403}),
]


@pytest.fixture
def objects(teams: Any) -> dict[str, Any]:
    staff, lead = teams.people["staff_a"], teams.people["lead_a"]
    death = make_case(teams, case_reference="LfD-M-1")
    services.screening_save(actor=staff, death=death, data={"outcome": "sjr", "reason": "Red flag"})
    services.review_start(actor=staff, death=death, stage=1)
    action = CaseAction.objects.create(
        death=death, description="Audit", owner="Manager", due_on="2025-09-30"
    )
    name = services.case_name_add(actor=staff, death=death, name="Priya Shah", role="family")
    from qicollab.deaths.models import LearningTheme

    theme = LearningTheme.objects.filter(slug="medication")
    data = {
        "title": "Medicines on admission",
        "phase_of_care": "mh_assessment",
        "what_happened": "A dose was missed.",
        "what_learned": "Check the GP record.",
        "what_changed": "Pharmacy checks within 24 hours.",
    }
    summary = services.summary_save(actor=staff, death=death, data=data, themes=theme)
    services.summary_submit(actor=staff, summary=summary)
    other = make_case(teams, case_reference="LfD-M-2")
    shared = services.summary_save(actor=staff, death=other, data=data, themes=theme)
    services.summary_submit(actor=staff, summary=shared)
    services.summary_approve(actor=lead, summary=shared, collaboratives=[teams.collab])
    member = MortalityTeamMember.objects.get(person=staff)
    return {
        "org": teams.trust_a.slug,
        "collab": teams.collab.slug,
        "case": death.pk,
        "shared": shared.pk,
        "action": action.pk,
        "name": name.pk,
        "member": member.pk,
    }


@pytest.mark.parametrize(
    ("name", "args", "method", "data", "expect"), ROWS, ids=[r[0] for r in ROWS]
)
def test_page_permissions(
    name: str,
    args: tuple[str, ...],
    method: str,
    data: dict[str, str],
    expect: dict[str, int],
    teams: Any,
    objects: dict[str, Any],
) -> None:
    url = reverse(name, args=[objects.get(a, a) for a in args])
    # Personas allowed to change something go last, so the others meet the original state.
    order = sorted(
        EVERYONE, key=lambda p: expect[p] in (200, 302) and method == "POST" and p != ANON
    )
    for persona in order:
        client = Client()
        if persona != ANON:
            client.force_login(
                teams.people[persona], backend="django.contrib.auth.backends.ModelBackend"
            )
        response = client.post(url, data) if method == "POST" else client.get(url)
        assert response.status_code == expect[persona], (
            f"{persona} got {response.status_code} for {name}"
        )
    assert Death.objects.filter(pk=objects["case"]).exists()
    if name == "deaths:case_name_remove":
        assert not CaseName.objects.filter(pk=objects["name"]).exists()


def _deaths_patterns() -> set[str]:
    out: set[str] = set()

    def walk(resolver: URLResolver, ns: str | None) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name and ns == "deaths":
                out.add(f"deaths:{p.name}")

    walk(get_resolver(), None)
    return out


def test_every_deaths_page_has_a_row() -> None:
    assert _deaths_patterns() == {r[0] for r in ROWS}
