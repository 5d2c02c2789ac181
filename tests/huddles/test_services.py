"""Recording huddles, actions and harm events: what is kept and what is refused, and why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qicollab.huddles import services
from qicollab.huddles.models import HarmCategory, Huddle, HuddleAction, HuddleAtRisk
from qicollab.huddles.services import ActionInput, HuddleError, HuddleInput
from tests import factories as f
from tests.huddles.factories import make_ward

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _huddle(**kw: object) -> HuddleInput:
    base: dict[str, object] = {"held_on": TODAY, "shift": "day"}
    base.update(kw)
    return HuddleInput(**base)  # type: ignore[arg-type]


def _errors(exc: pytest.ExceptionInfo[HuddleError]) -> dict[str | None, list[str]]:
    return exc.value.errors


def test_default_categories_are_created_once_per_organisation() -> None:
    org = f.OrganisationFactory()
    first = services.harm_categories_ensure(actor=None, organisation=org)
    again = services.harm_categories_ensure(actor=None, organisation=org)
    assert [c.code for c in first] == [
        "falls", "pressure-ulcers", "restraint", "self-harm", "violence", "medication"
    ]  # fmt: skip
    assert {c.pk for c in first} == {c.pk for c in again}
    assert first[0].milestones == [10, 30, 100]
    other = services.harm_categories_ensure(actor=None, organisation=f.OrganisationFactory())
    assert not {c.pk for c in other} & {c.pk for c in first}


def test_an_organisation_can_add_a_category_with_its_own_milestones() -> None:
    org = f.OrganisationFactory()
    cat = services.harm_category_create(
        actor=None, organisation=org, name="Infections", milestones=[50, 7]
    )
    assert cat.code == "infections" and cat.milestones == [7, 50]
    with pytest.raises(HuddleError, match="already has a category called"):
        services.harm_category_create(actor=None, organisation=org, name="infections")
    with pytest.raises(HuddleError, match="between 1 and 3650"):
        services.harm_category_create(actor=None, organisation=org, name="X", milestones=[0])


def test_a_huddle_keeps_counts_actions_and_closes_carried_forward_actions() -> None:
    ward = make_ward(f.OrganisationFactory())
    falls = ward.categories["falls"]
    first = services.huddle_create(
        actor=ward.nurse,
        unit=ward.unit,
        data=_huddle(
            held_on=TODAY - dt.timedelta(days=1),
            attendance={"nurses": 4, "doctors": 1, "therapists": 0},
            at_risk={falls.pk: (3, "Bed 4, Bed 12")},
            texts={"look_back": "Quiet night", "recognition": "Sam spotted a wet floor"},
            new_actions=[ActionInput("Fix the bed alarm in bay 2", "Charge nurse")],
        ),
    )
    assert first.attendance == {"nurses": 4, "doctors": 1}
    assert first.attendance_total == 5
    risk = HuddleAtRisk.objects.get(huddle=first)
    assert (risk.category, risk.patients, risk.references) == (falls, 3, "Bed 4, Bed 12")
    action = HuddleAction.objects.get(unit=ward.unit)
    assert action.is_open and action.raised_at == first and action.owner == "Charge nurse"
    second = services.huddle_create(
        actor=ward.nurse, unit=ward.unit, data=_huddle(close_action_ids=[action.pk])
    )
    action.refresh_from_db()
    assert action.closed_on == TODAY and action.closed_at == second
    assert first.history.first().history_user == ward.nurse


def test_future_and_second_huddles_are_refused_with_specific_messages() -> None:
    ward = make_ward(f.OrganisationFactory())
    with pytest.raises(HuddleError) as exc:
        services.huddle_create(
            actor=ward.nurse, unit=ward.unit, data=_huddle(held_on=TODAY + dt.timedelta(days=1))
        )
    assert _errors(exc)["held_on"] == ["The huddle date cannot be in the future"]
    services.huddle_create(actor=ward.nurse, unit=ward.unit, data=_huddle(shift="night"))
    with pytest.raises(HuddleError) as exc:
        services.huddle_create(actor=ward.nurse, unit=ward.unit, data=_huddle(shift="night"))
    assert "already has a night shift huddle on" in _errors(exc)["shift"][0]
    # A different shift the same day is fine.
    services.huddle_create(actor=ward.nurse, unit=ward.unit, data=_huddle(shift="day"))
    with pytest.raises(HuddleError) as exc:
        services.huddle_create(
            actor=ward.nurse, unit=ward.unit, data=_huddle(held_on=dt.date(2023, 6, 1))
        )
    assert "before Ash Ward opened on 1 January 2024" in _errors(exc)["held_on"][0]
    assert Huddle.objects.count() == 2


def test_patient_identifiers_in_shared_text_and_references_are_refused() -> None:
    ward = make_ward(f.OrganisationFactory())
    falls = ward.categories["falls"]
    with pytest.raises(HuddleError) as exc:
        services.huddle_create(
            actor=ward.nurse,
            unit=ward.unit,
            data=_huddle(
                texts={
                    "look_back": "Patient 943 476 5919 fell",
                    "look_ahead": "DOB 3/4/1950 in bed 2",
                    "staffing": "Short of one nurse",
                },
                at_risk={falls.pk: (1, "Bed 3, John Smith")},
            ),
        )
    errors = _errors(exc)
    assert "looks like an NHS number" in errors["look_back"][0]
    assert "looks like a date of birth" in errors["look_ahead"][0]
    assert "staffing" not in errors
    assert errors[f"refs_{falls.pk}"] == [
        "“John Smith” looks like it identifies a patient. Use a bed number or a local code, "
        "never a name, NHS number or date of birth."
    ]
    assert not Huddle.objects.exists()


def test_bad_counts_unknown_roles_and_other_organisations_categories_are_refused() -> None:
    ward = make_ward(f.OrganisationFactory())
    foreign = services.harm_categories_ensure(actor=None, organisation=f.OrganisationFactory())[0]
    with pytest.raises(HuddleError) as exc:
        services.huddle_create(
            actor=ward.nurse,
            unit=ward.unit,
            data=_huddle(
                attendance={"nurses": 500, "wizards": 1},
                at_risk={ward.categories["falls"].pk: (100, ""), foreign.pk: (1, "")},
                duration_min=0,
                new_actions=[ActionInput("", "", TODAY - dt.timedelta(days=3))],
            ),
        )
    errors = _errors(exc)
    assert errors["attend_nurses"] == ["Nurses present must be between 0 and 200"]
    assert errors["attendance"] == ["Unknown staff role: wizards"]
    assert errors["at_risk"] == ["Unknown harm category"]
    assert "between 0 and 99" in errors[f"risk_{ward.categories['falls'].pk}"][0]
    assert errors["duration_min"] == ["Minutes must be between 1 and 120"]
    assert errors["action1_text"] == ["Enter what the action is"]
    assert errors["action1_owner"] == ["Enter who owns the action"]
    assert errors["action1_due_on"] == ["The action's due date cannot be before the huddle"]


def test_harm_events_are_refused_before_the_unit_opened_in_the_future_or_named() -> None:
    ward = make_ward(f.OrganisationFactory(), opened_on=dt.date(2025, 3, 1))
    falls = ward.categories["falls"]
    event = services.harm_event_create(
        actor=ward.nurse,
        unit=ward.unit,
        category=falls,
        occurred_on=dt.date(2025, 3, 1),
        severity="low",
        incident_ref="W123456",
    )
    assert event.recorded_by == ward.nurse
    cases = [
        ({"occurred_on": dt.date(2025, 2, 28)}, "occurred_on", "before Ash Ward opened on 1 March"),
        ({"occurred_on": TODAY + dt.timedelta(days=1)}, "occurred_on", "cannot be in the future"),
        ({"severity": "awful"}, "severity", "Choose how severe the harm was"),
        ({"incident_ref": "Mrs Jones"}, "incident_ref", "not anything that identifies"),
        ({"incident_ref": "943 476 5919"}, "incident_ref", "not anything that identifies"),
    ]  # fmt: skip
    for change, field_name, message in cases:
        kw: dict[str, object] = {"occurred_on": dt.date(2025, 3, 2), "severity": "low"}
        kw.update(change)
        with pytest.raises(HuddleError) as exc:
            services.harm_event_create(
                actor=ward.nurse,
                unit=ward.unit,
                category=falls,
                **kw,  # type: ignore[arg-type]
            )
        assert message in _errors(exc)[field_name][0], change
    other = HarmCategory.objects.exclude(organisation=ward.unit.organisation).first()
    if other is None:
        other = services.harm_categories_ensure(actor=None, organisation=f.OrganisationFactory())[0]
    with pytest.raises(HuddleError) as exc:
        services.harm_event_create(
            actor=ward.nurse, unit=ward.unit, category=other,
            occurred_on=dt.date(2025, 3, 2), severity="low",
        )  # fmt: skip
    assert _errors(exc)["category"] == ["Choose one of this organisation's harm categories"]


def test_closing_an_action_twice_is_refused() -> None:
    ward = make_ward(f.OrganisationFactory())
    services.huddle_create(
        actor=ward.nurse, unit=ward.unit, data=_huddle(new_actions=[ActionInput("Do it", "Sam")])
    )
    action = HuddleAction.objects.get()
    services.huddle_action_close(actor=ward.nurse, action=action)
    with pytest.raises(HuddleError, match="already closed"):
        services.huddle_action_close(actor=ward.nurse, action=action)
