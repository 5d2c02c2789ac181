"""``qicollab.spc`` must stay a pure numpy/stdlib package: no Django, no other qicollab."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[2] / "src")

PROBE = """
import json, sys
import qicollab.spc, qicollab.spc.__main__, qicollab.spc.cli
mods = sorted(sys.modules)
print(json.dumps(mods))
"""


def test_import_pulls_in_no_django_and_no_other_qicollab_module() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": SRC, "PATH": ""},
        check=True,
    )
    modules = json.loads(done.stdout)
    assert not [m for m in modules if m == "django" or m.startswith("django.")]
    foreign = [
        m
        for m in modules
        if m.startswith("qicollab") and m != "qicollab" and not m.startswith("qicollab.spc")
    ]
    assert foreign == []
    third_party = {m.split(".")[0] for m in modules} - set(sys.stdlib_module_names)
    assert third_party <= {"qicollab", "numpy", "__main__", "_distutils_hack"}


def test_source_never_imports_django_or_qicollab() -> None:
    package = Path(SRC) / "qicollab" / "spc"
    for path in package.glob("*.py"):
        text = path.read_text()
        assert "import django" not in text and "from django" not in text, path
        assert "from qicollab" not in text.replace("from qicollab.spc", ""), path
