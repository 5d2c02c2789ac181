"""``python -m qicollab.spc``: JSON in on stdin, JSON out on stdout (see :mod:`.cli`)."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through a subprocess in tests
    sys.exit(main())
