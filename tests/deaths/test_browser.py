"""A mortality reviewer's journey in a real browser, each page checked with axe-core (WCAG AA)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Console, check_page
from tests.browser.conftest import axe as axe
from tests.browser.conftest import console as console
from tests.browser.conftest import log_in as log_in
from tests.browser.conftest import screenshot as screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_reviewer_journey(
    page: Page,
    live_server: Any,
    teams: Any,
    log_in: Callable[[str], None],
    axe: Any,
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    log_in("staff_a@example.nhs.uk")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Learning from deaths"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning from deaths")
    check_page(page, axe, console, screenshot, "deaths-01-home")

    page.get_by_role("link", name="case records").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deaths recorded")
    check_page(page, axe, console, screenshot, "deaths-02-case-list")

    page.get_by_role("button", name="Record a death").click()
    page.get_by_label("Local case reference").fill("LfD-B-001")
    page.get_by_role("button", name="Save case").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter the date of death")
    expect(page.get_by_label("Local case reference")).to_have_value("LfD-B-001")
    check_page(page, axe, console, screenshot, "deaths-03-case-form-errors")

    page.get_by_label("Date of death").fill("2025-05-10")
    page.get_by_label("Age at death").select_option("45-54")
    page.get_by_label("Community mental health or community health service").check()
    page.get_by_label("Service or team").fill("Community mental health team")
    page.get_by_label("Unexpected natural death").check()
    page.get_by_label("How you were told").select_option("ward")
    page.get_by_role("button", name="Save case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Case LfD-B-001")
    check_page(page, axe, console, screenshot, "deaths-04-case-detail")

    page.get_by_role("button", name="Screen this death").click()
    page.get_by_label(
        "Under a crisis resolution or home treatment team at the time of death"
    ).check()
    page.get_by_label("No further review").check()
    page.get_by_label("Reason for the decision").fill("Expected")
    page.get_by_role("button", name="Save screening").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("has a red flag")
    check_page(page, axe, console, screenshot, "deaths-05-screening-refused")
    page.get_by_label("Structured judgement review").check()
    page.get_by_role("button", name="Save screening").click()

    page.get_by_role("button", name="Start the review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Care review")
    check_page(page, axe, console, screenshot, "deaths-06-review-form")
    page.get_by_role("button", name="Complete review").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Rate the care overall")
    check_page(page, axe, console, screenshot, "deaths-07-review-errors")

    page.goto(f"{live_server.url}/deaths/{teams.trust_a.slug}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning from deaths dashboard")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    check_page(page, axe, console, screenshot, "deaths-08-dashboard")

    page.goto(f"{live_server.url}/deaths/library/{teams.collab.slug}/")
    check_page(page, axe, console, screenshot, "deaths-09-library")
