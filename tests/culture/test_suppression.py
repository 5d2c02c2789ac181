"""Small-count suppression: the rules, and hypothesis properties that no small group leaks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qicollab.culture import selectors, suppression
from qicollab.culture.models import PositionBand, Response, Wave
from qicollab.culture.results import unit_results
from qicollab.organisations.models import Unit
from tests.culture.factories import add_responses, make_wave

K = 5


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 40), max_size=8))
def test_withheld_cells_sum_to_zero_or_at_least_k(counts: dict[str, int]) -> None:
    safe = suppression.safe_cells(counts, K)
    shown = [counts[c] for c in safe]
    hidden = [n for c, n in counts.items() if c not in safe]
    # Every shown cell is empty or large enough on its own...
    assert all(n == 0 or n >= K for n in shown)
    total = sum(counts.values())
    if 0 < total < K:
        # A total this small is never shown (callers check it), and no cell beside it either.
        assert all(n == 0 for n in shown)
        return
    # ...and total minus the shown cells never reveals a group of 1 to K-1.
    residual = sum(hidden)
    assert residual == 0 or residual >= K


def test_threshold_can_only_go_up() -> None:
    assert suppression.threshold() == 5
    assert suppression.threshold(8) == 8
    assert suppression.threshold(2) == 5
    with override_settings(CULTURE_MIN_GROUP=3):
        assert suppression.threshold() == 5
    with override_settings(CULTURE_MIN_GROUP=10):
        assert suppression.threshold(6) == 10


def test_results_never_live() -> None:
    today = dt.date(2027, 3, 10)
    assert not suppression.results_open(today, None, today)
    assert suppression.results_open(today - dt.timedelta(days=1), None, today)
    assert suppression.results_open(
        today + dt.timedelta(days=9), today - dt.timedelta(days=1), today
    )


BANDS = [*PositionBand.values, ""]
ITEMS = ("T1", "T2", "T3", "T4", "T5", "L1", "L2", "L3", "M1", "M2", "S1", "S2")


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.sampled_from(BANDS), st.integers(1, 5)), min_size=0, max_size=45),
    st.lists(st.integers(0, 9), min_size=1, max_size=4),
)
def test_no_figure_a_viewer_can_see_describes_a_small_group(
    world: Any, answers: list[tuple[str, int]], unit_sizes: list[int]
) -> None:
    """Everything a results viewer and an organiser can read: the unit's results with its
    position breakdown, and the per-unit response counts. No figure may describe 1 to K-1
    people, and no subtraction of a shown part from a shown total may either."""
    Wave.objects.all().delete()
    Unit.objects.filter(organisation=world.trust_a).delete()
    sizes = {"Big ward": 60, **{f"Ward {i}": 10 for i in range(len(unit_sizes))}}
    wave = make_wave(world, sizes=sizes)
    big = wave.wave_units.get(unit__name="Big ward")
    Response.objects.bulk_create(
        Response(
            wave_unit=big,
            answers=dict.fromkeys(
                ("T1", "T2", "T3", "T4", "T5", "L1", "L2", "L3", "M1", "M2", "S1", "S2"), v
            ),
            position_band=b,
        )
        for b, v in answers
    )
    for i, n in enumerate(unit_sizes):
        add_responses(wave.wave_units.get(unit__name=f"Ward {i}"), n)

    r = unit_results(big)
    total = len(answers)
    if r.responses is None:
        assert total < K
    else:
        assert r.responses >= K
        for d in r.domains:
            assert d.n is None or d.n >= K
            if d.bands:
                shown_n = [b.n for b in d.bands if b.n is not None]
                assert all(n == 0 or n >= K for n in shown_n)
                residual = (d.n or 0) - sum(shown_n)
                assert residual == 0 or residual >= K
        for i in r.items:
            assert i.n is None or i.n >= K
        for _, rows in r.profile:
            shown_n = [b.n for b in rows if b.n is not None]
            residual = r.responses - sum(shown_n)
            assert residual == 0 or residual >= K

    m = selectors.monitoring(wave=wave)
    shown_counts = [u.responses for u in m.units if u.responses is not None]
    assert all(n == 0 or n >= K for n in shown_counts)
    if m.total is not None:
        residual = m.total - sum(shown_counts)
        assert residual == 0 or residual >= K
    else:
        assert total + sum(unit_sizes) < K


@pytest.mark.django_db
def test_participation_counts_only_units_big_enough(world: Any) -> None:
    wave = make_wave(world, sizes={"A ward": 20, "B ward": 10})
    add_responses(wave.wave_units.get(unit__name="A ward"), 12)
    add_responses(wave.wave_units.get(unit__name="B ward"), 3)
    [row] = [
        p
        for p in selectors.participation(collaborative=world.collab)
        if p.organisation == world.trust_a
    ]
    assert row.teams_surveyed == 2
    assert row.responses == 12  # B ward's 3 cannot be worked out by subtraction
    assert row.rate == 40.0


@pytest.mark.django_db
def test_nothing_before_close(world: Any) -> None:
    wave = make_wave(world, closed=False)
    wu = wave.wave_units.get()
    add_responses(wu, 12)
    r = unit_results(wu)
    assert not r.published and r.responses is None and r.domains == ()
    assert unit_results(wu, today=timezone.localdate() + dt.timedelta(days=30)).responses == 12
