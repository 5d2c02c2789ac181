"""A storyboard PDF in a real browser: the button starts a job, the job's page shows a
progress bar (axe-checked) that turns into "Download the PDF" once a worker has made it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from qicollab.jobs.models import Job, JobStatus
from qicollab.projects import services as project_services
from tests.browser.conftest import Console, check_page
from tests.browser.conftest import axe as axe
from tests.browser.conftest import console as console
from tests.browser.conftest import log_in as log_in
from tests.browser.conftest import screenshot as screenshot
from tests.jobs.helpers import run_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DB_QUEUE)
def test_a_storyboard_pdf_is_prepared_in_the_background(
    page: Page,
    live_server: Any,
    world: Any,
    log_in: Callable[[str], None],
    axe: Any,
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    project = project_services.project_create(
        actor=world.people["staff_a"],
        collaborative=world.collab,
        lead_organisation=world.trust_a,
        title="Safer observations on Willow ward",
    )
    log_in("staff_a@example.nhs.uk")
    page.goto(f"{live_server.url}/projects/{project.slug}/storyboard/")
    page.get_by_role("button", name="Prepare the PDF (A4 portrait)").click()
    expect(page.get_by_role("heading", name="Storyboard PDF (A4 portrait)")).to_be_visible()
    expect(page.get_by_label("Progress")).to_be_visible()
    check_page(page, axe, console, screenshot, "report-job-01-waiting")

    run_worker()
    assert Job.objects.get().status == JobStatus.SUCCEEDED
    # The page polls (htmx) and offers the file without a reload.
    link = page.get_by_role("link", name="Download the PDF")
    expect(link).to_be_visible(timeout=10_000)
    check_page(page, axe, console, screenshot, "report-job-02-ready")
    with page.expect_download() as dl:
        link.click()
    assert dl.value.suggested_filename == "safer-observations-on-willow-ward-storyboard-a4.pdf"
