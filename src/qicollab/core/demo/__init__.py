"""Demo data: a fictional mental-health improvement collaborative to explore the product with.

``manage.py seed_demo`` (run by ``make run``) builds it; ``manage.py demo_logins`` prints the
accounts to log in as. Building is idempotent and deterministic: a second run creates,
changes and records nothing. See :mod:`.registry` for how later features add their data.
"""

from qicollab.core.demo.context import DEMO_PASSWORD, DemoContext, StepStats
from qicollab.core.demo.personas import PERSONAS, Persona, persona
from qicollab.core.demo.registry import STEPS, Step, StepResult, UnknownStep, run_demo

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
