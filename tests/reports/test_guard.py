"""Every export goes through reports/: no other module writes CSV or XLSX or calls WeasyPrint.

A new export that writes its own file would skip the formula neutralising and the cleaning
of unstorable characters, so it fails here. Reading spreadsheets (the measures importer's
``openpyxl.load_workbook`` and ``csv.reader``) is allowed anywhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "qicollab"
REPORTS = SRC / "reports"

#: What a module outside reports/ may take from these libraries: reading only.
ALLOWED = {"csv": {"reader", "Sniffer", "Error", "field_size_limit"}, "openpyxl": {"load_workbook"}}
FORBIDDEN_MODULES = ("weasyprint", "openpyxl.", "xlsxwriter", "xlwt")


def _modules() -> list[Path]:
    return [
        p for p in SRC.rglob("*.py") if REPORTS not in p.parents and "migrations" not in p.parts
    ]


def violations(path: Path) -> list[str]:
    """Each use in *path* of a file writer that should go through reports/."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[str] = []
    aliases: dict[str, str] = {}  # local name -> library
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                root = a.name.split(".")[0]
                if a.name.startswith(FORBIDDEN_MODULES) or root in ("weasyprint", "xlsxwriter"):
                    found.append(f"{path.name}:{node.lineno} import {a.name}")
                elif a.name in ALLOWED:
                    aliases[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            mod = node.module
            if mod.startswith(FORBIDDEN_MODULES) or mod.split(".")[0] in ("weasyprint",):
                found.append(f"{path.name}:{node.lineno} from {mod} import ...")
            elif mod in ALLOWED:
                bad = [a.name for a in node.names if a.name not in ALLOWED[mod]]
                if bad:
                    found.append(f"{path.name}:{node.lineno} from {mod} import {', '.join(bad)}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr not in ALLOWED[aliases[node.value.id]]
        ):
            found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_no_module_outside_reports_writes_csv_xlsx_or_pdf() -> None:
    found = [v for p in _modules() for v in violations(p)]
    assert not found, (
        "Write exports through qicollab.reports (tabular.csv_bytes/xlsx_bytes, "
        f"pdf.render_pdf), not directly: {found}"
    )


def test_the_guard_catches_each_way_of_writing(tmp_path: Path) -> None:
    sample = tmp_path / "export.py"
    sample.write_text(
        "import csv\n"
        "import openpyxl\n"
        "from openpyxl import Workbook\n"
        "from openpyxl.styles import Font\n"
        "from weasyprint import HTML\n"
        "import weasyprint\n"
        "w = csv.writer(x)\n"
        "d = csv.DictWriter(x, [])\n"
        "wb = openpyxl.Workbook()\n"
        "ok = csv.reader(x), openpyxl.load_workbook(x)\n"
    )
    found = violations(sample)
    assert len(found) == 7, found
    assert not any("reader" in f or "load_workbook" in f for f in found)


def test_the_guard_sees_every_app() -> None:
    apps = {p.relative_to(SRC).parts[0] for p in _modules()}
    assert {"measures", "deaths", "national", "capability", "events"} <= apps
