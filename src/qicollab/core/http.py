"""Small helpers shared by the thin function views."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

T = TypeVar("T")

if TYPE_CHECKING:
    from qicollab.accounts.models import Person


class AuthedHttpRequest(HttpRequest):
    """A request behind ``login_required``: ``user`` is a Person, never anonymous."""

    user: Person


def signed_in(request: HttpRequest) -> Person:
    """The signed-in person of a request that ``login_required`` or API auth let through."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied("sign in")
    return user


def require(user: Any, perm: str, obj: Any = None) -> None:
    """Raise 403 unless ``user`` has ``perm`` on ``obj``."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def found(obj: T | None) -> T:
    """404 when a scoped selector found nothing: the object is absent or not the viewer's."""
    if obj is None:
        raise Http404
    return obj


def paginate(request: HttpRequest, items: Any, per_page: int = 25) -> Page:  # type: ignore[type-arg]
    """The requested page; a bad or out-of-range page number gives the nearest real page."""
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))


def safe_next(request: HttpRequest, default: str) -> str:
    """A same-site redirect target from ``next``, or ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def pagination_context(request: HttpRequest, page: Page) -> dict[str, Any]:  # type: ignore[type-arg]
    """Previous/next links for the NHS.UK pagination component, keeping the filters."""
    params = request.GET.copy()

    def link(n: int) -> str:
        params["page"] = str(n)
        return "?" + params.urlencode()

    return {
        "previous": {
            "href": link(page.previous_page_number()),
            "labelText": f"Page {page.number - 1}",
        }
        if page.has_previous()
        else None,
        "next": {"href": link(page.next_page_number()), "labelText": f"Page {page.number + 1}"}
        if page.has_next()
        else None,
    }
