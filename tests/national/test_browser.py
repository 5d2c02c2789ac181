"""A national admin's journey in a real browser: roll-up, quarter, drill-down, designations;
each page checked with axe-core (WCAG AA) and for console (CSP) errors."""

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
from tests.national.conftest import Nation, Q

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_national_admin_journey(
    page: Page,
    live_server: Any,
    nation: Nation,
    log_in: Callable[[str], None],
    axe: Any,
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    w = nation.world
    log_in(w.people["national_admin"].email)
    page.goto(f"{live_server.url}/national/")
    page.get_by_role("link", name=w.programme.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Activity in")
    page.get_by_label("Quarter").select_option(Q.slug)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Activity in {Q.label}")
    check_page(page, axe, console, screenshot, "national-01-rollup")

    page.get_by_role("region", name="Activity by collaborative").get_by_role(
        "link", name=w.collab.name
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(w.collab.name)
    expect(page.get_by_role("link", name=w.trust_a.name)).to_be_visible()
    check_page(page, axe, console, screenshot, "national-02-organisations")

    page.goto(f"{live_server.url}/national/designations/{w.collab.slug}/")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check_page(page, axe, console, screenshot, "national-03-designation-errors")
    page.get_by_label("Their email address").fill(w.people["staff_a"].email)
    page.get_by_label("Organisation").select_option(label=w.trust_a.name)
    page.get_by_label("Date designated").fill("2025-05-01")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("cell", name=w.people["staff_a"].full_name)).to_be_visible()
    check_page(page, axe, console, screenshot, "national-04-designations")
