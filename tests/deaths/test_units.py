"""Pure pieces: NHS numbers, quarters, the avoidability scale, encryption."""

from __future__ import annotations

from datetime import date

import pytest

from qicollab.deaths import choices as c
from qicollab.deaths import crypto
from qicollab.deaths.identifiers import FinancialQuarter, is_valid_nhs_number, quarter_range


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),
        ("943 476 5919", True),
        ("943-476-5919", True),
        ("9434765918", False),
        ("123456789", False),
        ("12345678901", False),
        ("abcdefghij", False),
        ("4010232137", True),
        ("4010232138", False),
    ],
)
def test_nhs_number_modulus_11(number: str, valid: bool) -> None:
    assert is_valid_nhs_number(number) is valid


def test_check_digit_of_ten_is_invalid() -> None:
    # Weighted sum 12, remainder 1 -> check digit 10 -> no tenth digit makes it valid.
    digits = "100000001"
    total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
    assert 11 - total % 11 == 10
    assert not any(is_valid_nhs_number(digits + str(k)) for k in range(10))


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2025, 4, 1), "2025/26 Q1"),
        (date(2025, 6, 30), "2025/26 Q1"),
        (date(2025, 7, 1), "2025/26 Q2"),
        (date(2025, 12, 31), "2025/26 Q3"),
        (date(2026, 1, 1), "2025/26 Q4"),
        (date(2026, 3, 31), "2025/26 Q4"),
    ],
)
def test_financial_quarter(day: date, label: str) -> None:
    q = FinancialQuarter.containing(day)
    assert q.label == label
    assert q.start <= day <= q.end


def test_quarter_range_and_parse() -> None:
    qs = quarter_range(FinancialQuarter(2024, 3), FinancialQuarter(2025, 2))
    assert [q.slug for q in qs] == ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]
    assert FinancialQuarter.parse("2024-q4") == FinancialQuarter(2024, 4)
    assert FinancialQuarter.parse("2024-Q5") is None
    assert FinancialQuarter.parse("nonsense") is None


@pytest.mark.parametrize("orientation", [c.ScaleOrientation.HOGAN, c.ScaleOrientation.REVERSE])
def test_avoidability_round_trips_in_both_orientations(orientation: str) -> None:
    seen = set()
    for meaning in c.Avoidability:
        n = c.avoidability_number(meaning, orientation)
        assert 1 <= n <= 6
        assert c.avoidability_from_number(n, orientation) == meaning
        seen.add(n)
    assert seen == {1, 2, 3, 4, 5, 6}


def test_orientations_are_opposite() -> None:
    assert c.avoidability_number(c.Avoidability.DEFINITELY_NOT, c.ScaleOrientation.HOGAN) == 1
    assert c.avoidability_number(c.Avoidability.DEFINITELY_NOT, c.ScaleOrientation.REVERSE) == 6
    assert c.avoidability_from_number(4, c.ScaleOrientation.HOGAN) == c.Avoidability.PROBABLY
    assert c.avoidability_from_number(4, c.ScaleOrientation.REVERSE) == c.Avoidability.POSSIBLY
    assert c.avoidability_choices(c.ScaleOrientation.REVERSE)[0][0] == "1"
    assert "Definitely avoidable" in c.avoidability_choices(c.ScaleOrientation.REVERSE)[0][1]


def test_more_likely_than_not_is_probably_or_worse() -> None:
    assert {"probably", "strong", "definitely"} == c.MORE_LIKELY_THAN_NOT


def test_encrypt_round_trip_and_rotation(settings: object) -> None:
    from cryptography.fernet import Fernet

    token = crypto.encrypt("9434765919")
    assert token.startswith("fernet:") and "9434765919" not in token
    assert crypto.decrypt(token) == "9434765919"
    old = Fernet.generate_key().decode()
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = old  # type: ignore[attr-defined]
    written_with_old = crypto.encrypt("4010232137")
    settings.FIELD_ENCRYPTION_KEY = f"{new},{old}"  # type: ignore[attr-defined]
    assert crypto.decrypt(written_with_old) == "4010232137"
    settings.FIELD_ENCRYPTION_KEY = new  # type: ignore[attr-defined]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(written_with_old)


def test_random_sample_is_reproducible_and_near_the_rate() -> None:
    from qicollab.deaths.models import Death
    from qicollab.deaths.services import in_sample

    deaths = [Death(organisation_id=1, case_reference=f"LfD-{i}") for i in range(2000)]
    picked = [d.case_reference for d in deaths if in_sample(d, 10)]
    assert 150 <= len(picked) <= 250
    assert picked == [d.case_reference for d in deaths if in_sample(d, 10)]
    assert not any(in_sample(d, 0) for d in deaths)
    assert all(in_sample(d, 100) for d in deaths)
