"""The de-identification check blocks each kind of identifier and leaves ordinary text alone."""

from __future__ import annotations

import pytest

from qicollab.deaths.deid import check_fields, check_text


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("His NHS number was 943 476 5919.", "nhs_number", "943 476 5919"),
        ("Ref 9434765919 in the notes", "nhs_number", "9434765919"),
        ("NHS no. 943-476-5919", "nhs_number", "943-476-5919"),
        ("DOB: 12/03/1956", "dob", "DOB: 12/03/1956"),
        ("She was born on 3 March.", "dob", "born on 3 March"),
        ("date of birth 1956-03-12", "dob", "date of birth 1956-03-12"),
        ("born in March 1956 in the town", "dob", "born in March 1956"),
        ("Her birthday was on 12 May", "dob", "birthday was on 12 May"),
        ("He died on 14/02/2024 at home", "date", "14/02/2024"),
        ("admitted 14th of February 2024", "date", "14th of February 2024"),
        ("seen on February 14, 2024", "date", "February 14, 2024"),
        ("discharged 2024-02-14", "date", "2024-02-14"),
        ("seen 3.4.24 by the team", "date", "3.4.24"),
        ("lived at BS8 1TX with family", "postcode", "BS8 1TX"),
        ("postcode sw1a 1aa", "postcode", "sw1a 1aa"),
        ("near M1 1AE", "postcode", "M1 1AE"),
        ("call 07700 900123 if worried", "phone", "07700 900123"),
        ("tel 020 7946 0018", "phone", "020 7946 0018"),
        ("ring +44 20 7946 0018", "phone", "+44 20 7946 0018"),
        ("on (0117) 496 0123", "phone", "(0117) 496 0123"),
        ("mobile 07700900123", "phone", "07700900123"),
        ("wrote to jo.bloggs@nhs.net about it", "email", "jo.bloggs@nhs.net"),
    ],
)
def test_blocks_each_identifier(text: str, kind: str, found: str) -> None:
    findings = check_text(text)
    assert [(f.kind, f.text) for f in findings] == [(kind, found)]


@pytest.mark.parametrize(
    "text",
    [
        "In March 2024 the team changed how it follows up after discharge.",
        "Reviewed 3/4 cases within 72 hours; Q3 2024/25 figures improved.",
        "Aged 45-54, on ward 12, bed 4B, with a NEWS2 score of 7 at 14:30.",
        "Vitamin B12 and 10.5 mg of medication; 1 in 10 patients; version 2.1.3.",
        "The 10-digit code 1234567890 is not an NHS number (it fails the check).",
        "Partial postcode districts like BS8 or SW1A are not flagged.",
        "She was born and raised locally; born in 1956 is an age, not a date of birth.",
        "Staff will review the plan with the family in 2025.",
        "The phone line 0800 was closed; call 111 or 999 in an emergency.",
        "Between 2019 and 2024 the service saw 1,234 referrals.",
    ],
)
def test_does_not_flag_innocuous_text(text: str) -> None:
    assert check_text(text) == []


def test_names_recorded_in_the_case() -> None:
    names = ["Will Jones", "Priya Shah"]
    text = (
        "Will said staff will review. Mr Jones rang; later will jones and PRIYA SHAH met. "
        "Priya agreed."
    )
    found = [(f.kind, f.text) for f in check_text(text, names=names)]
    assert found == [
        ("name", "Will"),
        ("name", "Jones"),
        ("name", "will jones"),
        ("name", "PRIYA SHAH"),
        ("name", "Priya"),
    ]


def test_titles_and_initials_are_not_names_on_their_own() -> None:
    assert check_text("Dr J. reviewed it with the Dr on call.", names=["Dr J. Khan"]) == []
    assert [f.text for f in check_text("Dr Khan reviewed it.", names=["Dr J. Khan"])] == ["Khan"]


def test_check_fields_labels_where_it_was_found() -> None:
    findings = check_fields({"What happened": "fine", "What changed": "email a@b.co.uk"})
    assert len(findings) == 1
    assert findings[0].field == "What changed"
    assert "What changed" in findings[0].message and "email address" in findings[0].message
