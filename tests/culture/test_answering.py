"""Answering anonymously: links, single-use codes, bad input refused whole."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from qicollab.culture import services
from qicollab.culture.models import AccessCode, Response, Wave, WaveUnit
from tests.culture.factories import make_wave

pytestmark = pytest.mark.django_db


def _all(wave_unit: WaveUnit, option: str = "D") -> services.Answers:
    codes = wave_unit.wave.instrument.items.values_list("code", flat=True)
    return services.Answers(dict.fromkeys(codes, option))


def _open(world: Any, **kw: Any) -> WaveUnit:
    wave = make_wave(world, closed=False, **kw)
    return wave.wave_units.get()


def test_response_has_no_person_no_date_no_address(world: Any) -> None:
    fields = {f.name for f in Response._meta.get_fields()}
    assert fields == {"id", "wave_unit", "position_band", "tenure_band", "answers"}
    assert not hasattr(Response, "history")


def test_code_answers_once_and_is_stored_only_as_a_digest(world: Any) -> None:
    wu = _open(world)
    [code] = services.wave_unit_new_codes(actor=world.people["pm_a"], wave_unit=wu, count=1)
    assert not AccessCode.objects.filter(code_hash__icontains=code.replace("-", "")).exists()
    services.response_submit(wave_unit=wu, answers=_all(wu), code=code.lower())
    r = Response.objects.get()
    assert r.answers["T1"] == 4
    with pytest.raises(services.CultureError, match="already been used"):
        services.response_submit(wave_unit=wu, answers=_all(wu), code=code)
    assert Response.objects.count() == 1


def test_unknown_code_and_code_of_another_unit(world: Any) -> None:
    wave = make_wave(world, closed=False, sizes={"A ward": 10, "B ward": 10})
    a, b = wave.wave_units.order_by("unit__name")
    [code_b] = services.wave_unit_new_codes(actor=world.people["pm_a"], wave_unit=b, count=1)
    for code in ("ZZZZ-ZZZZ", code_b):
        with pytest.raises(services.CultureError, match="do not recognise"):
            services.response_submit(wave_unit=a, answers=_all(a), code=code)
    assert services.wave_unit_for_code("nope") is None
    assert not Response.objects.exists()


def test_link_token_and_a_replaced_link(world: Any) -> None:
    wu = _open(world)
    old = services.wave_unit_new_link(actor=world.people["pm_a"], wave_unit=wu)
    assert old not in WaveUnit.objects.get(pk=wu.pk).link_hash
    new = services.wave_unit_new_link(actor=world.people["pm_a"], wave_unit=wu)
    assert services.wave_unit_for_link(old) is None
    wu = services.wave_unit_for_link(new)
    assert wu is not None
    with pytest.raises(services.CultureError, match="not valid any more"):
        services.response_submit(wave_unit=wu, answers=_all(wu), link_token=old)
    services.response_submit(wave_unit=wu, answers=_all(wu), link_token=new)
    assert Response.objects.count() == 1


def test_closed_wave_refuses_and_uses_up_no_code(world: Any) -> None:
    wu = _open(world)
    [code] = services.wave_unit_new_codes(actor=world.people["pm_a"], wave_unit=wu, count=1)
    Wave.objects.filter(pk=wu.wave_id).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    wu.refresh_from_db()
    wu.wave.refresh_from_db()
    with pytest.raises(services.CultureError, match="has closed"):
        services.response_submit(wave_unit=wu, answers=_all(wu), code=code)
    assert not AccessCode.objects.get().used and not Response.objects.exists()


def test_answer_outside_the_scale_and_unknown_item(world: Any) -> None:
    wu = _open(world)
    token = services.wave_unit_new_link(actor=world.people["pm_a"], wave_unit=wu)
    bad = dict(_all(wu).by_item)
    bad["T1"] = "9"
    with pytest.raises(services.CultureError, match="Question T1: choose one of the answers"):
        services.response_submit(wave_unit=wu, answers=services.Answers(bad), link_token=token)
    bad = {**_all(wu).by_item, "ZZ": "A"}
    with pytest.raises(services.CultureError, match="no question ZZ"):
        services.response_submit(wave_unit=wu, answers=services.Answers(bad), link_token=token)
    assert not Response.objects.exists()


def test_too_few_items_answered(world: Any) -> None:
    wu = _open(world)
    [code] = services.wave_unit_new_codes(actor=world.people["pm_a"], wave_unit=wu, count=1)
    answers = dict(_all(wu).by_item)
    for c in ("T1", "T2", "T3"):
        answers[c] = ""
    with pytest.raises(
        services.CultureError, match="Answer at least 3 of the 5 questions about Teamwork"
    ):
        services.response_submit(wave_unit=wu, answers=services.Answers(answers), code=code)
    assert not AccessCode.objects.get().used and not Response.objects.exists()


def test_not_applicable_is_stored_as_null(world: Any) -> None:
    wu = _open(world)
    token = services.wave_unit_new_link(actor=world.people["pm_a"], wave_unit=wu)
    answers = {**_all(wu).by_item, "T1": "X"}
    services.response_submit(wave_unit=wu, answers=services.Answers(answers), link_token=token)
    assert Response.objects.get().answers["T1"] is None


def test_bands_only_in_large_units(world: Any) -> None:
    wave = make_wave(world, closed=False, sizes={"Small ward": 8, "Big ward": 40})
    small, big = (
        wave.wave_units.get(unit__name="Small ward"),
        wave.wave_units.get(unit__name="Big ward"),
    )
    assert not small.ask_bands and big.ask_bands
    t_small = services.wave_unit_new_link(actor=world.people["pm_a"], wave_unit=small)
    with pytest.raises(services.CultureError, match="too small for position"):
        services.response_submit(
            wave_unit=small,
            answers=services.Answers(_all(small).by_item, position_band="nursing"),
            link_token=t_small,
        )
    t_big = services.wave_unit_new_link(actor=world.people["pm_a"], wave_unit=big)
    services.response_submit(
        wave_unit=big,
        answers=services.Answers(_all(big).by_item, "nursing", "lt1"),
        link_token=t_big,
    )
    assert Response.objects.get().position_band == "nursing"


def test_wave_create_refuses_bad_setups(world: Any) -> None:
    from qicollab.culture.models import Instrument
    from tests import factories as f
    from tests.culture.factories import demo_instrument

    inst = demo_instrument()
    today = timezone.localdate()
    other_unit = f.UnitFactory(organisation=world.trust_b)
    data = services.WaveInput(
        title=" ",
        instrument=Instrument.objects.get(code="saq-short-form"),
        opens_on=today,
        closes_on=today - dt.timedelta(days=1),
        facilitator=world.people["staff_b"],
        team_leader=world.people["pm_a"],
        units=[(other_unit, 10)],
        min_group=4,
    )
    with pytest.raises(services.CultureError) as exc:
        services.wave_create(actor=world.people["pm_a"], organisation=world.trust_a, data=data)
    errors = exc.value.errors
    assert set(errors) >= {"title", "closes_on", "min_group", "instrument", "facilitator", "units"}
    assert "no item texts yet" in errors["instrument"][0]
    assert not Wave.objects.exists()
    assert inst.pk
