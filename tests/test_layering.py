"""The layers the architecture promises, checked on the source (an AST walk, no imports run).

- ``core`` is the ground floor: it imports no domain app (the demo lives in ``qicollab/demo``).
- ``insights`` (the programme-wide read side) depends on the domain apps and nothing
  depends on it: only the wiring (settings, root URLs, the API's router list) names it.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "qicollab"

DOMAIN_APPS = (
    "accounts",
    "organisations",
    "collaborative",
    "projects",
    "measures",
    "deaths",
    "capability",
    "events",
    "national",
    "excellence",
    "insights",
    "jobs",
    "api",
    "reports",
)

# Demo and seed code lives in qicollab/demo/ (decision 0011); nothing in core is exempt.
CORE_EXEMPT: tuple[str, ...] = ()

# The wiring may name insights: settings, root URLs and the API's router registration.
INSIGHTS_WIRING = ("config/", "api/api.py")


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports at run time (``TYPE_CHECKING`` blocks left out)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[tuple[int, str]] = []
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(n) for child in node.body for n in ast.walk(child))
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    # Dotted strings handed to Django or ninja import machinery count as imports too.
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("qicollab.")
            and " " not in node.value
        ):
            found.append((getattr(node, "lineno", 0), node.value))
    return found


def _offences(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in files:
        for line, module in _imported_modules(path):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                out.append(f"{path.relative_to(SRC)}:{line} imports {module}")
    return sorted(set(out))


def test_core_imports_no_domain_app() -> None:
    files = [
        p
        for p in (SRC / "core").rglob("*.py")
        if not any(str(p.relative_to(SRC)).startswith(e) for e in CORE_EXEMPT)
    ]
    assert files, "core has no modules?"
    offences = _offences(files, tuple(f"qicollab.{app}" for app in DOMAIN_APPS))
    assert offences == [], "core must stay the ground floor:\n" + "\n".join(offences)


def test_nothing_depends_on_insights() -> None:
    files = [
        p
        for p in SRC.rglob("*.py")
        if not str(p.relative_to(SRC)).startswith(("insights/", *INSIGHTS_WIRING))
    ]
    offences = _offences(files, ("qicollab.insights",))
    assert offences == [], "only the wiring may name insights:\n" + "\n".join(offences)


def test_no_template_outside_insights_renders_an_insights_page() -> None:
    """Domain templates may link to read-side pages by URL name, but not render its templates
    (the workstream page's goal cards macro is the one documented exception)."""
    allowed = {"collaborative/jinja2/collaborative/workstream_detail.jinja"}
    offences = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.jinja")
        if not str(p.relative_to(SRC)).startswith("insights/")
        and str(p.relative_to(SRC)) not in allowed
        and ('"insights/' in p.read_text() or "'insights/" in p.read_text())
    ]
    assert offences == []


def test_the_checker_sees_an_import(tmp_path: Path) -> None:
    """The AST walk is not vacuous: a plain and a lazy import are both found."""
    mod = tmp_path / "m.py"
    mod.write_text(
        "from typing import TYPE_CHECKING\n"
        "import qicollab.accounts.roles\n"
        "def f():\n    from qicollab.insights import goals\n"
        "if TYPE_CHECKING:\n    from qicollab.projects.models import Project\n"
    )
    names = [m for _, m in _imported_modules(mod)]
    assert "qicollab.accounts.roles" in names
    assert "qicollab.insights.goals" in names
    assert not any(n.startswith("qicollab.projects") for n in names)
