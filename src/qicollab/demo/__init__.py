"""Demo data: a fictional mental-health improvement collaborative to explore the product with.

``manage.py seed_demo`` (run by ``make run``) builds it; ``manage.py demo_logins`` prints the
accounts to log in as; ``manage.py seed_national`` loads the synthetic national data set
(:mod:`.synthetic`). Building is idempotent and deterministic: a second run creates, changes
and records nothing. See :mod:`.registry` for how later features add their data, and
``data/`` for the prose the steps load (decision 0011).

This package is also a Django app (for its management commands), so Django imports it before
the models are ready: the public names below are resolved on first use (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qicollab.demo.context import DEMO_PASSWORD, DemoContext, StepStats
    from qicollab.demo.personas import PERSONAS, Persona, persona
    from qicollab.demo.registry import STEPS, Step, StepResult, UnknownStep, run_demo

_EXPORTS = {
    "DEMO_PASSWORD": "context",
    "DemoContext": "context",
    "StepStats": "context",
    "PERSONAS": "personas",
    "Persona": "personas",
    "persona": "personas",
    "STEPS": "registry",
    "Step": "registry",
    "StepResult": "registry",
    "UnknownStep": "registry",
    "run_demo": "registry",
}

__all__ = [
    "DEMO_PASSWORD",
    "PERSONAS",
    "STEPS",
    "DemoContext",
    "Persona",
    "Step",
    "StepResult",
    "StepStats",
    "UnknownStep",
    "persona",
    "run_demo",
]


def __getattr__(name: str) -> Any:
    """The public name ``name``, imported from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
