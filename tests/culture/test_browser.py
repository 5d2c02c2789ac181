"""Issue 15 in a real browser: set up a wave, answer on a phone, read the team's results.

Every page is checked with axe-core (WCAG 2.2 AA), the console and the CSP, and saved as a
screenshot under tests/screenshots/ (390 px for the answering page, 1280 px and 390 px for
the results page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from qicollab.culture.models import Response, Wave
from tests import factories as f
from tests.browser.conftest import Console, check_page
from tests.browser.conftest import axe as axe
from tests.browser.conftest import console as console
from tests.browser.conftest import log_in as log_in
from tests.browser.conftest import screenshot as screenshot
from tests.culture.factories import add_responses, demo_instrument

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def _no_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"horizontal overflow: {width}px"  # type: ignore[index]


def test_wave_to_phone_answer_to_results(
    page: Page,
    live_server: Any,
    world: Any,
    log_in: Callable[[str], None],
    axe: Any,
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    demo_instrument()
    f.UnitFactory(organisation=world.trust_a, name="Larch ward", slug="larch-ward")
    today = timezone.localdate()
    page.set_viewport_size({"width": 1280, "height": 900})

    # The programme manager sets up the wave.
    log_in(world.people["pm_a"].email)
    page.goto(f"{live_server.url}/culture/waves/new/")
    check_page(page, axe, console, screenshot, "culture-wave-form")
    page.get_by_label("Title").fill("Larch ward culture survey")
    page.get_by_label("Instrument").select_option(
        label="Team climate check (qicollab demonstration instrument) (version 1.0)"
    )
    page.get_by_label("Opens on").fill(today.isoformat())
    page.get_by_label("Closes on").fill((today + dt.timedelta(days=14)).isoformat())
    page.get_by_label("Facilitator").select_option(label=str(world.people["partner_a"]))
    page.get_by_label("Team leader").select_option(label=str(world.people["staff_a"]))
    page.get_by_label("Larch ward: eligible staff").fill("12")
    page.get_by_role("button", name="Set up the wave").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Larch ward culture survey")
    check_page(page, axe, console, screenshot, "culture-wave-detail")
    page.get_by_label("How many codes for Larch ward?").fill("3")
    page.get_by_role("button", name="Make codes for Larch ward").click()
    codes = page.locator("#codes code").all_inner_texts()
    assert len(codes) == 3
    check_page(page, axe, console, screenshot, "culture-codes")
    page.context.clear_cookies()

    # A member of staff answers on a phone, without signing in.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/culture/code/")
    check_page(page, axe, console, screenshot, "culture-code-390")
    page.get_by_label("Your survey code").fill(codes[0])
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Larch ward culture survey")
    _no_overflow(page)
    # Too few answers first: a specific message, nothing stored, what was typed kept.
    page.locator("input[name=item_T1][value=D]").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Answer at least 3 of the 5 questions about Teamwork"
    )
    expect(page.locator("input[name=item_T1][value=D]")).to_be_checked()
    assert not Response.objects.exists()
    for name in page.evaluate(
        "[...new Set([...document.querySelectorAll('input[type=radio]')].map(i => i.name))]"
    ):
        page.locator(f"input[name={name}][value=D]").check()
    check_page(page, axe, console, screenshot, "culture-answer-390")
    _no_overflow(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert Response.objects.count() == 1

    # The wave closes; the team leader reads the results.
    wave = Wave.objects.get()
    add_responses(wave.wave_units.get(), 7, seed=3)
    Wave.objects.filter(pk=wave.pk).update(
        closes_on=today - dt.timedelta(days=1), opens_on=today - dt.timedelta(days=10)
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(world.people["staff_a"].email)
    page.goto(f"{live_server.url}{wave.get_absolute_url()}")
    page.get_by_role("link", name="Results for Larch ward").click()
    expect(page.locator("#response-rate")).to_contain_text("8 of 12")
    check_page(page, axe, console, screenshot, "culture-results-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    check_page(page, axe, console, screenshot, "culture-results-390")
    _no_overflow(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the debrief pack (PDF)").click()
    pdf = download.value.path()
    assert Path(pdf).read_bytes().startswith(b"%PDF")
    (Path(__file__).resolve().parents[1] / "screenshots").mkdir(exist_ok=True)
    download.value.save_as(
        str(Path(__file__).resolve().parents[1] / "screenshots" / "culture-debrief-pack.pdf")
    )
