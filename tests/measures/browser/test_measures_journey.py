"""A team's measures in a real browser: define a measure, enter data in the grid (saved as
typed), import a spreadsheet with errors and then fixed, see the chart flag a shift and show
a PDSA cycle on its time axis, record a new phase, and audit a care bundle.

Every page is checked with axe-core (WCAG 2.2 A/AA), must log no CSP violation or script
error (the charts run Vega under the strict CSP), and is saved under tests/screenshots/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from qicollab.measures.models import DataPoint, Measure
from qicollab.projects import services as ps
from tests.browser.conftest import Console, describe
from tests.conftest import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),  # the live server runs in another thread
    pytest.mark.xdist_group("browser"),
]


def check(
    page: Page,
    axe: Callable[..., Any],
    console: Console,
    screenshot: Callable[[str], Path],
    name: str,
) -> None:
    page.wait_for_load_state("load")
    screenshot(f"measures-{name}")
    assert describe(axe()) == [], name
    assert console.errors() == [], name


def months(n: int) -> list[dt.date]:
    out, y, m = [], 2024, 1
    for _ in range(n):
        out.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def test_measures_journey(
    page: Page,
    live_server: Any,
    world: World,
    log_in: Any,
    axe: Any,
    console: Console,
    screenshot: Any,
    tmp_path: Path,
) -> None:
    lead = world.people["staff_a"]
    project = ps.project_create(
        actor=lead,
        collaborative=world.collab,
        lead_organisation=world.trust_a,
        title="Calmer nights",
    )
    log_in(lead.email)
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    page.get_by_role("link", name="Add a measure").click()
    check(page, axe, console, screenshot, "definition-new")
    page.get_by_label("Name").fill("Percentage of patients with a safety plan")
    page.get_by_label("Process", exact=True).check()
    page.get_by_label("Percentage: a numerator out of a denominator").check()
    page.get_by_label("Denominator", exact=True).fill("Patients on the ward on the audit day")
    page.get_by_label("Monthly").check()
    page.get_by_label("Higher is better").check()
    page.get_by_label("Target (optional)").fill("90")
    page.get_by_role("button", name="Save the measure").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Enter data")
    check(page, axe, console, screenshot, "grid")
    measure = Measure.objects.get()

    # The grid saves each row as it is left (htmx); half a pair waits for the other half.
    rows = page.locator("tbody tr")
    last = rows.last
    key = last.get_attribute("id").removeprefix("row-")  # type: ignore[union-attr]
    page.locator(f"#numerator-{key}").fill("12")
    page.locator(f"#numerator-{key}").press("Tab")
    expect(page.locator(f"#status-{key}")).to_contain_text("Enter the denominator to save")
    page.locator(f"#denominator-{key}").fill("10")
    page.locator(f"#denominator-{key}").press("Tab")
    expect(page.locator(f"#numerator-{key}-error")).to_contain_text("greater than the denominator")
    page.locator(f"#denominator-{key}").fill("15")
    page.locator(f"#denominator-{key}").press("Tab")
    expect(page.locator(f"#status-{key}")).to_have_text("Saved")
    assert DataPoint.objects.get(measure=measure).numerator == 12
    assert console.errors() == []

    # Import: a file with errors is refused whole, then the corrected file is previewed.
    lines = ["Date,Numerator,Denominator,Note"]
    for i, d in enumerate(months(24)):
        n = 9 if i < 12 else 17
        lines.append(f"{d:%d/%m/%Y},{n + (i % 3)},20,{'Safety plan huddle' if i == 12 else ''}")
    good = "\n".join(lines) + "\n"
    bad = good.replace(f"{dt.date(2024, 3, 1):%d/%m/%Y},", "31/02/2024,").replace(
        ",17,20", ",21,20", 1
    )
    (tmp_path / "audit-bad.csv").write_text(bad)
    (tmp_path / "audit.csv").write_text(good)
    page.get_by_role("link", name="Import a CSV or Excel file").click()
    check(page, axe, console, screenshot, "import")
    page.get_by_label("Upload a CSV or Excel file").set_input_files(str(tmp_path / "audit-bad.csv"))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Row 4, Date")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Row 14, Numerator")
    check(page, axe, console, screenshot, "import-errors")
    assert DataPoint.objects.filter(measure=measure).count() == 1
    page.get_by_label("Upload a CSV or Excel file").set_input_files(str(tmp_path / "audit.csv"))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what this import will change")
    check(page, axe, console, screenshot, "import-preview")
    page.get_by_role("button", name="Import 24 new and 0 changed periods").click()
    # The page after the import shows the chart image; let it load before this test writes
    # to the shared in-memory SQLite database (whose table locks do not wait).
    page.wait_for_load_state("networkidle")

    # A PDSA cycle appears on the chart's time axis; the chart flags the shift.
    idea = ps.node_add(
        actor=lead, project=project, kind="idea", text="Safety plan huddle", links=[]
    )
    ps.pdsa_cycle_create(
        actor=lead,
        project=project,
        change_ideas=[idea],
        data={"title": "Huddle on one ward", "planned_start": dt.date(2025, 1, 6)},
    )
    page.goto(f"{live_server.url}{measure.get_absolute_url()}")
    page.get_by_role("button", name="Explore this chart").first.click()
    expect(page.locator(".app-chart__canvas--drawn svg")).to_be_visible(timeout=15000)
    expect(page.locator("p.nhsuk-body-l")).to_contain_text("Special cause improvement")
    expect(page.get_by_text("PDSA 1: Huddle on one ward")).to_be_visible()
    check(page, axe, console, screenshot, "chart")
    assert console.csp() == []

    # A new phase from the month the change was adopted, kept in the history.
    page.get_by_text("Add a phase, freeze the baseline or exclude a point").click()
    page.get_by_label("New phase (recalculate the limits)").check()
    page.get_by_label("Date (for a new phase or an excluded point)").fill("2025-01-01")
    page.get_by_label("Why").fill("Huddles adopted on every shift")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("New phase from 1 January 2025")).to_be_visible()
    page.get_by_role("button", name="Explore this chart").first.click()
    expect(page.locator(".app-chart__canvas--drawn svg")).to_be_visible(timeout=15000)
    check(page, axe, console, screenshot, "chart-rebased")

    # A care bundle, audited, with its reliability level against the 95% aim.
    page.goto(f"{live_server.url}/projects/{project.slug}/bundles/new/")
    page.get_by_label("Name").fill("Safety plan bundle")
    page.get_by_label("Elements of the bundle").fill(
        "Plan written\nPlan shared with patient\nCopy to GP"
    )
    page.get_by_role("button", name="Save the bundle").click()
    page.get_by_role("button", name="Record an audit").click()
    check(page, axe, console, screenshot, "audit")
    page.get_by_label("Audit reference").fill("W3-0001")
    for group in page.locator("fieldset").all():
        group.get_by_label("Met", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".app-reliability")).to_contain_text("10⁻³")
    check(page, axe, console, screenshot, "bundle")

    # The storyboard, ready for a learning session.
    page.goto(f"{live_server.url}/projects/{project.slug}/storyboard/")
    expect(page.get_by_role("heading", name="How we know it is an improvement")).to_be_visible()
    check(page, axe, console, screenshot, "storyboard")
