"""The huddle pages: who sees what, recording through the forms, counts and query budgets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from qicollab.huddles import services
from qicollab.huddles.models import HarmEvent, Huddle, HuddleAction
from qicollab.huddles.services import ActionInput, HuddleInput
from tests.conftest import PERSONAS, World
from tests.huddles.factories import Ward

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


# Who gets what on the unit's pages. "full": staff of the unit and the organisation's
# programme managers (safety leads); "counts": collaborative coordinators; 404: the rest.
EXPECTED = {
    "national_admin": "counts",
    "collab_lead": "counts",
    "faculty": "counts",
    "pm_a": "full",
    "staff_a": "full",  # a member of the ward
    "partner_a": 404,  # in the trust, not on the ward
    "viewer_a": 404,
    "staff_b": 404,
    "pm_o": 404,
    "outsider": 404,
}


def _pages(unit: Any) -> dict[str, str]:
    return {
        "record": reverse("huddles:huddle_record", args=[unit.pk]),
        "harm": reverse("huddles:harm_event_record", args=[unit.pk]),
        "actions": reverse("huddles:action_list", args=[unit.pk]),
        "csv": reverse("huddles:export", args=[unit.pk, "huddles"]),
        "csv_events": reverse("huddles:export", args=[unit.pk, "harm-events"]),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_gets_full_counts_or_nothing(
    persona: str, world: World, ward: Ward, login: Any
) -> None:
    assert set(EXPECTED) == set(PERSONAS)
    client = login(world.people[persona])
    home = client.get(reverse("huddles:unit", args=[ward.unit.pk]))
    expected = EXPECTED[persona]
    index = client.get(reverse("huddles:index")).content.decode()
    if expected == 404:
        assert home.status_code == 404
        assert "Ash Ward" not in index
        for url in _pages(ward.unit).values():
            assert client.get(url).status_code == 404, url
        return
    assert home.status_code == 200
    assert "Ash Ward" in index
    body = home.content.decode()
    assert "Days since the last harm event" in body and "Safety cross" in body
    assert 'data-category="falls"' in body
    if expected == "full":
        assert "SECRET-NOTE" in body and "SECRET-ACTION" in body and "W998877" in body
        for url in _pages(ward.unit).values():
            assert client.get(url).status_code == 200, url
    else:
        # Counts and charts only: no free text, no references, no forms, no exports.
        for secret in ("SECRET-NOTE", "SECRET-ACTION", "W998877", "Bed 7"):
            assert secret not in body
        for url in _pages(ward.unit).values():
            assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(ward: Ward, client: Any) -> None:
    for url in [reverse("huddles:unit", args=[ward.unit.pk]), *_pages(ward.unit).values()]:
        assert client.get(url).status_code == 302


def test_a_persona_who_cannot_record_changes_nothing_by_posting(
    world: World, ward: Ward, login: Any
) -> None:
    for persona in ("faculty", "staff_b", "outsider"):
        client = login(world.people[persona])
        r = client.post(_pages(ward.unit)["harm"], {"category": "1", "severity": "low"})
        assert r.status_code in (403, 404)
        action = HuddleAction.objects.get()
        r = client.post(reverse("huddles:action_close", args=[ward.unit.pk, action.pk]))
        assert r.status_code in (403, 404)
    assert HarmEvent.objects.count() == 1
    assert HuddleAction.objects.get().is_open


def _huddle_post(ward: Ward, **extra: str) -> dict[str, str]:
    data = {"held_on": TODAY.isoformat(), "shift": "day", "started_at": "07:30"}
    data.update(extra)
    return data


def test_recording_a_huddle_through_the_form_closes_actions_and_adds_new_ones(
    ward: Ward, login: Any
) -> None:
    client = login(ward.nurse)
    falls = ward.categories["falls"]
    old = HuddleAction.objects.get()
    page = client.get(_pages(ward.unit)["record"]).content.decode()
    assert "SECRET-ACTION order sensor mats" in page  # carried forward
    r = client.post(
        _pages(ward.unit)["record"],
        _huddle_post(
            ward,
            **{
                f"risk_{falls.pk}": "3",
                "attend_nurses": "5",
                "close_actions": str(old.pk),
                "action1_text": "Check bed rails",
                "action1_owner": "Sam",
            },
        ),
    )
    assert r.status_code == 302
    huddle = Huddle.objects.get(held_on=TODAY)
    assert huddle.attendance == {"nurses": 5}
    assert huddle.at_risk.get().patients == 3
    old.refresh_from_db()
    assert old.closed_on == TODAY
    assert HuddleAction.objects.filter(closed_on__isnull=True).get().text == "Check bed rails"


def test_refused_huddles_keep_what_was_typed_and_say_why(ward: Ward, login: Any) -> None:
    client = login(ward.nurse)
    falls = ward.categories["falls"]
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    r = client.post(
        _pages(ward.unit)["record"],
        _huddle_post(
            ward,
            held_on=tomorrow,
            look_back="Fell near NHS number 943 476 5919",
            **{f"refs_{falls.pk}": "Mr Smith"},
        ),
    )
    body = r.content.decode()
    assert r.status_code == 400
    assert "The huddle date cannot be in the future" in body
    assert "looks like an NHS number" in body
    assert "“Mr Smith” looks like it identifies a patient" in body
    assert "Fell near NHS number 943 476 5919" in body  # kept
    assert not Huddle.objects.filter(held_on__gt=TODAY).exists()
    # A second huddle for the same shift.
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    r = client.post(
        _pages(ward.unit)["record"], _huddle_post(ward, held_on=yesterday, shift="early")
    )
    assert r.status_code == 400
    assert "already has an early shift huddle" in r.content.decode()
    # Nonsense never answers 500.
    nonsense = {"held_on": "x", "shift": "zzz", "attend_nurses": "-1", "close_actions": "9999"}
    r = client.post(_pages(ward.unit)["record"], nonsense)
    assert r.status_code == 400


def test_recording_a_fall_resets_the_counter(ward: Ward, login: Any) -> None:
    client = login(ward.nurse)
    home = reverse("huddles:unit", args=[ward.unit.pk])
    assert "12 days since the last fall" not in client.get(home).content.decode()
    body = client.get(home).content.decode()
    assert "Last on" in body
    r = client.post(
        _pages(ward.unit)["harm"],
        {
            "category": str(ward.categories["falls"].pk),
            "occurred_on": TODAY.isoformat(),
            "severity": "none",
            "incident_ref": "",
        },
    )
    assert r.status_code == 302
    body = client.get(home).content.decode()
    row = body.split('data-category="falls"')[1].split("</tr>")[0]
    assert '<strong class="app-days" data-days>0</strong>' in row
    r = client.post(
        _pages(ward.unit)["harm"],
        {
            "category": str(ward.categories["falls"].pk),
            "occurred_on": (ward.unit.opened_on - dt.timedelta(days=1)).isoformat(),
            "severity": "low",
        },
    )
    assert r.status_code == 400
    assert "cannot be before Ash Ward opened on" in r.content.decode()


def test_month_and_category_parameters_never_fail(ward: Ward, login: Any) -> None:
    client = login(ward.nurse)
    home = reverse("huddles:unit", args=[ward.unit.pk])
    for query in (
        "?month=2099-01",
        "?month=bad",
        "?month=2025-13",
        "?category=nope",
        "?month=1999-1",
    ):
        assert client.get(home + query).status_code == 200, query
    r = client.get(home + "?category=falls&month=" + f"{TODAY:%Y-%m}")
    assert "Days between falls" in r.content.decode()


def test_csv_exports_go_through_the_safe_writer(ward: Ward, login: Any) -> None:
    client = login(ward.nurse)
    services.harm_event_create(
        actor=ward.nurse, unit=ward.unit, category=ward.categories["falls"],
        occurred_on=TODAY, severity="low", incident_ref="=HYPERLINK",
    )  # fmt: skip
    body = client.get(_pages(ward.unit)["csv_events"]).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    huddles = client.get(_pages(ward.unit)["csv"]).content.decode("utf-8-sig")
    assert "At risk: Falls" in huddles.splitlines()[0]


def test_query_counts_of_the_unit_and_list_pages_are_bounded(
    ward: Ward, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(ward.nurse)
    for days in range(2, 30):
        services.huddle_create(
            actor=ward.nurse, unit=ward.unit,
            data=HuddleInput(held_on=TODAY - dt.timedelta(days=days), shift="day",
                             at_risk={ward.categories["falls"].pk: (1, "")},
                             new_actions=[ActionInput(f"Action {days}", "Sam")]),
        )  # fmt: skip
    client.get(reverse("huddles:index"))  # warm the session
    # 16 + the header's unread-notifications count
    with django_assert_max_num_queries(17):
        assert client.get(reverse("huddles:unit", args=[ward.unit.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(_pages(ward.unit)["actions"] + "?status=all").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("huddles:index")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(_pages(ward.unit)["record"]).status_code == 200
