"""The REST API at /api/ (OpenAPI docs at /api/docs). Routers live in each app's api.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from qicollab.api.auth import session_auth, token_auth
from qicollab.core.services import EditConflict, version_token

api = NinjaAPI(
    title="qicollab API",
    version="1.0",
    description=(
        "Organisations, collaboratives, people and (as they land) projects, measures and "
        "charts. Authenticate scripts with a personal token (`Authorization: Bearer qic_…`, "
        "created on your profile page); pages use the session. Every endpoint applies the "
        "same permissions as the web pages."
    ),
    urls_namespace="api",
    auth=[token_auth, session_auth],
)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": "You do not have permission to do this."}, status=403
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    if request.headers.get("Authorization"):
        reason = (
            "The API token was not accepted: it may be mistyped, revoked, or belong to a "
            "closed account. Check it on your profile page, or create a new one."
        )
    else:
        reason = "Log in, or send a valid API token as 'Authorization: Bearer qic_…'."
    response = api.create_response(request, {"detail": reason}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="qicollab"'
    return response


@api.exception_handler(EditConflict)
def on_edit_conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    """Endpoints usually answer a conflict themselves with the current record; this is the net."""
    return api.create_response(
        request, {"detail": str(exc), "current_version": version_token(exc.current)}, status=409
    )


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Validation catches duplicates first; this is two requests racing for the same value.
    return api.create_response(
        request,
        {"detail": "This clashes with a record saved at the same moment. Check, then try again."},
        status=409,
    )


def _register_routers() -> None:
    """Each app contributes its router; importing here keeps app modules free of the API object."""
    from qicollab.accounts.api import me_router
    from qicollab.accounts.api import router as people_router
    from qicollab.organisations.api import router as organisations_router

    api.add_router("/", me_router)
    api.add_router("/", organisations_router)
    api.add_router("/people", people_router)
    api.add_router("/projects", "qicollab.projects.api.router")
    api.add_router("/", "qicollab.measures.api.router")
    api.add_router("/deaths", "qicollab.deaths.api.router")
    api.add_router("/capability", "qicollab.capability.api.router")
    api.add_router("/learning-sessions", "qicollab.events.api.router")
    api.add_router("/", "qicollab.collaborative.api.router")
    api.add_router("/", "qicollab.insights.api.router")
    api.add_router("/national", "qicollab.national.api.router")
    api.add_router("/jobs", "qicollab.jobs.api.router")


_register_routers()
