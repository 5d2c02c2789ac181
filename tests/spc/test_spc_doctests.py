"""Run every docstring example of the package and the examples of docs/spc.md."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import qicollab.spc

MODULES = sorted(m.name for m in pkgutil.iter_modules(qicollab.spc.__path__, "qicollab.spc."))


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_public_functions_have_formula_source_and_example() -> None:
    for name in qicollab.spc.__all__:
        obj = getattr(qicollab.spc, name)
        if callable(obj) and not isinstance(obj, type):
            doc = obj.__doc__ or ""
            assert ">>>" in doc, name


def test_docs_examples() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "spc.md"
    result = doctest.testfile(
        str(docs),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.failed == 0
