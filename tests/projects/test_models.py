"""Database constraints hold single-row rules even when a service is bypassed; scales are data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from qicollab.projects import selectors, services
from qicollab.projects.models import (
    CoProduction,
    PdsaCycle,
    ProgressReport,
    Project,
    ProjectMember,
    ScaleDefinition,
    ScaleLevel,
)
from qicollab.projects.services import ProjectError


def _fails(fn: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_stopped_needs_a_reason_in_the_database(project: Project) -> None:
    _fails(lambda: Project.objects.filter(pk=project.pk).update(status="stopped", stop_reason=""))
    Project.objects.filter(pk=project.pk).update(status="stopped", stop_reason="Lost the ward")


def test_stopped_needs_a_reason_on_save(project: Project) -> None:
    project.status = "stopped"
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert exc.value.message_dict["stop_reason"] == ["Say why the project stopped."]


def test_end_date_not_before_start(project: Project) -> None:
    _fails(
        lambda: Project.objects.filter(pk=project.pk).update(
            start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 4, 30)
        )
    )
    Project.objects.filter(pk=project.pk).update(
        start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 5, 1)
    )


def test_one_membership_per_person(project: Project, world: Any) -> None:
    _fails(
        lambda: ProjectMember.objects.create(
            project=project, person=world.people["staff_a"], role="member"
        )
    )


def test_one_coproduction_record_per_stage(project: Project) -> None:
    CoProduction.objects.create(project=project, stage="aim", level="consulted")
    _fails(lambda: CoProduction.objects.create(project=project, stage="aim", level="co_led"))


def test_progress_month_is_the_first_and_score_in_range(project: Project) -> None:
    scale = selectors.scale_for(collaborative=project.collaborative_id)
    base = {"project": project, "scale": scale, "rater_type": "self"}
    _fails(
        lambda: ProgressReport.objects.create(
            **base, month=dt.date(2025, 3, 2), score=Decimal("2.0")
        )
    )
    _fails(
        lambda: ProgressReport.objects.create(
            **base, month=dt.date(2025, 3, 1), score=Decimal("5.5")
        )
    )
    ProgressReport.objects.create(**base, month=dt.date(2025, 3, 1), score=Decimal("2.0"))
    _fails(
        lambda: ProgressReport.objects.create(
            **base, month=dt.date(2025, 3, 1), score=Decimal("2.5")
        )
    )
    # The faculty's rating of the same month is a separate row.
    ProgressReport.objects.create(
        **(base | {"rater_type": "faculty"}), month=dt.date(2025, 3, 1), score=Decimal("2.5")
    )


def test_complete_cycle_needs_a_decision(full_project: Project) -> None:
    cycle = PdsaCycle.objects.filter(project=full_project, status="do").first()
    _fails(lambda: PdsaCycle.objects.filter(pk=cycle.pk).update(status="complete", act_decision=""))


def test_every_model_keeps_history(full_project: Project) -> None:
    from qicollab.projects import models

    for name in (
        "Project",
        "ProjectMember",
        "CoProduction",
        "Aim",
        "Tag",
        "ScaleDefinition",
        "ScaleLevel",
        "CollaborativeScaleChoice",
        "ProgressReport",
        "PrimaryDriver",
        "SecondaryDriver",
        "ChangeIdea",
        "PdsaCycle",
    ):
        assert hasattr(getattr(models, name), "history"), name
    assert full_project.history.first().history_user.email == "staff_a@example.nhs.uk"


# --- scales -----------------------------------------------------------------------------------


def test_both_scale_variants_are_seeded(db: Any) -> None:
    lifeqi = ScaleDefinition.objects.get(code="ihi-lifeqi", version=1)
    values = [lv.value for lv in lifeqi.levels.order_by("value")]
    assert values == [Decimal(x) / 2 for x in range(1, 11)]  # 0.5 to 5.0
    assert lifeqi.levels.get(value=Decimal("0.5")).label == "Intent to participate"
    assert lifeqi.levels.get(value=Decimal("5.0")).label == "Outstanding sustainable results"
    assert not lifeqi.levels.get(value=Decimal("4.5")).wording_confirmed
    collab = ScaleDefinition.objects.get(code="ihi-collaborative", version=1)
    assert [lv.value for lv in collab.levels.order_by("value")] == [
        Decimal(x) / 2 for x in range(2, 11)
    ]
    assert collab.levels.get(value=Decimal("1.0")).label == "Forming team"
    assert set(collab.levels.filter(wording_confirmed=False).values_list("value", flat=True)) == {
        Decimal("4.5"),
        Decimal("5.0"),
    }


def test_collaborative_uses_lifeqi_until_it_chooses(project: Project, world: Any) -> None:
    assert selectors.scale_for(collaborative=world.collab).code == "ihi-lifeqi"
    collab_scale = ScaleDefinition.objects.get(code="ihi-collaborative")
    services.scale_choose(
        actor=world.people["collab_lead"], collaborative=world.collab, scale=collab_scale
    )
    assert selectors.scale_for(collaborative=world.collab).code == "ihi-collaborative"
    assert selectors.scale_for(collaborative=world.other_collab).code == "ihi-lifeqi"


@pytest.mark.parametrize("score", ["2.3", "5.5", "0", "abc"])
def test_scores_off_the_scale_are_refused(score: str, project: Project, world: Any) -> None:
    with pytest.raises(ProjectError) as exc:
        services.progress_report_save(
            actor=world.people["staff_a"],
            project=project,
            rater_type="self",
            month=dt.date(2025, 1, 1),
            score=score,
        )
    assert exc.value.field == "score"


def test_half_point_below_one_is_only_on_the_lifeqi_scale(project: Project, world: Any) -> None:
    actor = world.people["staff_a"]
    services.progress_report_save(
        actor=actor, project=project, rater_type="self", month=dt.date(2025, 1, 1), score="0.5"
    )
    services.scale_choose(
        actor=world.people["collab_lead"],
        collaborative=world.collab,
        scale=ScaleDefinition.objects.get(code="ihi-collaborative"),
    )
    with pytest.raises(ProjectError, match=r"1\.0, 1\.5"):
        services.progress_report_save(
            actor=actor, project=project, rater_type="self", month=dt.date(2025, 2, 1), score="0.5"
        )


def test_a_rating_keeps_the_scale_it_was_made_on(project: Project, world: Any) -> None:
    actor = world.people["staff_a"]
    report = services.progress_report_save(
        actor=actor, project=project, rater_type="self", month=dt.date(2025, 1, 1), score="0.5"
    )
    services.scale_choose(
        actor=world.people["collab_lead"],
        collaborative=world.collab,
        scale=ScaleDefinition.objects.get(code="ihi-collaborative"),
    )
    corrected = services.progress_report_save(
        actor=actor,
        project=project,
        rater_type="self",
        month=dt.date(2025, 1, 1),
        score="1.0",
        report=report,
    )
    assert corrected.scale.code == "ihi-lifeqi"


def test_model_clean_checks_the_level(project: Project) -> None:
    scale = ScaleDefinition.objects.get(code="ihi-collaborative")
    report = ProgressReport(
        project=project,
        scale=scale,
        rater_type="self",
        month=dt.date(2025, 1, 1),
        score=Decimal("0.5"),
    )
    with pytest.raises(ValidationError) as exc:
        report.full_clean()
    assert "score" in exc.value.message_dict


def test_one_rating_per_kind_per_month(project: Project, world: Any) -> None:
    actor = world.people["staff_a"]
    services.progress_report_save(
        actor=actor, project=project, rater_type="self", month=dt.date(2025, 1, 9), score="1.0"
    )
    with pytest.raises(ProjectError, match="already a rating by the team for January 2025"):
        services.progress_report_save(
            actor=actor, project=project, rater_type="self", month=dt.date(2025, 1, 20), score="1.5"
        )
    services.progress_report_save(
        actor=world.people["faculty"],
        project=project,
        rater_type="faculty",
        month=dt.date(2025, 1, 1),
        score="1.5",
    )
    assert ProgressReport.objects.filter(project=project).count() == 2


def test_future_months_cannot_be_rated(project: Project, world: Any) -> None:
    from django.utils import timezone

    next_month = (timezone.localdate().replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    with pytest.raises(ProjectError, match="this month or earlier"):
        services.progress_report_save(
            actor=world.people["staff_a"],
            project=project,
            rater_type="self",
            month=next_month,
            score="1.0",
        )


def test_levels_are_unique_per_scale(db: Any) -> None:
    scale = ScaleDefinition.objects.get(code="ihi-lifeqi")
    _fails(
        lambda: ScaleLevel.objects.create(
            scale=scale, value=Decimal("1.0"), label="x", definition="y"
        )
    )
