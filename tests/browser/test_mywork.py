"""My work and the notification list in a real browser, at 390 px and 1280 px, with axe.

A project lead with a live project (chart, data due, a PDSA cycle past its end) and three
notifications opens the home page, follows the header's count to the list, marks one read
with htmx (the count and the item change in place), and the pages are checked with axe-core
(WCAG 2.2 A/AA), for console and CSP errors and for horizontal overflow at 390 px.
Screenshots go to tests/screenshots/mywork-*.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Console, check_page
from tests.mywork.test_home import live_project
from tests.notifications.factories import tell

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),  # the live server runs in another thread
    pytest.mark.xdist_group("browser"),
]


def no_overflow(page: Page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wide, "the page scrolls sideways"


@pytest.mark.parametrize("width", [390, 1280])
def test_my_work_and_notifications(
    width: int,
    page: Page,
    live_server: Any,
    world: Any,
    log_in: Callable[[str], None],
    axe: Callable[..., Any],
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    staff = world.people["staff_a"]
    live_project(world, "Safer observations on Willow ward")
    for text in (
        "New signal on Falls per 1,000 bed days (Safer observations on Willow ward): a shift, "
        "below the centre line since June 2026 (improvement)",
        "A place has come free at Learning session 3 and it is now yours.",
        "A learning summary from Avon Test Partnership NHS Trust is waiting for your approval",
    ):
        tell(staff, text=text, url="/")
    log_in(staff.email)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="My work", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="My projects")).to_be_visible()
    expect(page.get_by_text("Past planned end").first).to_be_visible()
    check_page(page, axe, console, screenshot, f"mywork-home-{width}")
    no_overflow(page)

    page.get_by_role("link", name="Notifications").first.click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.locator("#unread-summary")).to_have_text("You have 3 unread notifications.")
    check_page(page, axe, console, screenshot, f"mywork-notifications-{width}")
    no_overflow(page)

    page.get_by_role("button", name="Mark as read").first.click()
    expect(page.locator("#unread-summary")).to_have_text("You have 2 unread notifications.")
    expect(page.locator("#header-unread .app-count")).to_have_text("2")
    expect(page.get_by_role("button", name="Mark as read")).to_have_count(2)
    assert "/notifications/" in page.url  # htmx: no page load
    check_page(page, axe, console, screenshot, f"mywork-notifications-read-{width}")
