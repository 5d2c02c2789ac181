"""Discover every GET page a person can reach, for the performance budget (issue 18).

Used by ``bench/bench_crawl.py`` (``make bench``: wall time and queries per route on the
national data set) and by ``tests/test_crawl_budget.py`` (the CI check that no route's
query count grows with the data). Nothing here lists the platform's pages by hand, so an
app merged later is covered as soon as its pages are linked or its objects have a
``get_absolute_url``:

1. **From the URL resolver.** Every URL pattern is walked (:func:`routes`). Patterns with
   no parameters are requested directly. A pattern's parameters are filled from real
   objects the person has reached: the values seen on a reached URL whose pattern shares
   the same *prefix up to the last parameter* (``projects/<slug:slug>/pdsa/`` takes its
   ``slug`` from a reached ``projects/<slug:slug>/``; ``.../measures/<int:pk>/data/``
   takes ``slug`` and ``pk`` together from a reached measure page, so they belong to one
   another). Objects enter through the links below and through ``get_absolute_url`` of a
   few objects of every model that has one (the loaded data set's own objects).
2. **From the pages.** Every same-origin ``<a href>`` of each HTML page reached (query
   strings and fragments dropped, so that the small and the large data set give the same
   URLs) is resolved against the URL patterns and followed.

At most ``per_route`` URLs are kept per pattern (the first reached, breadth first), so the
crawl costs the number of patterns, not the size of the data.

Not requested (:data:`EXCLUDED_PREFIXES`, :data:`EXCLUDED_NAME_WORDS`): the JSON API and
Django's admin (their own budgets and tests; not pages of the product's layout), the
health and metrics probes (not pages), logging out (it would end the crawl's session), and
any route whose name contains a verb that changes or ends something (delete, remove,
withdraw, revoke, cancel, end, resend, steal, switch, approve, reopen, start, complete,
enrol, check in, register, book, seed, accept): those answer GET with a confirmation page
and act on POST, but a crawler must not depend on it, and the data must be the same
before and after a crawl for counts to be comparable. A GET that writes anything anyway
(other than the session and the last-login time) is reported in :attr:`Visit.writes`.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse
from django.urls.resolvers import URLPattern, URLResolver

#: Route prefixes never requested, and why.
EXCLUDED_PREFIXES: dict[str, str] = {
    "api/": "the JSON API: its own schema, tests and fuzzing; not a page",
    "admin/": "Django's admin: staff tooling outside the product's layout and budget",
    "oidc/": "single sign-on hand-offs to the identity provider",
}
#: URL names never requested (whole name), and why.
EXCLUDED_NAMES: dict[str, str] = {
    "core:healthz": "a health probe, not a page",
    "core:readyz": "a readiness probe, not a page",
    "core:metrics": "the Prometheus scrape, not a page",
    "accounts:logout": "ends the crawl's session",
    "accounts:login": "the anonymous sign-in form (the crawl is signed in)",
}
#: A route whose name contains one of these words changes or ends something.
EXCLUDED_NAME_WORDS = (
    "delete",
    "remove",
    "withdraw",
    "revoke",
    "cancel",
    "end",
    "resend",
    "steal",
    "unsteal",
    "switch",
    "approve",
    "reopen",
    "start",
    "complete",
    "enrol",
    "check_in",
    "register",
    "book",
    "seed",
    "accept",
    "move",
)
_WORDS = re.compile(r"(?:^|[:_])(" + "|".join(EXCLUDED_NAME_WORDS) + r")(?:$|_)")
_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
#: SQL a GET may write: the session row and the last-login time.
_ALLOWED_WRITES = ("django_session", "last_login")
#: Body types whose links are read.
_HTML = "text/html"


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route string and namespaced name."""

    route: str
    name: str

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in _PARAM.finditer(self.route)]


def exclusion(route: str, name: str) -> str:
    """Why a route is not requested ("" when it is).

    >>> exclusion("projects/<slug:slug>/pdsa/<int:pk>/delete/", "projects:pdsa_delete")
    'changes or ends something (delete)'
    >>> exclusion("projects/<slug:slug>/", "projects:project_detail")
    ''
    >>> exclusion("api/projects", "api-1.0.0:list")
    'the JSON API: its own schema, tests and fuzzing; not a page'
    """
    for prefix, why in EXCLUDED_PREFIXES.items():
        if route.startswith(prefix):
            return why
    if name in EXCLUDED_NAMES:
        return EXCLUDED_NAMES[name]
    word = _WORDS.search(name.split(":")[-1])
    if word:
        return f"changes or ends something ({word.group(1)})"
    return ""


def _walk(
    patterns: Iterable[URLPattern | URLResolver], prefix: str, ns: str
) -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), inner)
        else:
            yield prefix + str(p.pattern), f"{ns}:{p.name}" if ns else str(p.name or "")


def routes() -> list[Route]:
    """Every URL pattern of the site, in the resolver's order."""
    return [Route(r, n) for r, n in _walk(get_resolver().url_patterns, "", "")]


def _prefixes(route: str) -> list[tuple[str, list[str]]]:
    """The route cut after each parameter, with the parameters up to there.

    >>> _prefixes("projects/<slug:slug>/measures/<int:pk>/data/")
    [('projects/<slug:slug>', ['slug']), ('projects/<slug:slug>/measures/<int:pk>', ['slug', 'pk'])]
    """
    out = []
    names: list[str] = []
    for m in _PARAM.finditer(route):
        names.append(m.group("name"))
        out.append((route[: m.end()], list(names)))
    return out


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def page_links(html: str) -> list[str]:
    """Same-origin paths linked from a page, without query string or fragment.

    >>> page_links('<a href="/projects/x/?page=2#top">x</a><a href="https://nhs.uk/">y</a>'
    ...            '<a href="mailto:a@b">z</a><a href="#main">skip</a>')
    ['/projects/x/']
    """
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        out.append(parts.path)
    return out


@dataclass
class Visit:
    """One URL requested by the crawl."""

    url: str
    route: str
    name: str
    status: int
    content_type: str = ""
    #: Queries of the request with the cache cleared first, then of a second request.
    cold_queries: int = 0
    warm_queries: int = 0
    #: Statements other than the session's that wrote on a GET.
    writes: list[str] = field(default_factory=list)
    cold_ms: float = 0.0
    warm_ms: float = 0.0


@dataclass
class Crawl:
    """What one person's crawl found."""

    visits: dict[str, Visit] = field(default_factory=dict)
    #: Routes never requested, with the reason.
    excluded: dict[str, str] = field(default_factory=dict)

    def reached(self) -> list[Visit]:
        """Visits answered 200, one line per URL, in route order."""
        return sorted(
            (v for v in self.visits.values() if v.status == 200), key=lambda v: (v.route, v.url)
        )

    def unreached(self, all_routes: list[Route]) -> list[Route]:
        """Routes not excluded that no URL of this crawl answered with 200."""
        ok = {v.route for v in self.reached()}
        return [r for r in all_routes if r.route not in ok and r.route not in self.excluded]


@dataclass(frozen=True)
class Counted:
    """One GET's answer and the SQL it ran."""

    response: Any
    queries: int
    writes: list[str]
    #: Wall time of the request in milliseconds (queries captured, so a little slower).
    ms: float = 0.0

    @property
    def status(self) -> int:
        return int(self.response.status_code)

    @property
    def content_type(self) -> str:
        return str(self.response.get("Content-Type", "")).split(";")[0]


def count_queries(client: Client, url: str, *, cold: bool) -> Counted:
    """One GET with its queries counted, the cache cleared first if ``cold``."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        resp = client.get(url)
        ms = (time.perf_counter() - started) * 1000
    writes = [
        q["sql"][:160]
        for q in ctx.captured_queries
        if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", q["sql"], re.I)
        and not any(a in q["sql"] for a in _ALLOWED_WRITES)
    ]
    return Counted(resp, len(ctx.captured_queries), writes, ms)


def _seed_urls() -> list[str]:
    """``get_absolute_url`` of the first few objects of every model that has one."""
    out: list[str] = []
    for model in apps.get_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        for obj in model._default_manager.order_by("pk")[:3]:
            try:
                url = obj.get_absolute_url()
            except (NoReverseMatch, AttributeError, ValueError, TypeError):
                continue
            if isinstance(url, str) and url.startswith("/"):
                out.append(urlsplit(url).path)
    return out


def crawl(
    client: Client,
    *,
    per_route: int = 1,
    skip: Callable[[Route], str] | None = None,
    seeds: Iterable[str] = (),
    max_visits: int = 2000,
) -> Crawl:
    """Crawl the site as ``client``'s person, counting each URL's queries cold and warm.

    ``skip(route)`` may exclude more routes (returning why); ``seeds`` adds start paths.
    """
    all_routes = routes()
    result = Crawl()
    for r in all_routes:
        why = exclusion(r.route, r.name) or (skip(r) if skip else "")
        if why:
            result.excluded[r.route] = why
    kept: dict[str, list[str]] = {}
    #: prefix (route up to a parameter) -> kwargs seen on reached URLs under it.
    seen_kwargs: dict[str, list[dict[str, Any]]] = {}
    queue: deque[str] = deque()
    for r in all_routes:
        if not r.params and r.route not in result.excluded and r.name:
            try:
                queue.append(reverse(r.name))
            except NoReverseMatch:
                continue
    queue.extend(seeds)
    queue.extend(_seed_urls())

    def visit(url: str) -> None:
        if url in result.visits or len(result.visits) >= max_visits:
            return
        try:
            match = resolve(url)
        except Resolver404:
            return
        route = match.route
        if route in result.excluded:
            return
        if len(kept.get(route, [])) >= per_route:
            return
        cold = count_queries(client, url, cold=True)
        v = Visit(
            url,
            route,
            match.view_name,
            cold.status,
            cold.content_type,
            cold.queries,
            0,
            cold.writes,
        )
        v.cold_ms = cold.ms
        result.visits[url] = v
        if cold.status != 200:
            if cold.status in (301, 302, 303) and cold.response.get("Location", "").startswith("/"):
                queue.append(urlsplit(cold.response["Location"]).path)
            return
        kept.setdefault(route, []).append(url)
        warm = count_queries(client, url, cold=False)
        v.warm_queries = warm.queries
        v.warm_ms = warm.ms
        v.writes += warm.writes
        for prefix, names in _prefixes(route):
            kw = {n: match.kwargs[n] for n in names if n in match.kwargs}
            seen_kwargs.setdefault(prefix, []).append(kw)
        if v.content_type == _HTML:
            queue.extend(page_links(warm.response.content.decode("utf-8", "replace")))

    while True:
        while queue:
            visit(queue.popleft())
        # Fill the parameters of routes still unreached from the values seen so far.
        added = 0
        for r in all_routes:
            if not r.params or r.route in result.excluded or r.route in kept or not r.name:
                continue
            prefixes = _prefixes(r.route)
            last_prefix = prefixes[-1][0]
            for kw in seen_kwargs.get(last_prefix, [])[:per_route]:
                try:
                    url = reverse(r.name, kwargs=kw)
                except NoReverseMatch:
                    continue
                if url not in result.visits:
                    queue.append(url)
                    added += 1
        if not added:
            break
    return result


def time_get(client: Client, url: str, *, runs: int, cold: bool) -> list[float]:
    """Wall times (ms) of ``runs`` GETs of ``url``, the cache cleared before each if cold."""
    out = []
    for _ in range(runs):
        if cold:
            cache.clear()
        started = time.perf_counter()
        client.get(url)
        out.append((time.perf_counter() - started) * 1000)
    return out
