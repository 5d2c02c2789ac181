"""Spread metrics for programme goals, checked against a hand count."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qicollab.innovations import services
from qicollab.insights import metrics
from tests.innovations import factories as fi


def test_spread_metrics(world: Any) -> None:
    inn = fi.innovation(world)
    a = fi.adopt(world, inn, status="testing", on=dt.date(2026, 1, 10))
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    testing = metrics.get("innovation_testing_pct").compute(world.collab, start, end, {})
    # Members: trust A (the source) and trust B (testing): 1 of 2.
    assert (testing.numerator, testing.denominator) == (1, 2)
    adopted = metrics.get("innovations_adopted_by")
    assert adopted.compute(world.collab, start, end, {"organisations": 1}).value == 0
    services.adoption_set_status(
        actor=world.people["staff_b"],
        adoption=a,
        data=services.StatusInput(status="adopted", on=dt.date(2026, 2, 1)),
    )
    assert adopted.compute(world.collab, start, end, {"organisations": 1}).value == 1
    assert adopted.compute(world.collab, start, end, {"organisations": 2}).value == 0
    # Before the adoption was dated, it does not count.
    early = metrics.get("innovation_testing_pct").compute(
        world.collab, dt.date(2025, 1, 1), dt.date(2025, 12, 31), {}
    )
    assert early.numerator == 0
    services.adoption_set_status(
        actor=world.people["staff_b"],
        adoption=a,
        data=services.StatusInput(status="abandoned", on=dt.date(2026, 3, 1), why_abandoned="x"),
    )
    after = metrics.get("innovation_testing_pct").compute(world.collab, start, end, {})
    assert after.numerator == 0
