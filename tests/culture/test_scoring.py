"""Scoring against the worked examples (domain notes §7.1) and the change interval."""

from __future__ import annotations

import pytest

from qicollab.culture import scoring


def test_worked_example_positive() -> None:
    s = scoring.respondent_score([4, 5, 4, 3, 5, 4], lo=1, hi=5)
    assert round(s, 1) == 79.2
    assert scoring.classify(s, positive_at=75, negative_at=25) == "positive"


def test_worked_example_not_positive() -> None:
    s = scoring.respondent_score([4, 3, 4, 3], lo=1, hi=5)
    assert s == 62.5
    assert scoring.classify(s, positive_at=75, negative_at=25) == "neutral"


def test_exactly_75_is_positive_and_25_negative() -> None:
    assert (
        scoring.classify(scoring.respondent_score([4], lo=1, hi=5), positive_at=75, negative_at=25)
        == "positive"
    )
    assert scoring.classify(25.0, positive_at=75, negative_at=25) == "negative"


def test_reverse_scored_items_flip() -> None:
    rule = scoring.DomainRule("TC", {"1": False, "2": True}, min_items=2)
    # Agreeing strongly with a negatively worded item counts as strongly negative.
    assert scoring.domain_score({"1": 5, "2": 5}, rule, lo=1, hi=5) == 50.0
    assert scoring.domain_score({"1": 5, "2": 1}, rule, lo=1, hi=5) == 100.0


def test_too_few_items_gives_no_score_and_na_does_not_count() -> None:
    rule = scoring.DomainRule("TC", {"1": False, "2": False, "3": False}, min_items=2)
    assert scoring.domain_score({"1": 5}, rule, lo=1, hi=5) is None
    assert scoring.domain_score({"1": 5, "2": None}, rule, lo=1, hi=5) is None
    assert scoring.domain_score({"1": 5, "3": 4}, rule, lo=1, hi=5) == 87.5


def test_tally_percentages_and_cutoff() -> None:
    t = scoring.tally([100, 79.2, 62.5, 0, None], positive_at=75, negative_at=25, cutoff=50)
    assert (t.n, t.positive, t.neutral, t.negative) == (4, 2, 1, 1)
    assert t.pct(t.positive) == 50.0
    assert t.at_or_above_cutoff == 3


def test_newcombe_interval_matches_published_example() -> None:
    # Newcombe (1998), example (a): 56/70 vs 48/80, method 10 gives 0.0524 to 0.3339.
    c = scoring.difference(48, 80, 56, 70)
    assert c.diff == pytest.approx(20.0)
    assert c.ci_low == pytest.approx(5.24, abs=0.01)
    assert c.ci_high == pytest.approx(33.39, abs=0.01)
    assert c.beyond_chance


def test_sentence_says_whether_chance_could_explain_it() -> None:
    big = scoring.difference(31, 50, 45, 50)
    assert scoring.change_sentence("Teamwork", big) == (
        "Teamwork: 62% → 90% positive, a change larger than chance alone would usually give."
    )
    small = scoring.difference(6, 10, 7, 10)
    assert "chance alone could give" in scoring.change_sentence("Teamwork", small)
