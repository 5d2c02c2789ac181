"""The suggested progress score: the evidence, the reasons, and both scores kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from qicollab.projects import selectors, services
from qicollab.projects.models import ProgressReport, Project
from qicollab.projects.scoring import Evidence, suggest

pytestmark = pytest.mark.django_db

LEVELS = [Decimal(x) / 2 for x in range(1, 11)]


def test_each_level_needs_the_ones_below() -> None:
    full = Evidence(
        aim_agreed=True,
        team_size=3,
        has_drivers=True,
        measures=3,
        measure_with_target=True,
        baseline_values=20,
        pdsa_started=4,
        pdsa_studied=3,
        pdsa_successful=2,
        improvement_signal=True,
        halfway=True,
        sustained_values=8,
    )
    assert suggest(full, levels=LEVELS).score == Decimal("4.5")
    assert suggest(full, levels=LEVELS).reasons[-1].level == Decimal("5.0")
    # A signal without a successful PDSA cycle does not jump the ladder.
    no_pdsa = Evidence(**{**full.__dict__, "pdsa_successful": 0})
    s = suggest(no_pdsa, levels=LEVELS)
    assert s.score == Decimal("2.5")
    assert not s.reasons[-1].met and "adopted or adapted" in s.reasons[-1].text
    assert suggest(Evidence(team_size=5), levels=LEVELS).score == Decimal("0.5")


def test_a_scale_without_the_level_snaps_down() -> None:
    e = Evidence(aim_agreed=True, team_size=2, measures=1, pdsa_started=1)
    assert suggest(e, levels=[Decimal("1.0"), Decimal("3.0")]).score == Decimal("1.0")


def test_evidence_from_the_project_and_both_scores_kept(full_project: Project, world: Any) -> None:
    e = selectors.progress_evidence(project=full_project)
    assert e.aim_agreed and e.team_size >= 2 and e.has_drivers
    month = timezone.localdate().replace(day=1)
    # full_project already has ratings; rate a month it has not rated yet.
    months = set(
        ProgressReport.objects.filter(project=full_project).values_list("month", flat=True)
    )
    while month in months:
        month = (month - dt.timedelta(days=1)).replace(day=1)
    expected = selectors.progress_suggestion(
        project=full_project, scale=selectors.scale_for(collaborative=full_project.collaborative_id)
    )
    report = services.progress_report_save(
        actor=world.people["staff_a"],
        project=full_project,
        rater_type="self",
        month=month,
        score="5.0",
    )
    assert report.suggested_score == expected.score
    assert report.score == Decimal("5.0")
    assert report.suggestion_followed is False
    assert report.suggestion_reasons and all(isinstance(r, str) for r in report.suggestion_reasons)
    # Correcting the team's score keeps the suggestion made at the time.
    report = services.progress_report_save(
        actor=world.people["staff_a"],
        project=full_project,
        rater_type="self",
        month=month,
        score=f"{expected.score:.1f}",
        report=report,
        loaded_version=__import__("qicollab.core.services", fromlist=["x"]).version_token(report),
    )
    assert report.suggested_score == expected.score and report.suggestion_followed is True


def test_faculty_ratings_get_no_suggestion(full_project: Project, world: Any) -> None:
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=400)).replace(day=1)
    report = services.progress_report_save(
        actor=world.people["faculty"],
        project=full_project,
        rater_type="faculty",
        month=month,
        score="2.0",
    )
    assert report.suggested_score is None


def test_the_form_shows_the_suggestion_and_the_history_both_scores(
    full_project: Project, world: Any, login: Any
) -> None:
    c = login(world.people["staff_a"])
    html = c.get(
        reverse("projects:progress_create", args=[full_project.slug, "self"])
    ).content.decode()
    assert "Suggested score:" in html and "Met (1.0)" in html
    faculty_form = login(world.people["faculty"]).get(
        reverse("projects:progress_create", args=[full_project.slug, "faculty"])
    )
    if faculty_form.status_code == 200:
        assert "Suggested score:" not in faculty_form.content.decode()
