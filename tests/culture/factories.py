"""Helpers that build culture surveys through the services (so the rules are exercised)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from qicollab.culture import services
from qicollab.culture.models import Instrument, Response, Wave, WaveUnit
from tests import factories as f

DEMO_CODE = "qicollab-team-climate"


def demo_instrument() -> Instrument:
    services.load_default_instruments(actor=None)
    return Instrument.objects.get(code=DEMO_CODE)


def make_wave(
    world: Any,
    *,
    sizes: dict[str, int] | None = None,
    closed: bool = True,
    leader: Any = None,
    facilitator: Any = None,
    previous: Wave | None = None,
    number: int = 1,
) -> Wave:
    """A wave of trust A's units (name → eligible headcount); closed yesterday unless not."""
    today = timezone.localdate()
    sizes = sizes or {"Larch ward": 30}
    units = [
        (
            f.UnitFactory(
                organisation=world.trust_a, name=name, slug=name.lower().replace(" ", "-")
            ),
            n,
        )
        for name, n in sizes.items()
    ]
    opens = today - dt.timedelta(days=20) if closed else today - dt.timedelta(days=2)
    closes = today - dt.timedelta(days=1) if closed else today + dt.timedelta(days=10)
    # Built open (the service refuses nothing about past dates), then answered by the tests.
    return services.wave_create(
        actor=world.people["pm_a"],
        organisation=world.trust_a,
        data=services.WaveInput(
            title=f"Culture survey {number}",
            instrument=demo_instrument(),
            opens_on=opens,
            closes_on=closes,
            facilitator=facilitator or world.people["staff_a"],
            team_leader=leader or world.people["pm_a"],
            units=units,
            number=number,
            previous=previous,
        ),
    )


def add_responses(
    wave_unit: WaveUnit,
    n: int,
    *,
    value: int | None = None,
    seed: int = 1,
    band: str = "",
    tenure: str = "",
) -> None:
    """Store ``n`` responses directly (the wave may already be closed)."""
    rng = random.Random(seed)
    codes = list(wave_unit.wave.instrument.items.values_list("code", flat=True))
    Response.objects.bulk_create(
        Response(
            wave_unit=wave_unit,
            answers={c: value if value is not None else rng.randint(1, 5) for c in codes},
            position_band=band,
            tenure_band=tenure,
        )
        for _ in range(n)
    )
