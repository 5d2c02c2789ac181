"""gunicorn settings for Prometheus' multiprocess mode (docs/operations.md, "Metrics").

``gunicorn -c python:qicollab.config.gunicorn qicollab.config.wsgi …``. With
``PROMETHEUS_MULTIPROC_DIR`` set, each worker writes its metrics to files there; these hooks
empty the directory when gunicorn starts (old workers' counts would otherwise be added to
the new ones') and drop a finished worker's in-progress gauge. Without it they do nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def _metrics_dir() -> Path | None:
    value = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    return Path(value) if value else None


def on_starting(server: Any) -> None:
    """Before the first worker starts: remove the previous run's metric files."""
    directory = _metrics_dir()
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.db"):  # only prometheus-client's own files
        old.unlink(missing_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    """A worker stopped: its requests are no longer in progress."""
    if _metrics_dir() is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
