"""A team's first hour in a real browser: start a project, write the aim (checked live),
build the driver diagram in place, plan a PDSA cycle and rate progress.

Every page is checked with axe-core (WCAG 2.2 A/AA), must log no CSP violation or script
error, and is saved under tests/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from qicollab.projects.models import ChangeIdea, PdsaCycle, Project
from tests.browser.conftest import Console, describe
from tests.conftest import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),  # the live server runs in another thread
    pytest.mark.xdist_group("browser"),
]


def check(
    page: Page,
    axe: Callable[..., Any],
    console: Console,
    screenshot: Callable[[str], Path],
    name: str,
) -> None:
    page.wait_for_load_state("load")
    screenshot(f"projects-{name}")
    assert describe(axe()) == [], name
    assert console.errors() == [], name


def test_first_hour_of_a_project(
    page: Page,
    live_server: Any,
    world: World,
    log_in: Any,
    axe: Any,
    console: Console,
    screenshot: Any,
) -> None:
    log_in(world.people["staff_a"].email)
    page.get_by_role("link", name="Projects", exact=True).first.click()
    check(page, axe, console, screenshot, "list-empty")
    page.get_by_role("button", name="Start a project").click()
    check(page, axe, console, screenshot, "start")
    page.get_by_label("Project title", exact=True).fill("Safer nights on Willow ward")
    page.get_by_label("Everyone in the collaborative").check()
    page.get_by_role("button", name="Start the project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safer nights on Willow ward")
    check(page, axe, console, screenshot, "detail-new")
    slug = Project.objects.get().slug

    # The aim: the check updates as the person types (htmx), and again after saving.
    page.get_by_role("link", name="Write the aim").click()
    page.get_by_label("Reduce", exact=True).check()
    page.get_by_label("What will you measure?").fill("incidents of restraint")
    page.get_by_label("For whom?").fill("adult inpatients")
    expect(page.locator("#smart-check")).to_contain_text(
        "Give the target as a number", timeout=5000
    )
    page.get_by_label("Where?").fill("Willow ward")
    page.get_by_label("Baseline (where you are now)").fill("14")
    page.get_by_label("Target (how much)").fill("7")
    page.get_by_label("Unit", exact=True).fill("per month")
    page.get_by_label("By when?").fill("2030-03-31")
    expect(page.locator("#smart-check")).to_contain_text("SMART", timeout=5000)
    expect(page.locator("#smart-check")).not_to_contain_text("To make it SMART")
    check(page, axe, console, screenshot, "aim")
    page.get_by_role("button", name="Save the aim").click()
    expect(page.locator("#aim").locator("xpath=..")).to_contain_text(
        "Reduce incidents of restraint for adult inpatients in Willow ward from 14 to 7 per month"
    )

    # The driver diagram, edited in place.
    page.goto(f"{live_server.url}/projects/{slug}/drivers/")
    page.get_by_text("Add a primary driver").click()
    page.get_by_label("Primary driver", exact=True).fill("Calm ward at night")
    page.locator("#col-primary ~ details").get_by_role("button", name="Add").click()
    expect(page.locator("#driver-status")).to_contain_text("Added the primary driver")
    page.get_by_text("Add a secondary driver").click()
    page.get_by_label("Secondary driver", exact=True).fill("Evening activities")
    page.locator("#col-secondary ~ details").get_by_label("Calm ward at night").check()
    page.locator("#col-secondary ~ details").get_by_role("button", name="Add").click()
    expect(page.locator("#driver-status")).to_contain_text("Added the secondary driver")
    page.get_by_text("Add a change idea").click()
    page.get_by_label("Change idea", exact=True).fill("Night-time sensory box")
    page.locator("#col-idea ~ details").get_by_role("button", name="Add").click()
    expect(page.locator("#driver-status")).to_contain_text("Added the change idea")
    expect(page.locator("#diagram svg")).to_contain_text("Not linked to a driver")
    idea = ChangeIdea.objects.get()
    page.locator(f"#node-idea-{idea.pk}").get_by_role("link", name="Edit").click()
    page.locator(f"#node-idea-{idea.pk}").get_by_label("Evening activities").check()
    page.locator(f"#node-idea-{idea.pk}").get_by_role("button", name="Save").click()
    expect(page.locator("#driver-status")).to_contain_text("Saved the change idea")
    expect(page.locator("#diagram svg")).not_to_contain_text("Not linked to a driver")
    check(page, axe, console, screenshot, "drivers")

    # A PDSA cycle for the idea, then the ramp.
    page.locator(f"#node-idea-{idea.pk}").get_by_role("link", name="Plan a PDSA cycle").click()
    page.get_by_label("Title", exact=True).fill("Sensory box on one night shift")
    page.get_by_label("Scale of this test").fill("1 ward, 1 night")
    check(page, axe, console, screenshot, "pdsa-plan")
    page.get_by_role("button", name="Save the cycle").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Cycle 1: Sensory box on one night shift"
    )
    check(page, axe, console, screenshot, "pdsa-detail")
    assert PdsaCycle.objects.get().cycle_number == 1
    page.goto(f"{live_server.url}/projects/{slug}/pdsa/")
    expect(page.locator(".app-ramp")).to_contain_text("1 ward, 1 night")
    check(page, axe, console, screenshot, "ramps")

    # Rate this month's progress; the history shows it.
    page.goto(f"{live_server.url}/projects/{slug}/progress/new/self/")
    page.get_by_label("1.5 Planning for the project has begun").check()
    check(page, axe, console, screenshot, "rate")
    page.get_by_role("button", name="Save the rating").click()
    expect(page.get_by_role("table")).to_contain_text("1.5")
    check(page, axe, console, screenshot, "progress")
    page.goto(f"{live_server.url}/projects/{slug}/")
    check(page, axe, console, screenshot, "detail")
