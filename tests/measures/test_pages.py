"""Measure pages: permissions for every persona, forms, the grid, imports, exports, bundles."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qicollab.measures import services as ms
from qicollab.measures.importing import read_rows
from qicollab.measures.models import ChartEvent, DataPoint, Measure
from qicollab.measures.spc_adapter import measure_shape
from tests.jobs.reports import download_report
from tests.measures.conftest import fill

pytestmark = pytest.mark.django_db

EDITORS = ("staff_a", "partner_a", "pm_a", "collab_lead", "faculty", "national_admin")
HIDDEN = ("viewer_a", "staff_b", "pm_o", "outsider")  # for a private project


def url(name: str, measure: Measure, *extra: Any) -> str:
    return reverse(f"measures:{name}", args=[measure.project.slug, measure.pk, *extra])


@pytest.mark.parametrize("persona", EDITORS + HIDDEN)
def test_private_project_measure_pages_by_persona(
    persona: str, count_measure: Measure, world: Any, login: Any
) -> None:
    fill(count_measure, world.people["staff_a"], [3, 4, 5, 6])
    client = login(world.people[persona])
    detail = client.get(url("measure_detail", count_measure))
    grid = client.get(url("data_grid", count_measure))
    export = client.get(url("export_csv", count_measure))
    if persona in EDITORS:
        assert detail.status_code == 200 and grid.status_code == 200 and export.status_code == 200
        assert "Enter data" in detail.content.decode()
    else:
        assert (detail.status_code, grid.status_code, export.status_code) == (404, 404, 404)


def test_viewers_of_a_shared_project_read_but_cannot_edit(
    make_project: Any, make_measure: Any, world: Any, login: Any
) -> None:
    project = make_project(sharing="collaborative", title="Shared one")
    measure = make_measure(project=project, name="Shared measure")
    for persona in ("viewer_a", "staff_b"):
        client = login(world.people[persona])
        page = client.get(url("measure_detail", measure))
        assert page.status_code == 200
        assert "Enter data" not in page.content.decode()
        assert client.get(url("data_grid", measure)).status_code == 403
        assert client.post(url("data_import", measure)).status_code == 403
        assert (
            client.post(
                url("chart_event_add", measure), {"kind": "freeze", "points": 5}
            ).status_code
            == 403
        )
        assert (
            client.get(reverse("measures:measure_create", args=[project.slug])).status_code == 403
        )
    # Outside the collaborative: nothing to see.
    assert login(world.people["pm_o"]).get(url("measure_detail", measure)).status_code == 404


def test_public_project_is_readable_anonymously_but_not_editable(
    make_project: Any, make_measure: Any, world: Any, login: Any
) -> None:
    project = make_project(sharing="public", title="Public one")
    measure = make_measure(project=project, name="Public measure")
    fill(measure, world.people["staff_a"], [1, 2, 3])
    anon = login(None)
    assert anon.get(url("measure_detail", measure)).status_code == 200
    assert anon.get(url("export_csv", measure)).status_code == 200
    response = anon.get(url("data_grid", measure))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_private_project_sends_anonymous_visitors_to_log_in(
    count_measure: Measure, login: Any
) -> None:
    response = login(None).get(url("measure_detail", count_measure))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_measure_detail_shows_chart_summary_table_and_fallback(
    pct_measure: Measure, world: Any, login: Any
) -> None:
    fill(pct_measure, world.people["staff_a"], [(5, 10)] * 12 + [(9, 10)] * 8)
    page = login(world.people["staff_a"]).get(url("measure_detail", pct_measure)).content.decode()
    assert 'type="application/json"' in page and f'id="chart-spec-{pct_measure.pk}"' in page
    assert "Special cause improvement: 8 points above the mean" in page
    assert f'src="{url("chart_svg", pct_measure)}"' in page  # the no-JavaScript image
    assert "Show the data as a table" in page and "90.0%" in page
    assert "js/vega-embed.min.js" in page and "js/measures.js" in page
    # Vega is fetched when someone explores a chart, not with the page (issue 19).
    assert not re.search(r'<script src="[^"]*vega', page)
    assert "Explore this chart" in page
    assert "<script>" not in page.replace('<script type="application/json"', "")  # no inline JS


def test_project_page_lists_the_family_of_measures(
    project: Any, count_measure: Measure, pct_measure: Measure, world: Any, login: Any
) -> None:
    fill(count_measure, world.people["staff_a"], [3, 4, 5, 6])
    page = login(world.people["staff_a"]).get(project.get_absolute_url()).content.decode()
    assert "Outcome measures" in page and count_measure.name in page and pct_measure.name in page
    assert "Add a measure" in page


def test_create_measure_keeps_typed_input_and_shows_the_error_summary(
    project: Any, world: Any, login: Any
) -> None:
    client = login(world.people["staff_a"])
    create = reverse("measures:measure_create", args=[project.slug])
    response = client.post(
        create,
        {
            "name": "Falls per 1,000 bed days",
            "measure_type": "outcome",
            "value_type": "rate",
            "frequency": "monthly",
            "week_start": "0",
            "rate_multiplier": "1000",
            "chart_type": "p",
            "direction": "decrease",
            "target": "lots",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert 'value="Falls per 1,000 bed days"' in page
    assert "Enter the target as a number" in page and "does not suit these values" in page
    response = client.post(
        create,
        {
            "name": "Falls per 1,000 bed days",
            "measure_type": "outcome",
            "value_type": "rate",
            "denominator_definition": "Occupied bed days",
            "frequency": "monthly",
            "week_start": "0",
            "rate_multiplier": "1000",
            "chart_type": "",
            "direction": "decrease",
            "target": "4.5",
        },
    )
    measure = Measure.objects.get(name="Falls per 1,000 bed days")
    assert response.status_code == 302 and response["Location"] == url("data_grid", measure)
    assert measure.chart_type == "u" and measure.created_by == world.people["staff_a"]


def test_edit_conflict_is_shown_not_lost(count_measure: Measure, world: Any, login: Any) -> None:
    from qicollab.core.services import version_token

    client = login(world.people["staff_a"])
    token = version_token(count_measure)
    ms.measure_update(
        actor=world.people["pm_a"],
        measure=Measure.objects.get(pk=count_measure.pk),
        data={"data_source": "Datix"},
    )
    response = client.post(
        url("measure_edit", count_measure),
        {
            "loaded_version": token,
            "name": "My new name",
            "measure_type": "outcome",
            "value_type": "count",
            "frequency": "monthly",
            "week_start": "0",
            "rate_multiplier": "1",
            "direction": "decrease",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Someone else changed this record" in page
    assert 'value="My new name"' in page
    count_measure.refresh_from_db()
    assert count_measure.name == "Restrictive practice incidents"


# --- the grid ------------------------------------------------------------------------------


def test_grid_cell_saves_as_you_type(pct_measure: Measure, world: Any, login: Any) -> None:
    client = login(world.people["partner_a"])
    key = "2025-03-01"
    cell = url("data_cell", pct_measure, key)
    half = client.post(
        cell, {f"numerator-{key}": "8", f"denominator-{key}": ""}, HTTP_HX_REQUEST="true"
    )
    assert "Enter the denominator to save" in half.content.decode()
    assert not DataPoint.objects.filter(measure=pct_measure).exists()
    bad = client.post(
        cell, {f"numerator-{key}": "12", f"denominator-{key}": "10"}, HTTP_HX_REQUEST="true"
    )
    body = bad.content.decode()
    assert "Not saved" in body and 'id="numerator-2025-03-01-error" hx-swap-oob="true"' in body
    assert "greater than the denominator" in body
    ok = client.post(
        cell,
        {f"numerator-{key}": "8", f"denominator-{key}": "10", f"note-{key}": "New audit tool"},
        HTTP_HX_REQUEST="true",
    )
    assert "Saved" in ok.content.decode()
    point = DataPoint.objects.get(measure=pct_measure)
    assert (point.numerator, point.denominator, point.note) == (8, 10, "New audit tool")
    assert point.entered_by == world.people["partner_a"]


def test_grid_without_javascript_saves_valid_rows_and_keeps_bad_input(
    count_measure: Measure, world: Any, login: Any
) -> None:
    client = login(world.people["staff_a"])
    grid = client.get(url("data_grid", count_measure)).content.decode()
    keys = re.findall(r'name="value-(\d{4}-\d{2}-\d{2})"', grid)
    assert len(keys) == 24  # two years of months, ending this month
    response = client.post(
        url("data_grid", count_measure),
        {
            f"value-{keys[0]}": "3",
            f"note-{keys[0]}": "",
            f"value-{keys[1]}": "three",
            f"note-{keys[1]}": "",
            f"value-{keys[2]}": "-1",
            f"note-{keys[2]}": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert 'value="three"' in page and "is not a number" in page and "is negative" in page
    assert list(
        DataPoint.objects.filter(measure=count_measure).values_list("value", flat=True)
    ) == [3]


# --- imports and exports -------------------------------------------------------------------


def upload(client: Any, measure: Measure, name: str, data: bytes) -> Any:
    return client.post(url("data_import", measure), {"file": SimpleUploadedFile(name, data)})


def test_import_with_errors_writes_nothing_and_lists_every_row(
    pct_measure: Measure, world: Any, login: Any
) -> None:
    client = login(world.people["staff_a"])
    data = b"Date,Numerator,Denominator\n01/01/2025,5,10\n01/02/2025,11,10\nsoon,1,2\n"
    response = upload(client, pct_measure, "audit.csv", data)
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing has been imported" in page
    assert "Row 3, Numerator: The numerator (11) is greater than the denominator" in page
    assert "Row 4, Date:" in page
    assert not DataPoint.objects.filter(measure=pct_measure).exists()


def test_import_preview_then_confirm(pct_measure: Measure, world: Any, login: Any) -> None:
    client = login(world.people["staff_a"])
    fill(pct_measure, world.people["staff_a"], [(5, 10)])  # January 2023
    data = b"Date,Numerator,Denominator,Note\n2023-01-01,6,10,recount\n2023-02-01,7,10,\n"
    preview = upload(client, pct_measure, "audit.csv", data)
    page = preview.content.decode()
    assert preview.status_code == 200 and "Check what this import will change" in page
    assert "Import 1 new and 1 changed period" in page
    assert DataPoint.objects.filter(measure=pct_measure).count() == 1  # nothing written yet
    token = re.search(r'name="token" value="([^"]+)"', page)[1]  # type: ignore[index]
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page)[1]  # type: ignore[index]
    confirm = client.post(
        url("data_import_confirm", pct_measure),
        {"token": token, "fingerprint": fingerprint, "filename": "audit.csv"},
    )
    assert confirm.status_code == 302
    stored = dict(DataPoint.objects.filter(measure=pct_measure).values_list("period", "numerator"))
    assert stored == {dt.date(2023, 1, 1): 6, dt.date(2023, 2, 1): 7}
    # The kept file is gone: confirming twice does not import twice.
    again = client.post(
        url("data_import_confirm", pct_measure),
        {"token": token, "fingerprint": fingerprint, "filename": "audit.csv"},
    )
    assert again.status_code == 302 and again["Location"] == url("data_import", pct_measure)


def test_import_refused_when_data_changed_after_the_preview(
    count_measure: Measure, world: Any, login: Any
) -> None:
    client = login(world.people["staff_a"])
    page = upload(client, count_measure, "d.csv", b"Date,Value\n2023-01-01,4\n").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)[1]  # type: ignore[index]
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page)[1]  # type: ignore[index]
    ms.datapoint_save(
        actor=world.people["pm_a"], measure=count_measure, period=dt.date(2023, 1, 1), value=9
    )
    response = client.post(
        url("data_import_confirm", count_measure),
        {"token": token, "fingerprint": fingerprint, "filename": "d.csv"},
    )
    assert response.status_code == 200 and "changed after the preview" in response.content.decode()
    assert DataPoint.objects.get(measure=count_measure).value == 9


def test_making_data_count_file_creates_chart_decisions(
    count_measure: Measure, world: Any, login: Any
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Incidents"])
    ws.append(["Date", "Data", "Target", "Annotation", "Rebase", "Ghost"])
    for i in range(1, 7):
        ws.append(
            [
                dt.datetime(2024, i, 1),
                10 + i,
                8,
                "Huddles start" if i == 4 else None,
                "Y" if i == 4 else None,
                1 if i == 2 else None,
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    client = login(world.people["staff_a"])
    page = upload(client, count_measure, "SPC tool.xlsx", buf.getvalue()).content.decode()
    assert "Making Data Count SPC tool layout" in page and "Chart decisions from the file" in page
    token = re.search(r'name="token" value="([^"]+)"', page)[1]  # type: ignore[index]
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page)[1]  # type: ignore[index]
    client.post(
        url("data_import_confirm", count_measure),
        {"token": token, "fingerprint": fingerprint, "filename": "SPC tool.xlsx"},
    )
    events = set(ChartEvent.objects.filter(measure=count_measure).values_list("kind", "on"))
    assert events == {("rebase", dt.date(2024, 4, 1)), ("exclude", dt.date(2024, 2, 1))}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(
    fmt: str,
    pct_measure: Measure,
    count_measure: Measure,
    make_measure: Any,
    world: Any,
    login: Any,
) -> None:
    actor = world.people["staff_a"]
    minutes = make_measure(
        name="Minutes to first review", value_type="measurement", chart_type="i", frequency="weekly"
    )
    fill(pct_measure, actor, [(5, 10), (0, 0), (7, 9), (3, 3)])
    fill(count_measure, actor, [3, 0, 12])
    ms.datapoint_save(
        actor=actor, measure=pct_measure, period=dt.date(2023, 6, 1), note='=HYPERLINK("http://x")'
    )  # formula-like note: a gap with a note
    ms.datapoint_save(
        actor=actor,
        measure=count_measure,
        period=dt.date(2023, 1, 1),
        value=3,
        note="Ward café, recount",
    )
    for i, v in enumerate([0.1 + 0.2, -2.5, 1e-7, 123456.789]):
        ms.datapoint_save(actor=actor, measure=minutes, period=dt.date(2025, 1, 6 + 7 * i), value=v)
    client = login(actor)
    for measure in (pct_measure, count_measure, minutes):
        response = client.get(url(f"export_{fmt}", measure))
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        result = read_rows(response.content, f"export.{fmt}", measure_shape(measure))
        assert result.ok, result.errors
        points = [ms.PointInput.from_row(r, has_note_column=True) for r in result.rows]
        plan = ms.plan_points(measure=measure, points=points)
        assert not plan.has_changes, plan.counts
        assert plan.counts["unchanged"] == measure.points.count()


def test_project_export_has_every_measure(
    project: Any, count_measure: Measure, pct_measure: Measure, world: Any, login: Any
) -> None:
    fill(count_measure, world.people["staff_a"], [1, 2])
    client = login(world.people["viewer_a"])
    assert (
        client.get(reverse("measures:project_export_xlsx", args=[project.slug])).status_code == 404
    )
    client = login(world.people["faculty"])
    response = client.get(reverse("measures:project_export_xlsx", args=[project.slug]))
    wb = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert wb.sheetnames[0] == "Measures" and len(wb.sheetnames) == 3
    csv_text = client.get(
        reverse("measures:project_export_csv", args=[project.slug])
    ).content.decode()
    assert csv_text.count("\n") == 3  # heading + 2 points


def test_chart_downloads(count_measure: Measure, world: Any, login: Any) -> None:
    fill(count_measure, world.people["staff_a"], [3, 4, 5, 4, 6, 2, 3])
    client = login(world.people["staff_a"])
    svg = client.get(url("chart_svg", count_measure))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<svg")
    png = client.get(url("chart_png", count_measure) + "?download=1")
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert "attachment" in png["Content-Disposition"]


# --- chart decisions -----------------------------------------------------------------------


def test_chart_decisions_are_recorded_with_reasons(
    count_measure: Measure, world: Any, login: Any
) -> None:
    fill(count_measure, world.people["staff_a"], list(range(1, 13)))
    client = login(world.people["staff_a"])
    response = client.post(
        url("chart_event_add", count_measure), {"kind": "exclude", "on": "2023-03-01"}
    )
    assert (
        response.status_code == 200
        and "Say why this point is left out" in response.content.decode()
    )
    response = client.post(
        url("chart_event_add", count_measure),
        {"kind": "exclude", "on": "2023-03-01", "reason": "Counting error"},
    )
    assert response.status_code == 302
    client.post(
        url("chart_event_add", count_measure),
        {"kind": "rebase", "on": "2023-07-01", "reason": "Huddles adopted"},
    )
    page = client.get(url("measure_detail", count_measure)).content.decode()
    assert "New phase from 1 July 2023" in page and "Counting error" in page
    event = ChartEvent.objects.get(measure=count_measure, kind="rebase")
    client.post(url("chart_event_remove", count_measure, event.pk))
    assert not ChartEvent.objects.filter(pk=event.pk).exists()
    assert ChartEvent.history.filter(id=event.pk).count() == 2  # created, then deleted


# --- bundles -------------------------------------------------------------------------------


def test_bundle_pages(project: Any, world: Any, login: Any) -> None:
    client = login(world.people["staff_a"])
    create = reverse("measures:bundle_create", args=[project.slug])
    response = client.post(
        create, {"name": "Clozapine", "frequency": "monthly", "elements": "Bloods\nECG\nWeight"}
    )
    bundle = project.bundles.get()
    assert response.status_code == 302 and bundle.elements.count() == 3
    add = reverse("measures:audit_add", args=[project.slug, bundle.pk])
    e = list(bundle.elements.all())
    answers = {f"element_{x.pk}": "met" for x in e}
    refused = client.post(add, {"audited_on": "2025-01-05", "reference": "9434765919", **answers})
    assert refused.status_code == 200 and "looks like an NHS number" in refused.content.decode()
    missing = client.post(add, {"audited_on": "2025-01-05", "reference": "A1"})
    assert (
        missing.status_code == 200
        and "Choose met, not met or not applicable for" in missing.content.decode()
    )
    for i in range(20):
        answers[f"element_{e[1].pk}"] = "not_met" if i == 0 else "met"
        assert (
            client.post(
                add, {"audited_on": "2025-01-05", "reference": f"A{i}", **answers}
            ).status_code
            == 302
        )
    page = client.get(bundle.get_absolute_url()).content.decode()
    assert "95.0% (19 of 20)" in page and "10⁻²" in page and "Meets the collaborative" in page
    assert login(world.people["outsider"]).get(bundle.get_absolute_url()).status_code == 404
    assert login(world.people["viewer_a"]).get(add).status_code == 404


# --- storyboard ----------------------------------------------------------------------------


def test_storyboard_charts_mark_the_pdsa_cycles(
    project: Any, pct_measure: Measure, world: Any
) -> None:
    """The storyboard's charts, like the measure page's, put each PDSA cycle on the time axis."""
    from qicollab.measures.storyboard import key_charts
    from qicollab.projects import services as ps

    actor = world.people["staff_a"]
    fill(pct_measure, actor, [(5, 10)] * 12)
    idea = ps.node_add(actor=actor, project=project, kind="idea", text="Safety huddles", links=[])
    ps.pdsa_cycle_create(
        actor=actor,
        project=project,
        change_ideas=[idea],
        data={"title": "Huddle on one shift", "planned_start": dt.date(2023, 6, 5)},
    )
    (chart,) = key_charts(project)
    pdsa = [a.label for a in chart.chart.annotations if a.kind == "pdsa"]
    assert pdsa == ["PDSA 1: Huddle on one shift"]
    assert chart.key == ["1. 5 June 2023: PDSA 1: Huddle on one shift"]  # the image's caption


def test_storyboard_page_and_pdfs(
    project: Any, pct_measure: Measure, world: Any, login: Any
) -> None:
    from qicollab.projects import services as ps

    actor = world.people["staff_a"]
    fill(pct_measure, actor, [(5, 10)] * 12 + [(9, 10)] * 8)
    idea = ps.node_add(actor=actor, project=project, kind="idea", text="Safety huddles", links=[])
    ps.pdsa_cycle_create(
        actor=actor,
        project=project,
        change_ideas=[idea],
        data={
            "title": "Huddle on one shift",
            "scale": "1 ward, 1 shift",
            "act_decision": "adopt",
            "learning": "Five minutes is enough",
            "next_steps": "Spread to two wards",
        },
    )
    page_url = reverse("measures:storyboard", args=[project.slug])
    page = login(world.people["faculty"]).get(page_url).content.decode()
    assert "What we are trying to accomplish" in page and "Five minutes is enough" in page
    assert "Special cause improvement" in page and 'src="data:image/svg+xml;base64,' in page
    assert "Safety huddles</strong>, adopted after 1 cycle: Spread to two wards" in page
    for name in ("storyboard_a4", "storyboard_a3"):
        response = download_report(login(actor), reverse(f"measures:{name}", args=[project.slug]))
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and len(response.content) > 10_000
    assert login(world.people["outsider"]).get(page_url).status_code == 404
    assert (
        login(world.people["outsider"])
        .post(reverse("measures:storyboard_a4", args=[project.slug]))
        .status_code
        == 404
    )
