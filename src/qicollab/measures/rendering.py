"""Server-side rendering of chart specs (SVG and PNG through vl-convert), cached by content.

The same Vega-Lite spec the page draws with vega-embed renders here without a browser, for
downloads, reports, PDFs and for pages viewed without JavaScript. vl-convert's engine
takes a moment to start in each process, so results are cached by the spec's hash.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from django.core.cache import cache

CACHE_SECONDS = 60 * 60


def _key(kind: str, spec: dict[str, Any], scale: float = 1.0) -> str:
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    return f"measures:chart:{kind}:{scale}:{digest}"


def svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document."""
    key = _key("svg", spec)
    cached = cache.get(key)
    if cached is not None:
        return str(cached)
    import vl_convert

    out: str = vl_convert.vegalite_to_svg(spec)
    cache.set(key, out, CACHE_SECONDS)
    return out


def svg_data_uri(spec: dict[str, Any]) -> str:
    """The chart as a ``data:`` URI of its SVG, for an ``<img>`` under the strict CSP.

    The one place a chart becomes a URI: pages, PDFs and storyboards all embed it so.
    """
    return "data:image/svg+xml;base64," + base64.b64encode(svg(spec).encode()).decode()


def png(spec: dict[str, Any], *, scale: float = 2.0) -> bytes:
    """The chart as a PNG image (``scale`` 2 for sharp slides and posters)."""
    key = _key("png", spec, scale)
    cached = cache.get(key)
    if cached is not None:
        return bytes(cached)
    import vl_convert

    out: bytes = vl_convert.vegalite_to_png(spec, scale=scale)
    cache.set(key, out, CACHE_SECONDS)
    return out
