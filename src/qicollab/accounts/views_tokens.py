"""Personal API tokens (create, show the key once, list, revoke) and the calendar link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from qicollab.accounts import selectors, services
from qicollab.accounts.forms import ApiTokenForm
from qicollab.accounts.presenters import token_status
from qicollab.core.http import AuthedHttpRequest, found

# The new key travels from the POST to the page after the redirect in the session, and is
# removed as soon as it is shown: a reload cannot show it again or create a second token.
SESSION_NEW_KEY = "_new_api_token"


@never_cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    person = request.user
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.api_token_create(actor=person, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        except services.ApiTokenError as exc:
            form.add_error("name", str(exc))
        else:
            request.session[SESSION_NEW_KEY] = {"pk": token.pk, "key": key}
            return redirect("accounts:token_list")
    new = request.session.pop(SESSION_NEW_KEY, None)
    tokens = selectors.api_token_list(person=person)  # type: ignore[arg-type]
    return render(
        request,
        "accounts/token_list.jinja",
        {
            "page_title": "API tokens",
            "breadcrumbs": [("Your profile", reverse("accounts:profile")), ("API tokens", "")],
            "form": form,
            "rows": [(t, *token_status(t)) for t in tokens],
            "new_key": new["key"] if new else None,
            "new_token": tokens.filter(pk=new["pk"]).first() if new else None,
            "api_docs": "/api/docs",
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Scoped to the person's own tokens: anyone else's is "not found".
    token = found(selectors.api_token_list(person=request.user).filter(pk=pk).first())  # type: ignore[arg-type]
    if token.revoked_at:
        messages.info(request, f"The token '{token.name}' was already revoked.")
    else:
        services.api_token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
        messages.success(
            request,
            f"The token '{token.name}' has been revoked. Scripts using it will stop working.",
        )
    return redirect("accounts:token_list")


# --- calendar subscription link --------------------------------------------------------

SESSION_NEW_CALENDAR_KEY = "_new_calendar_key"


@never_cache
@login_required
def calendar_feed(request: AuthedHttpRequest) -> HttpResponse:
    """Get, reset or turn off the secret link calendar apps use to subscribe to your sessions."""
    person = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reset":
            _, key = services.calendar_token_reset(actor=person)
            request.session[SESSION_NEW_CALENDAR_KEY] = key
        elif action == "revoke":
            if services.calendar_token_revoke(actor=person):
                messages.success(
                    request,
                    "Your calendar link has been turned off. Calendars subscribed to it stop "
                    "updating; remove the subscription from your calendar app too.",
                )
            else:
                messages.info(request, "You had no calendar link to turn off.")
        else:
            messages.error(request, "Choose to get a new link or to turn the link off.")
        return redirect("accounts:calendar_feed")
    key = request.session.pop(SESSION_NEW_CALENDAR_KEY, None)
    link = (
        settings.SITE_URL.rstrip("/") + reverse("events:my_ics_feed", args=[key]) if key else None
    )
    return render(
        request,
        "accounts/calendar_feed.jinja",
        {
            "page_title": "Your calendar link",
            "breadcrumbs": [("Your profile", reverse("accounts:profile")), ("Calendar link", "")],
            "token": selectors.calendar_token_active(person=person),
            "link": link,
            "webcal": "webcal://" + link.split("://", 1)[1] if link else None,
        },
    )
