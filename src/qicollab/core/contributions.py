"""Page contributions: how an upper app adds to a lower app's page without being imported.

The programme-wide read side (``qicollab.insights``) depends on the domain apps and nothing
may depend on it, yet some domain pages show read-side figures (the collaborative hub's
project counts and dashboard links, a workstream's goal cards). The lower page asks for
its contributions by name; the upper app registers a provider in its ``AppConfig.ready``.
A page with no provider registered simply gets nothing extra.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Provider = Callable[..., dict[str, Any]]

_PROVIDERS: dict[str, list[Provider]] = {}


def register(page: str, provider: Provider) -> None:
    """Add ``provider`` to ``page``'s contributions (idempotent: ready() may run twice)."""
    providers = _PROVIDERS.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)


def collect(page: str, **kwargs: Any) -> dict[str, Any]:
    """The template context every provider of ``page`` adds, merged in registration order."""
    context: dict[str, Any] = {}
    for provider in _PROVIDERS.get(page, ()):
        context.update(provider(**kwargs))
    return context
