"""A faculty member's look at the hub, the dashboard and the coaching view in a real
browser, each page checked with axe-core (WCAG AA) and for console errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from qicollab.projects.models import ProgressReport
from qicollab.projects.selectors import scale_for
from tests.browser.conftest import Console, check_page
from tests.browser.conftest import axe as axe
from tests.browser.conftest import console as console
from tests.browser.conftest import log_in as log_in
from tests.browser.conftest import screenshot as screenshot
from tests.collaborative.conftest import make_project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_dashboard_and_coaching_journey(
    page: Page,
    live_server: Any,
    world: Any,
    log_in: Callable[[str], None],
    axe: Any,
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    # The live server's database is flushed between browser tests, taking the migration's
    # scales with it: ask for the collaborative's scale, which seeds them again if missing.
    scale = scale_for(collaborative=world.collab)
    month = timezone.localdate().replace(day=1)
    for title, faculty, self_score in (
        ("Ward 3 falls", "4.0", "4.5"),
        ("Clinic letters", "2.5", "2.5"),
    ):
        p = make_project(world, title=title, status="active")
        for rater, score in (("faculty", faculty), ("self", self_score)):
            ProgressReport.objects.create(
                project=p, month=month, scale=scale, score=Decimal(score), rater_type=rater
            )
    make_project(world, title="Quiet ward project", status="active", start_date=date(2025, 1, 1))

    log_in("faculty@example.nhs.uk")
    page.goto(f"{live_server.url}/collaboratives/{world.collab.slug}/")
    check_page(page, axe, console, screenshot, "coaching-01-hub")

    page.get_by_role("link", name="Dashboard: is the collaborative achieving its aims?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("#projects")).to_have_text("Projects (3)")
    check_page(page, axe, console, screenshot, "coaching-02-dashboard")

    page.get_by_role("link", name="Coaching view").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coaching view")
    expect(page.get_by_role("link", name="Quiet ward project")).to_be_visible()
    expect(page.locator("img.app-chart__image")).to_have_count(1)  # drawn on the server
    check_page(page, axe, console, screenshot, "coaching-03-view")

    page.get_by_label("Quiet for more than (weeks)").fill("0")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter at least 1 week.")
    expect(page.get_by_label("Quiet for more than (weeks)")).to_have_value("0")
    check_page(page, axe, console, screenshot, "coaching-04-bad-weeks")
