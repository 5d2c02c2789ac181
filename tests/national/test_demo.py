"""The demo's designations step: counts something for the roll-up, and re-runs create nothing."""

from __future__ import annotations

from typing import Any

import pytest

from qicollab.demo.registry import run_demo
from qicollab.national.models import Designation

pytestmark = pytest.mark.django_db


def test_designations_step_is_idempotent(db: Any) -> None:
    first = {r.step.key: r.stats for r in run_demo(only=["designations"])}
    assert first["designations"].created > 0
    assert Designation.objects.count() == first["designations"].created
    assert not Designation.objects.filter(collaborative__slug__startswith="nat-").exists()
    # Every designation is at a current member of its collaborative.
    for d in Designation.objects.select_related("collaborative"):
        assert d.collaborative.memberships.current().filter(organisation=d.organisation).exists()
    again = {r.step.key: r.stats for r in run_demo(only=["designations"])}
    assert again["designations"].created == 0
    assert sum(s.created for s in again.values()) == 0
