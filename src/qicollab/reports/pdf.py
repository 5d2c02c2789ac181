"""The one PDF renderer: a print template, rendered by WeasyPrint.

Every PDF the platform makes (storyboards, certificates, the learning-from-deaths and
national quarterly reports) is a Jinja2 template extending ``reports/print_base.jinja``,
which holds the page set-up (size, margins, the running footer with page numbers) and the
shared print stylesheet (fonts, colours, tables). This module turns such a template into
PDF bytes.

WeasyPrint is imported on first use: it loads Pango and friends, which a page request
never needs. Resources are fetched from ``data:`` URIs only -- charts and diagrams are
embedded that way -- so a URL in user-supplied text cannot make the server fetch from the
network or read local files while rendering (server-side request forgery). The base URL
still resolves relative links, so links in the PDF point back to the site.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

PDF_CONTENT_TYPE = "application/pdf"

#: The only scheme a print template may load resources from.
ALLOWED_PROTOCOLS = frozenset({"data"})


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render an HTML document (a print template's output) to PDF bytes.

    ``base_url`` resolves relative links (``request.build_absolute_uri("/")``).
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, allow_redirects=False)
    # One font configuration per document: it holds any @font-face the stylesheet loads.
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    out: bytes = document.write_pdf(font_config=fonts)
    return out


def render_pdf(
    template_name: str,
    context: Mapping[str, Any],
    *,
    request: HttpRequest | None = None,
    base_url: str | None = None,
) -> bytes:
    """Render a print template with *context* to PDF bytes.

    With a *request*, the template sees it (``request`` in the context) and links resolve
    against the site's address unless *base_url* says otherwise.
    """
    html = render_to_string(template_name, dict(context), request=request)
    if base_url is None and request is not None:
        base_url = request.build_absolute_uri("/")
    return html_to_pdf(html, base_url=base_url)
