"""A unit's results: scored from its anonymous responses, then passed through suppression.

This is the only module that turns responses into figures, and every figure it returns has
already been through :mod:`qicollab.culture.suppression` (a withheld figure is ``None``), so
the results page, the debrief pack PDF, the CSV export and the API cannot differ.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from qicollab.culture import scoring, suppression
from qicollab.culture.models import Instrument, PositionBand, Report, Response, TenureBand, WaveUnit

#: How many items are listed as most and least positive.
TOP_ITEMS = 3


@dataclass(frozen=True)
class BandRow:
    label: str
    n: int | None
    positive: float | None


@dataclass(frozen=True)
class DomainRow:
    code: str
    name: str
    report: str
    cutoff: float | None
    n: int | None
    positive: float | None
    neutral: float | None
    negative: float | None
    at_or_above: float | None
    bands: tuple[BandRow, ...] = ()

    @property
    def withheld(self) -> bool:
        return self.n is None


@dataclass(frozen=True)
class ItemRow:
    code: str
    text: str
    domain: str
    reverse: bool
    n: int | None
    positive: float | None
    neutral: float | None
    negative: float | None

    @property
    def withheld(self) -> bool:
        return self.n is None


@dataclass(frozen=True)
class ComparisonRow:
    domain: str
    before: float | None
    after: float | None
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    sentence: str


@dataclass(frozen=True)
class UnitResults:
    """Everything a viewer of a unit's results may see. ``None`` means withheld."""

    wave_unit: WaveUnit
    published: bool
    threshold: int
    eligible: int
    responses: int | None
    rate: float | None
    domains: tuple[DomainRow, ...] = ()
    items: tuple[ItemRow, ...] = ()
    most_positive: tuple[ItemRow, ...] = ()
    least_positive: tuple[ItemRow, ...] = ()
    comparison: tuple[ComparisonRow, ...] = ()
    previous_title: str = ""
    profile: tuple[tuple[str, tuple[BandRow, ...]], ...] = field(default=())

    @property
    def withheld(self) -> bool:
        return self.published and self.responses is None

    @property
    def withheld_sentence(self) -> str:
        return suppression.withheld_sentence(self.threshold)


@dataclass(frozen=True)
class _Raw:
    n: int
    domain_tallies: dict[str, scoring.Tally]
    domain_scores: dict[str, list[tuple[float, str]]]
    item_tallies: dict[str, scoring.Tally]
    bands: Counter[str]
    tenure: Counter[str]


def _rules(instrument: Instrument) -> tuple[list[scoring.DomainRule], dict[str, object]]:
    domains = list(instrument.domains.all())
    items = list(instrument.items.all())
    by_domain: dict[int, dict[str, bool]] = {}
    for i in items:
        by_domain.setdefault(i.domain_id, {})[i.code] = i.reverse
    rules = [
        scoring.DomainRule(d.code, by_domain.get(d.pk, {}), d.min_items, d.report, d.cutoff)
        for d in domains
    ]
    return rules, {"domains": domains, "items": items}


def _score(
    wave_unit: WaveUnit,
    instrument: Instrument,
    rules: list[scoring.DomainRule],
    items: list[object],
) -> _Raw:
    values = instrument.scored_values
    lo, hi = values[0], values[-1]
    rows = Response.objects.filter(wave_unit=wave_unit).values_list(
        "answers", "position_band", "tenure_band"
    )
    reverse = {i.code: i.reverse for i in items}  # type: ignore[attr-defined]
    d_scores: dict[str, list[tuple[float, str]]] = {r.code: [] for r in rules}
    i_scores: dict[str, list[float]] = {code: [] for code in reverse}
    bands: Counter[str] = Counter()
    tenure: Counter[str] = Counter()
    n = 0
    for answers, band, ten in rows:
        n += 1
        bands[band] += 1
        tenure[ten] += 1
        for rule in rules:
            s = scoring.domain_score(answers, rule, lo=lo, hi=hi)
            if s is not None:
                d_scores[rule.code].append((s, band))
        for code, v in answers.items():
            if v is None or code not in reverse:
                continue
            v2 = scoring.reverse_value(v, lo=lo, hi=hi) if reverse[code] else v
            i_scores[code].append(scoring.respondent_score([v2], lo=lo, hi=hi))
    pa, na = instrument.positive_at, instrument.negative_at
    return _Raw(
        n=n,
        domain_tallies={
            r.code: scoring.tally(
                (s for s, _ in d_scores[r.code]), positive_at=pa, negative_at=na, cutoff=r.cutoff
            )
            for r in rules
        },
        domain_scores=d_scores,
        item_tallies={
            c: scoring.tally(s, positive_at=pa, negative_at=na) for c, s in i_scores.items()
        },
        bands=bands,
        tenure=tenure,
    )


def _pct(t: scoring.Tally, count: int) -> float:
    return round(t.pct(count), 1)


def _band_rows(
    counts: Counter[str], positives: Counter[str], k: int, labels: dict[str, str]
) -> tuple[BandRow, ...]:
    counted = {b: counts.get(b, 0) for b in labels}
    # Unbanded answers (no band given) are a cell of the breakdown too: the total includes them.
    counted[""] = counts.get("", 0)
    safe = suppression.safe_cells(counted, k)
    rows = []
    for code, label in labels.items():
        n = counted[code]
        ok = code in safe and n > 0
        rows.append(
            BandRow(
                label,
                n if code in safe else None,
                round(100 * positives[code] / n, 1) if ok else None,
            )
        )
    return tuple(rows)


def unit_results(wave_unit: WaveUnit, *, today: dt.date | None = None) -> UnitResults:
    """The unit's results as its viewers may see them (published only after the wave closes)."""
    wave = wave_unit.wave
    k = suppression.threshold(wave.min_group)
    today = today or timezone.localdate()
    if not suppression.results_open(wave.closes_on, wave.closed_early_on, today):
        return UnitResults(wave_unit, False, k, wave_unit.eligible, None, None)
    instrument = wave.instrument
    rules, meta = _rules(instrument)
    raw = _score(wave_unit, instrument, rules, meta["items"])  # type: ignore[arg-type]
    if not suppression.shown(raw.n, k):
        return UnitResults(wave_unit, True, k, wave_unit.eligible, None, None)
    domains_meta = {d.code: d for d in meta["domains"]}  # type: ignore[attr-defined]
    band_labels = dict(PositionBand.choices) if wave_unit.ask_bands else {}
    domain_rows = []
    for r in rules:
        t = raw.domain_tallies[r.code]
        d = domains_meta[r.code]
        if not suppression.shown(t.n, k):
            domain_rows.append(
                DomainRow(r.code, d.name, r.report, r.cutoff, None, None, None, None, None)
            )
            continue
        bands: tuple[BandRow, ...] = ()
        if band_labels:
            counts: Counter[str] = Counter(b for _, b in raw.domain_scores[r.code])
            pos: Counter[str] = Counter(
                b
                for s, b in raw.domain_scores[r.code]
                if scoring.classify(
                    s, positive_at=instrument.positive_at, negative_at=instrument.negative_at
                )
                == "positive"
            )
            bands = _band_rows(counts, pos, k, band_labels)
        domain_rows.append(
            DomainRow(
                r.code,
                d.name,
                r.report,
                r.cutoff,
                t.n,
                _pct(t, t.positive),
                _pct(t, t.neutral),
                _pct(t, t.negative),
                _pct(t, t.at_or_above_cutoff) if r.report == Report.CUTOFF else None,
                bands,
            )
        )
    domain_names = {d.pk: d.name for d in meta["domains"]}  # type: ignore[attr-defined]
    item_rows = []
    for i in meta["items"]:  # type: ignore[attr-defined]
        t = raw.item_tallies[i.code]
        ok = suppression.shown(t.n, k)
        item_rows.append(
            ItemRow(
                i.code,
                i.text,
                domain_names[i.domain_id],
                i.reverse,
                t.n if ok else None,
                _pct(t, t.positive) if ok else None,
                _pct(t, t.neutral) if ok else None,
                _pct(t, t.negative) if ok else None,
            )
        )
    # Burnout-type items are not "positive" in the same sense: rank only the others.
    cut_domains = {d.name for d in meta["domains"] if d.report == Report.CUTOFF}  # type: ignore[attr-defined]
    rankable = [i for i in item_rows if not i.withheld and i.domain not in cut_domains]
    ranked = sorted(rankable, key=lambda i: (-(i.positive or 0), i.code))
    profile: list[tuple[str, tuple[BandRow, ...]]] = []
    if wave_unit.ask_bands:
        profile.append(("Position", _profile(raw.bands, k, dict(PositionBand.choices))))
        profile.append(("Time in the team", _profile(raw.tenure, k, dict(TenureBand.choices))))
    comparison, previous_title = _compare(wave_unit, domain_rows, k)
    return UnitResults(
        wave_unit=wave_unit,
        published=True,
        threshold=k,
        eligible=wave_unit.eligible,
        responses=raw.n,
        rate=round(100 * raw.n / wave_unit.eligible, 1),
        domains=tuple(domain_rows),
        items=tuple(item_rows),
        most_positive=tuple(ranked[:TOP_ITEMS]),
        least_positive=tuple(reversed(ranked[-TOP_ITEMS:])) if len(ranked) > TOP_ITEMS else (),
        comparison=comparison,
        previous_title=previous_title,
        profile=tuple(profile),
    )


def _profile(counts: Counter[str], k: int, labels: dict[str, str]) -> tuple[BandRow, ...]:
    counted = {b: counts.get(b, 0) for b in labels}
    counted[""] = counts.get("", 0)
    safe = suppression.safe_cells(counted, k)
    return tuple(
        BandRow(label, counted[c] if c in safe else None, None) for c, label in labels.items()
    )


def _compare(
    wave_unit: WaveUnit, now: list[DomainRow], k: int
) -> tuple[tuple[ComparisonRow, ...], str]:
    wave = wave_unit.wave
    if wave.previous_id is None:
        return (), ""
    before_wu = (
        WaveUnit.objects.select_related("wave__instrument")
        .filter(wave_id=wave.previous_id, unit_id=wave_unit.unit_id)
        .first()
    )
    if before_wu is None:
        return (), ""
    before = unit_results(before_wu)
    if before.responses is None:
        return (), before_wu.wave.title
    prior = {d.code: d for d in before.domains}
    rows = []
    for d in now:
        p = prior.get(d.code)
        if p is None or d.report == Report.CUTOFF:
            continue
        if d.withheld or p.withheld or d.n is None or p.n is None:
            rows.append(
                ComparisonRow(
                    d.name,
                    None,
                    None,
                    None,
                    None,
                    None,
                    f"{d.name}: not compared (too few people in one of the waves).",
                )
            )
            continue
        k1 = round((p.positive or 0) * p.n / 100)
        k2 = round((d.positive or 0) * d.n / 100)
        c = scoring.difference(k1, p.n, k2, d.n)
        rows.append(
            ComparisonRow(
                d.name,
                round(c.before_pct, 1),
                round(c.after_pct, 1),
                round(c.diff, 1),
                round(c.ci_low, 1),
                round(c.ci_high, 1),
                scoring.change_sentence(d.name, c),
            )
        )
    return tuple(rows), before_wu.wave.title
