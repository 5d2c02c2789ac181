"""On a 390 px phone: report excellence, then the recipient sees their copy and chooses;
the LfE lead's dashboard at 390 px and 1280 px. Axe (WCAG 2.2 AA), console and CSP checks
on every page, and no sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from qicollab.excellence import services
from tests.browser.conftest import Console, check_page
from tests.browser.conftest import axe as axe
from tests.browser.conftest import console as console
from tests.browser.conftest import log_in as log_in
from tests.browser.conftest import screenshot as screenshot
from tests.excellence import factories as xf
from tests.excellence.conftest import Lfe
from tests.excellence.conftest import lfe as lfe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_report_excellence_on_a_phone_and_the_recipients_copy(
    page: Page,
    live_server: Any,
    lfe: Lfe,
    log_in: Callable[[str], None],
    axe: Any,
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(lfe.p["staff_a"].email)
    page.goto(f"{live_server.url}/excellence/")
    check_page(page, axe, console, screenshot, "excellence-01-my-excellence-390")
    page.get_by_role("button", name="Report excellence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report excellence")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("at least one person or a team")
    check_page(page, axe, console, screenshot, "excellence-02-report-errors-390")
    assert page.evaluate(NO_OVERFLOW)
    page.get_by_label("Who was excellent?").select_option(label=lfe.recipient.full_name)
    page.get_by_label("What did they do?").fill("Spotted sepsis early and escalated with SBAR.")
    page.get_by_label("Why was it excellent?").fill("The patient was treated within the hour.")
    page.get_by_label("Do not tell the recipients my name").check()
    check_page(page, axe, console, screenshot, "excellence-03-report-form-390")
    assert page.evaluate(NO_OVERFLOW)
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Thank you")
    check_page(page, axe, console, screenshot, "excellence-04-report-sent-390")

    page.context.clear_cookies()
    log_in(lfe.recipient.email)
    page.goto(f"{live_server.url}/excellence/")
    expect(page.get_by_role("heading", name="New for you (1)")).to_be_visible()
    page.get_by_role("link", name=f"Excellence: {lfe.recipient.full_name}").first.click()
    expect(page.get_by_text("Spotted sepsis early")).to_be_visible()
    expect(page.get_by_text("A colleague (anonymous)")).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).not_to_contain_text(lfe.p["staff_a"].full_name)
    check_page(page, axe, console, screenshot, "excellence-05-recipient-copy-390")
    assert page.evaluate(NO_OVERFLOW)
    page.get_by_label("Tell my line manager about it").check()
    page.get_by_label("My line manager", exact=True).select_option(label=lfe.manager.full_name)
    page.get_by_role("button", name="Save my choices").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Your choices are saved")
    page.goto(f"{live_server.url}/excellence/")
    expect(page.get_by_role("heading", name="Excellence reports about me")).to_be_visible()
    expect(page.get_by_text("Spotted sepsis early")).to_be_visible()
    check_page(page, axe, console, screenshot, "excellence-06-kept-390")


def test_lead_dashboard_at_phone_and_desktop_widths(
    page: Page,
    live_server: Any,
    lfe: Lfe,
    log_in: Callable[[str], None],
    axe: Any,
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    theme = services.theme_create(actor=lfe.lead, organisation=lfe.world.trust_a, name="Kindness")
    for _ in range(3):
        xf.report(lfe.p["staff_a"], lfe.world.trust_a, people=[lfe.recipient], unit=lfe.ward)
    report = xf.report(lfe.p["staff_a"], lfe.world.trust_a, teams=[lfe.ward])
    report.themes.add(theme)
    log_in(lfe.lead.email)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/excellence/{lfe.world.trust_a.slug}/lead/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Learning from Excellence")
        check_page(page, axe, console, screenshot, f"excellence-07-dashboard-{width}")
        assert page.evaluate(NO_OVERFLOW)
        page.goto(f"{live_server.url}/excellence/reports/{report.pk}/")
        check_page(page, axe, console, screenshot, f"excellence-08-lead-report-{width}")
        assert page.evaluate(NO_OVERFLOW)
