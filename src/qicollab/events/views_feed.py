"""The personal calendar feed that calendar apps subscribe to, opened by a secret link.

Calendar apps cannot log in, so the link carries a calendar token (see
``accounts.models.CalendarFeedToken``). The token opens this feed only; a wrong, revoked or
malformed token is a 404, so the response never says whether a token exists.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from qicollab.accounts import selectors as account_selectors
from qicollab.accounts import services as account_services
from qicollab.events import ics, selectors


@require_safe
def my_ics_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The sessions the token's owner has a place at, as iCalendar; no session cookie needed."""
    found = account_selectors.calendar_token_find(token)
    if found is None:
        raise Http404
    account_services.calendar_token_used(token=found)
    body = ics.calendar(
        selectors.feed_sessions(person=found.person),
        name="My learning sessions",
        site_url=settings.SITE_URL,
    )
    resp = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    resp["Content-Disposition"] = 'inline; filename="my-learning-sessions.ics"'
    # The URL is the secret: keep it out of shared caches, search engines and referrers.
    resp["Cache-Control"] = "private, max-age=900"
    resp["X-Robots-Tag"] = "noindex, nofollow"
    resp["Referrer-Policy"] = "no-referrer"
    return resp
