"""Recording, screening, reviewing and deleting cases."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from qicollab.deaths import services
from qicollab.deaths.models import CaseName, CaseReview, Death, DeathsSettings
from tests.deaths.conftest import CASE_DEFAULTS, make_case


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test-only, fixed names
        return str(cur.fetchone()[0])


def test_nhs_number_is_encrypted_at_rest(case_a: Any) -> None:
    raw = _raw("deaths_death", "nhs_number", case_a.pk)
    assert "9434765919" not in raw and "943 476 5919" not in raw
    assert raw.startswith("fernet:")
    assert Death.objects.get(pk=case_a.pk).nhs_number == "9434765919"
    # The audit history keeps no copy of it at all.
    assert "nhs_number" not in {f.name for f in Death.history.model._meta.get_fields()}


def test_case_names_are_encrypted_at_rest(case_a: Any, teams: Any) -> None:
    n = services.case_name_add(
        actor=teams.people["staff_a"], death=case_a, name="Priya Shah", role="family"
    )
    raw = _raw("deaths_casename", "name", n.pk)
    assert "Priya" not in raw and raw.startswith("fernet:")
    assert CaseName.objects.get(pk=n.pk).name == "Priya Shah"


def test_nhs_number_rules(teams: Any) -> None:
    with pytest.raises(ValidationError, match="not a valid NHS number"):
        make_case(teams, case_reference="X1", nhs_number="943 476 5918")
    with pytest.raises(ValidationError, match="10-digit"):
        make_case(teams, case_reference="X2", nhs_number="12345")
    make_case(teams, case_reference="X3", nhs_number="9434765919")
    with pytest.raises(ValidationError, match="already recorded as case X3"):
        make_case(teams, case_reference="X4", nhs_number="943-476-5919")
    # Trust B has not switched NHS numbers on.
    with pytest.raises(ValidationError, match="does not record NHS numbers"):
        make_case(
            teams,
            org=teams.trust_b,
            actor=teams.people["reviewer_b"],
            case_reference="B1",
            nhs_number="4010232137",
        )


def test_reference_must_not_hold_identifiers_and_is_unique(teams: Any) -> None:
    with pytest.raises(ValidationError, match="must not contain"):
        make_case(teams, case_reference="9434765919")
    make_case(teams, case_reference="LfD-1")
    with pytest.raises(ValidationError, match="already exists"):
        make_case(teams, case_reference="lfd-1")


def test_learning_disability_makes_leder_referral_required(teams: Any, login: Any) -> None:
    client = login(teams.people["staff_a"])
    url = reverse("deaths:case_create", args=[teams.trust_a.slug])
    data = {
        **{k: str(v) for k, v in CASE_DEFAULTS.items()},
        "case_reference": "LD-1",
        "learning_disability": "on",
        "in_scope": "on",
    }
    r = client.post(url, data)
    assert r.status_code == 200
    assert b"referred to LeDeR" in r.content and b"There is a problem" in r.content
    assert not Death.objects.filter(case_reference="LD-1").exists()
    r = client.post(url, {**data, "leder_status": "referred"})
    assert b"Enter the date the death was referred to LeDeR" in r.content
    r = client.post(url, {**data, "leder_status": "referred", "leder_referred_on": "2025-05-12"})
    assert r.status_code == 302
    death = Death.objects.get(case_reference="LD-1")
    assert death.leder_referred_on == date(2025, 5, 12)
    assert death.quarter.label == "2025/26 Q1"


def test_case_form_keeps_input_and_explains_errors(teams: Any, login: Any) -> None:
    client = login(teams.people["staff_a"])
    r = client.post(
        reverse("deaths:case_create", args=[teams.trust_a.slug]),
        {"case_reference": "KEEP-ME", "date_of_death": "31/02/2025", "nhs_number": "943 476 5918"},
    )
    assert r.status_code == 200
    assert b"KEEP-ME" in r.content
    assert b"Enter a real date" in r.content
    assert b"Choose the age band" in r.content


def test_red_flag_without_a_review_is_refused(case_a: Any, teams: Any, login: Any) -> None:
    client = login(teams.people["staff_a"])
    url = reverse("deaths:screening_edit", args=[teams.trust_a.slug, case_a.pk])
    r = client.post(
        url,
        {
            "screened_on": "2025-05-20",
            "red_flags": ["crisis_team"],
            "outcome": "none",
            "reason": "Expected",
        },
    )
    assert r.status_code == 200
    assert b"has a red flag, so it needs a review" in r.content
    r = client.post(
        url, {"screened_on": "2025-05-20", "sampled": "on", "outcome": "none", "reason": "x"}
    )
    assert b"was chosen in the sample" in r.content
    r = client.post(url, {"screened_on": "2025-05-20", "outcome": "leder", "reason": "x"})
    assert b"LeDeR reviews the deaths" in r.content
    r = client.post(
        url,
        {
            "screened_on": "2025-05-20",
            "red_flags": ["crisis_team"],
            "outcome": "sjr",
            "reason": "Under the crisis team",
        },
    )
    assert r.status_code == 302
    case_a.refresh_from_db()
    assert case_a.screening.red_flags == ["crisis_team"]


def _review_post(stage_rating: str, avoid: str, **extra: str) -> dict[str, str]:
    data = {
        "phase_mh_assessment": stage_rating,
        "phase_mh_assessment_narrative": "Assessment was thorough.",
        "phase_mh_care_planning": "na",
        "phase_mh_ongoing": "na",
        "phase_mh_transitions": "na",
        "phase_mh_physical_health": "na",
        "phase_mh_family": "na",
        "phase_mh_overall": "na",
        "problem_monitoring": "probably",
        "problem_monitoring_description": "Observations missed.",
        "overall_rating": stage_rating,
        "overall_narrative": "Overall judgement.",
        "avoidability": avoid,
        "action": "complete",
    }
    return {**data, **extra}


def test_review_flow_second_review_and_disagreement(case_a: Any, teams: Any, login: Any) -> None:
    services.screening_save(
        actor=teams.people["staff_a"],
        death=case_a,
        data={"red_flags": ["concern"], "outcome": "sjr", "reason": "Family concern"},
    )
    staff, lead = login(teams.people["staff_a"]), login(teams.people["lead_a"])
    slug = teams.trust_a.slug
    assert staff.post(reverse("deaths:review_start", args=[slug, case_a.pk, 1])).status_code == 302
    edit = reverse("deaths:review_edit", args=[slug, case_a.pk, 1])
    # Completing without judgements lists what is missing and keeps what was typed.
    r = staff.post(edit, {"overall_narrative": "Half written", "action": "complete"})
    assert b"Rate the care overall" in r.content and b"Half written" in r.content
    # Poor care and "probably avoidable" (4 on the Hogan numbering).
    assert staff.post(edit, _review_post("2", "4")).status_code == 302
    first = CaseReview.objects.get(death=case_a, stage=1)
    assert first.is_completed and first.avoidability == "probably" and first.triggers_second_review
    assert first.problems.get().harm == "probably"
    page = staff.get(reverse("deaths:case_detail", args=[slug, case_a.pk]))
    assert b"A second review is needed" in page.content
    # The first reviewer cannot do the second review.
    staff.post(reverse("deaths:review_start", args=[slug, case_a.pk, 2]))
    assert not CaseReview.objects.filter(death=case_a, stage=2).exists()
    assert lead.post(reverse("deaths:review_start", args=[slug, case_a.pk, 2])).status_code == 302
    edit2 = reverse("deaths:review_edit", args=[slug, case_a.pk, 2])
    r = lead.post(edit2, _review_post("3", "3", disagrees_with_first="on"))
    assert b"Say where and why you disagree" in r.content
    lead.post(
        edit2,
        _review_post(
            "3", "3", disagrees_with_first="on", disagreement="Deterioration was not foreseeable."
        ),
    )
    second = CaseReview.objects.get(death=case_a, stage=2)
    assert second.is_completed and second.avoidability == "possibly" and second.disagrees_with_first
    # The first reviewer cannot change the second review.
    staff.post(edit2, _review_post("1", "6"))
    second.refresh_from_db()
    assert second.overall_rating == 3


def test_avoidability_entered_and_shown_in_the_reverse_numbering(
    case_a: Any, teams: Any, login: Any
) -> None:
    DeathsSettings.objects.filter(organisation=teams.trust_a).update(scale_orientation="reverse")
    services.screening_save(
        actor=teams.people["staff_a"],
        death=case_a,
        data={"red_flags": [], "outcome": "sjr", "reason": "Local policy"},
    )
    staff = login(teams.people["staff_a"])
    slug = teams.trust_a.slug
    staff.post(reverse("deaths:review_start", args=[slug, case_a.pk, 1]))
    staff.post(reverse("deaths:review_edit", args=[slug, case_a.pk, 1]), _review_post("4", "2"))
    review = CaseReview.objects.get(death=case_a)
    assert review.avoidability == "strong"  # 2 on the reversed scale
    assert (
        review.avoidability_number_entered == 2 and review.avoidability_scale_entered == "reverse"
    )
    page = staff.get(reverse("deaths:case_detail", args=[slug, case_a.pk])).content.decode()
    assert "2 \u2013 Strong evidence of avoidability" in page
    DeathsSettings.objects.filter(organisation=teams.trust_a).update(scale_orientation="hogan")
    page = staff.get(reverse("deaths:case_detail", args=[slug, case_a.pk])).content.decode()
    assert "5 \u2013 Strong evidence of avoidability" in page


def test_deletion_needs_a_reason_and_leaves_a_tombstone(
    case_a: Any, teams: Any, login: Any
) -> None:
    slug = teams.trust_a.slug
    url = reverse("deaths:case_delete", args=[slug, case_a.pk])
    services.case_name_add(
        actor=teams.people["staff_a"], death=case_a, name="Priya Shah", role="family"
    )
    assert (
        login(teams.people["staff_a"])
        .post(url, {"reason": "Recorded twice by mistake"})
        .status_code
        == 403
    )
    lead = login(teams.people["lead_a"])
    r = lead.post(url, {"reason": "dup"})
    assert b"at least 10 characters" in r.content
    assert lead.post(url, {"reason": "Recorded twice: see LfD-A-002"}).status_code == 302
    assert lead.get(reverse("deaths:case_detail", args=[slug, case_a.pk])).status_code == 404
    assert not Death.objects.live().filter(pk=case_a.pk).exists()
    row = Death.objects.get(pk=case_a.pk)
    assert row.nhs_number == "" and not CaseName.objects.filter(death_id=case_a.pk).exists()
    tomb = Death.history.filter(id=case_a.pk).order_by("-history_date").first()
    assert tomb.deleted_at is not None and tomb.deletion_reason == "Recorded twice: see LfD-A-002"
    assert tomb.history_user == teams.people["lead_a"] and tomb.case_reference == "LfD-A-001"
    log = login(teams.people["pm_a"]).get(reverse("deaths:access_log", args=[slug]))
    assert b"Recorded twice: see LfD-A-002" in log.content
    # The reference can be used again once the case is deleted.
    make_case(teams, case_reference="LfD-A-001")


def test_family_candour_and_actions(case_a: Any, teams: Any, login: Any) -> None:
    staff = login(teams.people["staff_a"])
    slug = teams.trust_a.slug
    r = staff.post(reverse("deaths:family_edit", args=[slug, case_a.pk]), {"contacted": "on"})
    assert b"Enter the date the family or carers were first contacted" in r.content
    r = staff.post(
        reverse("deaths:family_edit", args=[slug, case_a.pk]),
        {
            "contacted": "on",
            "contacted_on": "2025-05-15",
            "wanted_involvement": "yes",
            "involved_in_review": "on",
            "questions": "Why was the visit missed?",
        },
    )
    assert r.status_code == 302
    r = staff.post(reverse("deaths:candour_edit", args=[slug, case_a.pk]), {"applies": "on"})
    assert b"Choose the level of harm" in r.content
    r = staff.post(
        reverse("deaths:candour_edit", args=[slug, case_a.pk]),
        {
            "applies": "on",
            "harm_level": "death",
            "notified_in_person_on": "2025-05-16",
            "apology_given": "on",
        },
    )
    assert r.status_code == 302
    r = staff.post(
        reverse("deaths:action_create", args=[slug, case_a.pk]),
        {
            "description": "Audit physical health checks",
            "owner": "Ward manager",
            "due_on": "2025-09-30",
            "status": "open",
        },
    )
    assert r.status_code == 302
    page = staff.get(reverse("deaths:case_detail", args=[slug, case_a.pk])).content
    assert b"Why was the visit missed?" in page and b"Audit physical health checks" in page


def test_action_links_to_a_qi_project_of_the_organisation(
    case_a: Any, teams: Any, login: Any
) -> None:
    from qicollab.deaths.models import CaseAction
    from qicollab.projects.models import Project

    mine = Project.objects.create(
        title="Safer discharge",
        slug="safer-discharge",
        collaborative=teams.collab,
        lead_organisation=teams.trust_a,
        sharing="public",
    )
    theirs = Project.objects.create(
        title="Brook project",
        slug="brook-project",
        collaborative=teams.collab,
        lead_organisation=teams.trust_b,
        sharing="public",
    )
    staff = login(teams.people["staff_a"])
    url = reverse("deaths:action_create", args=[teams.trust_a.slug, case_a.pk])
    data = {
        "description": "Audit follow-up calls",
        "owner": "Team manager",
        "due_on": "2025-09-30",
        "status": "open",
    }
    r = staff.post(url, {**data, "project_id": theirs.pk})
    assert r.status_code == 200 and b"Select a valid choice" in r.content
    assert staff.post(url, {**data, "project_id": mine.pk}).status_code == 302
    assert CaseAction.objects.get(death=case_a).project == mine
    page = staff.get(reverse("deaths:case_detail", args=[teams.trust_a.slug, case_a.pk]))
    assert b"QI project:" in page.content and b"Safer discharge" in page.content
