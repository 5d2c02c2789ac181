"""The one-adapter rule: only ``measures/spc_adapter.py`` (and the engine) import ``qicollab.spc``.

Every chart of the platform goes through the adapter, so the engine's options, its
minimum number of points and its rule names are decided in one place (docs/architecture.md).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "qicollab"
ALLOWED = {SRC / "measures" / "spc_adapter.py"}


def spc_imports(tree: ast.AST) -> list[int]:
    """Line numbers of every import of ``qicollab.spc`` (or a module inside it)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        if any(n == "qicollab.spc" or n.startswith("qicollab.spc.") for n in names):
            lines.append(node.lineno)
    return lines


def test_the_detector_sees_every_spelling() -> None:
    for source in (
        "from qicollab import spc",
        "import qicollab.spc",
        "from qicollab.spc import chart",
        "from qicollab.spc.types import ChartResult",
        "def f():\n    from qicollab import spc as engine",
    ):
        assert spc_imports(ast.parse(source)), source
    assert not spc_imports(ast.parse("from qicollab.measures import spc_adapter"))


def test_only_the_adapter_imports_the_engine() -> None:
    offenders = [
        f"{path.relative_to(SRC.parent)}:{line}"
        for path in sorted(SRC.rglob("*.py"))
        if path not in ALLOWED and (SRC / "spc") not in path.parents
        for line in spc_imports(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == [], "import the engine through measures/spc_adapter.py: " + ", ".join(
        offenders
    )
