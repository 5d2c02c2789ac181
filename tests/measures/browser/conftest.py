"""The shared browser fixtures (axe-core, console capture, screenshots, logging in)."""

from tests.browser.conftest import axe, console, log_in, screenshot

__all__ = ["axe", "console", "log_in", "screenshot"]
