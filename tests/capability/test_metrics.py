from __future__ import annotations

from qicollab.capability import metrics
from qicollab.capability.metrics import Change, CountRule, Definition


def test_at_level_counts_members_with_any_subject_at_or_above_the_level() -> None:
    latest = {1: {10: 1, 11: 1}, 2: {10: 2, 11: 1}, 3: {10: 3, 11: 3}}
    assert metrics.counts(latest, definition=Definition(min_level=1)) == 3
    assert metrics.counts(latest, definition=Definition(min_level=2)) == 2
    assert metrics.counts(latest, definition=Definition(min_level=3)) == 1


def test_moved_up_counts_members_above_their_first_level_in_any_subject() -> None:
    first = {1: {10: 1, 11: 2}, 2: {10: 2}, 3: {10: 1}}
    latest = {1: {10: 1, 11: 3}, 2: {10: 1}, 3: {10: 1}, 4: {10: 3}}
    # 1 moved up in 11; 2 went down; 3 stayed; 4 has only one assessment (first == latest)
    assert (
        metrics.counts(
            latest, definition=Definition(CountRule.MOVED_UP), first={**first, 4: {10: 3}}
        )
        == 1
    )


def test_change_since_baseline_is_a_percentage_and_none_without_a_baseline() -> None:
    d = Definition()
    ch = metrics.change_since_baseline(
        {1: {9: 1}, 2: {9: 1}}, {1: {9: 1}, 2: {9: 1}, 3: {9: 2}}, definition=d
    )
    assert (ch.baseline, ch.current, ch.percent) == (2, 3, 50.0)
    assert ch.met(30) and not ch.met(60)
    assert Change(0, 5).percent is None
    assert not Change(0, 5).met(30)


def test_moved_up_per_subject_ignores_new_subjects_and_falls() -> None:
    assert metrics.moved_up({1: {9: 2}, 2: {9: 1}}, {1: {9: 1, 8: 3}, 2: {9: 3}}) == {9: 1}


def test_level_table_and_mostly_learning() -> None:
    table = metrics.level_table({1: {9: 1, 8: 2}, 2: {9: 1, 8: 1}, 3: {9: 2, 8: 3}})
    assert table == {9: {1: 2, 2: 1, 3: 0}, 8: {1: 1, 2: 1, 3: 1}}
    assert metrics.mostly_learning(table) == [9]
    # exactly half is not "most"
    assert metrics.mostly_learning({7: {1: 1, 2: 1, 3: 0}}) == []


def test_definition_describes_itself() -> None:
    assert "Live" in Definition(min_level=2).describe()
    assert "moved up" in Definition(CountRule.MOVED_UP).describe()
