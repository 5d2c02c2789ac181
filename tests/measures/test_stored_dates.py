"""One bad stored date must never take a page down.

Points dated far outside the allowed window (9999-12-31, 0001-01-01) can be in the
database from before periods were checked at input, or from a direct database edit. Every
page, image, export and feed that reads a measure's data must still answer, and the charts
leave such points out and say so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from qicollab.measures.models import DataPoint, Measure
from tests.collaborative.portfolio_data import BASELINE, months_to_now

pytestmark = pytest.mark.django_db

#: The latest and earliest dates a DateField can hold, on each frequency's grid.
EXTREMES = {
    "daily": (date(9999, 12, 31), date(1, 1, 1)),
    "weekly": (date(9999, 12, 27), date(1, 1, 1)),  # both Mondays
    "monthly": (date(9999, 12, 1), date(1, 1, 1)),
    "quarterly": (date(9999, 10, 1), date(1, 1, 1)),
}


def _measure(project: Any, frequency: str, *, main: bool) -> Measure:
    m = Measure.objects.create(
        project=project,
        name=f"Falls ({frequency})",
        measure_type="outcome",
        is_main_outcome=main,
        value_type="count",
        chart_type="c",
        frequency=frequency,
        direction="decrease",
    )
    # Recent, valid data: monthly starts are on the grid of every frequency but weekly.
    periods = months_to_now(len(BASELINE))
    if frequency == "weekly":
        periods = [d.fromordinal(d.toordinal() - d.weekday()) for d in periods]
    if frequency == "quarterly":
        periods = sorted({date(d.year, 3 * ((d.month - 1) // 3) + 1, 1) for d in periods})
    # Bypass every check, as old data or a database edit could.
    DataPoint.objects.bulk_create(
        [DataPoint(measure=m, period=d, value=v) for d, v in zip(periods, BASELINE, strict=False)]
        + [DataPoint(measure=m, period=d, value=3) for d in EXTREMES[frequency]]
    )
    return m


@pytest.fixture
def bad_project(make_project: Any) -> Any:
    project = make_project(sharing="collaborative")
    measures = [_measure(project, f, main=f == "monthly") for f in EXTREMES]
    return project, measures


def test_every_page_answers_with_dates_at_the_ends_of_the_calendar(
    bad_project: Any, world: Any, login: Any
) -> None:
    project, measures = bad_project
    client = login(world.people["faculty"])  # edits the project and sees the dashboard
    slug = project.slug
    urls = [
        reverse("projects:project_detail", args=[slug]),
        reverse("measures:measure_list", args=[slug]),
        reverse("measures:storyboard", args=[slug]),
        reverse("measures:project_export_csv", args=[slug]),
        reverse("measures:project_export_xlsx", args=[slug]),
        reverse("insights:signals", args=[world.collab.slug]),
        reverse("insights:signals", args=[world.collab.slug]) + "?since=2020-01-01",
        reverse("insights:portfolio", args=[world.collab.slug]),
        reverse("insights:dashboard", args=[world.collab.slug]),
        f"/api/collaboratives/{world.collab.slug}/signals",
        reverse("insights:coaching", args=[world.collab.slug]),
        reverse("insights:goal_list", args=[world.collab.slug]),
    ]
    for m in measures:
        args = [slug, m.pk]
        urls += [
            reverse("measures:measure_detail", args=args),
            reverse("measures:data_grid", args=args),
            reverse("measures:data_grid", args=args) + "?before=9999-12-31",
            reverse("measures:data_grid", args=args) + "?before=0001-01-01",
            reverse("measures:chart_svg", args=args),
            reverse("measures:chart_png", args=args),
            reverse("measures:export_csv", args=args),
            reverse("measures:export_xlsx", args=args),
            f"/api/measures/{m.pk}/chart?spec=true",
            f"/api/measures/{m.pk}/points",
        ]
    failed = {u: r.status_code for u in urls if (r := client.get(u)).status_code != 200}
    # The storyboard PDF is prepared as a job (in-process in tests): it must finish.
    from qicollab.jobs.models import Job, JobStatus

    pdf = reverse("measures:storyboard_a4", args=[slug])
    if client.post(pdf).status_code != 303:
        failed[pdf] = "not started"
    elif Job.objects.get(kind__startswith="measures.").status != JobStatus.SUCCEEDED:
        failed[pdf] = "job failed"
    national = login(world.people["national_admin"])
    for u in (
        reverse("national:rollup", args=[world.programme.slug]),
        reverse("national:rollup_export", args=[world.programme.slug, "xlsx"]),
    ):
        if (r := national.get(u)).status_code != 200:
            failed[u] = r.status_code
    assert failed == {}


def test_charts_leave_out_points_outside_the_window_and_say_so(
    bad_project: Any, world: Any, login: Any
) -> None:
    project, measures = bad_project
    monthly = next(m for m in measures if m.frequency == "monthly")
    page = login(world.people["staff_a"]).get(
        reverse("measures:measure_detail", args=[project.slug, monthly.pk])
    )
    text = page.content.decode()
    assert "2 data points are not charted" in text
    assert "9999-12-01" in text and "0001-01-01" in text
    # The exports keep every stored point, so the team can find and correct them.
    csv_text = (
        login(world.people["staff_a"])
        .get(reverse("measures:export_csv", args=[project.slug, monthly.pk]))
        .content.decode()
    )
    assert "9999-12-01" in csv_text and "0001-01-01" in csv_text
