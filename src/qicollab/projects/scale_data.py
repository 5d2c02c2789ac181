"""The published wordings of the IHI Assessment Scale for Collaboratives, as seed data.

Used by the data migration that seeds them and by ``selectors.scale_for`` to restore them if
the table was emptied (a flushed test database, a careless admin). Do not edit a level's
wording in place: a new wording is a new version of the scale (``ScaleDefinition.version``),
so ratings already made keep the words they were made with.

Wording is a close paraphrase of the sources (shared/domain.md 1.4); levels whose wording is
not confirmed against a source carry ``False``.
"""

# ruff: noqa: E501 - the level wording reads best as one string per level

from __future__ import annotations

from decimal import Decimal
from typing import Any

LIFEQI: dict[str, Any] = {
    "code": "ihi-lifeqi",
    "name": "IHI Assessment Scale (Life QI wording)",
    "description": "The IHI standard assessment scale as used in Life QI, with 0.5 for intent to participate. Set by the team each month, not computed.",
    "source": "blog.lifeqisystem.com/ihi-progress-scores; cnwl.nhs.uk/ia/resources/progress-scores-life-qi",
    "levels": [
        (
            "0.5",
            "Intent to participate",
            "Project identified; charter not completed and team not formed.",
            True,
        ),
        (
            "1.0",
            "Charter and team established",
            "Charter completed and reviewed; individuals or teams assigned; no work accomplished yet.",
            True,
        ),
        (
            "1.5",
            "Planning for the project has begun",
            "Project structure being organised: resources, where to focus first, tools and materials, meeting schedule.",
            True,
        ),
        (
            "2.0",
            "Activity, but no changes",
            "Initial cycles for team learning begun: planning, measurement, data collection, baseline data, process study, surveys.",
            True,
        ),
        (
            "2.5",
            "Changes tested, but no improvement",
            "Initial cycles for testing changes begun; most goals have a measure; measures displayed graphically with targets.",
            True,
        ),
        (
            "3.0",
            "Modest improvement",
            "Successful tests completed for some components of the change package; some small-scale implementation; anecdotal evidence of improvement; expected results 20% complete.",
            True,
        ),
        (
            "3.5",
            "Improvement",
            "Testing and implementation continue; additional improvement in project measures towards goals.",
            True,
        ),
        (
            "4.0",
            "Significant improvement",
            "Expected results achieved for major subsystems; implementation (training, communication) begun; goals 50% or more complete.",
            True,
        ),
        (
            "4.5",
            "Sustainable improvement",
            "Data on key measures begin to indicate sustainability of impact of changes.",
            False,
        ),
        (
            "5.0",
            "Outstanding sustainable results",
            "Implementation cycles complete; all goals and expected results accomplished; organisational changes made to make changes permanent.",
            True,
        ),
    ],
}

COLLABORATIVE: dict[str, Any] = {
    "code": "ihi-collaborative",
    "name": "IHI Assessment Scale (collaborative wording)",
    "description": "The collaborative (SQE) wording, rated monthly by faculty and by each team. Short labels other than 1.0 follow the common IHI labels; levels 4.5 and 5.0 use common IHI collaborative wording not yet confirmed against a source.",
    "source": "view.pagetiger.com/QIIC/How-to-Run-a-Quality-Improvement-Project/page6.htm; ihi.org Assessment Scale for Collaboratives",
    "levels": [
        (
            "1.0",
            "Forming team",
            "Team formed; discussing the outline, target population and aim; baseline measurement begun.",
            True,
        ),
        (
            "1.5",
            "Planning for the project has begun",
            "Team meeting regularly; aim established; measures aligned with the aim.",
            True,
        ),
        ("2.0", "Activity, but no changes", "Changes planned but not yet tested.", True),
        (
            "2.5",
            "Changes tested, but no improvement",
            "Changes tested, with no improvement yet in process measures; key measures reported graphically with targets.",
            True,
        ),
        (
            "3.0",
            "Modest improvement",
            "Initial test cycles completed; some small-scale implementation; moderate improvement in process measures: 20% of numeric goals met, or each measure 20% of the way to its target.",
            True,
        ),
        (
            "3.5",
            "Improvement",
            "Some improvement in outcome measures; process measures continue to improve; PDSA cycles on all components of the change package.",
            True,
        ),
        (
            "4.0",
            "Significant improvement",
            "Changes implemented for the target population; evidence of sustained improvement in outcome measures; halfway towards accomplishing all goals.",
            True,
        ),
        (
            "4.5",
            "Sustainable improvement",
            "Sustained improvement in outcome measures for about four months; about 75% of goals achieved; spread begun.",
            False,
        ),
        (
            "5.0",
            "Outstanding sustainable results",
            "All components of the change package implemented; all goals achieved; outcomes at benchmark levels; spread in progress.",
            False,
        ),
    ],
}

SCALES = (LIFEQI, COLLABORATIVE)


def seed_scales(definition_model: Any, level_model: Any) -> None:
    """Create version 1 of each scale and its levels where missing (idempotent)."""
    for spec in SCALES:
        scale, _ = definition_model.objects.get_or_create(
            code=spec["code"],
            version=1,
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "source": spec["source"],
                "step": Decimal("0.5"),
            },
        )
        for value, label, definition, confirmed in spec["levels"]:
            level_model.objects.get_or_create(
                scale=scale,
                value=Decimal(value),
                defaults={"label": label, "definition": definition, "wording_confirmed": confirmed},
            )
