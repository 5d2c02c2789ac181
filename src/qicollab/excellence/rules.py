"""Permissions of Learning from Excellence.

* ``excellence.view_report``: the rule of :func:`qicollab.excellence.selectors.visible_reports`
  (reporter, recipients, managers told with consent, LfE leads, everyone in the organisation
  once every recipient agreed to share it).
* ``excellence.lead``: the organisation's LfE leads (themes, acknowledgements, inquiries, the
  dashboard, the export).
* ``excellence.manage_leads``: the organisation's programme manager chooses the LfE leads.
* ``excellence.view_rollup``: counts across a collaborative, for anyone in it.

Predicates accept an :class:`Organisation`, or any object with ``organisation_id``.
"""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for
from qicollab.excellence.access import lead_org_ids


def _org_id(obj: Any) -> int | None:
    if obj is None:
        return None
    return getattr(obj, "organisation_id", None) or getattr(obj, "pk", None)


@rules.predicate
def can_view_report(user: Any, report: Any) -> bool:
    from qicollab.excellence.selectors import visible_reports

    if report is None:
        return False
    return visible_reports(viewer=user).filter(pk=report.pk).exists()


@rules.predicate
def is_lfe_lead(user: Any, obj: Any) -> bool:
    leads = lead_org_ids(user)
    if obj is None:
        return bool(leads)
    return _org_id(obj) in leads


@rules.predicate
def is_org_programme_manager(user: Any, obj: Any) -> bool:
    managed = roles_for(user).managed_org_ids
    if obj is None:
        return bool(managed)
    return _org_id(obj) in managed


@rules.predicate
def in_collaborative(user: Any, collab: Any) -> bool:
    r = roles_for(user)
    if collab is None:
        return bool(r.visible_collab_ids)
    return collab.pk in r.visible_collab_ids


rules.add_perm("excellence.view_report", can_view_report)
rules.add_perm("excellence.lead", is_lfe_lead)
rules.add_perm("excellence.manage_leads", is_org_programme_manager)
rules.add_perm("excellence.view_rollup", in_collaborative)
# The admin's names for the same rules.
rules.add_perm("excellence.view_excellencereport", is_lfe_lead)
rules.add_perm("excellence.change_theme", is_lfe_lead)
rules.add_perm("excellence.change_lfelead", is_org_programme_manager)
