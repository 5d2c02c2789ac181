"""The spread journey in a real browser, each page checked with axe-core (WCAG 2.2 AA):
steal a harvested storyboard → adopt → start a project from the change package → enter
data → see the adopter on the innovation's spread timeline. Screenshots at 1280 and 390 px."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from qicollab.events import storyboards as sb
from qicollab.innovations import services
from qicollab.innovations.models import Adoption
from qicollab.measures.models import Measure
from tests.browser.conftest import Console, check_page
from tests.browser.conftest import axe as axe
from tests.browser.conftest import console as console
from tests.browser.conftest import log_in as log_in
from tests.browser.conftest import screenshot as screenshot
from tests.events.conftest import make_session
from tests.innovations import factories as fi

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def _no_overflow(page: Page, name: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not wide, f"{name}: the page scrolls sideways at {page.viewport_size}"


def test_steal_adopt_start_project_and_see_the_spread(
    page: Page,
    live_server: Any,
    world: Any,
    log_in: Callable[[str], None],
    axe: Any,
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    p = world.people
    s = make_session(world.collab, days_ahead=-5, title="Learning session 7")
    project = fi.source_project(world, title="Safety huddles on Willow ward")
    board = sb.storyboard_submit_project(
        actor=p["staff_a"], session=s, project=project, summary="A ten-minute huddle."
    )
    inn = services.innovation_harvest(
        actor=p["staff_a"],
        storyboard=board,
        data=services.InnovationInput(title="Ten-minute safety huddle", stage="spreading"),
    )

    # Trust B's staff steal the storyboard: it leads to adopting the innovation.
    log_in(p["staff_b"].email)
    page.goto(f"{live_server.url}/learning/sessions/{s.pk}/")
    expect(page.locator("#harvested-innovations")).to_contain_text("Ten-minute safety huddle")
    page.goto(f"{live_server.url}/learning/sessions/{s.pk}/storyboards/")
    check_page(page, axe, console, screenshot, "innovations-01-gallery")
    page.locator("summary", has_text="Steal this idea").click()
    page.get_by_role("button", name="I will steal this").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adopt this innovation")
    check_page(page, axe, console, screenshot, "innovations-02-adopt")
    page.get_by_label("Testing").check()
    page.get_by_role("button", name="Record our adoption").click()
    expect(page.get_by_text("is recorded as testing")).to_be_visible()
    check_page(page, axe, console, screenshot, "innovations-03-adoption")

    # Start a project from the change package.
    page.get_by_label("Your aim").fill("Halve restraint on Elm ward by June.")
    page.get_by_role("button", name="Start a project from the change package").click()
    expect(page.get_by_text("has started with the change package")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Started from the innovation"))).to_be_visible()
    check_page(page, axe, console, screenshot, "innovations-04-project")
    adoption = Adoption.objects.get()
    assert adoption.project is not None
    # Enter data (as the import would) so the adopter's outcome result shows.
    fi.add_points(
        Measure.objects.get(project=adoption.project, name="Restrictive practice incidents"),
        fi.SHIFT,
    )
    from qicollab.projects.models import Project

    Project.objects.filter(pk=adoption.project.pk).update(sharing="collaborative")

    # The source team sees the adopter on the spread timeline.
    page.context.clear_cookies()
    log_in(p["staff_a"].email)
    page.goto(f"{live_server.url}{inn.get_absolute_url()}")
    expect(page.locator("#adopters")).to_contain_text("Brook Test Partnership NHS Trust")
    check_page(page, axe, console, screenshot, "innovations-05-detail")
    page.get_by_role("link", name="See the spread").click()
    expect(page.locator("#timeline")).to_contain_text("Brook Test Partnership NHS Trust")
    expect(
        page.get_by_text("Restrictive practice incidents: Special-cause improvement.")
    ).to_be_visible()
    check_page(page, axe, console, screenshot, "innovations-06-spread")
    page.goto(f"{live_server.url}/collaboratives/{world.collab.slug}/innovations/")
    check_page(page, axe, console, screenshot, "innovations-07-list")

    # 390 px wide: nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    for name, url in (
        ("innovations-08-list-390", f"/collaboratives/{world.collab.slug}/innovations/"),
        ("innovations-09-detail-390", inn.get_absolute_url()),
        ("innovations-10-spread-390", f"{inn.get_absolute_url()}spread/"),
    ):
        page.goto(f"{live_server.url}{url}")
        check_page(page, axe, console, screenshot, name)
        _no_overflow(page, name)

    # The public showcase, without logging in, once the innovation is public.
    from qicollab.innovations.models import Innovation
    from qicollab.projects.models import Sharing

    Project.objects.filter(pk=project.pk).update(sharing=Sharing.PUBLIC)
    Innovation.objects.filter(pk=inn.pk).update(sharing="public")
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/showcase/")
    page.get_by_role("link", name="Ten-minute safety huddle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ten-minute safety huddle")
    check_page(page, axe, console, screenshot, "innovations-11-showcase")
