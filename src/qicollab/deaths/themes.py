"""The starting list of learning themes, added by a data migration (add more the same way)."""

from __future__ import annotations

DEFAULT_THEMES: tuple[tuple[str, str], ...] = (
    ("physical-health-monitoring", "Physical health monitoring"),
    ("family-communication", "Communication with families and carers"),
    ("transitions-of-care", "Transitions of care (admission, discharge, transfer)"),
    ("risk-assessment", "Risk assessment and safety planning"),
    ("medication", "Medication safety"),
    ("record-keeping", "Record keeping and information sharing"),
    ("multi-agency", "Working with other agencies"),
    ("observation-engagement", "Observation and therapeutic engagement"),
    ("follow-up-after-discharge", "Follow-up after discharge"),
    ("substance-use", "Drug and alcohol use"),
    ("deterioration", "Recognising and responding to deterioration"),
    ("end-of-life", "End-of-life care planning"),
    (
        "reasonable-adjustments",
        "Reasonable adjustments for people with a learning disability or autistic people",
    ),
    ("staffing", "Staffing and skill mix"),
    ("safeguarding", "Safeguarding"),
)
