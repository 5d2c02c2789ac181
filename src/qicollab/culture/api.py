"""API routes for safety-culture surveys: instruments, waves, participation and results.

The same selectors, rules and results module as the pages, so a withheld figure is ``null``
here exactly where the page says "not shown": the API never returns a suppressed figure.
"""

# No "from __future__ import annotations": ninja reads the signatures at import time.

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from qicollab.core.http import found
from qicollab.culture import selectors, suppression
from qicollab.culture.results import unit_results
from qicollab.organisations import selectors as org_selectors

router = Router(tags=["safety culture"])


class CultureScaleOptionOut(Schema):
    code: str
    label: str
    value: int | None


class CultureItemOut(Schema):
    code: str
    text: str
    reverse: bool


class CultureDomainOut(Schema):
    code: str
    name: str
    report: str
    cutoff: float | None
    min_items: int
    items: list[CultureItemOut]


class CultureInstrumentOut(Schema):
    id: int
    code: str
    version: str
    name: str
    kind: str
    licence: str
    source: str
    positive_at: float
    negative_at: float
    scale: list[CultureScaleOptionOut]
    domains: list[CultureDomainOut]


class CultureWaveUnitOut(Schema):
    id: int
    unit: str
    eligible: int
    responses: int | None
    response_rate: float | None


class CultureWaveOut(Schema):
    id: int
    title: str
    organisation: str
    instrument_id: int
    number: int
    previous_id: int | None
    opens_on: dt.date
    closes_on: dt.date
    results_published: bool
    units: list[CultureWaveUnitOut] | None


class CultureDomainResultOut(Schema):
    code: str
    name: str
    respondents: int | None
    positive: float | None
    neutral: float | None
    negative: float | None
    at_or_above_cutoff: float | None


class CultureItemResultOut(Schema):
    code: str
    domain: str
    respondents: int | None
    positive: float | None
    neutral: float | None
    negative: float | None


class CultureChangeOut(Schema):
    domain: str
    before: float | None
    after: float | None
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    sentence: str


class CultureResultsOut(Schema):
    wave_id: int
    unit: str
    published: bool
    threshold: int
    eligible: int
    responses: int | None
    response_rate: float | None
    withheld_reason: str
    domains: list[CultureDomainResultOut]
    items: list[CultureItemResultOut]
    comparison: list[CultureChangeOut]


class CultureParticipationOut(Schema):
    organisation: str
    teams_surveyed: int
    eligible: int
    responses: int | None
    response_rate: float | None
    debriefs_held: int
    resurveys: int


@router.get("/instruments", response=list[CultureInstrumentOut])
def instruments(request: HttpRequest) -> list[dict[str, Any]]:
    """Instruments with their structure (licensed item texts are empty until loaded)."""
    return [_instrument(i) for i in selectors.instrument_list(viewer=request.user)]


def _instrument(inst: Any) -> dict[str, Any]:
    return {
        "id": inst.pk, "code": inst.code, "version": inst.version, "name": inst.name,
        "kind": inst.kind, "licence": inst.licence, "source": inst.source,
        "positive_at": inst.positive_at, "negative_at": inst.negative_at, "scale": inst.scale,
        "domains": [
            {"code": d.code, "name": d.name, "report": d.report, "cutoff": d.cutoff,
             "min_items": d.min_items,
             "items": [{"code": i.code, "text": i.text, "reverse": i.reverse} for i in items]}
            for d, items in selectors.instrument_structure(instrument=inst)
        ],
    }  # fmt: skip


@router.get("/instruments/{pk}", response=CultureInstrumentOut)
def instrument(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _instrument(found(selectors.instrument_get(viewer=request.user, pk=pk)))


def _wave(request: HttpRequest, wave: Any) -> dict[str, Any]:
    user = request.user
    units = None
    if user.has_perm("culture.manage_wave", wave) or user.has_perm("culture.view_results", wave):
        m = selectors.monitoring(wave=wave)
        units = [
            {"id": u.wave_unit.pk, "unit": u.wave_unit.unit.name, "eligible": u.wave_unit.eligible,
             "responses": u.responses, "response_rate": u.rate}
            for u in m.units
        ]  # fmt: skip
    return {
        "id": wave.pk, "title": wave.title, "organisation": wave.organisation.name,
        "instrument_id": wave.instrument_id, "number": wave.number,
        "previous_id": wave.previous_id, "opens_on": wave.opens_on, "closes_on": wave.closes_on,
        "results_published": suppression.results_open(
            wave.closes_on, wave.closed_early_on, timezone.localdate()
        ),
        "units": units,
    }  # fmt: skip


@router.get("/waves", response=list[CultureWaveOut])
def waves(request: HttpRequest) -> list[dict[str, Any]]:
    """Waves the caller may know about; response counts only for organisers and the team."""
    return [_wave(request, w) for w in selectors.wave_list(viewer=request.user)[:200]]


@router.get("/waves/{pk}", response=CultureWaveOut)
def wave(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _wave(request, found(selectors.wave_get(viewer=request.user, pk=pk)))


@router.get("/waves/{pk}/units/{wu}/results", response=CultureResultsOut)
def results(request: HttpRequest, pk: int, wu: int) -> dict[str, Any]:
    """A unit's results, for the team leader, the facilitator and those they shared with."""
    w = found(selectors.wave_get(viewer=request.user, pk=pk))
    if not request.user.has_perm("culture.view_results", w):
        raise PermissionDenied
    wave_unit = found(selectors.wave_unit_get(wave=w, pk=wu))
    r = unit_results(wave_unit)
    reason = ""
    if not r.published:
        reason = "Results appear the day after the survey closes."
    elif r.responses is None:
        reason = r.withheld_sentence
    return {
        "wave_id": w.pk, "unit": wave_unit.unit.name, "published": r.published,
        "threshold": r.threshold, "eligible": r.eligible, "responses": r.responses,
        "response_rate": r.rate, "withheld_reason": reason,
        "domains": [
            {"code": d.code, "name": d.name, "respondents": d.n, "positive": d.positive,
             "neutral": d.neutral, "negative": d.negative, "at_or_above_cutoff": d.at_or_above}
            for d in r.domains
        ],
        "items": [
            {"code": i.code, "domain": i.domain, "respondents": i.n, "positive": i.positive,
             "neutral": i.neutral, "negative": i.negative}
            for i in r.items
        ],
        "comparison": [
            {"domain": c.domain, "before": c.before, "after": c.after, "difference": c.diff,
             "ci_low": c.ci_low, "ci_high": c.ci_high, "sentence": c.sentence}
            for c in r.comparison
        ],
    }  # fmt: skip


@router.get("/collaboratives/{slug}/participation", response=list[CultureParticipationOut])
def participation(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Participation figures only (never results), as the collaborative's page shows them."""
    collab = found(org_selectors.collaborative_get(viewer=request.user, slug=slug))
    if not request.user.has_perm("culture.view_participation", collab):
        raise PermissionDenied
    return [
        {"organisation": p.organisation.name, "teams_surveyed": p.teams_surveyed,
         "eligible": p.eligible, "responses": p.responses, "response_rate": p.rate,
         "debriefs_held": p.debriefs_held, "resurveys": p.resurveys}
        for p in selectors.participation(collaborative=collab)
    ]  # fmt: skip
