"""The programme-goal metric "LfE reports per 100 staff", against a hand count."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qicollab.insights import metrics
from tests.excellence import factories as xf
from tests.excellence.conftest import Lfe


def test_reports_per_100_staff(lfe: Lfe) -> None:
    today = timezone.localdate()
    a = lfe.world.trust_a
    xf.report(lfe.p["staff_a"], a, people=[lfe.recipient])
    xf.report(lfe.p["staff_a"], a, people=[lfe.manager])
    # Outside the period, and at an organisation outside the collaborative: not counted.
    xf.report(lfe.p["staff_a"], a, people=[lfe.manager], happened_on=today - dt.timedelta(days=90))
    value = metrics.get("lfe_reports_per_100_staff").compute(
        lfe.world.collab, today - dt.timedelta(days=30), today, {}
    )
    # Trust A: pm, staff, partner, recipient, manager, ward leader, lead (the viewer is left
    # out) = 7; trust B: staff_b = 1. Two reports per 8 people = 25 per 100.
    assert (value.numerator, value.denominator) == (2, 8)
    assert value.value == 25.0
