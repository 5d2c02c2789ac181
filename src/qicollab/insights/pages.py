"""What the read side adds to domain pages (registered in ``InsightsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from qicollab.collaborative import selectors
from qicollab.collaborative.models import Workstream
from qicollab.insights import goals, presenters


def workstream_goals(*, workstream: Workstream, **_: Any) -> dict[str, Any]:
    """A workstream page's goal cards: each measured goal's series (charts not rendered)."""
    return {
        "goal_rows": [
            (s, presenters.goal_chart(s, render=False))
            for s in (
                goals.goal_series(g) for g in selectors.workstream_goals(workstream=workstream)
            )
        ],
        "fmt": presenters.fmt,
    }
