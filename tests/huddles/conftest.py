"""Fixtures of the huddles tests: trust A's ward with a huddle, an action and a fall."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from qicollab.accounts.models import ApiToken, hash_token
from qicollab.huddles import services
from qicollab.huddles.services import ActionInput, HuddleInput
from qicollab.organisations.services import unit_member_set
from tests.conftest import World
from tests.huddles.factories import Ward, make_ward

TODAY = timezone.localdate()


@pytest.fixture
def ward(world: World) -> Ward:
    """Trust A's ward, staff_a works on it, with a huddle, an action and a fall."""
    w = make_ward(world.trust_a, opened_on=TODAY - dt.timedelta(days=200))
    unit_member_set(actor=None, unit=w.unit, person=world.people["staff_a"], role="member")
    falls = w.categories["falls"]
    services.huddle_create(
        actor=w.nurse,
        unit=w.unit,
        data=HuddleInput(
            held_on=TODAY - dt.timedelta(days=1),
            shift="early",
            at_risk={falls.pk: (2, "Bed 7")},
            texts={"look_ahead": "SECRET-NOTE agency nurse on nights"},
            new_actions=[ActionInput("SECRET-ACTION order sensor mats", "Ward manager")],
        ),
    )
    services.harm_event_create(
        actor=w.nurse,
        unit=w.unit,
        category=falls,
        occurred_on=TODAY - dt.timedelta(days=12),
        severity="low",
        incident_ref="W998877",
    )
    return w


@pytest.fixture
def token_client(db: Any) -> Callable[[Any], Client]:
    """``token_client(person)``: a CSRF-checking client that sends a fresh API token."""

    def _make(person: Any) -> Client:
        raw = ApiToken.generate_key()
        ApiToken.objects.create(
            person=person, name="test", key_prefix=raw[:8], key_hash=hash_token(raw)
        )
        return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})

    return _make
