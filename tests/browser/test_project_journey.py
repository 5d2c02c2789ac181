"""A QI project from nothing to its storyboard, in a real browser (issue 4's journey).

A team member starts a project, writes an aim (the SMART check names what is missing, then
passes), defines a measure, imports a spreadsheet with errors (every bad row named, nothing
saved) and then the corrected one (previewed, then confirmed), sees the chart flag the
shift in its summary and data table, plans a PDSA cycle and finds it on the chart's time
axis, then downloads the storyboard PDF, whose text is checked and whose first page is
rendered to PNG under tests/screenshots/ for people to look at.

Every page is checked with axe-core (WCAG 2.2 A/AA) and must log no CSP violation or
script error.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from qicollab.measures.models import DataPoint, Measure
from qicollab.projects.models import PdsaCycle, Project
from tests.browser.conftest import SCREENSHOTS, Console, describe
from tests.conftest import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),  # the live server runs in another thread
    pytest.mark.xdist_group("browser"),
]

TITLE = "Physical health checks on Willow ward"
MEASURE = "Percentage of patients with a completed physical health check"
PDSA_TITLE = "Checklist at the weekly ward round"
AIM = (
    "Increase completed physical health checks for adult inpatients in Willow ward "
    "from 45% to 80% by 31 March 2027."
)


def check(
    page: Page,
    axe: Callable[..., Any],
    console: Console,
    screenshot: Callable[[str], Path],
    name: str,
) -> None:
    """Screenshot the page, then require no WCAG A/AA violation and no console error."""
    page.wait_for_load_state("load")
    screenshot(f"project-journey-{name}")
    assert describe(axe()) == [], name
    assert console.errors() == [], name


def audit_csv(*, broken: bool) -> str:
    """Two years of monthly audits: about 45% for a year, then about 80% (a clear shift).

    The broken file has an impossible date on row 4, text in a number on row 9 and a
    numerator above its denominator on row 16 (row 1 is the heading).
    """
    lines = ["Date,Numerator,Denominator,Note"]
    year, month = 2024, 1
    for i in range(24):
        numerator = (9 if i < 12 else 16) + (i % 3) - 1
        note = "Checklist introduced" if i == 12 else ""
        lines.append(f"01/{month:02d}/{year},{numerator},20,{note}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if broken:
        lines[3] = "31/02/2024,9,20,"
        lines[8] = lines[8].replace(",20,", ",twenty,", 1)
        lines[15] = lines[15].split(",")[0] + ",21,20,"
    return "\n".join(lines) + "\n"


def pdf_text_and_png(pdf: Path, png_stem: Path) -> tuple[str, Path]:
    """The PDF's text (pdftotext) and its first page as a PNG (pdftoppm, 60 dpi)."""
    for tool in ("pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            # Like Chromium, a system tool: .ci/run installs it where it can.
            pytest.skip(f"{tool} not found (apt-get install poppler-utils); PDF not read back")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(png_stem),
        ],
        check=True,
    )
    return text, png_stem.with_suffix(".png")


def test_project_from_nothing_to_storyboard(
    page: Page,
    live_server: Any,
    world: World,
    log_in: Any,
    axe: Any,
    console: Console,
    screenshot: Any,
    tmp_path: Path,
) -> None:
    log_in(world.people["staff_a"].email)

    # Start a project.
    page.get_by_role("link", name="Projects", exact=True).first.click()
    page.get_by_role("button", name="Start a project").click()
    check(page, axe, console, screenshot, "01-start")
    page.get_by_label("Project title", exact=True).fill(TITLE)
    page.get_by_role("button", name="Start the project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    check(page, axe, console, screenshot, "02-project-new")
    project = Project.objects.get(title=TITLE)

    # The aim: the check names what is missing (here: the date) ...
    page.get_by_role("link", name="Write the aim").click()
    page.get_by_label("Increase", exact=True).check()
    page.get_by_label("What will you measure?").fill("completed physical health checks")
    page.get_by_label("For whom?").fill("adult inpatients")
    page.get_by_label("Where?").fill("Willow ward")
    page.get_by_label("Baseline (where you are now)").fill("45")
    page.get_by_label("Target (how much)").fill("80")
    page.get_by_label("Unit", exact=True).fill("%")
    smart = page.locator("#smart-check")
    expect(smart).to_contain_text("Give a date by when you will reach the target.")
    check(page, axe, console, screenshot, "03-aim-missing-date")
    # ... and passes once it is given.
    page.get_by_label("By when?").fill("2027-03-31")
    expect(smart).not_to_contain_text("Give a date")
    expect(smart).not_to_contain_text("To make it SMART")
    page.get_by_role("button", name="Save the aim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#aim").locator("xpath=..")).to_contain_text(AIM)
    check(page, axe, console, screenshot, "04-project-with-aim")

    # A measure.
    page.get_by_role("link", name="Add a measure").click()
    page.get_by_label("Name").fill(MEASURE)
    page.get_by_label("Process", exact=True).check()
    page.get_by_label("Percentage: a numerator out of a denominator").check()
    page.get_by_label("Denominator", exact=True).fill("Patients on the ward on the audit day")
    page.get_by_label("Monthly").check()
    page.get_by_label("Higher is better").check()
    page.get_by_label("Target (optional)").fill("80")
    check(page, axe, console, screenshot, "05-measure-definition")
    page.get_by_role("button", name="Save the measure").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Enter data")
    measure = Measure.objects.get(project=project)

    # Import a file with errors: every bad row named, nothing saved.
    (tmp_path / "audit-with-errors.csv").write_text(audit_csv(broken=True))
    (tmp_path / "audit.csv").write_text(audit_csv(broken=False))
    page.get_by_role("link", name="Import a CSV or Excel file").click()
    upload = page.get_by_label("Upload a CSV or Excel file")
    upload.set_input_files(str(tmp_path / "audit-with-errors.csv"))
    page.get_by_role("button", name="Upload and preview").click()
    errors = page.locator(".nhsuk-error-summary")
    expect(errors).to_contain_text("Row 4, Date")
    expect(errors).to_contain_text("Row 9, Denominator")
    expect(errors).to_contain_text("Row 16, Numerator")
    check(page, axe, console, screenshot, "06-import-errors")
    assert not DataPoint.objects.filter(measure=measure).exists()

    # The corrected file: preview, then confirm.
    page.get_by_label("Upload a CSV or Excel file").set_input_files(str(tmp_path / "audit.csv"))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what this import will change")
    check(page, axe, console, screenshot, "07-import-preview")
    assert not DataPoint.objects.filter(measure=measure).exists()  # a preview saves nothing
    page.get_by_role("button", name="Import 24 new and 0 changed periods").click()
    assert DataPoint.objects.filter(measure=measure).count() == 24

    # The chart flags the shift, in the summary and in the data table.
    page.goto(f"{live_server.url}{measure.get_absolute_url()}")
    page.get_by_role("button", name="Explore this chart").first.click()
    expect(page.locator(".app-chart__canvas--drawn svg")).to_be_visible(timeout=15000)
    expect(page.locator("p.nhsuk-body-l")).to_contain_text("Special cause improvement")
    page.get_by_text("Show the data as a table").click()
    table = page.get_by_role("table").filter(has_text="Lower limit")
    expect(table).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="January 2025")).to_contain_text("improvement")
    expect(table.get_by_role("row").filter(has_text="January 2024")).not_to_contain_text(
        "improvement"
    )
    check(page, axe, console, screenshot, "08-chart-shift")

    # A change idea on the driver diagram, then a PDSA cycle to test it.
    page.goto(f"{live_server.url}/projects/{project.slug}/drivers/")
    page.get_by_text("Add a change idea").click()
    page.get_by_label("Change idea", exact=True).fill("Physical health checklist")
    page.locator("#col-idea ~ details").get_by_role("button", name="Add").click()
    expect(page.locator("#driver-status")).to_contain_text("Added the change idea")
    page.get_by_role("link", name="Plan a PDSA cycle").first.click()
    page.get_by_label("Title", exact=True).fill(PDSA_TITLE)
    page.get_by_label("Scale of this test").fill("1 ward, 1 ward round")
    page.get_by_label("Planned start (optional)").fill("2025-01-06")
    check(page, axe, console, screenshot, "09-pdsa-plan")
    page.get_by_role("button", name="Save the cycle").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Cycle 1: {PDSA_TITLE}")
    assert PdsaCycle.objects.get(project=project).planned_start == dt.date(2025, 1, 6)

    # The cycle is on the chart's time axis (the chart's own marks and the list below it).
    page.goto(f"{live_server.url}{measure.get_absolute_url()}")
    page.get_by_role("button", name="Explore this chart").first.click()
    expect(page.locator(".app-chart__canvas--drawn svg")).to_be_visible(timeout=15000)
    expect(page.get_by_text(f"PDSA 1: {PDSA_TITLE}")).to_be_visible()
    spec = page.locator(f"#chart-spec-{measure.pk}").text_content() or ""
    assert f"PDSA 1: {PDSA_TITLE}" in spec
    check(page, axe, console, screenshot, "10-chart-with-pdsa")

    # The storyboard, and its PDF.
    page.goto(f"{live_server.url}/projects/{project.slug}/storyboard/")
    expect(page.get_by_role("heading", name="How we know it is an improvement")).to_be_visible()
    check(page, axe, console, screenshot, "11-storyboard")
    # The PDF is prepared as a background job (in-process in tests): the button leads to the
    # job's page, which offers the file when it is ready.
    page.get_by_role("button", name="Prepare the PDF (A4 portrait)").click()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    check(page, axe, console, screenshot, "11b-storyboard-pdf-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = tmp_path / "storyboard.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    text, png = pdf_text_and_png(pdf, SCREENSHOTS / "project-journey-12-storyboard-pdf")
    flat = " ".join(text.split())
    assert TITLE in flat
    assert AIM in flat
    assert MEASURE[:40] in flat
    assert "Special cause improvement" in flat
    # The chart is an image: its caption says what the numbers along its top mark.
    assert f"6 January 2025: PDSA 1: {PDSA_TITLE}" in flat
    assert png.stat().st_size > 10_000  # a rendered page, not an empty image
