"""The quarterly dashboard's counts equal a hand-counted fixture; exports carry the same figures."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from qicollab.deaths import presenters, selectors, services
from qicollab.deaths.identifiers import FinancialQuarter
from qicollab.deaths.models import CaseReview, FamilyInvolvement
from tests.deaths.conftest import make_case
from tests.jobs.reports import download_report

Q1, Q2 = FinancialQuarter(2025, 1), FinancialQuarter(2025, 2)


def _review(
    death: Any,
    actor: Any,
    *,
    stage: int = 1,
    avoid: str = "",
    done: bool = True,
    method: str = "sjr",
) -> None:
    CaseReview.objects.create(
        death=death,
        stage=stage,
        method=method,
        reviewer=actor,
        started_on=death.date_of_death,
        status="completed" if done else "draft",
        completed_on=death.date_of_death if done else None,
        overall_rating=3,
        avoidability=avoid,
    )


def _screen(death: Any, actor: Any, outcome: str) -> None:
    services.screening_save(actor=actor, death=death, data={"outcome": outcome, "reason": "Test"})


@pytest.fixture
def fixture_cases(teams: Any) -> Any:
    s, lead = teams.people["staff_a"], teams.people["lead_a"]
    d = lambda m, day=10: date(2025, m, day)  # noqa: E731
    # Q1 2025/26 (April to June 2025)
    c1 = make_case(teams, case_reference="C1", date_of_death=d(4), age_band="45-54")
    _screen(c1, s, "sjr")
    _review(c1, s, avoid="probably")
    FamilyInvolvement.objects.create(
        death=c1, contacted=True, contacted_on=d(5), involved_in_review=True
    )
    c2 = make_case(teams, case_reference="C2", date_of_death=d(5), age_band="75-84")
    _screen(c2, s, "sjr")
    _review(c2, s, avoid="slight")
    c3 = make_case(
        teams,
        case_reference="C3",
        date_of_death=d(6),
        age_band="65-74",
        learning_disability=True,
        leder_status="referred",
        leder_referred_on=d(6, 12),
    )
    _screen(c3, s, "psii")
    make_case(teams, case_reference="C4", date_of_death=d(6, 30), age_band="25-34")
    c5 = make_case(
        teams,
        case_reference="C5",
        date_of_death=d(5),
        in_scope=False,
        out_of_scope_reason="Died abroad",
    )
    _review(c5, s, avoid="definitely")
    c6 = make_case(teams, case_reference="C6", date_of_death=d(5))
    _review(c6, s, avoid="definitely")
    services.case_delete(actor=lead, death=c6, reason="Entered for the wrong trust")
    c7 = make_case(
        teams,
        case_reference="C7",
        date_of_death=d(4, 1),
        age_band="55-64",
        learning_disability=True,
        leder_status="pending",
    )
    _screen(c7, s, "sjr")
    _review(c7, s, avoid="definitely")
    _review(c7, lead, stage=2, avoid="possibly")
    # Q2 2025/26 (July to September 2025)
    c8 = make_case(teams, case_reference="C8", date_of_death=d(7), age_band="85+")
    _review(c8, s, avoid="definitely", done=False)
    c9 = make_case(
        teams,
        case_reference="C9",
        date_of_death=d(9, 30),
        age_band="18-24",
        autism=True,
        leder_status="referred",
        leder_referred_on=d(10),
    )
    _screen(c9, s, "case_record_review")
    _review(c9, s, method="case_record")
    FamilyInvolvement.objects.create(
        death=c9, contacted=True, contacted_on=d(10), involved_in_review=False
    )
    # Another trust's death in the same quarter is not counted.
    b = make_case(
        teams,
        org=teams.trust_b,
        actor=teams.people["reviewer_b"],
        case_reference="B1",
        date_of_death=d(5),
    )
    _review(b, teams.people["reviewer_b"], avoid="definitely")
    return teams


def _as_tuple(k: Any) -> tuple[int, int, int, int, int]:
    return (k.in_scope, k.reviewed, k.investigated, k.more_likely_than_not, k.family_involved)


def test_counts_equal_the_hand_count(fixture_cases: Any) -> None:
    q1, q2 = selectors.quarterly_figures(organisations=[fixture_cases.trust_a], quarters=[Q1, Q2])
    # in scope, reviewed, investigated, more likely than not, family involved
    assert _as_tuple(q1.all) == (5, 3, 1, 1, 1)
    assert q1.all.percent_reviewed == pytest.approx(60.0)
    assert _as_tuple(q1.learning_disability) == (2, 1, 1, 0, 0)  # C3 was investigated
    assert q1.leder_referred == 1
    assert _as_tuple(q1.adults_18_64) == (3, 2, 0, 1, 1)
    assert _as_tuple(q1.adults_65_plus) == (2, 1, 1, 0, 0)
    assert _as_tuple(q2.all) == (2, 1, 0, 0, 0)
    assert q2.leder_referred == 1
    assert _as_tuple(q2.adults_18_64) == (1, 1, 0, 0, 0)
    assert _as_tuple(q2.adults_65_plus) == (1, 0, 0, 0, 0)


def test_dashboard_page_and_exports_show_the_same_figures(fixture_cases: Any, login: Any) -> None:
    client = login(fixture_cases.people["faculty"])
    slug = fixture_cases.trust_a.slug
    page = client.get(
        reverse("deaths:dashboard", args=[slug]), {"start": "2025-Q1", "end": "2025-Q2"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    # The charts are server-rendered SVG images (vl-convert) whose text alternative says
    # each quarter's value.
    assert "2025/26 Q1" in html and "60%" in html and ">C1<" not in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "Percentage of deaths reviewed by quarter: 25/26 Q1 60%; 25/26 Q2 50%." in html
    csv = client.get(
        reverse("deaths:dashboard_export", args=[slug, "csv"]) + "?start=2025-Q1&end=2025-Q2"
    )
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Group,Measure,2025/26 Q1,2025/26 Q2,Total"
    assert "All deaths,Deaths in scope,5,2,7" in lines
    assert "All deaths,Percentage reviewed,60%,50%,57%" in lines
    assert "All deaths,Judged more likely than not due to problems in care,1,0,1" in lines
    assert (
        "People with a learning disability,Referred to LeDeR (learning disability or autism),1,1,2"
        in lines
    )
    xlsx = client.get(
        reverse("deaths:dashboard_export", args=[slug, "xlsx"]) + "?start=2025-Q1&end=2025-Q2"
    )
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {(r[0], r[1]): r[2:] for r in ws.iter_rows(min_row=5, values_only=True)}
    assert rows[("All deaths", "Deaths in scope")] == (5, 2, 7)
    assert rows[("All deaths", "Percentage reviewed")][0] == pytest.approx(0.6)
    pdf = download_report(
        client,
        reverse("deaths:dashboard_export", args=[slug, "pdf"]) + "?start=2025-Q1&end=2025-Q2",
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_collaborative_figures_are_aggregates(fixture_cases: Any, login: Any) -> None:
    url = reverse("deaths:collaborative_figures", args=[fixture_cases.collab.slug])
    r = login(fixture_cases.people["faculty"]).get(
        url, {"start": "2025-04-01", "end": "2025-09-30"}
    )
    assert r.status_code == 200
    assert b">C1<" not in r.content and b"Avon Test" in r.content
    for persona in ("staff_a", "pm_a", "staff_b", "outsider"):
        assert login(fixture_cases.people[persona]).get(url).status_code == 404, persona


def test_api_dashboard_matches(fixture_cases: Any, login: Any) -> None:
    r = login(fixture_cases.people["pm_a"]).get(
        f"/api/deaths/organisations/{fixture_cases.trust_a.slug}/dashboard?start=2025-Q1&end=2025-Q1"
    )
    assert r.status_code == 200
    (q1,) = r.json()
    assert (
        q1["all"]["in_scope"] == 5
        and q1["all"]["more_likely_than_not"] == 1
        and q1["leder_referred"] == 1
    )


def test_empty_dashboard_renders(teams: Any, login: Any) -> None:
    r = login(teams.people["pm_a"]).get(reverse("deaths:dashboard", args=[teams.trust_a.slug]))
    assert r.status_code == 200
    assert b"Not enough quarters with data" in r.content


def test_dashboard_charts_are_vega_lite_specs_of_the_engine_result() -> None:
    """The SPC chart carries the quarters, values, limits and variation classes as data."""
    labels = [f"2024/25 Q{q}" for q in range(1, 5)] + [f"2025/26 Q{q}" for q in range(1, 5)]
    rows = [
        presenters.chart_spec(
            title="Deaths in scope",
            labels=labels,
            y=[4.0, 5.0, 6.0, None, 5.0, 4.0, 6.0, 20.0],
            cl=[5.0] * 8,
            ucl=[9.0] * 8,
            lcl=[1.0] * 8,
            classes=["common"] * 7 + ["neutral"],
        )
    ]
    spec = rows[0]
    values = spec["data"]["values"]
    assert [v["quarter"] for v in values] == labels
    assert [v["y"] for v in values][-2:] == [6.0, 20.0] and values[3]["y"] is None
    assert {v["ucl"] for v in values} == {9.0} and values[-1]["variation"] == "neutral"
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["line", "line", "line", "line", "point"]  # limits, centre, values, points
    assert spec["description"].startswith("Deaths in scope by quarter: 2024/25 Q1 4; ")
    assert "2024/25 Q4 no data" in spec["description"]


def test_dashboard_chart_renders_through_vl_convert() -> None:
    import base64

    spec = presenters.chart_spec(
        title="Percentage reviewed", labels=["24/25 Q1", "24/25 Q2"], y=[0.5, 0.75], percent=True
    )
    chart = presenters.ChartSpec("k", "Percentage reviewed", "", spec, "", spec["description"])
    prefix = "data:image/svg+xml;base64,"
    assert chart.image.startswith(prefix)
    svg = base64.b64decode(chart.image[len(prefix) :]).decode()
    assert "<svg" in svg and "24/25 Q2" in svg and "100%" in svg  # labels and % axis
    assert chart.alt == "Percentage reviewed by quarter: 24/25 Q1 50%; 24/25 Q2 75%."
