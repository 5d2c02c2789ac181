"""The SMART check names what an aim is missing; the sentence shows the gaps."""

from __future__ import annotations

import datetime as dt
import doctest
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from qicollab.projects import smart
from qicollab.projects.smart import aim_sentence, format_number, smart_check

TODAY = dt.date(2026, 6, 1)


def aim(**changes: Any) -> SimpleNamespace:
    good = {
        "statement": "",
        "direction": "reduce",
        "measure_text": "falls",
        "population": "older inpatients",
        "setting": "Ash ward",
        "baseline_value": Decimal("8"),
        "target_value": Decimal("4"),
        "unit": "per 1,000 bed days",
        "target_date": dt.date(2027, 3, 31),
    }
    return SimpleNamespace(**(good | changes))


def check(**changes: Any) -> list[str]:
    return smart_check(aim(**changes), today=TODAY, project_active=True)


def test_a_complete_aim_is_smart() -> None:
    assert check() == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"direction": ""}, "increase or reduce"),
        ({"measure_text": "  "}, "Name what you will measure"),
        ({"population": ""}, "Say for whom"),
        ({"setting": ""}, "Say where"),
        ({"baseline_value": None}, "Give the baseline as a number"),
        ({"target_value": None}, "Give the target as a number"),
        ({"target_date": None}, "Give a date"),
        ({"target_value": Decimal("8")}, "same as the baseline"),
        ({"target_value": Decimal("10")}, "reduce it, but the target is higher"),
        (
            {"direction": "increase", "target_value": Decimal("2")},
            "increase it, but the target is lower",
        ),
        ({"unit": ""}, "Give the unit"),
        (
            {"unit": "%", "target_value": Decimal("-5")},
            "percentage target must be between 0 and 100",
        ),
        (
            {"unit": "%", "baseline_value": Decimal("140")},
            "percentage baseline must be between 0 and 100",
        ),
        ({"target_date": dt.date(2026, 5, 31)}, "The target date has passed"),
        ({"statement": "Improve falls care on the ward"}, "'Improve' on its own is vague"),
        ({"statement": "We will enhance the patient experience"}, "'Enhance' on its own is vague"),
    ],
)
def test_each_gap_is_named(changes: dict[str, Any], expected: str) -> None:
    problems = check(**changes)
    assert any(expected in p for p in problems), problems
    assert len(problems) == 1, problems  # only the one thing that is missing


def test_an_empty_aim_lists_everything() -> None:
    problems = smart_check(
        aim(
            direction="",
            measure_text="",
            population="",
            setting="",
            baseline_value=None,
            target_value=None,
            unit="",
            target_date=None,
        ),
        today=TODAY,
    )
    assert len(problems) == 7


def test_improve_with_a_number_is_not_vague() -> None:
    assert (
        check(statement="Improve the rate of completed checks from 40% to 90% by March 2027") == []
    )


def test_a_past_date_is_fine_for_a_completed_project() -> None:
    past = aim(target_date=dt.date(2025, 1, 1))
    assert smart_check(past, today=TODAY, project_active=False) == []
    assert smart_check(past, today=TODAY, project_active=True) != []


def test_a_past_date_is_flagged_unless_told_the_project_has_finished() -> None:
    """A caller that says nothing about the project gets the strict check, not a pass."""
    problems = smart_check(aim(target_date=dt.date(2025, 1, 1)), today=TODAY)
    assert any("The target date has passed" in p for p in problems), problems


def test_a_date_in_the_past_is_not_smart_for_a_new_project(
    project: Any, world: Any, login: Any
) -> None:
    """A project starts as an idea: its aim's past date must still be flagged (page and API)."""
    from django.urls import reverse

    assert project.status == "idea"
    data = {
        "direction": "increase",
        "measure_text": "completed physical health checks",
        "population": "adults on the ward",
        "setting": "Ash ward",
        "baseline_value": "40",
        "target_value": "90",
        "unit": "%",
        "target_date": "2020-03-31",
    }
    c = login(world.people["staff_a"])
    checked = c.post(
        f"/api/projects/{project.slug}/aim/check", data, content_type="application/json"
    ).json()
    assert any("The target date has passed" in p for p in checked["smart_problems"]), checked
    page = c.post(reverse("projects:aim_check", args=[project.slug]), data)
    assert b"The target date has passed" in page.content


def test_a_past_date_is_fine_once_the_project_is_sustaining_or_done(
    project: Any, world: Any
) -> None:
    from qicollab.projects import presenters

    past = aim(target_date=dt.date(2020, 1, 1))
    for status, flagged in (
        ("idea", True),
        ("active", True),
        ("sustaining", False),
        ("completed", False),
        ("stopped", False),
    ):
        project.status = status
        problems = presenters.aim_problems(past, project)
        assert any("has passed" in p for p in problems) is flagged, (status, problems)


def test_zero_is_a_number() -> None:
    """A target of zero harm is a real target, not a missing one."""
    assert check(target_value=Decimal("0")) == []


def test_sentence_from_the_parts() -> None:
    assert aim_sentence(aim()) == (
        "Reduce falls for older inpatients in Ash ward from 8 to 4 per 1,000 bed days "
        "by 31 March 2027."
    )


def test_sentence_shows_gaps_in_brackets() -> None:
    sentence = aim_sentence(aim(direction="", population="", target_value=None, target_date=None))
    assert sentence.startswith(
        "[Increase or reduce] falls for [whom] in Ash ward from 8 to [target]"
    )
    assert sentence.endswith("by [date].")


def test_own_words_win() -> None:
    assert (
        aim_sentence(aim(statement="  Zero falls with harm by 2027.  "))
        == "Zero falls with harm by 2027."
    )


def test_percentages_read_naturally() -> None:
    sentence = aim_sentence(
        aim(
            direction="increase",
            baseline_value=Decimal("45.50"),
            target_value=Decimal("90"),
            unit="%",
        )
    )
    assert "from 45.5% to 90%" in sentence


def test_format_number() -> None:
    assert format_number(Decimal("1200.500")) == "1,200.5"
    assert format_number(Decimal("0.000")) == "0"
    assert format_number(None) == ""


def test_docstring_examples_run() -> None:
    result = doctest.testmod(smart, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
