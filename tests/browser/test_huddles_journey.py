"""A ward's safety huddle on a phone (390 px), in a real browser (issue 16's huddle journey).

A ward nurse opens the ward's huddle page (days since the last fall, the safety cross, the
charts), records a huddle with an at-risk count and an action, records a fall, and sees the
falls counter go back to 0 and the g chart gain a point. Every page is checked with axe-core
(WCAG 2.2 A/AA), must log no script error or CSP report and must not scroll sideways.
Screenshots (390 px, and the ward page at 1280 px) go to tests/screenshots/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from qicollab.huddles import services
from qicollab.huddles.models import HarmEvent, Huddle, HuddleAction
from qicollab.huddles.services import ActionInput, HuddleInput
from qicollab.organisations.services import unit_member_set
from tests.browser.conftest import Console, check_page
from tests.conftest import World
from tests.huddles.factories import make_ward

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),  # the live server runs in another thread
    pytest.mark.xdist_group("browser"),
]


def _no_sideways_scroll(page: Page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: page is {width}px wide"  # type: ignore[index]


def test_record_a_huddle_and_a_fall_on_a_phone(
    page: Page,
    live_server: Any,
    world: World,
    axe: Callable[..., Any],
    console: Console,
    screenshot: Callable[[str], Path],
    log_in: Callable[[str], None],
) -> None:
    today = timezone.localdate()
    nurse = world.people["staff_a"]
    ward = make_ward(world.trust_a, name="Willow ward", opened_on=today - dt.timedelta(days=150))
    unit_member_set(actor=None, unit=ward.unit, person=nurse, role="member")
    falls = ward.categories["falls"]
    for days_ago in (140, 120, 95, 80, 61, 40, 25):
        services.harm_event_create(
            actor=None, unit=ward.unit, category=falls,
            occurred_on=today - dt.timedelta(days=days_ago), severity="low",
        )  # fmt: skip
    services.huddle_create(
        actor=None,
        unit=ward.unit,
        data=HuddleInput(
            held_on=today - dt.timedelta(days=3),
            shift="night",
            new_actions=[ActionInput("Replace the bed alarm in bay 2", "Ward manager")],
        ),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(nurse.email)
    home = f"{live_server.url}/huddles/units/{ward.unit.pk}/"

    page.goto(home)
    expect(page.get_by_role("heading", level=1)).to_have_text("Willow ward: safety huddle")
    falls_row = page.locator('tr[data-category="falls"]')
    expect(falls_row.locator("[data-days]")).to_have_text("25")
    expect(page.get_by_text("Bronze milestone: 10 days without harm")).to_be_visible()
    g_rows_before = page.locator("#chart-g tbody tr").count()
    assert g_rows_before == 6
    check_page(page, axe, console, screenshot, "huddles-1-ward-390")
    _no_sideways_scroll(page, "ward page")

    page.get_by_role("button", name="Record a huddle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a huddle")
    # The open action from the last huddle comes back, to tick off.
    expect(page.get_by_label("Replace the bed alarm in bay 2 (Ward manager)")).to_be_visible()
    check_page(page, axe, console, screenshot, "huddles-2-record-huddle-390")
    _no_sideways_scroll(page, "huddle form")
    page.get_by_label("Falls", exact=True).fill("2")
    page.get_by_label("Nurses", exact=True).fill("4")
    page.get_by_label("Replace the bed alarm in bay 2 (Ward manager)").check()
    page.get_by_label("New action").fill("Put sensor mats on beds 3 and 7")
    page.get_by_label("Owner").first.fill("Sam")
    page.get_by_role("button", name="Save huddle").click()
    expect(page.get_by_text("Huddle recorded.")).to_be_visible()
    expect(page.get_by_text("Huddle held today")).to_be_visible()
    huddle = Huddle.objects.get(held_on=today)
    assert huddle.at_risk.get().patients == 2
    assert HuddleAction.objects.get(closed_on__isnull=True).text == (
        "Put sensor mats on beds 3 and 7"
    )

    page.get_by_role("button", name="Record a harm event").click()
    check_page(page, axe, console, screenshot, "huddles-3-record-fall-390")
    _no_sideways_scroll(page, "harm event form")
    page.get_by_label("Falls", exact=True).check()
    page.get_by_label("Low harm").check()
    page.get_by_label("Incident reference (optional)").fill("W445566")
    page.get_by_role("button", name="Save harm event").click()
    expect(page.get_by_text("Falls: event recorded.")).to_be_visible()
    assert HarmEvent.objects.filter(occurred_on=today).count() == 1

    # The counter restarts and the g chart has one more point (25 days since the last).
    expect(falls_row.locator("[data-days]")).to_have_text("0")
    expect(page.locator("#chart-g tbody tr")).to_have_count(g_rows_before + 1)
    expect(page.locator("#chart-g tbody tr").last.locator("td").first).to_have_text("25")
    check_page(page, axe, console, screenshot, "huddles-4-ward-after-fall-390")
    _no_sideways_scroll(page, "ward page after the fall")

    page.get_by_role("link", name="All actions").click()
    expect(page.get_by_text("Put sensor mats on beds 3 and 7")).to_be_visible()
    check_page(page, axe, console, screenshot, "huddles-5-actions-390")
    _no_sideways_scroll(page, "actions")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(home)
    check_page(page, axe, console, screenshot, "huddles-6-ward-1280")
