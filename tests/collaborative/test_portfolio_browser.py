"""A member's look at the portfolio and the signal feed in a real browser, checked with axe."""

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
from tests.collaborative.portfolio_data import BASELINE, SHIFT, measure, project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


FALLS_LINK = "Ward 3 falls: a shift of 7 months below the centre line (mean) (improvement)"


def test_portfolio_and_signals_journey(
    page: Page,
    live_server: Any,
    world: Any,
    log_in: Callable[[str], None],
    axe: Any,
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    falls = project(world, title="Ward 3 falls project", sharing="private", status="active")
    measure(falls, SHIFT, name="Ward 3 falls")
    letters = project(world, title="Clinic letters", sharing="collaborative")
    measure(letters, BASELINE, name="Letters sent late")

    log_in("staff_a@example.nhs.uk")
    page.get_by_role("link", name="Portfolio", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    expect(page.locator("#portfolio-results")).to_contain_text("Improving")
    check_page(page, axe, console, screenshot, "portfolio-01-list")

    # The filter form swaps the table with htmx and keeps the address bookmarkable.
    page.get_by_label("Status").select_option("active")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#portfolio-results")).not_to_contain_text("Clinic letters")
    expect(page.locator("#portfolio-results")).to_contain_text("Ward 3 falls project")
    assert "status=active" in page.url
    check_page(page, axe, console, screenshot, "portfolio-02-filtered")

    page.get_by_role("link", name="See the new signals across the portfolio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signals")
    link = page.get_by_role(
        "link", name="Ward 3 falls: a shift of 7 months below the centre line (mean) (improvement)"
    )
    expect(link).to_be_visible()
    check_page(page, axe, console, screenshot, "signals-01-feed")

    page.get_by_label("Signals since").fill("2999-01-01")
    page.get_by_role("button", name="Show signals").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("today or in the past")
    check_page(page, axe, console, screenshot, "signals-02-bad-date")

    link = page.get_by_role(
        "link", name="Ward 3 falls: a shift of 7 months below the centre line (mean) (improvement)"
    )
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ward 3 falls")
