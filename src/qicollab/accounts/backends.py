"""Keep Django's model-permission backend out of checks it can never grant.

Permissions are decided by ``rules`` (one snapshot of roles per request, see ``roles.py``).
When a rule says no, Django asks the next backend, ``ModelBackend``, which loads the
person's user and group permissions: two queries on every page whose header asks, say,
``national.view_rollup`` for someone who may not see it. ``ModelBackend`` can only grant a
permission that exists as an ``auth_permission`` row, and those rows are created from the
models' ``Meta`` (the default add/change/delete/view permissions and ``Meta.permissions``).
A name that is not one of them (``deaths.view_any``, ``projects.manage_project``…) is
decided by its rule alone, so :class:`RulePermissionGate`, placed between the two, ends
the check there.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied


@cache
def model_permission_names() -> frozenset[str]:
    """Every ``app_label.codename`` that Django's permission tables can hold."""
    names: set[str] = set()
    for model in apps.get_models():
        opts = model._meta
        for action in opts.default_permissions:
            names.add(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for codename, _label in opts.permissions:
            names.add(f"{opts.app_label}.{codename}")
    return frozenset(names)


class RulePermissionGate(BaseBackend):
    """Refuses, without a query, a permission that only a rule can grant.

    Listed after ``rules``' backend and before ``ModelBackend``: Django stops at a backend
    that raises ``PermissionDenied``. It authenticates nobody.
    """

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if perm not in model_permission_names():
            raise PermissionDenied
        return False
