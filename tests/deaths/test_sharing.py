"""Learning summaries: the check, the approval, the library, and the sharing percentage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qicollab.deaths import selectors, services
from qicollab.deaths.models import LearningSummary, LearningTheme
from tests import factories as f
from tests.deaths.conftest import make_case

LONDON = ZoneInfo("Europe/London")
SUMMARY = {
    "title": "Physical health checks after discharge",
    "phase_of_care": "mh_transitions",
    "what_happened": "A man in his fifties died at home three weeks after discharge.",
    "what_learned": "Follow-up within 72 hours did not include a physical health check.",
    "what_changed": "Discharge checklists now include booking a physical health review.",
}


def _summary(world: Any, death: Any, author: Any, **over: Any) -> LearningSummary:
    themes = LearningTheme.objects.filter(
        slug__in=["physical-health-monitoring", "transitions-of-care"]
    )
    return services.summary_save(actor=author, death=death, data={**SUMMARY, **over}, themes=themes)


def _share(
    summary: LearningSummary, approver: Any, collab: Any, when: datetime | None = None
) -> None:
    services.summary_submit(actor=summary.author, summary=summary)
    services.summary_approve(actor=approver, summary=summary, collaboratives=[collab])
    if when is not None:
        LearningSummary.objects.filter(pk=summary.pk).update(shared_at=when)


def test_check_blocks_identifiers_and_recorded_names(case_a: Any, teams: Any, login: Any) -> None:
    staff = teams.people["staff_a"]
    services.case_name_add(actor=staff, death=case_a, name="Priya Shah", role="family")
    s = _summary(teams, case_a, staff, what_happened="Priya rang 07700 900123 on 3 March 2025.")
    with pytest.raises(services.DeidentificationError) as exc:
        services.summary_submit(actor=staff, summary=s)
    assert [f.kind for f in exc.value.findings] == ["name", "phone", "date"]
    page = login(staff).post(reverse("deaths:summary_check", args=[teams.trust_a.slug, case_a.pk]))
    assert (
        b"could identify someone" in page.content and b"a name recorded in the case" in page.content
    )
    s.refresh_from_db()
    assert s.status == "draft"


def test_named_lead_approves_then_it_is_in_the_library(case_a: Any, teams: Any, login: Any) -> None:
    staff, lead = teams.people["staff_a"], teams.people["lead_a"]
    services.case_name_add(actor=staff, death=case_a, name="Priya Shah", role="family")
    s = _summary(teams, case_a, staff)
    services.summary_submit(actor=staff, summary=s)
    # Reviewers cannot approve; the author cannot approve their own.
    assert (
        login(staff)
        .get(reverse("deaths:summary_approve", args=[teams.trust_a.slug, case_a.pk]))
        .status_code
        == 403
    )
    with pytest.raises(ValidationError, match="other than the author"):
        services.summary_approve(actor=staff, summary=s, collaboratives=[teams.collab])
    with pytest.raises(ValidationError, match="belongs to"):
        services.summary_approve(actor=lead, summary=s, collaboratives=[teams.other_collab])
    r = login(lead).post(
        reverse("deaths:summary_approve", args=[teams.trust_a.slug, case_a.pk]),
        {"collaboratives": [teams.collab.pk], "confirm": "on"},
    )
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.is_shared and s.approver == lead and s.shared_at is not None
    # Any member of the collaborative, from another trust, reads it; no names, no case reference.
    other = login(teams.people["staff_b"])
    lib = other.get(
        reverse("deaths:library", args=[teams.collab.slug]), {"theme": "transitions-of-care"}
    )
    assert SUMMARY["title"].encode() in lib.content
    detail = other.get(reverse("deaths:library_detail", args=[teams.collab.slug, s.pk]))
    assert SUMMARY["what_learned"].encode() in detail.content
    assert b"Priya" not in detail.content and b"LfD-A-001" not in detail.content
    other_phase = other.get(
        reverse("deaths:library", args=[teams.collab.slug]), {"phase": "mh_family"}
    )
    assert SUMMARY["title"].encode() not in other_phase.content
    assert b"No summaries match your search" in other_phase.content
    # Not shared with the other collaborative.
    assert (
        login(teams.people["pm_o"])
        .get(reverse("deaths:library_detail", args=[teams.collab.slug, s.pk]))
        .status_code
        == 404
    )
    # Changing it takes it out of the library.
    services.summary_save(
        actor=staff, death=case_a, data={**SUMMARY, "title": "Changed"}, themes=s.themes.all()
    )
    assert not selectors.library(
        viewer=teams.people["staff_b"], collaborative=teams.collab
    ).exists()


def test_recurring_themes_are_counted_across_organisations(teams: Any) -> None:
    a = make_case(teams, case_reference="A1")
    b = make_case(teams, org=teams.trust_b, actor=teams.people["reviewer_b"], case_reference="B1")
    lead_b = f.PersonFactory(email="lead_b@example.nhs.uk")
    f.AffiliationFactory(person=lead_b, organisation=teams.trust_b)
    services.team_member_set(
        actor=teams.people["pm_a"], organisation=teams.trust_b, person=lead_b, role="lead"
    )
    _share(_summary(teams, a, teams.people["staff_a"]), teams.people["lead_a"], teams.collab)
    sb = services.summary_save(
        actor=teams.people["reviewer_b"],
        death=b,
        data=SUMMARY,
        themes=LearningTheme.objects.filter(slug="physical-health-monitoring"),
    )
    _share(sb, lead_b, teams.collab)
    counts = {
        t.theme.slug: (t.organisations, t.summaries, t.recurring)
        for t in selectors.theme_counts(collaborative=teams.collab)
    }
    assert counts == {
        "physical-health-monitoring": (2, 2, True),
        "transitions-of-care": (1, 1, False),
    }


def test_sharing_percentage_follows_the_shared_summaries(teams: Any) -> None:
    collab = teams.collab
    p1 = (date(2025, 4, 1), date(2025, 6, 30))
    p2 = (date(2025, 7, 1), date(2025, 9, 30))
    lead_b = f.PersonFactory(email="lead_b@example.nhs.uk")
    f.AffiliationFactory(person=lead_b, organisation=teams.trust_b)
    services.team_member_set(
        actor=teams.people["pm_a"], organisation=teams.trust_b, person=lead_b, role="lead"
    )

    def pct(period: tuple[date, date]) -> float | None:
        return selectors.sharing_figures(
            collaborative=collab, start=period[0], end=period[1]
        ).percentage

    assert pct(p1) == 0.0
    a1 = make_case(teams, case_reference="A1")
    _share(
        _summary(teams, a1, teams.people["staff_a"]),
        teams.people["lead_a"],
        collab,
        datetime(2025, 5, 1, 12, tzinfo=LONDON),
    )
    assert pct(p1) == 50.0 and pct(p2) == 0.0
    b1 = make_case(teams, org=teams.trust_b, actor=teams.people["reviewer_b"], case_reference="B1")
    sb = _summary(teams, b1, teams.people["reviewer_b"])
    _share(
        sb, lead_b, collab, datetime(2025, 6, 30, 23, 30, tzinfo=LONDON)
    )  # late on the last day, local time
    assert pct(p1) == 100.0
    sharing = selectors.organisations_sharing(collaborative=collab, start=p1[0], end=p1[1])
    assert set(sharing) == {teams.trust_a, teams.trust_b}
    a2 = make_case(teams, case_reference="A2")
    _share(
        _summary(teams, a2, teams.people["staff_a"]),
        teams.people["lead_a"],
        collab,
        datetime(2025, 8, 1, tzinfo=LONDON),
    )
    assert pct(p2) == 50.0
    # Withdrawing a summary takes it out of the count.
    services.summary_withdraw(actor=lead_b, summary=sb, reason="Identifies the ward")
    assert pct(p1) == 50.0
    # A summary shared only with another collaborative does not count here.
    assert (
        selectors.sharing_figures(collaborative=teams.other_collab, start=p1[0], end=p1[1]).sharing
        == 0
    )
    # An organisation that left before the period is not in the denominator.
    from qicollab.organisations.models import CollaborativeMembership

    CollaborativeMembership.objects.filter(collaborative=collab, organisation=teams.trust_b).update(
        left_on=date(2025, 7, 1)
    )
    fig = selectors.sharing_figures(collaborative=collab, start=p2[0], end=p2[1])
    assert (fig.members, fig.sharing, fig.percentage) == (1, 1, 100.0)


def test_sharing_api_for_faculty(teams: Any, login: Any) -> None:
    url = f"/api/deaths/collaboratives/{teams.collab.slug}/sharing?start=2025-04-01&end=2026-03-31"
    r = login(teams.people["faculty"]).get(url)
    assert r.status_code == 200 and r.json()["members"] == 2 and r.json()["percentage"] == 0.0
    assert login(teams.people["staff_b"]).get(url).status_code == 404
    bad = login(teams.people["faculty"]).get(
        f"/api/deaths/collaboratives/{teams.collab.slug}/sharing?start=2025-04-01&end=2024-03-31"
    )
    assert bad.status_code == 422
