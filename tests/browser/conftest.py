"""Browser fixtures: axe-core, console capture, screenshots and logging in through the form."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

from tests.conftest import ROOT
from tests.factories import PASSWORD

AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "node_modules/axe-core/axe.min.js"))
SCREENSHOTS = ROOT / "tests" / "screenshots"  # git-ignored

# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe-core's tags). Best-practice rules are left
# out so a failure always names a WCAG success criterion.
WCAG_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    }
}


def describe(violations: list[dict[str, Any]]) -> list[str]:
    """One readable line per violation, with the first offending elements."""
    out = []
    for v in violations:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        out.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return out


@pytest.fixture
def axe(page: Page) -> Callable[..., list[dict[str, Any]]]:
    """``axe(options=WCAG_AA)`` -> the axe-core violations in the page's current document."""
    if not AXE_JS.exists():
        pytest.skip(f"axe-core not installed at {AXE_JS} (npm install)")

    def run(options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, which the page's CSP does not govern;
            # an injected <script> tag would be refused and log a CSP error.
            page.evaluate(AXE_JS.read_text())
        result: dict[str, Any] = page.evaluate(
            "opts => axe.run(document, opts)", options if options is not None else WCAG_AA
        )
        return list(result["violations"])

    return run


class Console:
    """Everything the page said in its console, and uncaught errors."""

    def __init__(self, page: Page) -> None:
        self.messages: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.messages.append(f"pageerror: {exc}"))

    def _on_console(self, msg: ConsoleMessage) -> None:
        if msg.type in ("error", "warning"):
            where = msg.location.get("url", "") if msg.location else ""
            self.messages.append(f"{msg.type}: {msg.text} [{where}]")

    def errors(self) -> list[str]:
        # Pages without a favicon link (the Django admin) make the browser try
        # /favicon.ico on its own; that 404 is the browser's, not the page's.
        return [
            m
            for m in self.messages
            if not m.startswith("warning") and not m.endswith("/favicon.ico]")
        ]

    def csp(self) -> list[str]:
        return [m for m in self.messages if "Content Security Policy" in m]

    def clear(self) -> None:
        self.messages.clear()


def check_page(
    page: Page,
    axe: Callable[..., list[dict[str, Any]]],
    console: Console,
    screenshot: Callable[[str], Path],
    name: str,
) -> None:
    """The checks every journey makes on every page: wait for it to load, save a
    screenshot, and fail on any WCAG 2.2 AA violation, console error or CSP report."""
    page.wait_for_load_state("load")
    screenshot(name)
    violations = axe(WCAG_AA)
    assert not violations, f"{name}: " + "\n".join(describe(violations))
    assert not console.errors(), f"{name}: {console.errors()}"
    assert not console.csp(), f"{name}: {console.csp()}"


@pytest.fixture
def console(page: Page) -> Console:
    return Console(page)


@pytest.fixture
def screenshot(page: Page) -> Callable[[str], Path]:
    """``screenshot(name)`` saves a full-page PNG under tests/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def log_in(page: Page, live_server: Any) -> Callable[[str], None]:
    """``log_in(email)`` logs in through the real login form (so axes and CSRF run too)."""

    def go(email: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"login failed for {email}: {page.url}"

    return go
