"""Guard rails the architecture promises, checked over the source tree.

Views and API modules read through selectors (which scope what a person may see), so they
never touch ``<Model>.objects`` themselves; templates hold no queries. Both are checked by
reading the code, so a new violation fails here before review.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps

SRC = Path(__file__).resolve().parents[1] / "src" / "qicollab"

# Allowed for good: the API token lookup authenticates the caller, so there is no viewer yet
# to scope by (and the token hash is the whole scope).
ALLOWED = {"api/auth.py:ApiToken"}

# Violations present when this rail was added (issue 12), to be moved into selectors; the
# list may only shrink (the test says so when one is fixed). "path under src/qicollab:Model".
KNOWN = {
    "accounts/views_invitations.py:Person",
    "accounts/views_password.py:Person",
    "deaths/views/cases.py:CaseName",
    "deaths/views/reviews.py:CaseAction",
    "deaths/views/reviews.py:CaseReview",
    "measures/api.py:Measure",
    "measures/api.py:Person",
    "measures/views/measures.py:Person",
    "projects/api/contents.py:ProjectMember",
    "projects/views/team.py:CoProduction",
    "projects/views/team.py:ProjectMember",
}

# Templates that held a query call when the rail was added (issue 12), by file so that edits
# elsewhere in them do not move the goalposts; the list may only shrink.
KNOWN_TEMPLATES = {
    "capability/jinja2/capability/assessment_detail.jinja",
    "capability/jinja2/capability/assessment_list.jinja",
    "capability/jinja2/capability/course_detail.jinja",
    "collaborative/jinja2/collaborative/workstream_detail.jinja",
    "deaths/jinja2/deaths/library.jinja",
    "deaths/jinja2/deaths/library_detail.jinja",
    "deaths/jinja2/deaths/review_form.jinja",
    "deaths/jinja2/deaths/summary_approve.jinja",
    "deaths/jinja2/deaths/summary_check.jinja",
    "events/jinja2/events/organiser_check_in_print.jinja",
    "measures/jinja2/measures/bundle_detail.jinja",
    "organisations/jinja2/organisations/collaborative_detail.jinja",
    "projects/jinja2/projects/_driver_editor.jinja",
    "projects/jinja2/projects/_node_form.jinja",
    "projects/jinja2/projects/progress.jinja",
    "projects/jinja2/projects/project_create.jinja",
    "projects/jinja2/projects/project_form.jinja",
    "projects/jinja2/projects/project_list.jinja",
    "projects/jinja2/projects/project_sharing.jinja",
    "projects/jinja2/projects/team.jinja",
}


def _view_and_api_modules() -> list[Path]:
    out = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        parts = rel.parts
        if "migrations" in parts or "demo" in parts:
            continue
        if (
            path.name.startswith("views")
            or "views" in parts[:-1]
            or path.name == "api.py"
            or "api" in parts[:-1]
        ):
            out.append(path)
    return sorted(out)


def _model_names() -> set[str]:
    return {m.__name__ for m in apps.get_models()}


def _objects_uses(path: Path, models: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in models
        ):
            found.add(node.value.id)
    return found


def test_the_rail_sees_views_and_api_modules() -> None:
    names = {str(p.relative_to(SRC)) for p in _view_and_api_modules()}
    assert "events/views.py" in names and "measures/api.py" in names
    assert "projects/api/common.py" in names and "projects/views/progress.py" in names


def test_views_and_api_modules_do_not_query_models_directly() -> None:
    models = _model_names()
    found = {
        f"{p.relative_to(SRC)}:{m}"
        for p in _view_and_api_modules()
        for m in _objects_uses(p, models)
    }
    new = sorted(found - KNOWN - ALLOWED)
    assert new == [], (
        "Views and API modules read through selectors (scoped to the viewer); move these "
        f"queries into the app's selectors.py: {new}"
    )
    fixed = sorted(KNOWN - found)
    assert fixed == [], f"Fixed already: remove from KNOWN in tests/test_architecture.py: {fixed}"


QUERY_IN_TEMPLATE = re.compile(r"\.(exists|all|count)\(\)|\.filter\(")


def test_templates_hold_no_queries() -> None:
    hits = {
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.jinja")
        if QUERY_IN_TEMPLATE.search(path.read_text())
    }
    new = sorted(hits - KNOWN_TEMPLATES)
    assert new == [], f"Templates hold no queries; give the view or presenter the data: {new}"
    fixed = sorted(KNOWN_TEMPLATES - hits)
    assert fixed == [], f"Fixed already: remove from KNOWN_TEMPLATES: {fixed}"
