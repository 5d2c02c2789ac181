"""Page contributions: how an upper app adds to a lower app's page without being imported.

The programme-wide read side (``qicollab.insights``) depends on the domain apps and nothing
may depend on it, yet some domain pages show read-side figures (the collaborative hub's
project counts and dashboard links, a workstream's goal cards). The lower page asks for
its contributions by name; the upper app registers a provider in its ``AppConfig.ready``.
A page with no provider registered simply gets nothing extra.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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


# --- Blocks: a page made of independent parts (the My work home page) --------------------


@dataclass(frozen=True)
class Block:
    """One part of a page of blocks, drawn by its own template with its own context.

    ``action`` is the link to the page that acts on the block as a whole (text, URL);
    ``order`` places it (lower first); ``empty`` blocks are drawn only with ``show_empty``.
    """

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    action: tuple[str, str] | None = None
    empty: bool = False
    #: "full" spans the page; "half" shares a row with another half block on wide screens.
    width: str = "half"


BlockProvider = Callable[..., "Block | None"]

_BLOCKS: dict[str, list[BlockProvider]] = {}


def register_block(page: str, provider: BlockProvider) -> None:
    """Add a block provider to ``page`` (idempotent). The provider is called with the page's
    keyword arguments and returns a :class:`Block`, or ``None`` when it has nothing to say
    to this viewer (a programme manager's block for someone who manages nothing)."""
    providers = _BLOCKS.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)


def collect_blocks(page: str, **kwargs: Any) -> list[Block]:
    """Every block ``page``'s providers give for these arguments, in ``order``."""
    blocks = [b for p in _BLOCKS.get(page, ()) if (b := p(**kwargs)) is not None]
    return sorted(blocks, key=lambda b: (b.order, b.key))
