"""Issue 17 in a real browser: search "falls" and find another trust's project; comment on a
point of a chart, mentioning a colleague who is emailed. Every page checked with axe-core
(WCAG 2.2 AA), the console, and screenshots at 390 px and 1280 px wide."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from qicollab.measures import services as measures
from qicollab.measures.models import DataPoint
from qicollab.search.index import rebuild
from tests.browser.conftest import Console, check_page
from tests.browser.conftest import axe as axe
from tests.browser.conftest import console as console
from tests.browser.conftest import log_in as log_in
from tests.browser.conftest import screenshot as screenshot
from tests.search.conftest import make_falls

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_search_and_discussion_journey(
    page: Page,
    live_server: Any,
    world: Any,
    axe: Any,
    console: Console,
    screenshot: Any,
    log_in: Any,
) -> None:
    falls = make_falls(world)
    staff_a = world.people["staff_a"]
    measure = measures.measure_create(
        actor=staff_a,
        project=falls.private_a,
        data={"name": "Falls per 1,000 bed days", "value_type": "count"},
    )
    for month, value in enumerate([7, 6, 8, 5, 2, 6, 7, 5], start=1):
        DataPoint.objects.create(measure=measure, period=dt.date(2025, month, 1), value=value)
    rebuild()
    mail.outbox.clear()

    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        log_in(staff_a.email)
        # The header's search box, then the results page.
        page.goto(f"{live_server.url}/projects/")
        page.locator("#search-field").fill("falls")
        page.locator("#search-field").press("Enter")
        page.wait_for_load_state()
        results = page.locator("#search-results")
        expect(results.get_by_role("link", name="Preventing falls with harm")).to_be_visible()
        expect(results).to_contain_text(world.trust_b.name)
        expect(results.locator("mark").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        check_page(page, axe, console, screenshot, f"search-results-{width}")
        page.context.clear_cookies()

    # Comment on a point of the chart, mentioning the faculty member (at phone width).
    page.set_viewport_size({"width": 390, "height": 900})
    log_in(staff_a.email)
    page.goto(live_server.url + measure.get_absolute_url())
    form = page.locator("form.app-comment-form")
    form.get_by_label("Your comment").fill("What happened here? Was it the new huddle?")
    form.get_by_label("About a point on the chart (optional)").select_option("2025-05-01")
    form.get_by_label("Faculty").check()
    form.get_by_role("button", name="Post the comment").click()
    thread = page.locator("#discussion")
    expect(thread).to_contain_text("About the point for 1 May 2025")
    expect(thread).to_contain_text("Mentioned: Faculty")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_page(page, axe, console, screenshot, "discussion-chart-point-390")
    assert any(
        m.to == [world.people["faculty"].email] and "mentioned you" in m.subject
        for m in mail.outbox
    )

    # The project page: similar work and the thread.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + falls.private_a.get_absolute_url())
    expect(page.locator("#similar-work")).to_be_visible()
    expect(page.get_by_role("link", name="Preventing falls with harm").last).to_be_visible()
    check_page(page, axe, console, screenshot, "project-similar-work-1280")
