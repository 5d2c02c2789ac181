"""Who may see, curate and use a collaborative's measure library (the ``rules`` package).

Measures themselves follow their project's rules (``projects.view_project`` and
``projects.change_project``). The library belongs to a collaborative:

* **view** (and open the cross-site view): the collaborative's leads, faculty, sponsors,
  national admins and everyone at its current member organisations;
* **curate** (add and edit definitions, which makes a new version): the collaborative's
  leads and faculty and national admins of its programme;
* **use** (create a measure from a definition): anyone who may edit the project's content,
  when the project belongs to the library's collaborative.

:func:`qicollab.measures.library.selectors.visible_library` mirrors ``can_view_library``.
"""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for
from qicollab.measures.models import LibraryMeasure
from qicollab.organisations.models import Collaborative


def _collab_id(obj: LibraryMeasure | Collaborative) -> int:
    return obj.collaborative_id if isinstance(obj, LibraryMeasure) else obj.pk


@rules.predicate
def can_view_library(user: Any, obj: LibraryMeasure | Collaborative | None) -> bool:
    """Members and coordinators of the library's collaborative."""
    r = roles_for(user)
    if not r.is_authenticated:
        return False
    if obj is None or r.is_superuser:
        return True
    return _collab_id(obj) in r.visible_collab_ids


@rules.predicate
def can_curate_library(user: Any, obj: LibraryMeasure | Collaborative | None) -> bool:
    """Leads, faculty and national admins of the collaborative."""
    r = roles_for(user)
    if not r.is_authenticated:
        return False
    if r.is_superuser:
        return True
    if obj is None:
        return bool(r.coordinator_collab_ids)
    return _collab_id(obj) in r.coordinator_collab_ids


rules.add_perm("measures.view_librarymeasure", can_view_library)
rules.add_perm("measures.add_librarymeasure", can_curate_library)
rules.add_perm("measures.change_librarymeasure", can_curate_library)
