"""The roll-up's figures against hand counts and against the programme-goal metrics."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from qicollab.insights import metrics
from qicollab.national import presenters, selectors
from qicollab.national.models import Designation, DesignationKind
from qicollab.organisations.models import Organisation
from tests import factories as f
from tests.national.conftest import Nation, Q

pytestmark = pytest.mark.django_db


def everything(n: Nation) -> selectors.Rollup:
    ids = frozenset({n.world.collab.pk, n.second.pk})
    return selectors.rollup(programme=n.world.programme, collab_ids=ids, quarter=Q)


def designate(n: Nation, collab: Any, org: Any, kind: str, on: date) -> Designation:
    return Designation.objects.create(
        person=f.PersonFactory(),
        organisation=org,
        collaborative=collab,
        kind=kind,
        designated_on=on,
    )


def test_projects_by_collaborative_and_organisation(nation: Nation) -> None:
    r = everything(nation)
    c, s = r.collaboratives
    assert c.label == nation.world.collab.name
    assert (c.values["projects_started"], c.values["projects_completed"]) == (2, 1)
    assert (s.values["projects_started"], s.values["projects_completed"]) == (1, 0)
    assert (r.total.values["projects_started"], r.total.values["projects_completed"]) == (3, 1)
    by_org = {row.label: row.values for row in r.organisations[nation.world.collab.pk]}
    assert by_org[nation.world.trust_a.name]["projects_started"] == 2
    assert by_org[nation.world.trust_b.name]["projects_completed"] == 1
    assert by_org[nation.world.trust_b.name]["projects_started"] == 0


def test_same_counts_as_the_programme_goal_metrics(nation: Nation) -> None:
    r = everything(nation)
    for row in r.collaboratives:
        for key in ("projects_started", "projects_completed", "organisations_engaged"):
            v = metrics.get(key).compute(row.collaborative, Q.start, Q.end, {})  # type: ignore[arg-type]
            ours = row.values["orgs_total" if key == "organisations_engaged" else key]
            assert ours == v.numerator, (row.label, key)


def test_organisations_engaged_by_type(nation: Nation) -> None:
    r = everything(nation)
    c, s = r.collaboratives
    assert c.values["orgs_nhs_trust"] == 2
    assert s.values["orgs_care_home"] == 1
    # The practice joined after the quarter ended.
    assert s.values["orgs_primary_care"] == 0
    assert r.total.values["orgs_total"] == 3
    assert [row.label for row in r.organisations[nation.second.pk]] == [nation.care_home.name]


def test_designations_counted_by_date(nation: Nation) -> None:
    w = nation.world
    designate(nation, w.collab, w.trust_a, DesignationKind.SAFETY_CHAMPION, date(2025, 4, 1))
    designate(nation, w.collab, w.trust_a, DesignationKind.SAFETY_CHAMPION, date(2025, 6, 30))
    designate(nation, w.collab, w.trust_b, DesignationKind.QI_EXPERT, date(2025, 5, 5))
    designate(nation, w.collab, w.trust_b, DesignationKind.QI_EXPERT, date(2025, 7, 1))  # after
    designate(nation, nation.second, nation.care_home, DesignationKind.QI_EXPERT, date(2025, 5, 1))
    r = everything(nation)
    c, s = r.collaboratives
    assert (c.values["safety_champion"], c.values["qi_expert"]) == (2, 1)
    assert (s.values["safety_champion"], s.values["qi_expert"]) == (0, 1)
    assert r.total.values["qi_expert"] == 2
    by_org = {row.label: row.values for row in r.organisations[w.collab.pk]}
    assert by_org[w.trust_a.name]["safety_champion"] == 2


def test_deaths_sharing_reuses_the_deaths_selector(nation: Nation, monkeypatch: Any) -> None:
    from qicollab.deaths import selectors as deaths

    calls: list[Any] = []

    def sharing(*, collaborative: Any, start: date, end: date) -> Any:
        calls.append((collaborative.pk, start, end))
        pk = nation.world.trust_a.pk if collaborative == nation.world.collab else 0
        return Organisation.objects.filter(pk=pk)

    monkeypatch.setattr(deaths, "organisations_sharing", sharing)
    # Nobody shared anything: the selector is not even asked.
    everything(nation)
    assert calls == []
    monkeypatch.setattr(selectors, "_collabs_receiving_learning", lambda ids, s, e: set(ids))
    r = everything(nation)
    assert len(calls) == 2 and all(c[1:] == (Q.start, Q.end) for c in calls)
    c, s = r.collaboratives
    assert c.values["deaths_sharing"] == 1 and s.values["deaths_sharing"] == 0
    assert presenters.sharing_pct(c) == "50% (1 of 2)"
    assert presenters.sharing_pct(r.total) == "33% (1 of 3)"


def test_people_trained_not_faked_without_training_records(
    nation: Nation, monkeypatch: Any
) -> None:
    monkeypatch.setattr(selectors, "_people_trained", lambda *a: None)
    r = everything(nation)
    assert r.training_categories is None
    assert r.total.values["trained_total"] is None
    assert presenters.cell(r.total, "trained_total") == presenters.NOT_RECORDED


def test_people_trained_from_training_records(nation: Nation) -> None:
    w = nation.world
    qi = f.CohortFactory(course=f.CourseFactory(collaborative=w.collab, category="qi"))
    measurement = f.CohortFactory(
        course=f.CourseFactory(collaborative=w.collab, category="measurement")
    )
    in_s = f.CohortFactory(course=f.CourseFactory(collaborative=nation.second, category="qi"))
    both = f.PersonFactory()
    done = {"status": "completed", "completed_on": date(2025, 5, 1)}
    f.EnrolmentFactory(cohort=qi, person=both, **done)
    f.EnrolmentFactory(cohort=measurement, person=both, **done)
    f.EnrolmentFactory(cohort=qi, **done)
    f.EnrolmentFactory(cohort=in_s, person=both, **done)  # trained in both collaboratives
    f.EnrolmentFactory(cohort=qi, status="completed", completed_on=date(2025, 7, 1))  # after
    r = everything(nation)
    c, s = r.collaboratives
    assert (c.values["trained:qi"], c.values["trained:measurement"]) == (2, 1)
    assert c.values["trained_total"] == 2  # ``both`` once, however many courses
    assert s.values["trained_total"] == 1
    assert r.total.values["trained:qi"] == 3
    assert r.total.values["trained_total"] == 2  # ``both`` once nationally
    # The same figures as the capability app's contract with the roll-up.
    from qicollab.capability.metrics import people_trained_by_category

    for row in r.collaboratives:
        cid = row.collaborative.pk  # type: ignore[union-attr]
        theirs = people_trained_by_category([cid], since=Q.start, until=Q.end)
        assert {k: row.values[f"trained:{k}"] for k in theirs} == theirs
    labels = [col.label for col in presenters.visible_columns(r) if col.group == "trained"]
    assert labels == [
        "Trained: Quality improvement",
        "Trained: Measurement for improvement",
        "People trained",
    ]


def test_leads_only_roll_up_their_own_collaboratives(nation: Nation) -> None:
    w = nation.world
    prog = w.programme
    assert selectors.rollup_collab_ids(viewer=w.people["national_admin"], programme=prog) == {
        w.collab.pk,
        nation.second.pk,
    }
    assert selectors.rollup_collab_ids(viewer=nation.lead_s, programme=prog) == {nation.second.pk}
    for who in ("faculty", "pm_a", "staff_a", "pm_o", "outsider"):
        assert not selectors.rollup_collab_ids(viewer=w.people[who], programme=prog), who


def test_quarter_parsing() -> None:
    today = date(2025, 11, 22)
    assert selectors.parse_quarter("", today=today) == selectors.FinancialQuarter(2025, 2)
    assert selectors.parse_quarter("2024-q4", today=today) == selectors.FinancialQuarter(2024, 4)
    with pytest.raises(selectors.BadPeriod, match="not a quarter"):
        selectors.parse_quarter("last year", today=today)
    with pytest.raises(selectors.BadPeriod, match="has not started"):
        selectors.parse_quarter("2026-Q1", today=today)
