"""The signal feed: runs of special cause, what is "new since", who sees which signals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qicollab import spc
from qicollab.insights import signal_feed as sf
from qicollab.insights.signal_feed import signal_runs
from tests.collaborative.portfolio_data import BASELINE, SHIFT, measure, months_to_now, project

pytestmark = pytest.mark.django_db


def _x(n: int) -> list[str]:
    return [f"{2021 + i // 12}-{i % 12 + 1:02d}-01" for i in range(n)]


# --- runs (no database) -----------------------------------------------------------------


def test_a_shift_is_one_run_of_seven_below_the_mean() -> None:
    runs = signal_runs(spc.chart(SHIFT, chart="c", direction="decrease", x=_x(len(SHIFT))))
    assert len(runs) == 1
    run = runs[0]
    assert (run.point_class, run.side, run.count, run.rules) == (
        "improvement",
        "low",
        7,
        ("shift",),
    )
    assert (run.start, run.end) == (date(2022, 1, 1), date(2022, 7, 1))
    assert run.describe("mean", "monthly") == "a shift of 7 months below the centre line (mean)"
    assert run.tag == ("Improvement", "nhsuk-tag--blue")


def test_a_point_above_the_upper_limit_is_a_concern_when_lower_is_better() -> None:
    y = [*BASELINE, 30]
    (run,) = signal_runs(spc.chart(y, chart="c", direction="decrease", x=_x(len(y))))
    assert (run.point_class, run.rules, run.count) == ("concern", ("outside_limits",), 1)
    assert run.describe() == "1 period above the upper limit"
    assert run.rule_labels == ["outside the limits"]


def test_a_trend_is_described_as_rising() -> None:
    y = [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 3, 3.5, 4, 4.5, 5, 5.5, 6.5]
    (run,) = signal_runs(spc.chart(y, chart="i", direction="increase", x=_x(len(y))))
    assert (
        run.rules == ("trend",)
        and run.describe("mean", "weekly") == "a trend of 7 weeks rising in a row"
    )


def test_gaps_do_not_break_a_run_and_common_cause_has_none() -> None:
    y = [*SHIFT[:12], 6, 5, None, 7, 6, 5, 6, 7]
    (run,) = signal_runs(spc.chart(y, chart="c", direction="decrease", x=_x(len(y))))
    assert run.count == 7 and run.end == date(2022, 8, 1)
    assert signal_runs(spc.chart(BASELINE, chart="c", x=_x(len(BASELINE)))) == []


def test_a_neutral_measure_gives_a_change_without_direction() -> None:
    (run,) = signal_runs(spc.chart(SHIFT, chart="c", direction="neutral", x=_x(len(SHIFT))))
    assert run.point_class == "neutral" and run.tag[0] == "Change (no direction set)"


# --- the feed ---------------------------------------------------------------------------


@pytest.fixture
def feed_world(world: Any) -> dict[str, Any]:
    people = world.people
    a_private = project(world, title="Ward 3 project", sharing="private")
    b_private = project(
        world, title="Brook ward project", org=world.trust_b, lead=people["staff_b"]
    )
    b_public = project(world, title="Brook open project", org=world.trust_b, lead=people["staff_b"])
    b_public.sharing = "public"
    b_public.save()
    o_project = project(
        world,
        title="Other region project",
        org=world.trust_o,
        collab=world.other_collab,
        lead=people["pm_o"],
        sharing="collaborative",
    )
    return {
        "falls": measure(a_private, SHIFT, name="Ward 3 falls"),
        "restraint": measure(b_private, SHIFT, name="Brook restraint", direction="increase"),
        "calm": measure(b_public, BASELINE, name="Brook calm measure"),
        "spike": measure(b_public, [*BASELINE, 25], name="Brook spike", main=False),
        "short": measure(a_private, SHIFT[-8:], name="Too short", main=False),
        "other": measure(o_project, SHIFT, name="Other falls"),
    }


def _url(world: Any, slug: str | None = None, **params: str) -> str:
    url = reverse("insights:signals", args=[slug or world.collab.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


FALLS = "Ward 3 falls: a shift of 7 months below the centre line (mean) (improvement)"
RESTRAINT = "Brook restraint: a shift of 7 months below the centre line (mean) (concern)"
SPIKE = "Brook spike: 1 month above the upper limit (concern)"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("faculty", {FALLS, RESTRAINT, SPIKE}),
        ("collab_lead", {FALLS, RESTRAINT, SPIKE}),
        ("national_admin", {FALLS, RESTRAINT, SPIKE}),
        ("staff_a", {FALLS, SPIKE}),
        ("pm_a", {FALLS, SPIKE}),
        ("viewer_a", {SPIKE}),
        ("staff_b", {RESTRAINT, SPIKE}),
        ("outsider", {SPIKE}),
        (None, {SPIKE}),
    ],
)
def test_feed_shows_signals_of_visible_projects_only(
    world: Any, feed_world: Any, login: Any, persona: str | None, expected: set[str]
) -> None:
    person = world.people[persona] if persona else None
    response = login(person).get(_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert {t for t in (FALLS, RESTRAINT, SPIKE) if t in html} == expected
    assert "Other falls" not in html and "Too short" not in html


def test_items_link_to_the_measure_chart_newest_first(
    world: Any, feed_world: Any, login: Any
) -> None:
    html = login(world.people["faculty"]).get(_url(world)).content.decode()
    assert feed_world["falls"].get_absolute_url() in html
    # The spike is this month's single point; the shifts also end this month, so within
    # a date items go by project title: Brook ward, Brook open (spike), Ward 3.
    assert html.index(RESTRAINT) < html.index(FALLS)
    assert "Rule: shift." in html and "Rule: outside the limits." in html


def test_a_run_that_began_before_the_date_is_shown_as_continuing(
    world: Any, feed_world: Any, login: Any
) -> None:
    months = months_to_now(len(SHIFT))
    since = months[-3]  # the shift's last three points are on or after it
    html = login(world.people["faculty"]).get(_url(world, since=since.isoformat())).content
    text = html.decode()
    assert FALLS in text and f"Began {months[-7]:%B %Y} and continues" in text


def test_a_date_after_every_value_finds_nothing(world: Any, feed_world: Any) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    feed = sf.signal_feed(
        viewer=world.people["faculty"], collaborative=world.collab, since=tomorrow
    )
    assert feed.items == [] and feed.measures_checked == 0


def test_old_signals_are_not_new(world: Any, login: Any) -> None:
    # A shift that ended before the window, followed by a year of common cause.
    p = project(world, title="Old news", sharing="collaborative")
    measure(p, [*SHIFT, 10, 11, 9, 12, 10, 11, 9, 12, 10, 11, 9, 12], name="Old shift")
    feed = sf.signal_feed(
        viewer=world.people["faculty"],
        collaborative=world.collab,
        since=sf.default_since(timezone.localdate()),
    )
    assert feed.measures_checked == 1 and feed.items == []


def test_too_few_values_are_counted_not_judged(world: Any, feed_world: Any) -> None:
    feed = sf.signal_feed(
        viewer=world.people["staff_a"],
        collaborative=world.collab,
        since=sf.default_since(timezone.localdate()),
    )
    assert feed.too_few == 1  # "Too short" has 8 values
    assert {it.measure.name for it in feed.items} == {"Ward 3 falls", "Brook spike"}


def test_one_batch_call_for_every_measure(world: Any, feed_world: Any) -> None:
    with mock.patch("qicollab.spc.batch", wraps=spc.batch) as batch:
        feed = sf.signal_feed(
            viewer=world.people["faculty"],
            collaborative=world.collab,
            since=sf.default_since(timezone.localdate()),
        )
    assert batch.call_count == 1
    sent = set(batch.call_args.args[0])
    ids = {feed_world[k].pk for k in ("falls", "restraint", "calm", "spike")}
    assert sent == ids  # "short" has too few values; "other" is another collaborative's
    assert {it.text for it in feed.items} == {FALLS, RESTRAINT, SPIKE}


def test_query_count_does_not_grow_with_measures(world: Any, login: Any) -> None:
    client = login(world.people["faculty"])

    def add(n: int) -> None:
        for i in range(n):
            p = project(world, title=f"Many {i}", sharing="collaborative")
            measure(p, SHIFT, name=f"Many falls {i}")

    def counts() -> tuple[int, int]:
        """Queries with the signals computed (cache cleared), then from the cache."""
        from django.core.cache import cache

        cache.clear()
        client.get(reverse("core:privacy"))  # the session and roles, as on any page
        with CaptureQueriesContext(connection) as cold:
            client.get(_url(world))
        with CaptureQueriesContext(connection) as warm:
            client.get(_url(world))
        return len(cold), len(warm)

    add(2)
    few = counts()
    add(10)
    many = counts()
    html = client.get(_url(world)).content.decode()
    assert html.count("months below the centre line (mean) (improvement)") == 12
    assert many == few
    # The cached view does not read the points and chart decisions again.
    assert few[1] < few[0]


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("not-a-date", "Enter the date as a real date"),
        ("2999-01-01", "The date must be today or in the past"),
        ("2001-01-01", "The date must be within the last 730 days"),
    ],
)
def test_bad_dates_are_explained_and_kept(
    world: Any, feed_world: Any, login: Any, since: str, message: str
) -> None:
    response = login(world.people["faculty"]).get(_url(world, since=since))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert f'value="{since}"' in html
    assert FALLS in html  # the default window is used meanwhile


def test_private_collaborative_feed_is_404_outside_it(
    world: Any, feed_world: Any, login: Any
) -> None:
    url = _url(world, world.other_collab.slug)
    for persona in ("outsider", "staff_a", "faculty"):
        assert login(world.people[persona]).get(url).status_code == 404
    assert login(None).get(url).status_code == 404
    html = login(world.people["pm_o"]).get(url).content.decode()
    assert "Other falls: a shift of 7 months below the centre line (mean) (improvement)" in html


def test_empty_feed_explains_itself(world: Any, login: Any) -> None:
    html = login(world.people["staff_b"]).get(_url(world)).content.decode()
    assert "No measure of a project you can see has data since" in html


# --- API --------------------------------------------------------------------------------


def _api(world: Any, slug: str | None = None) -> str:
    return f"/api/collaboratives/{slug or world.collab.slug}/signals"


def test_api_feed(world: Any, feed_world: Any, login: Any) -> None:
    body = login(world.people["staff_b"]).get(_api(world)).json()
    assert {i["text"] for i in body["items"]} == {RESTRAINT, SPIKE}
    restraint = next(i for i in body["items"] if i["measure_name"] == "Brook restraint")
    assert restraint["kind"] == "concern" and restraint["rules"] == ["shift"]
    assert restraint["points"] == 7 and restraint["continuing"] is True  # began months ago
    assert restraint["url"] == feed_world["restraint"].get_absolute_url()
    assert body["since"] == sf.default_since(timezone.localdate(), ["monthly"]).isoformat()
    assert body["default_window"] is True and "full month" in body["covers"]
    assert restraint["length"] == "7 months" and restraint["consider_new_phase"] is False


def test_api_since(world: Any, feed_world: Any, login: Any) -> None:
    since = months_to_now(len(SHIFT))[-3].isoformat()
    body = login(world.people["faculty"]).get(_api(world) + f"?since={since}").json()
    falls = next(i for i in body["items"] if i["measure_name"] == "Ward 3 falls")
    assert falls["continuing"] is True and body["since"] == since


@pytest.mark.parametrize("since", ["yesterday", "2025-13-01", "2999-01-01", "2001-01-01"])
def test_api_bad_since_is_422_with_a_reason(
    world: Any, feed_world: Any, login: Any, since: str
) -> None:
    response = login(world.people["faculty"]).get(_api(world) + f"?since={since}")
    assert response.status_code == 422
    assert "since" in response.json()["detail"]


def test_api_private_collaborative_is_404(world: Any, feed_world: Any, login: Any) -> None:
    url = _api(world, world.other_collab.slug)
    assert login(world.people["outsider"]).get(url).status_code == 404
    assert login(world.people["pm_o"]).get(url).status_code == 200


# --- the default window and the words for a run's length (issue 11) ---------------------


def _ending_last_month(p: Any, values: list[float], **kw: Any) -> Any:
    """A monthly measure whose latest value is last month's (this month not entered yet)."""
    from qicollab.measures.models import DataPoint

    m = measure(p, values, **kw)
    DataPoint.objects.filter(measure=m).delete()
    months = months_to_now(len(values) + 1)[:-1]
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v) for d, v in zip(months, values, strict=True)
    )
    return m


def test_the_default_window_covers_a_full_month_of_monthly_measures(world: Any, login: Any) -> None:
    """A fixed 30 days missed last month's value (dated the 1st) whenever today is past it."""
    p = project(world, title="Entered monthly", sharing="collaborative")
    _ending_last_month(p, SHIFT, name="Monthly falls")
    today = timezone.localdate()
    last_month = months_to_now(2)[0]
    window = sf.feed_window(viewer=world.people["faculty"], collaborative=world.collab, today=today)
    assert window.since == min(last_month, today - timedelta(days=sf.DEFAULT_DAYS))
    assert window.frequency == "monthly"
    html = login(world.people["faculty"]).get(_url(world)).content.decode()
    assert "Monthly falls: a shift of 7 months below the centre line (mean)" in html
    assert "covers at least one full month of every monthly measure" in html
    assert f"Signals since {window.since.day} {window.since:%B %Y}" in html


def test_default_since_follows_the_longest_frequency() -> None:
    today = date(2026, 12, 7)
    assert sf.default_since(today, ["daily"]) == date(2026, 11, 7)
    assert sf.default_since(today, ["weekly", "monthly"]) == date(2026, 11, 1)
    assert sf.default_since(today, ["monthly", "quarterly"]) == date(2026, 7, 1)
    # Late in a month the last full month still starts the window.
    assert sf.default_since(date(2026, 12, 31), ["monthly"]) == date(2026, 11, 1)


def test_a_long_weekly_shift_is_said_in_weeks_and_suggests_a_new_phase(
    world: Any, login: Any
) -> None:
    from qicollab.measures.models import DataPoint, Measure

    p = project(world, title="Weekly team", sharing="collaborative")
    m = Measure.objects.create(
        project=p,
        name="Weekly falls",
        measure_type="outcome",
        value_type="count",
        chart_type="c",
        frequency="weekly",
        direction="decrease",
    )
    values = [10, 12, 9, 11, 10, 13, 8, 11, 12, 10, 9, 11, 10, 12] + [5, 6, 5, 6] * 5
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=len(values) - 1 - i) for i in range(len(values))]
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v) for d, v in zip(weeks, values, strict=True)
    )
    feed = sf.signal_feed(
        viewer=world.people["faculty"], collaborative=world.collab, since=weeks[-2]
    )
    (item,) = [it for it in feed.items if it.measure.pk == m.pk]
    assert item.run.count >= sf.NEW_PHASE_AFTER
    assert item.describe() == f"a shift of {item.run.count} weeks below the centre line (mean)"
    assert "points" not in item.text
    assert item.suggest_new_phase and item.phase_url.endswith("#decisions")
    html = (
        login(world.people["faculty"])
        .get(_url(world, since=weeks[-2].isoformat()))
        .content.decode()
    )
    assert "starting a new phase" in html and item.phase_url in html
    api = login(world.people["faculty"]).get(_api(world) + f"?since={weeks[-2]}").json()
    (row,) = [i for i in api["items"] if i["measure_id"] == m.pk]
    assert row["consider_new_phase"] is True and row["length"] == f"{item.run.count} weeks"
    assert api["default_window"] is False


def test_a_seven_month_shift_does_not_yet_suggest_a_new_phase(world: Any, feed_world: Any) -> None:
    feed = sf.signal_feed(
        viewer=world.people["faculty"],
        collaborative=world.collab,
        since=months_to_now(1)[0],
    )
    falls = next(it for it in feed.items if it.measure.name == "Ward 3 falls")
    assert falls.run.count == 7 and not falls.suggest_new_phase


# --- cached under a fingerprint of the data (issue 18) ------------------------------------


def test_a_second_view_does_not_recompute_the_signals(world: Any, feed_world: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    since = sf.default_since(timezone.localdate())
    kwargs = {"viewer": world.people["faculty"], "collaborative": world.collab, "since": since}
    with mock.patch("qicollab.spc.batch", wraps=spc.batch) as batch:
        first = sf.signal_feed(**kwargs)
        with CaptureQueriesContext(connection) as ctx:
            again = sf.signal_feed(**kwargs)
    assert batch.call_count == 1
    assert [it.text for it in again.items] == [it.text for it in first.items]
    assert again.too_few == first.too_few
    # The measures with recent data, and the two aggregates of the fingerprint: no points read.
    assert len(ctx.captured_queries) == 3
    from qicollab.measures.models import DataPoint

    column = f'{DataPoint._meta.db_table}"."numerator"'
    assert not any(column in q["sql"] for q in ctx.captured_queries)


@pytest.mark.parametrize("change", ["new point", "edited point", "deleted point", "decision"])
def test_a_data_change_computes_the_signals_afresh(
    world: Any, feed_world: Any, change: str
) -> None:
    from django.core.cache import cache

    from qicollab.measures.models import ChartEvent, DataPoint

    cache.clear()
    since = sf.default_since(timezone.localdate())
    kwargs = {"viewer": world.people["faculty"], "collaborative": world.collab, "since": since}
    assert SPIKE in {it.text for it in sf.signal_feed(**kwargs).items}
    spike = feed_world["spike"]
    last = DataPoint.objects.filter(measure=spike).order_by("-period").first()
    assert last is not None
    if change == "new point":
        DataPoint.objects.filter(pk=last.pk).delete()
        DataPoint.objects.create(measure=spike, period=last.period, value=10)
    elif change == "edited point":
        last.value = 10
        last.save()
    elif change == "deleted point":
        DataPoint.objects.filter(pk=last.pk).delete()
    else:
        ChartEvent.objects.create(
            measure=spike, kind="exclude", on=last.period, reason="Data entry error"
        )
    with mock.patch("qicollab.spc.batch", wraps=spc.batch) as batch:
        feed = sf.signal_feed(**kwargs)
    assert batch.call_count == 1
    assert SPIKE not in {it.text for it in feed.items}
