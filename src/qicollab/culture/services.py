"""Writes for safety-culture surveys. Every refused rule raises :class:`CultureError`.

Responses are written without an actor and without audit history (that would store the
respondent); everything else goes through ``save_as`` so the history says who did it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.core.services import ServiceError, attribute, delete_as, save_as
from qicollab.core.text import text_problem
from qicollab.culture import suppression
from qicollab.culture.instruments import InstrumentSpec, parse_instrument, parse_texts
from qicollab.culture.models import (
    AccessCode,
    ActionStatus,
    CultureAction,
    Debrief,
    Domain,
    Instrument,
    Item,
    PositionBand,
    Response,
    ResultShare,
    TenureBand,
    Wave,
    WaveUnit,
)
from qicollab.organisations.models import Affiliation, Collaborative, Organisation, Unit

#: Bands are asked only where a unit could have at least this many thresholds of people.
BANDS_MIN_FACTOR = 4
#: Letters and digits that cannot be mistaken for each other on paper (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MAX_CODES = 500


class CultureError(ServiceError):
    """A safety-culture change that breaks a business rule."""


def digest(secret: str) -> str:
    """SHA-256 of a link token or code (normalised: codes are case- and dash-insensitive)."""
    return hashlib.sha256(
        secret.strip().upper().replace("-", "").replace(" ", "").encode()
    ).hexdigest()


# --- instruments --------------------------------------------------------------------------


@transaction.atomic
def instrument_load(
    *,
    actor: Person | None,
    text: str | bytes,
    collaborative: Collaborative | None = None,
) -> Instrument:
    """Load an instrument file: all or nothing. A code and version already loaded is refused."""
    spec = parse_instrument(text)
    if Instrument.objects.filter(code=spec.code, version=spec.version).exists():
        raise CultureError(
            f'Version "{spec.version}" of the instrument "{spec.code}" is already loaded: '
            "give the changed file a new version.",
            field="file",
        )
    return _create_instrument(actor, spec, collaborative)


def _create_instrument(
    actor: Person | None, spec: InstrumentSpec, collaborative: Collaborative | None
) -> Instrument:
    raw = dict(spec.raw)
    if not spec.redistributable:
        # Never keep licensed wording in the provenance copy.
        raw["domains"] = [
            {**d, "items": [{"code": i.get("code")} for i in d.get("items", [])]}
            for d in raw.get("domains", [])
        ]
    inst = Instrument(
        code=spec.code,
        version=spec.version,
        name=spec.name,
        kind=spec.kind,
        description=spec.description,
        licence=spec.licence,
        redistributable=spec.redistributable,
        source=spec.source,
        scale=list(spec.scale),
        positive_at=spec.positive_at,
        negative_at=spec.negative_at,
        collaborative=collaborative,
        definition=raw,
    )
    save_as(inst, actor)
    position = 0
    for d_pos, d in enumerate(spec.domains):
        domain = Domain.objects.create(
            instrument=inst,
            code=d.code,
            name=d.name,
            position=d_pos,
            report=d.report,
            cutoff=d.cutoff,
            min_items=d.min_items,
        )
        Item.objects.bulk_create(
            Item(
                instrument=inst,
                domain=domain,
                code=i.code,
                text=i.text if spec.redistributable or i.text else "",
                reverse=i.reverse,
                position=(position := position + 1),
            )
            for i in d.items
        )
    return inst


def load_default_instruments(*, actor: Person | None) -> list[Instrument]:
    """Load the shipped instrument files that are not loaded yet (idempotent)."""
    from qicollab.culture.instruments import DATA_DIR, DEFAULT_FILES

    out = []
    for name in DEFAULT_FILES:
        text = (DATA_DIR / name).read_text(encoding="utf-8")
        spec = parse_instrument(text)
        found = Instrument.objects.filter(code=spec.code, version=spec.version).first()
        out.append(found or instrument_load(actor=actor, text=text))
    return out


@transaction.atomic
def instrument_load_texts(
    *, actor: Person | None, instrument: Instrument, text: str | bytes
) -> int:
    """Load a licence holder's item texts into ``instrument`` (every item, all or nothing)."""
    items = {i.code: i for i in instrument.items.all()}
    spec = parse_texts(text, item_codes=set(items))
    if (spec.code, spec.version) != (instrument.code, instrument.version):
        raise CultureError(
            f'This texts file is for "{spec.code}" version "{spec.version}", not '
            f'"{instrument.code}" version "{instrument.version}".',
            field="file",
        )
    for code, item_text in spec.texts.items():
        items[code].text = item_text
    Item.objects.bulk_update(items.values(), ["text"])
    save_as(instrument, actor)  # history: who loaded the texts, and when
    return len(spec.texts)


def instrument_ready(instrument: Instrument) -> bool:
    """Whether every item has its text (a licensed instrument needs its texts loaded)."""
    return not instrument.items.filter(text="").exists()


# --- waves --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaveInput:
    title: str
    instrument: Instrument
    opens_on: dt.date
    closes_on: dt.date
    facilitator: Person
    team_leader: Person
    units: Sequence[tuple[Unit, int]]
    number: int = 1
    previous: Wave | None = None
    min_group: int = suppression.MINIMUM


def _works_for(person: Person, org: Organisation) -> bool:
    today = timezone.localdate()
    return (
        Affiliation.objects.filter(person=person, organisation=org)
        .exclude(ended_on__lte=today)
        .exists()
    )


@transaction.atomic
def wave_create(*, actor: Person, organisation: Organisation, data: WaveInput) -> Wave:
    """Set up a survey wave of some of ``organisation``'s units."""
    errors: dict[str, str] = {}
    title = " ".join(data.title.split())
    if not title:
        errors["title"] = "Enter a title for the survey wave"
    if data.closes_on < data.opens_on:
        errors["closes_on"] = "The closing date must be on or after the opening date"
    elif (data.closes_on - data.opens_on).days > 90:
        errors["closes_on"] = "A survey wave stays open for 90 days at most"
    if data.min_group < suppression.threshold():
        errors["min_group"] = (
            f"The smallest group shown cannot be below {suppression.threshold()}: it can only "
            "be raised"
        )
    if not instrument_ready(data.instrument):
        errors["instrument"] = (
            f"{data.instrument} has no item texts yet: a licence holder must load them first"
        )
    if (
        data.instrument.collaborative_id is not None
        and not organisation.collaborative_memberships.filter(
            collaborative_id=data.instrument.collaborative_id
        ).exists()
    ):
        errors["instrument"] = (
            "That instrument belongs to a collaborative this organisation is not in"
        )
    for who, field in ((data.facilitator, "facilitator"), (data.team_leader, "team_leader")):
        if not _works_for(who, organisation):
            errors[field] = f"{who} does not work for {organisation}"
    if not data.units:
        errors["units"] = "Choose at least one ward, team or service to survey"
    seen: set[int] = set()
    for unit, eligible in data.units:
        if unit.organisation_id != organisation.pk:
            errors["units"] = f"{unit.name} is not part of {organisation}"
        if unit.pk in seen:
            errors["units"] = f"{unit.name} is chosen twice"
        seen.add(unit.pk)
        if eligible < 1:
            errors["units"] = f"Enter how many staff in {unit.name} are eligible (at least 1)"
    if data.previous is not None and (
        data.previous.organisation_id != organisation.pk
        or data.previous.instrument.code != data.instrument.code
    ):
        errors["previous"] = (
            "The previous wave must be of the same organisation, with the same instrument"
        )
    if errors:
        first = next(iter(errors))
        raise CultureError(errors[first], field=first, errors={k: [v] for k, v in errors.items()})
    wave = Wave(
        organisation=organisation,
        instrument=data.instrument,
        title=title,
        number=data.number,
        previous=data.previous,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        facilitator=data.facilitator,
        team_leader=data.team_leader,
        min_group=data.min_group,
    )
    save_as(wave, actor)
    k = suppression.threshold(data.min_group)
    WaveUnit.objects.bulk_create(
        WaveUnit(wave=wave, unit=u, eligible=n, ask_bands=n >= BANDS_MIN_FACTOR * k)
        for u, n in data.units
    )
    return wave


def wave_is_open(wave: Wave, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if wave.closed_early_on is not None and wave.closed_early_on < today:
        return False
    return wave.opens_on <= today <= wave.closes_on


@transaction.atomic
def wave_close_early(*, actor: Person, wave: Wave) -> Wave:
    """Close a wave today: no answers after today; results appear tomorrow, all at once."""
    today = timezone.localdate()
    if not wave_is_open(wave, today):
        raise CultureError("This wave is not open, so it cannot be closed")
    wave.closed_early_on = today
    save_as(wave, actor)
    return wave


def wave_unit_new_link(*, actor: Person, wave_unit: WaveUnit) -> str:
    """A new open link token for the unit (the old one stops working). Shown once."""
    token = secrets.token_urlsafe(18)
    wave_unit.link_hash = digest(token)
    wave_unit.save(update_fields=["link_hash"])
    attribute(wave_unit.wave, actor)
    return token


@transaction.atomic
def wave_unit_new_codes(*, actor: Person, wave_unit: WaveUnit, count: int) -> list[str]:
    """``count`` new single-use codes for the unit, shown once and stored only as digests."""
    if not 1 <= count <= MAX_CODES:
        raise CultureError(f"Make between 1 and {MAX_CODES} codes at a time", field="count")
    if not wave_is_open(wave_unit.wave) and wave_unit.wave.closes_on < timezone.localdate():
        raise CultureError("This wave has closed: no more codes can be made")
    codes: list[str] = []
    hashes: set[str] = set()
    while len(codes) < count:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        h = digest(raw)
        if h in hashes or AccessCode.objects.filter(code_hash=h).exists():
            continue
        hashes.add(h)
        codes.append(f"{raw[:4]}-{raw[4:]}")
    AccessCode.objects.bulk_create(AccessCode(wave_unit=wave_unit, code_hash=h) for h in hashes)
    attribute(wave_unit.wave, actor)
    # Sorted: the printed order says nothing about the order they were made or handed out.
    return sorted(codes)


# --- answering ----------------------------------------------------------------------------


def wave_unit_for_link(token: str) -> WaveUnit | None:
    """The unit a link token opens, or None."""
    if not token or len(token) > 100:
        return None
    return (
        WaveUnit.objects.select_related("wave__instrument", "unit")
        .filter(link_hash=digest(token))
        .first()
    )


def code_used(code: str) -> bool:
    """Whether a code has already been used to answer."""
    return AccessCode.objects.filter(code_hash=digest(code), used=True).exists()


def wave_unit_for_code(code: str) -> WaveUnit | None:
    """The unit an unused or used code belongs to, or None if it is unknown."""
    if not code or len(code) > 40:
        return None
    found = (
        AccessCode.objects.select_related("wave_unit__wave__instrument", "wave_unit__unit")
        .filter(code_hash=digest(code))
        .first()
    )
    return found.wave_unit if found else None


@dataclass(frozen=True)
class Answers:
    """What a respondent sent: item code → scale option code; optional bands."""

    by_item: Mapping[str, str]
    position_band: str = ""
    tenure_band: str = ""


def _check_answers(wave_unit: WaveUnit, answers: Answers) -> dict[str, int | None]:
    instrument = wave_unit.wave.instrument
    values = {o["code"]: o["value"] for o in instrument.scale}
    items = list(instrument.items.select_related("domain"))
    known = {i.code for i in items}
    errors: dict[str, str] = {}
    stored: dict[str, int | None] = {}
    for code, option in answers.by_item.items():
        if code not in known:
            errors[f"item_{code}"] = f"There is no question {code} in this survey"
        elif option in ("", None):
            continue
        elif option not in values:
            errors[f"item_{code}"] = (
                f"Question {code}: choose one of the answers shown ({', '.join(values)})"
            )
        else:
            stored[code] = values[option]
    per_domain: dict[int, list[Item]] = {}
    for i in items:
        per_domain.setdefault(i.domain_id, []).append(i)
    for domain_items in per_domain.values():
        domain = domain_items[0].domain
        given = sum(1 for i in domain_items if i.code in stored)
        if given < domain.min_items:
            first = domain_items[0].code
            errors.setdefault(
                f"item_{first}",
                f"Answer at least {domain.min_items} of the {len(domain_items)} questions "
                f"about {domain.name} (you answered {given})",
            )
    if answers.position_band or answers.tenure_band:
        if not wave_unit.ask_bands:
            errors["position_band"] = (
                "This team is too small for position or tenure questions: leave them out"
            )
        if answers.position_band and answers.position_band not in PositionBand.values:
            errors["position_band"] = "Choose one of the positions shown"
        if answers.tenure_band and answers.tenure_band not in TenureBand.values:
            errors["tenure_band"] = "Choose one of the lengths of time shown"
    if errors:
        first = next(iter(errors))
        raise CultureError(errors[first], field=first, errors={k: [v] for k, v in errors.items()})
    return stored


def _check_open(wave_unit: WaveUnit) -> None:
    wave = wave_unit.wave
    today = timezone.localdate()
    if today < wave.opens_on:
        raise CultureError(f"This survey opens on {wave.opens_on:%-d %B %Y}")
    if not wave_is_open(wave, today):
        raise CultureError("This survey has closed: answers can no longer be given")


@transaction.atomic
def response_submit(
    *, wave_unit: WaveUnit, answers: Answers, code: str | None = None, link_token: str | None = None
) -> None:
    """Store one anonymous response, through a single-use code or the unit's link.

    Nothing about the respondent is stored, not even the date. A code is marked used in
    the same transaction, so it cannot answer twice, and a refused answer uses nothing up.
    """
    _check_open(wave_unit)
    row: AccessCode | None = None
    if code is not None:
        row = AccessCode.objects.select_for_update().filter(code_hash=digest(code)).first()
        if row is None or row.wave_unit_id != wave_unit.pk:
            raise CultureError(
                "We do not recognise this code: check it and try again", field="code"
            )
        if row.used:
            raise CultureError("This code has already been used to answer", field="code")
    elif link_token is None or not wave_unit.link_hash or digest(link_token) != wave_unit.link_hash:
        raise CultureError("This survey link is not valid any more: ask for a new one")
    stored = _check_answers(wave_unit, answers)
    if row is not None:
        row.used = True
        row.save(update_fields=["used"])
    Response.objects.create(
        wave_unit=wave_unit,
        answers=stored,
        position_band=answers.position_band if wave_unit.ask_bands else "",
        tenure_band=answers.tenure_band if wave_unit.ask_bands else "",
    )


# --- sharing, debriefs and actions --------------------------------------------------------


@transaction.atomic
def result_share_add(*, actor: Person, wave: Wave, person: Person) -> ResultShare:
    """The team leader shares the wave's results with a colleague of the organisation."""
    if actor.pk != wave.team_leader_id:
        raise CultureError("Only the team leader can share the results")
    if person.pk in (wave.team_leader_id, wave.facilitator_id):
        raise CultureError(f"{person} already sees the results", field="person")
    if not _works_for(person, wave.organisation):
        raise CultureError(f"{person} does not work for {wave.organisation}", field="person")
    share, _ = ResultShare.objects.get_or_create(wave=wave, person=person)
    attribute(wave, actor)
    return share


@transaction.atomic
def result_share_remove(*, actor: Person, wave: Wave, person_id: int) -> None:
    if actor.pk != wave.team_leader_id:
        raise CultureError("Only the team leader can stop sharing the results")
    ResultShare.objects.filter(wave=wave, person_id=person_id).delete()
    attribute(wave, actor)


@dataclass(frozen=True)
class DebriefInput:
    held_on: dt.date
    attendees: int
    items_discussed: Sequence[Item]
    notes: str = ""


def _clean_text(value: str, field: str) -> str:
    bad = text_problem(value)
    if bad:
        raise CultureError(bad, field=field)
    return value.strip()


@transaction.atomic
def debrief_record(
    *, actor: Person, wave_unit: WaveUnit, data: DebriefInput, debrief: Debrief | None = None
) -> Debrief:
    """Record (or correct) the facilitated debrief of a unit's results."""
    wave = wave_unit.wave
    if not suppression.results_open(wave.closes_on, wave.closed_early_on, timezone.localdate()):
        raise CultureError("A debrief can be recorded once the results are out")
    if data.held_on > timezone.localdate():
        raise CultureError("The debrief date cannot be in the future", field="held_on")
    if data.held_on < wave.opens_on:
        raise CultureError("The debrief cannot be before the survey opened", field="held_on")
    if not 1 <= data.attendees <= 1000:
        raise CultureError("Enter how many people attended (1 to 1,000)", field="attendees")
    if any(i.instrument_id != wave.instrument_id for i in data.items_discussed):
        raise CultureError("Choose items of this survey", field="items_discussed")
    if len(data.items_discussed) > 5:
        raise CultureError(
            "Choose at most 5 items: a debrief works best on one or two", field="items_discussed"
        )
    d = debrief or Debrief(wave_unit=wave_unit)
    d.facilitator = wave.facilitator
    d.held_on = data.held_on
    d.attendees = data.attendees
    d.notes = _clean_text(data.notes, "notes")
    save_as(d, actor)
    d.items_discussed.set(data.items_discussed)
    return d


@dataclass(frozen=True)
class ActionInput:
    title: str
    owner: str
    due_on: dt.date
    status: str = ActionStatus.OPEN


@transaction.atomic
def action_save(
    *, actor: Person, debrief: Debrief, data: ActionInput, action: CultureAction | None = None
) -> CultureAction:
    """Add an action to a debrief, or change one (its status as the team follows it up)."""
    title = _clean_text(" ".join(data.title.split()), "title")
    owner = _clean_text(" ".join(data.owner.split()), "owner")
    if not title:
        raise CultureError("Say what the action is", field="title")
    if not owner:
        raise CultureError("Say who owns the action (a name or a role)", field="owner")
    if data.status not in ActionStatus.values:
        raise CultureError("Choose a status", field="status")
    if data.due_on < debrief.held_on:
        raise CultureError("The due date cannot be before the debrief", field="due_on")
    a = action or CultureAction(debrief=debrief)
    a.title, a.owner, a.due_on, a.status = title, owner, data.due_on, data.status
    save_as(a, actor)
    return a


def _check_project_org(action: CultureAction, project: Any) -> None:
    if project.lead_organisation_id != action.debrief.wave_unit.wave.organisation_id:
        raise CultureError(
            "Choose a project led by the same organisation as the survey", field="project"
        )


@transaction.atomic
def action_link_project(*, actor: Person, action: CultureAction, project: Any) -> CultureAction:
    """Link an action to an existing QI project of the same organisation."""
    _check_project_org(action, project)
    action.project = project
    save_as(action, actor)
    return action


@transaction.atomic
def action_start_project(
    *, actor: Person, action: CultureAction, collaborative: Collaborative
) -> CultureAction:
    """Start a QI project from an action (through the projects app's own service)."""
    from qicollab.projects.services import project_create

    if action.project_id is not None:
        raise CultureError("This action already has a project", field="project")
    wave = action.debrief.wave_unit.wave
    project = project_create(
        actor=actor,
        collaborative=collaborative,
        lead_organisation=wave.organisation,
        title=action.title,
        summary=(
            f"Started from a safety culture debrief action in {action.debrief.wave_unit.unit.name} "
            f"({wave.title})."
        ),
    )
    action.project = project
    if action.status == ActionStatus.OPEN:
        action.status = ActionStatus.IN_PROGRESS
    save_as(action, actor)
    return action


@transaction.atomic
def action_delete(*, actor: Person, action: CultureAction) -> None:
    delete_as(action, actor)
