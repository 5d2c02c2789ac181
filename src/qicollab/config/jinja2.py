"""The Jinja2 environment: NHS.UK frontend macros plus a few Django helpers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.timezone import localtime
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from qicollab.core import jinja_helpers
from qicollab.core.forms import error_list, field_context


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``{{ url('organisations:organisation_detail', org.slug) }}``."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    """Build the environment Django's Jinja2 backend uses for every page."""
    # Our templates first, then the nhsuk-frontend-jinja package's component macros.
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options["undefined"] = ChainableUndefined
    options.setdefault("extensions", []).append("jinja2.ext.do")
    env = Environment(**options)  # noqa: S701 - Django's backend turns autoescape on
    env.globals.update(
        url=url,
        static=static,
        # For folders (the design system's icons): the manifest only lists files, and the
        # unhashed copies stay served.
        static_url=settings.STATIC_URL,
        get_messages=messages.get_messages,
        has_perm=jinja_helpers.has_perm,
        field_context=field_context,
        breadcrumb_items=lambda crumbs: [{"text": t, "href": h} for t, h in crumbs],
        form_errors=error_list,
        settings_oidc_enabled=getattr(settings, "OIDC_ENABLED", False),
        oidc_login_label=getattr(settings, "OIDC_LOGIN_LABEL", ""),
        # The project page's measures section, without the projects app importing measures.
        measures_section=lambda *a: import_string("qicollab.measures.presenters.project_section")(
            *a
        ),
    )
    env.filters.update(
        date=lambda d, fmt="j F Y": date_format(d, fmt) if d else "",
        datetime=lambda d, fmt="j F Y, H:i": date_format(localtime(d), fmt) if d else "",
        history_changes=jinja_helpers.history_changes,
    )
    return env
