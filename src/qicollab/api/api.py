"""The REST API at /api/ (OpenAPI docs at /api/docs). Routers live in each app's api.py."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.parser import Parser

from qicollab.api.auth import session_auth, token_auth
from qicollab.api.errors import refused
from qicollab.api.schemas import (
    MAX_INT,
    ErrorOut,
    FieldErrorsOut,
    UnsafeInput,
    unsafe_text,
)
from qicollab.core.services import EditConflict, ServiceError, version_token
from qicollab.core.text import text_problem


class SafeTextParser(Parser):
    """The JSON and query parser, refusing NUL bytes and lone surrogates in any string.

    Every request body and query string passes through here, so no endpoint, schema or
    service ever sees text that PostgreSQL, UTF-8 or the spreadsheet exports would reject.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        errors = unsafe_text(data, ("body",))
        if errors:
            raise UnsafeInput(errors)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        values = {k: v[0] if len(v) == 1 else v for k, v in data.lists()}
        errors = unsafe_text(values, ("query",))
        if errors:
            # Query strings and form fields share this parser; the loc names the first.
            raise UnsafeInput(errors)
        return super().parse_querydict(data, list_fields, request)


#: The error answers any operation may give, documented on each one that does not say.
ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: ("ErrorOut", "The body is not valid JSON."),
    401: ("ErrorOut", "No valid credentials (a token or a session)."),
    403: ("ErrorOut", "You may see this but not do this."),
    404: ("ErrorOut", "Not found, or not visible to you."),
    409: ("ErrorOut", "A concurrent edit, or a clash with another record."),
    422: ("FieldErrorsOut", "The request was refused: see detail."),
    428: ("ErrorOut", "Send the version you read (in the body or an If-Match header)."),
}
_WRITES = {"post", "put", "patch", "delete"}


class QicollabAPI(NinjaAPI):
    """NinjaAPI with a schema that documents every error answer and a guard on paths.

    Errors are answered by the exception handlers below for every route, so the schema
    adds them to every operation rather than relying on each route to list them.
    """

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema["components"]["schemas"]
        for model in (ErrorOut, FieldErrorsOut):
            definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(definition.pop("$defs", {}))
            components[model.__name__] = definition
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for code, (name, description) in ERROR_RESPONSES.items():
                    if code in (400, 409, 428) and method not in _WRITES:
                        continue
                    if code == 428 and method not in {"put", "patch"}:
                        continue
                    ref = {"$ref": f"#/components/schemas/{name}"}
                    existing = responses.get(code)
                    if existing is None or (code == 422 and "ErrorOut" in json.dumps(existing)):
                        # One documented shape for every 422 (a route's own richer shape,
                        # such as a bulk push's per-point errors, is kept).
                        responses[code] = {
                            "description": description,
                            "content": {"application/json": {"schema": ref}},
                        }
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for url in urls:
            if isinstance(url, URLPattern):
                url.callback = _guard_path(url.callback)
        return urls


def _guard_path(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """404 for a path parameter that cannot name anything: NUL bytes, or ids too large."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        for value in kwargs.values():
            if isinstance(value, str) and (
                text_problem(value) or (value.isdigit() and int(value) > MAX_INT)
            ):
                return JsonResponse({"detail": "Not found."}, status=404)
        return view(request, *args, **kwargs)

    return guarded


api = QicollabAPI(
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
    parser=SafeTextParser(),
)


@api.exception_handler(UnsafeInput)
def on_unsafe_input(request: HttpRequest, exc: UnsafeInput) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja wraps anything the body parser raises in a 400 "Cannot parse request body";
    # refused text is a 422 with its location, not a parse failure.
    if isinstance(exc.__cause__, UnsafeInput):
        return on_unsafe_input(request, exc.__cause__)
    if isinstance(exc.__cause__, json.JSONDecodeError | UnicodeDecodeError):
        return api.create_response(
            request, {"detail": f"The body is not valid JSON: {exc.__cause__}"}, status=400
        )
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


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


@api.exception_handler(ServiceError)
def on_refused(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    """A refused business rule (any app's ``ServiceError``) as 422 for the field it names."""
    return on_invalid(request, refused(exc))


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
    api.add_router("/excellence", "qicollab.excellence.api.router")
    api.add_router("/huddles", "qicollab.huddles.api.router")
    api.add_router("/jobs", "qicollab.jobs.api.router")
    api.add_router("/notifications", "qicollab.notifications.api.router")
    api.add_router("/culture", "qicollab.culture.api.router")
    api.add_router("/", "qicollab.search.api.router")
    api.add_router("/", "qicollab.discussion.api.router")
    api.add_router("/", "qicollab.innovations.api.router")


_register_routers()
