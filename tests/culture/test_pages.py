"""Pages: the permission matrix for every persona and an outsider, content, query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qicollab.culture import services
from qicollab.culture.models import CultureAction, Debrief, ResultShare, Wave
from tests.conftest import PERSONAS
from tests.culture.factories import add_responses, make_wave

pytestmark = pytest.mark.django_db

ANON = "anonymous"
WAVE_PEOPLE = ("pm_a", "staff_a", "partner_a", "viewer_a")  # trust A: may know the wave exists
RESULTS_PEOPLE = ("staff_a", "partner_a")  # the team leader and the facilitator
COORDINATORS = ("national_admin", "collab_lead", "faculty", "pm_a")


def _expect(default: int, **by: int) -> dict[str, int]:
    out = dict.fromkeys(PERSONAS, default)
    out.update(by)
    return out


def _wave_expect(ok: tuple[str, ...], seen_status: int = 403) -> dict[str, int]:
    out = _expect(404, anonymous=302)
    for p in WAVE_PEOPLE:
        out[p] = seen_status
    for p in ok:
        out[p] = 200
    return out


@pytest.fixture
def survey(world: Any) -> dict[str, Any]:
    wave = make_wave(
        world,
        sizes={"Larch ward": 30},
        leader=world.people["staff_a"],
        facilitator=world.people["partner_a"],
    )
    wu = wave.wave_units.get()
    add_responses(wu, 12)
    debrief = services.debrief_record(
        actor=world.people["partner_a"],
        wave_unit=wu,
        data=services.DebriefInput(timezone.localdate(), 9, list(wave.instrument.items.all()[:2])),
    )
    services.action_save(
        actor=world.people["partner_a"],
        debrief=debrief,
        data=services.ActionInput(
            "Safety huddle at handover", "Ward manager", timezone.localdate()
        ),
    )
    return {"wave": wave, "wu": wu, "debrief": debrief}


def _status(login: Any, world: Any, who: str, method: str, url: str, data: Any = None) -> int:
    client: Client = login(None if who == ANON else world.people[who])
    response = client.post(url, data or {}) if method == "POST" else client.get(url)
    return response.status_code


def _check(
    login: Any, world: Any, url: str, expect: dict[str, int], method: str = "GET", data: Any = None
) -> None:
    got = {who: _status(login, world, who, method, url, data) for who in expect}
    assert got == expect, url


def test_home_and_instruments(world: Any, login: Any, survey: Any) -> None:
    for name in ("culture:home", "culture:instrument_list"):
        _check(login, world, reverse(name), _expect(200, anonymous=302))
    inst = survey["wave"].instrument
    _check(
        login,
        world,
        reverse("culture:instrument_detail", args=[inst.pk]),
        _expect(200, anonymous=302),
    )
    _check(login, world, reverse("culture:instrument_upload"), _expect(403, anonymous=302))


def test_wave_pages_matrix(world: Any, login: Any, survey: Any) -> None:
    w, wu, d = survey["wave"], survey["wu"], survey["debrief"]
    _check(login, world, reverse("culture:wave_detail", args=[w.pk]), _wave_expect(WAVE_PEOPLE))
    for name in ("culture:results", "culture:results_csv", "culture:debrief_new"):
        _check(login, world, reverse(name, args=[w.pk, wu.pk]), _wave_expect(RESULTS_PEOPLE))
    _check(
        login,
        world,
        reverse("culture:debrief_edit", args=[w.pk, wu.pk, d.pk]),
        _wave_expect(RESULTS_PEOPLE),
    )
    _check(
        login,
        world,
        reverse("culture:action_new", args=[w.pk, wu.pk, d.pk]),
        _wave_expect(RESULTS_PEOPLE),
    )
    _check(
        login,
        world,
        reverse("culture:wave_unit_codes", args=[w.pk, wu.pk]),
        _wave_expect(("pm_a",)),
    )
    _check(
        login,
        world,
        reverse("culture:wave_create"),
        _expect(403, anonymous=302, pm_a=200, pm_o=200),
    )


def test_pdf_for_the_team_only(world: Any, login: Any, survey: Any) -> None:
    url = reverse("culture:results_pdf", args=[survey["wave"].pk, survey["wu"].pk])
    for who, status in (
        ("staff_a", 200),
        ("pm_a", 403),
        ("viewer_a", 403),
        ("faculty", 404),
        ("national_admin", 404),
        ("outsider", 404),
        (ANON, 302),
    ):
        assert _status(login, world, who, "GET", url) == status, who
    body = login(world.people["staff_a"]).get(url).content
    assert body.startswith(b"%PDF")


def test_posts_by_the_wrong_people_change_nothing(world: Any, login: Any, survey: Any) -> None:
    w = survey["wave"]
    url = reverse("culture:share_add", args=[w.pk])
    data = {"person": world.people["viewer_a"].pk}
    expect = _wave_expect(("staff_a",))
    expect["staff_a"] = 302
    for who in expect:
        if who == "staff_a":
            continue
        assert _status(login, world, who, "POST", url, data) == expect[who], who
    assert not ResultShare.objects.exists()
    assert _status(login, world, "staff_a", "POST", url, data) == 302
    assert ResultShare.objects.filter(person=world.people["viewer_a"]).exists()
    # Shared: the viewer now sees the results.
    assert (
        _status(
            login,
            world,
            "viewer_a",
            "GET",
            reverse("culture:results", args=[w.pk, survey["wu"].pk]),
        )
        == 200
    )
    close = reverse("culture:wave_close", args=[w.pk])
    for who in ("staff_a", "viewer_a", "faculty", "outsider"):
        assert _status(login, world, who, "POST", close) in (403, 404)


def test_participation_matrix(world: Any, login: Any, survey: Any) -> None:
    url = reverse("culture:participation", args=[world.collab.slug])
    # The collaborative is public: everyone signed in may know it exists (403, not 404).
    expect = _expect(403, anonymous=302)
    for p in COORDINATORS:
        expect[p] = 200
    _check(login, world, url, expect)
    page = login(world.people["collab_lead"]).get(url).content.decode()
    # Participation only: no result figure, no unit name.
    assert "Larch ward" not in page and "positive" not in page.replace("Participation only", "")


def test_results_page_content_and_queries(
    world: Any, login: Any, survey: Any, django_assert_max_num_queries: Any
) -> None:
    w, wu = survey["wave"], survey["wu"]
    client = login(world.people["staff_a"])
    url = reverse("culture:results", args=[w.pk, wu.pk])
    with django_assert_max_num_queries(24):
        page = client.get(url).content.decode()
    assert "12 of 30" in page and "Teamwork" in page and "data:image/svg+xml;base64," in page
    assert "Safety huddle at handover" in page
    add_responses(wu, 300, seed=4)
    with django_assert_max_num_queries(24):
        assert client.get(url).status_code == 200


def test_small_unit_shows_nothing(world: Any, login: Any) -> None:
    wave = make_wave(
        world,
        sizes={"Tiny team": 6},
        leader=world.people["staff_a"],
        facilitator=world.people["partner_a"],
    )
    wu = wave.wave_units.get()
    add_responses(wu, 4)
    page = (
        login(world.people["staff_a"])
        .get(reverse("culture:results", args=[wave.pk, wu.pk]))
        .content.decode()
    )
    assert "Fewer than 5 people answered" in page and "4 of 6" not in page
    detail = login(world.people["pm_a"]).get(wave.get_absolute_url()).content.decode()
    assert ">4<" not in detail and "not shown" in detail


def test_comparison_with_the_previous_wave(world: Any, login: Any) -> None:
    people = {"leader": world.people["staff_a"], "facilitator": world.people["partner_a"]}
    first = make_wave(world, sizes={"Oak ward": 40}, **people)
    add_responses(first.wave_units.get(), 30, value=3)
    from qicollab.organisations.models import Unit

    oak = Unit.objects.get(name="Oak ward")
    second = services.wave_create(
        actor=world.people["pm_a"],
        organisation=world.trust_a,
        data=services.WaveInput(
            title="Repeat",
            instrument=first.instrument,
            opens_on=timezone.localdate() - dt.timedelta(days=9),
            closes_on=timezone.localdate() - dt.timedelta(days=1),
            facilitator=people["facilitator"],
            team_leader=people["leader"],
            units=[(oak, 40)],
            number=2,
            previous=first,
        ),
    )
    add_responses(second.wave_units.get(), 30, value=5)
    page = (
        login(people["leader"])
        .get(reverse("culture:results", args=[second.pk, second.wave_units.get().pk]))
        .content.decode()
    )
    assert (
        "Teamwork: 0% → 100% positive, a change larger than chance alone would usually give."
        in page
    )


def test_answer_on_the_code_page_without_signing_in(world: Any, client: Client) -> None:
    wave = make_wave(world, closed=False)
    wu = wave.wave_units.get()
    [code] = services.wave_unit_new_codes(actor=world.people["pm_a"], wave_unit=wu, count=1)
    page = client.post(reverse("culture:answer_code"), {"code": code})
    assert page.status_code == 200 and "Teamwork" in page.content.decode()
    items = wave.instrument.items.values_list("code", flat=True)
    data = {"code": code, "answering": "1", **{f"item_{c}": "E" for c in items}}
    data["item_T1"] = "Q"  # outside the scale: kept what was typed, nothing stored
    again = client.post(reverse("culture:answer_code"), data)
    assert "choose one of the answers shown" in again.content.decode()
    data["item_T1"] = "A"
    done = client.post(reverse("culture:answer_code"), data)
    assert done.status_code == 302
    reused = client.post(reverse("culture:answer_code"), {"code": code}).content.decode()
    assert "already been used" in reused
    unknown = client.get(reverse("culture:answer_link", args=["nope"]))
    assert unknown.status_code == 404


def test_action_starts_a_project_shown_on_the_project_page(
    world: Any, login: Any, survey: Any
) -> None:
    action = CultureAction.objects.get()
    d: Debrief = survey["debrief"]
    url = reverse(
        "culture:action_project", args=[survey["wave"].pk, survey["wu"].pk, d.pk, action.pk]
    )
    # The team leader starts the project through the projects app's own service.
    client = login(world.people["staff_a"])
    assert client.post(url, {"collaborative": world.collab.pk}).status_code == 302
    action.refresh_from_db()
    assert action.project is not None and action.project.lead_organisation == world.trust_a
    page = client.get(
        reverse("projects:project_detail", args=[action.project.slug])
    ).content.decode()
    assert "From a safety culture debrief" in page and "Safety huddle at handover" in page


def test_closed_wave_answer_page(world: Any, client: Client) -> None:
    wave = make_wave(world, closed=False)
    wu = wave.wave_units.get()
    token = services.wave_unit_new_link(actor=world.people["pm_a"], wave_unit=wu)
    Wave.objects.filter(pk=wave.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    page = client.get(reverse("culture:answer_link", args=[token]))
    assert page.status_code == 410 and "has closed" in page.content.decode()
