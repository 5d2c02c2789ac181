"""``qicollab rotate_field_key``: after rotating, the old key can be dropped."""

from __future__ import annotations

import io
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import TextField
from django.db.models.functions import Cast

from qicollab.deaths import crypto, services
from qicollab.deaths.models import CaseName, Death
from tests.deaths.conftest import make_case

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def _raw(model: Any, field: str) -> dict[int, str]:
    return dict(model.objects.annotate(r=Cast(field, TextField())).values_list("pk", "r"))


def test_rotate_then_the_old_key_can_be_dropped(teams: Any, settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEY = KEY_A
    cases = [
        make_case(teams, case_reference=f"LfD-A-2{i}", nhs_number=nhs)
        for i, nhs in enumerate(["943 476 5919", "401 023 2137", ""])
    ]
    CaseName.objects.create(death=cases[0], name="Alex Example", role="patient")
    before = _raw(Death, "nhs_number")

    settings.FIELD_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
    out = io.StringIO()
    call_command("rotate_field_key", "--batch-size", "1", stdout=out)
    assert "Done: 3 value(s) re-encrypted, 0 already under the newest key." in out.getvalue()
    after = _raw(Death, "nhs_number")
    assert after[cases[0].pk] != before[cases[0].pk] and after[cases[2].pk] == ""

    # Idempotent: a second run changes nothing.
    out = io.StringIO()
    call_command("rotate_field_key", stdout=out)
    assert "Done: 0 value(s) re-encrypted, 3 already under the newest key." in out.getvalue()
    assert _raw(Death, "nhs_number") == after

    settings.FIELD_ENCRYPTION_KEY = KEY_B
    assert [Death.objects.get(pk=c.pk).nhs_number for c in cases] == [
        "9434765919",
        "4010232137",
        "",
    ]
    assert CaseName.objects.get().name == "Alex Example"
    # Duplicate detection still works under the new key alone (digests were recomputed).
    with pytest.raises(Exception, match="already"):
        services.case_create(
            actor=teams.people["staff_a"],
            organisation=teams.trust_a,
            data={
                "case_reference": "LfD-A-dup",
                "nhs_number": "943 476 5919",
                "date_of_death": cases[0].date_of_death,
                "age_band": "45-54",
                "setting": "community",
                "service": "x",
                "category": "unexpected_natural",
                "notified_by": "ward",
            },
        )
    assert crypto.digest("9434765919") == Death.objects.get(pk=cases[0].pk).nhs_number_digest


def test_rotation_reports_values_no_key_opens(teams: Any, settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEY = KEY_A
    make_case(teams, case_reference="LfD-A-30", nhs_number="943 476 5919")
    settings.FIELD_ENCRYPTION_KEY = KEY_B  # the old key was dropped too early
    with pytest.raises(CommandError, match="1 value\\(s\\) could not be decrypted"):
        call_command("rotate_field_key", stdout=io.StringIO())
