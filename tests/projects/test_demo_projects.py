"""The demo QI projects: charts that signal, idempotent, visible to the right people."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.demo import content as c
from qicollab.demo import persona, run_demo
from qicollab.demo.project_content import PROJECTS
from qicollab.measures.bundles import RELIABILITY_AIM_PERCENT
from qicollab.measures.models import Bundle, ChartEvent, DataPoint, Measure
from qicollab.measures.spc_adapter import bundle_charts, measure_chart
from qicollab.organisations.models import CollaborativeRole
from qicollab.projects.models import (
    ChangeIdea,
    PdsaCycle,
    ProgressReport,
    Project,
    SecondaryDriver,
)
from qicollab.projects.smart import smart_check

pytestmark = pytest.mark.django_db

LARKSPUR = "larkspur-restrictive-practice"
MISSED_DOSES = "avonvale-missed-doses"


@pytest.fixture(scope="module")
def _seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Seed the projects and measures (with the steps they need) once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        run_demo(only=["measures"])
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_seeded: None, db: Any) -> list[Project]:
    return list(
        Project.objects.filter(collaborative__slug=c.MH_COLLABORATIVE.slug).select_related(
            "workstream", "lead_organisation"
        )
    )


def who(key: str) -> Person:
    return Person.objects.get(email=persona(key).email)


def chart_of(slug: str, name: str) -> Any:
    return measure_chart(Measure.objects.get(project__slug=slug, name=name))


def classes(chart: Any) -> Counter[str]:
    return Counter(p["class"] for p in chart.result["points"] if p["y"] is not None)


# --- The portfolio --------------------------------------------------------------------------


def test_projects_span_the_workstreams_and_the_trusts(demo: list[Project]) -> None:
    assert len(demo) >= 12
    assert len({p.workstream.slug for p in demo if p.workstream}) >= 4
    trusts = {p.lead_organisation.slug for p in demo}
    for p in demo:
        trusts |= {o.slug for o in p.partner_organisations.all()}
    assert len(trusts & {t.slug for t in c.MH_TRUSTS}) >= 8


def test_statuses_and_sharing_are_a_credible_mix(demo: list[Project]) -> None:
    status = Counter(p.status for p in demo)
    assert status["active"] > len(demo) / 2
    assert status["sustaining"] >= 1
    assert status["completed"] == status["stopped"] == status["idea"] == 1
    stopped = next(p for p in demo if p.status == "stopped")
    assert len(stopped.stop_reason) > 40
    sharing = Counter(p.sharing for p in demo)
    assert sharing["collaborative"] > len(demo) / 2
    assert sharing["public"] == 1
    assert sharing["organisation"] + sharing["private"] >= 2


def test_dates_tags_and_themes(demo: list[Project]) -> None:
    today = timezone.localdate()
    for p in demo:
        assert p.start_date is not None and p.start_date <= today, p
        assert p.tags.exists() and p.themes.exists(), p
        if p.status in ("completed", "stopped"):
            assert p.end_date is not None and p.end_date < today, p
        elif p.end_date is not None:
            assert p.end_date > today, p


def test_every_aim_is_smart(demo: list[Project]) -> None:
    from qicollab.projects.presenters import aim_problems

    today = timezone.localdate()
    for p in demo:
        assert smart_check(p.aim, today=today, project_active=p.status == "active") == [], p
        # As the project page judges it: an idea's target date must lie ahead too.
        assert aim_problems(p.aim, p) == [], p


def test_teams_have_leads_sponsors_coaches_and_partners(demo: list[Project]) -> None:
    faculty = set(
        CollaborativeRole.objects.filter(role="faculty").values_list("person_id", flat=True)
    )
    with_partners = 0
    for p in demo:
        roles = Counter(p.members.values_list("role", flat=True))
        assert roles["lead"] >= 1 and roles["sponsor"] == 1, p
        coaches = p.members.filter(role="coach")
        if p.status != "idea":
            assert roles["member"] >= 1 and coaches.exists(), p
            assert all(
                m.person_id in faculty or m.person.job_title == "Quality improvement coach"
                for m in coaches
            ), p
        with_partners += roles["partner"] > 0
        assert p.coproduction.exists(), p
    assert with_partners >= 6
    larkspur = next(p for p in demo if p.slug == LARKSPUR)
    assert larkspur.coproduction.count() == 5


def test_driver_diagrams_link_many_to_many(demo: list[Project]) -> None:
    rich = [p for p in demo if p.status != "idea"]
    for p in rich:
        assert p.primary_drivers.exists() and p.change_ideas.exists(), p
    shared_secondaries = SecondaryDriver.objects.filter(project__in=rich)
    assert any(s.primaries.count() >= 2 for s in shared_secondaries)
    assert any(i.secondaries.count() >= 2 for i in ChangeIdea.objects.filter(project__in=rich))


def test_pdsa_cycles_form_ramps_with_all_three_decisions(demo: list[Project]) -> None:
    today = timezone.localdate()
    cycles = PdsaCycle.objects.filter(project__in=demo)
    assert {c.act_decision for c in cycles} >= {"adopt", "adapt", "abandon"}
    ramps = 0
    for idea in ChangeIdea.objects.filter(project__in=demo).prefetch_related("pdsa_cycles"):
        ramp = sorted(idea.pdsa_cycles.all(), key=lambda c: c.cycle_number)
        if len(ramp) >= 2:
            ramps += 1
            assert [c.cycle_number for c in ramp] == list(range(1, len(ramp) + 1)), idea
            starts = [c.planned_start or dt.date.min for c in ramp]
            assert starts == sorted(starts), idea
        for cycle in ramp:
            assert cycle.planned_start is not None and cycle.planned_start < today
            if cycle.status == "complete":
                assert cycle.actual_end is not None and cycle.actual_end < today
                assert cycle.predictions and cycle.results and cycle.learning, cycle
    assert ramps >= 10


def test_pdsa_study_is_linked_to_measures_and_shows_on_the_chart(demo: list[Project]) -> None:
    measure = Measure.objects.get(project__slug=LARKSPUR, is_main_outcome=True)
    studied = [
        c
        for c in PdsaCycle.objects.filter(project=measure.project)
        if measure.pk in c.study_measure_ids
    ]
    assert len(studied) >= 2
    chart = measure_chart(measure)
    first, last = chart.series.periods[0], chart.series.periods[-1]
    pdsa = [a for a in chart.annotations if a.kind == "pdsa"]
    assert len(pdsa) >= 8
    assert all(first <= a.on <= last + dt.timedelta(days=31) for a in pdsa)


def test_progress_scores_rise_with_faculty_ratings_for_some(demo: list[Project]) -> None:
    larkspur = next(p for p in demo if p.slug == LARKSPUR)
    own = list(ProgressReport.objects.filter(project=larkspur, rater_type="self").order_by("month"))
    assert len(own) >= 24
    scores = [r.score for r in own]
    assert scores == sorted(scores) and scores[-1] >= scores[0] + 2
    assert all(r.progress for r in own)
    assert own[-1].month == timezone.localdate().replace(day=1)
    faculty = ProgressReport.objects.filter(rater_type="faculty")
    rated = set(faculty.values_list("project_id", flat=True))
    assert 3 <= len(rated) < len(demo)
    # Faculty ratings come from the project's QI coach.
    coach = larkspur.members.get(role="coach").person
    assert {r.rater for r in faculty.filter(project=larkspur)} == {coach}


# --- Measures and charts ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["u", "p", "g", "i", "run"])
def test_each_chart_kind_has_a_measure_with_two_years_of_data(
    demo: list[Project], kind: str
) -> None:
    measures = Measure.objects.filter(project__in=demo, chart_type=kind)
    counts = [m.points.count() for m in measures]
    assert counts and max(counts) >= 24, counts


def test_measures_have_operational_definitions_and_targets(demo: list[Project]) -> None:
    measures = list(Measure.objects.filter(project__in=demo))
    assert len(measures) >= 25
    for m in measures:
        assert m.numerator_definition and m.data_source and m.owner_id, m
        if m.uses_denominator:
            assert m.denominator_definition, m
    assert Counter(m.measure_type for m in measures)["balancing"] >= 3
    assert sum(m.target is not None for m in measures) >= 15
    assert DataPoint.objects.filter(measure__in=measures).exclude(note="").count() >= 5


def test_points_keep_the_data_rules_and_have_history(demo: list[Project]) -> None:
    points = DataPoint.objects.filter(measure__project__in=demo)
    assert points.count() > 800
    for p in points.filter(measure__value_type="percentage"):
        assert p.numerator is not None and p.denominator and p.numerator <= p.denominator
    assert not points.filter(measure__value_type="rate", denominator__isnull=True).exists()
    assert DataPoint.history.filter(measure_id__in=points.values("measure_id")).count() == (
        points.count()
    )


SHIFTED = [
    (spec.slug, m.name)
    for spec in PROJECTS
    for m in spec.measures
    if m.changes and m.freeze and m.chart_type != "run"
]
STABLE = [
    (spec.slug, m.name)
    for spec in PROJECTS
    for m in spec.measures
    if not m.changes and m.measure_type == "balancing"
]


@pytest.mark.parametrize(("slug", "name"), SHIFTED)
def test_shifted_measures_show_special_cause_improvement(
    demo: list[Project], slug: str, name: str
) -> None:
    chart = chart_of(slug, name)
    assert chart.meta.chart_type != "run" or not chart.message, chart.message
    assert classes(chart)["improvement"] >= 1, name


@pytest.mark.parametrize(("slug", "name"), STABLE)
def test_stable_balancing_measures_show_common_cause_only(
    demo: list[Project], slug: str, name: str
) -> None:
    chart = chart_of(slug, name)
    assert set(classes(chart)) == {"common"}, (name, classes(chart))


def test_the_main_restraint_measure_improves_in_its_latest_phase(demo: list[Project]) -> None:
    chart = chart_of(LARKSPUR, "Restrictive practice incidents per 1,000 occupied bed days")
    points = chart.result["points"]
    assert len({p["phase"] for p in points}) == 2
    assert chart.result["variation_icon"] == "improvement_low"
    latest = [p for p in points if p["y"] is not None][-6:]
    assert all(p["class"] == "improvement" for p in latest)
    assert sum(p["excluded"] for p in points) == 1


def test_phases_exclusions_and_frozen_baselines_are_recorded(demo: list[Project]) -> None:
    events = ChartEvent.objects.filter(measure__project__in=demo)
    assert events.filter(kind="rebase").values("measure").distinct().count() >= 3
    assert all(e.reason for e in events.filter(kind="rebase"))
    excluded = events.filter(kind="exclude")
    assert excluded.count() == 1 and "ligature" in excluded[0].reason
    assert events.filter(kind="freeze").count() >= 10


def test_the_care_bundle_has_an_all_or_none_rate_and_reliability(demo: list[Project]) -> None:
    bundle = Bundle.objects.get(project__slug=MISSED_DOSES)
    assert bundle.elements.count() == 5
    charts = bundle_charts(bundle)
    assert len(charts.periods) >= 24
    aon = [p.all_or_none.percent or 0.0 for p in charts.periods]
    assert all(p.all_or_none.eligible for p in charts.periods)
    assert sum(aon[-3:]) / 3 > sum(aon[:3]) / 3 + 30
    first, last = charts.periods[0].reliability, charts.periods[-1].reliability
    assert first is not None and first.code == "chaotic"
    assert last is not None
    assert sum(aon[-3:]) / 3 >= RELIABILITY_AIM_PERCENT - 10
    assert charts.all_or_none is not None and classes(charts.all_or_none)["improvement"] >= 1
    # Not-applicable elements really occur, so all-or-none differs from the composite.
    assert any(
        p.excluded == 0 and p.composite.eligible < 5 * p.all_or_none.eligible
        for p in charts.periods
    )


def test_death_review_actions_are_carried_out_by_the_trusts_project(demo: list[Project]) -> None:
    from qicollab.deaths.models import CaseAction

    run_demo(only=["deaths"])
    linked = list(CaseAction.objects.filter(project__slug=LARKSPUR).select_related("death"))
    assert linked
    larkspur = next(p for p in demo if p.slug == LARKSPUR)
    assert larkspur.start_date is not None
    for action in linked:
        assert action.death.organisation_id == larkspur.lead_organisation_id
        assert action.death.date_of_death >= larkspur.start_date
    assert CaseAction.objects.filter(project__isnull=True).exists()


# --- Idempotent ---------------------------------------------------------------------------------


def _snapshot() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in ("projects", "measures")
    }


def test_a_second_run_creates_and_changes_nothing(demo: list[Project]) -> None:
    before = _snapshot()
    results = run_demo(only=["measures"])
    assert _snapshot() == before
    mine = [r for r in results if r.step.key in ("projects", "measures")]
    assert len(mine) == 2
    assert sum(r.stats.created + r.stats.updated for r in mine) == 0


def test_refresh_restores_a_changed_point_and_then_changes_nothing(demo: list[Project]) -> None:
    measure = Measure.objects.get(project__slug=LARKSPUR, is_main_outcome=True)
    point = measure.points.order_by("period").first()
    assert point is not None
    original = point.numerator
    DataPoint.objects.filter(pk=point.pk).update(numerator=(original or 0) + 7)
    run_demo(only=["measures"], refresh=True)
    point.refresh_from_db()
    assert point.numerator == original
    results = run_demo(only=["measures"], refresh=True)
    assert sum(r.stats.created + r.stats.updated for r in results) == 0


# --- Who sees what ------------------------------------------------------------------------------


def _get(client: Client, path: str) -> int:
    return client.get(path).status_code


def test_the_persona_project_lead_leads_a_rich_project(demo: list[Project], login: Any) -> None:
    owen = who("staff_a")
    larkspur = next(p for p in demo if p.slug == LARKSPUR)
    assert larkspur.members.get(person=owen).role == "lead"
    assert larkspur.members.filter(person=who("partner_a"), role="partner").exists()
    client = login(owen)
    page = client.get(larkspur.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("SMART", "Calm-down boxes chosen by patients", "Mabel Cloverhythe", "Co-designed"):
        assert text in html, text
    measure = Measure.objects.get(project=larkspur, is_main_outcome=True)
    for path in (
        measure.get_absolute_url(),
        f"/projects/{LARKSPUR}/pdsa/",
        f"/projects/{LARKSPUR}/drivers/",
        f"/projects/{LARKSPUR}/progress/",
        f"/projects/{LARKSPUR}/measures/",
        Bundle.objects.get(project__slug=MISSED_DOSES).get_absolute_url(),
    ):
        assert _get(client, path) == 200, path


@pytest.mark.parametrize(
    ("key", "collaborative", "organisation"),
    [
        ("pm_a", 200, 200),
        ("viewer_a", 200, 200),
        ("faculty", 200, 200),
        ("staff_b", 200, 404),
    ],
)
def test_who_can_read_avonvale_projects(
    demo: list[Project], login: Any, key: str, collaborative: int, organisation: int
) -> None:
    client = login(who(key))
    assert _get(client, f"/projects/{LARKSPUR}/") == collaborative
    assert _get(client, f"/projects/{MISSED_DOSES}/") == organisation


def test_people_outside_the_collaborative_see_only_the_public_project(
    demo: list[Project], login: Any
) -> None:
    outsider = Person.objects.get(email=c.email_for("Callum Brackenridge", "northfell-ahsn"))
    client = login(outsider)
    public = next(p for p in demo if p.sharing == "public")
    assert _get(client, f"/projects/{LARKSPUR}/") == 404
    assert _get(client, f"/projects/{MISSED_DOSES}/") == 404
    assert _get(client, public.get_absolute_url()) == 200
    private = next(p for p in demo if p.sharing == "private")
    assert _get(client, private.get_absolute_url()) == 404
    assert _get(login(who("staff_a")), private.get_absolute_url()) == 404
