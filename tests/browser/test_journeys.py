"""Journeys in a real browser: log in, walk the main pages, check each with axe-core.

Every page visited is checked against WCAG 2.0/2.1/2.2 A and AA, must log no CSP
violations or script errors, and is saved as a full-page screenshot under
``tests/screenshots/`` for people to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from qicollab.organisations.models import Collaborative
from tests import factories as f
from tests.browser.conftest import WCAG_AA, Console, describe
from tests.conftest import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),  # the live server runs in another thread
    pytest.mark.xdist_group("browser"),
]

Axe = Callable[..., list[dict[str, Any]]]
Shot = Callable[[str], Path]


@pytest.fixture
def rich_world(world: World) -> World:
    """The shared world plus what makes pages realistic: workstreams, themes, a purpose,
    and a second collaborative for trust A (so its people have something to switch to)."""
    c = world.collab
    c.purpose = "Eleven mental health trusts reducing restrictive practice together."
    c.region = "sw"
    c.save()
    f.WorkstreamFactory(
        collaborative=c,
        name="Reducing restrictive practice",
        subtitle="Fewer restraints and seclusions",
        goal_statement="Every member ward tests one change idea by March.",
    )
    f.WorkstreamFactory(collaborative=c, name="Sexual safety on wards")
    theme = f.ThemeFactory(collaborative=c, name="Co-production")
    f.ThemePrincipleFactory(theme=theme, text="Patients as partners in their care")
    second = f.CollaborativeFactory(
        name="Wessex Medicines Safety Collaborative", short_name="Wessex medicines safety"
    )
    f.MembershipFactory(collaborative=second, organisation=world.trust_a)
    return world


def check(page: Page, axe: Axe, console: Console, screenshot: Shot, name: str) -> None:
    """Screenshot the page, then require no WCAG A/AA violations and no console errors."""
    page.wait_for_load_state("load")
    screenshot(name)
    violations = axe(WCAG_AA)
    assert not violations, f"{name}: " + "\n".join(describe(violations))
    assert not console.errors(), f"{name}: {console.errors()}"


def menu_link(page: Page, name: str) -> Locator:
    """A main-menu link, opening the header's "More" menu when the link has moved into it
    (the NHS.UK header moves the items that do not fit the width there)."""
    nav = page.get_by_role("navigation", name="Main menu")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.first.is_visible():
        nav.locator(".nhsuk-header__menu-toggle").click()
    return link.first


def test_axe_catches_a_violation(page: Page, axe: Axe) -> None:
    """The checker itself works, so the journeys cannot pass vacuously."""
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<img src="x.png"><a href="/x"></a><input type="text"></main></body></html>'
    )
    ids = {v["id"] for v in axe(WCAG_AA)}
    assert {"image-alt", "link-name", "label"} <= ids


def test_signed_out_pages(
    page: Page, live_server: Any, rich_world: World, axe: Axe, console: Console, screenshot: Shot
) -> None:
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Improve care together")
    check(page, axe, console, screenshot, "00-landing")

    page.goto(f"{live_server.url}{rich_world.collab.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(rich_world.collab.name)
    # Public page: members are named, but their pages are not linked for visitors.
    expect(page.get_by_role("cell", name=rich_world.trust_a.name)).to_be_visible()
    expect(page.get_by_role("link", name=rich_world.trust_a.name)).to_have_count(0)
    check(page, axe, console, screenshot, "01-collaborative-public")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Log in").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter your email address.")
    check(page, axe, console, screenshot, "02-login-errors")


def test_main_journey(
    page: Page,
    live_server: Any,
    rich_world: World,
    log_in: Callable[[str], None],
    axe: Axe,
    console: Console,
    screenshot: Shot,
) -> None:
    w = rich_world
    base = live_server.url
    log_in("pm_a@example.nhs.uk")

    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    check(page, axe, console, screenshot, "10-home")

    page.get_by_role("link", name=f"About {w.collab.display_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w.collab.name)
    expect(page.get_by_role("link", name=w.trust_b.name)).to_be_visible()  # members see links
    check(page, axe, console, screenshot, "11-collaborative")

    menu_link(page, "Organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    check(page, axe, console, screenshot, "12-organisation-list")

    page.get_by_role("link", name=w.trust_a.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w.trust_a.name)
    expect(page.get_by_role("link", name="Staff A")).to_be_visible()  # own people listed
    check(page, axe, console, screenshot, "13-organisation-detail")

    page.get_by_role("button", name="Edit details").click()  # a link styled as a button
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {w.trust_a.name}")
    ods = page.get_by_label("ODS code")
    ods.fill("XY")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_contain_text(["ODS code"])
    expect(page.get_by_label("ODS code")).to_have_value("XY")  # what was typed is kept
    # Screen-reader users hear of the error first, in the page title.
    expect(page).to_have_title(re.compile(rf"^Error: Edit {re.escape(w.trust_a.name)} "))
    # The error summary's link takes keyboard users to the field.
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("ODS code")).to_be_focused()
    check(page, axe, console, screenshot, "14-organisation-edit-error")
    w.trust_a.refresh_from_db()
    assert w.trust_a.ods_code == "RA1"  # nothing saved

    page.goto(f"{base}/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    check(page, axe, console, screenshot, "17-profile")

    page.goto(f"{base}/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    console.clear()  # the browser logs the 404 response itself as an error
    check(page, axe, console, screenshot, "18-not-found")

    page.get_by_role("link", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log out")
    check(page, axe, console, screenshot, "19-logout-confirm")
    page.get_by_role("main").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    check(page, axe, console, screenshot, "20-logged-out")


def test_people_pages(
    page: Page,
    live_server: Any,
    rich_world: World,
    log_in: Callable[[str], None],
    axe: Axe,
    console: Console,
    screenshot: Shot,
) -> None:
    log_in("pm_a@example.nhs.uk")
    menu_link(page, "People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect(page.get_by_role("link", name="Staff A")).to_be_visible()
    expect(page.get_by_role("link", name="Pm O")).to_have_count(0)  # another region's manager
    check(page, axe, console, screenshot, "15-people")

    page.get_by_role("link", name="Staff A").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff A")
    check(page, axe, console, screenshot, "16-person-detail")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    page: Page, live_server: Any, rich_world: World, log_in: Callable[[str], None]
) -> None:
    log_in("staff_a@example.nhs.uk")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # visible when focused
    page.keyboard.press("Enter")
    expect(page.locator("main#maincontent")).to_be_focused()
    # The next Tab continues from the main content, not from the header.
    page.keyboard.press("Tab")
    in_main = page.evaluate("document.activeElement.closest('main') !== null")
    assert in_main


def test_csp_nonce_lets_the_pages_own_inline_script_run(
    page: Page, live_server: Any, rich_world: World, console: Console
) -> None:
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in policy  # the CSP is really on
    nonce = policy.split("'nonce-")[1].split("'")[0]
    # Browsers hide the nonce attribute from the DOM once used; the property keeps it.
    assert page.evaluate("document.querySelector('body > script').nonce") == nonce
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    expect(page.locator("body")).to_have_class(re.compile(r"\bnhsuk-frontend-supported\b"))
    assert not console.csp(), console.csp()
    assert not console.errors(), console.errors()

    # An inline script without the nonce is refused (so the check above means something).
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__injected = true'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(100)
    assert page.evaluate("window.__injected === undefined")
    assert console.csp(), "the browser should report the refused inline script"


def test_switching_collaborative_in_the_header(
    page: Page,
    live_server: Any,
    rich_world: World,
    log_in: Callable[[str], None],
    axe: Axe,
    console: Console,
    screenshot: Shot,
) -> None:
    log_in("pm_a@example.nhs.uk")
    page.goto(f"{live_server.url}/organisations/")
    bar = page.locator(".app-collab-bar")
    second = Collaborative.objects.get(name="Wessex Medicines Safety Collaborative")
    first = rich_world.collab
    current = bar.locator(".app-collab-bar__name")
    expect(current).to_have_text(first.display_name)
    switcher = bar.get_by_label("Switch collaborative")
    expect(switcher.locator("option")).to_have_text(
        sorted([first.display_name, second.display_name])
    )
    check(page, axe, console, screenshot, "30-switcher")

    # With JavaScript, choosing is enough; the page reloads where the person was.
    with page.expect_navigation():
        switcher.select_option(label=second.display_name)
    expect(current).to_have_text(second.display_name)
    assert page.url.endswith("/organisations/")

    # The Switch button works too (keyboard and no-JavaScript users).
    page.evaluate(
        "document.getElementById('switch-collaborative').replaceWith("
        "document.getElementById('switch-collaborative').cloneNode(true))"
    )  # drops the auto-submit listener
    bar.get_by_label("Switch collaborative").select_option(label=first.display_name)
    bar.get_by_role("button", name="Switch").click()
    expect(current).to_have_text(first.display_name)
    page.goto(f"{live_server.url}/")
    # My work links to the collaborative now chosen.
    expect(page.get_by_role("link", name=f"About {first.display_name}")).to_be_visible()


def test_admin_works_under_the_csp(
    page: Page,
    live_server: Any,
    rich_world: World,
    log_in: Callable[[str], None],
    console: Console,
    screenshot: Shot,
) -> None:
    """The Django admin uses only external scripts, so the strict CSP does not break it."""
    f.PersonFactory(
        email="operator@example.nhs.uk", full_name="Operator", is_staff=True, is_superuser=True
    )
    log_in("operator@example.nhs.uk")
    base = live_server.url

    page.goto(f"{base}/admin/")
    expect(page.locator("#site-name")).to_contain_text("qicollab administration")
    screenshot("40-admin-index")

    page.goto(f"{base}/admin/organisations/collaborative/{rich_world.collab.pk}/change/")
    expect(page.locator("h2").first).to_be_visible()
    # filter_horizontal's widget is built by the admin's JavaScript: it ran.
    expect(page.locator(".selector-available").first).to_be_visible()
    expect(page.get_by_role("heading", name="Member organisations", exact=False)).to_be_visible()
    screenshot("41-admin-collaborative")

    page.goto(f"{base}/admin/accounts/person/{rich_world.people['staff_a'].pk}/change/")
    expect(page.get_by_text("Set (set a new password)", exact=False)).to_be_visible()
    screenshot("42-admin-person")

    assert not console.errors(), console.errors()

    page.goto(f"{base}/admin/organisations/organisation/{rich_world.trust_a.pk}/history/")
    expect(page.locator("#content h1")).to_contain_text(rich_world.trust_a.name)
    screenshot("43-admin-history")
    # Known and harmless: simple_history's history list has one inline style attribute
    # (style="border-top: 0" on the paginator), which the CSP refuses. The page works;
    # the paginator only keeps its top border. Anything else is a real problem.
    others = [m for m in console.errors() if "Applying inline style" not in m]
    assert not others, others
    assert len(console.errors()) <= 1, console.errors()


def test_staff_without_superuser_sees_a_scoped_admin(
    page: Page,
    live_server: Any,
    rich_world: World,
    log_in: Callable[[str], None],
    screenshot: Shot,
) -> None:
    pm = rich_world.people["pm_a"]
    pm.is_staff = True
    pm.save(update_fields=["is_staff"])
    log_in("pm_a@example.nhs.uk")
    page.goto(f"{live_server.url}/admin/organisations/organisation/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)  # trusts A and B: the organisations of their collaborative
    expect(page.locator("#result_list")).not_to_contain_text(rich_world.trust_o.name)
    screenshot("44-admin-scoped-changelist")
