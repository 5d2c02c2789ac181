"""Writes of Learning from Excellence: ``<entity>_<verb>(*, actor, …)``, each in a transaction.

Refusals raise :class:`ExcellenceError` (a ``ServiceError``): the page shows it on the form,
the API answers 422. Emails are rendered here and sent by the worker (``core.mail``),
enqueued with the transaction, never inside the request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from qicollab.accounts.models import Person
from qicollab.accounts.roles import roles_for
from qicollab.core.services import ServiceError, attribute, delete_as, save_as
from qicollab.core.text import text_problem
from qicollab.excellence import deid, emails, selectors
from qicollab.excellence.access import forget_leads, lead_org_ids
from qicollab.excellence.models import (
    Acknowledgement,
    AppreciativeInquiry,
    ExcellenceReport,
    LfeLead,
    Recipient,
    Theme,
    WorkKind,
)
from qicollab.organisations.models import Collaborative, Organisation, Unit


class ExcellenceError(ServiceError):
    """A Learning from Excellence change refused by a business rule."""


def _clean(text: str) -> str:
    return (text or "").strip()


def _require_lead(actor: Any, organisation: Organisation) -> None:
    if organisation.pk not in lead_org_ids(actor):
        raise ExcellenceError(
            f"Only the Learning from Excellence leads of {organisation} can do this."
        )


def _text_errors(fields: dict[str, tuple[str, str]]) -> dict[str | None, list[str]]:
    errors: dict[str | None, list[str]] = {}
    for name, (label, text) in fields.items():
        problem = text_problem(text, what=label)
        if problem:
            errors[name] = [problem]
    return errors


# --- reports ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    """What a reporter types. ``people`` and ``teams`` are the recipients (one at least)."""

    organisation: Organisation
    what_they_did: str
    why_excellent: str
    work_kind: str = WorkKind.CLINICAL
    learning: str = ""
    people: Sequence[Person] = field(default_factory=tuple)
    teams: Sequence[Unit] = field(default_factory=tuple)
    unit: Unit | None = None
    happened_on: dt.date | None = None
    anonymous: bool = False


@transaction.atomic
def report_create(*, actor: Person, data: ReportInput) -> ExcellenceReport:
    """Record a report of excellence and send each recipient their copy.

    Every problem is reported at once (the form keeps what was typed): no recipient, an
    empty "what" or "why", a recipient outside the organisation, a future date, and any
    patient identifier in the text, which the recipients would see.
    """
    org = data.organisation
    if org.pk not in roles_for(actor).own_org_ids:
        raise ExcellenceError(
            "You can only report excellence in an organisation you work for.", "organisation"
        )
    people = list(dict.fromkeys(data.people))
    teams = list(dict.fromkeys(data.teams))
    what, why, learning = (
        _clean(data.what_they_did),
        _clean(data.why_excellent),
        _clean(data.learning),
    )
    errors: dict[str | None, list[str]] = {}
    if not people and not teams:
        errors["people"] = ["Choose who was excellent: at least one person or a team."]
    if any(p.pk == actor.pk for p in people):
        errors["people"] = ["Report the excellence of others: you cannot be a recipient."]
    staff = set(selectors.colleagues(organisation=org).values_list("pk", flat=True))
    outside = [p for p in people if p.pk not in staff]
    if outside:
        errors["people"] = [
            f"{', '.join(p.full_name for p in outside)} does not work for {org}: "
            "choose people from the organisation."
        ]
    if any(t.organisation_id != org.pk for t in teams):
        errors["teams"] = [f"Choose a team of {org}."]
    if data.unit is not None and data.unit.organisation_id != org.pk:
        errors["unit"] = [f"Choose a ward, team or department of {org}."]
    if data.work_kind not in WorkKind.values:
        errors["work_kind"] = ["Say whether the work was clinical or non-clinical."]
    if not what:
        errors["what_they_did"] = ["Say what they did."]
    if not why:
        errors["why_excellent"] = ["Say why it was excellent."]
    happened = data.happened_on or selectors.today()
    if happened > selectors.today():
        errors["happened_on"] = ["The date it happened cannot be in the future."]
    texts = {
        "what_they_did": ("What they did", what),
        "why_excellent": ("Why it was excellent", why),
        "learning": ("What others can learn", learning),
    }
    errors.update(_text_errors(texts))
    if not errors:
        names = [p.full_name for p in people] + [actor.full_name]
        found = deid.problems({k: v for k, (_, v) in texts.items()}, allowed_names=names)
        for name, messages in found.items():
            errors[name] = [
                "Remove anything that identifies a patient: the recipients see this text. "
                + " ".join(messages)
            ]
    if errors:
        raise ExcellenceError(errors=errors)
    report = ExcellenceReport(
        organisation=org,
        reporter=actor,
        anonymous=data.anonymous,
        work_kind=data.work_kind,
        unit=data.unit,
        happened_on=happened,
        what_they_did=what,
        why_excellent=why,
        learning=learning,
    )
    save_as(report, actor)
    rows = [Recipient(report=report, person=p) for p in people]
    rows += [Recipient(report=report, unit=t) for t in teams]
    for row in rows:
        save_as(row, actor)
    emails.recipient_copies(report, rows)
    return report


@dataclass(frozen=True)
class Consent:
    """A recipient's choices about a report."""

    keep: bool
    tell_manager: bool
    share_wider: bool
    line_manager: Person | None = None


@transaction.atomic
def recipient_respond(*, actor: Person, recipient: Recipient, consent: Consent) -> Recipient:
    """Record the recipient's choices; tell the line manager the first time they agree.

    Only the recipient (or, for a team, one of its unit leaders) may answer.
    """
    report = recipient.report
    if recipient not in selectors.recipient_rows_for(viewer=actor, report=report):
        raise ExcellenceError("Only the recipient can make these choices.")
    manager = consent.line_manager or recipient.line_manager
    if consent.tell_manager and manager is None:
        raise ExcellenceError(
            "Choose your line manager, or do not ask us to tell them.", "line_manager"
        )
    if manager is not None:
        if manager.pk == actor.pk:
            raise ExcellenceError("Choose someone else as your line manager.", "line_manager")
        staff = selectors.colleagues(organisation=report.organisation)
        if not staff.filter(pk=manager.pk).exists():
            raise ExcellenceError(
                f"Choose a line manager who works for {report.organisation}.", "line_manager"
            )
    recipient.keep = consent.keep
    recipient.tell_manager = consent.tell_manager
    recipient.share_wider = consent.share_wider
    recipient.line_manager = manager
    recipient.answered_at = timezone.now()
    tell = consent.tell_manager and recipient.manager_told_at is None and manager is not None
    if tell:
        recipient.manager_told_at = timezone.now()
    save_as(recipient, actor)
    if tell and manager is not None:
        emails.manager_told(report, recipient, manager)
    return recipient


@transaction.atomic
def report_acknowledge(*, actor: Person, report: ExcellenceReport, message: str) -> Acknowledgement:
    """An LfE lead (or an executive recorded as one) thanks the recipients."""
    _require_lead(actor, report.organisation)
    message = _clean(message)
    if not message:
        raise ExcellenceError("Write a message to the recipients.", "message")
    problem = text_problem(message, what="The message")
    if problem:
        raise ExcellenceError(problem, "message")
    lead = LfeLead.objects.filter(organisation=report.organisation, person=actor).first()
    ack = Acknowledgement(
        report=report, person=actor, title=lead.title if lead else "", message=message
    )
    save_as(ack, actor)
    emails.acknowledged(report, ack)
    return ack


@transaction.atomic
def report_set_themes(
    *, actor: Person, report: ExcellenceReport, themes: Sequence[Theme]
) -> ExcellenceReport:
    """Tag a report with the organisation's themes (LfE leads only)."""
    _require_lead(actor, report.organisation)
    if any(t.organisation_id != report.organisation_id for t in themes):
        raise ExcellenceError("Choose themes of the report's organisation.", "themes")
    attribute(report, actor)
    report.themes.set(themes)
    return report


# --- themes -----------------------------------------------------------------------------


@transaction.atomic
def theme_create(
    *, actor: Person, organisation: Organisation, name: str, description: str = ""
) -> Theme:
    """Add a theme the LfE lead can tag reports with."""
    _require_lead(actor, organisation)
    name = " ".join((name or "").split())
    if not name:
        raise ExcellenceError("Give the theme a name.", "name")
    problem = text_problem(name, what="The name") or text_problem(description, what="The text")
    if problem:
        raise ExcellenceError(problem, "name")
    if Theme.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ExcellenceError(f"{organisation} already has a theme called “{name}”.", "name")
    base = slugify(name)[:80] or "theme"
    slug, n = base, 2
    while Theme.objects.filter(organisation=organisation, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    theme = Theme(organisation=organisation, name=name, slug=slug, description=description)
    save_as(theme, actor)
    return theme


@transaction.atomic
def theme_start_project(
    *, actor: Person, theme: Theme, collaborative: Collaborative, title: str
) -> Any:
    """Turn a theme into a QI project led by the theme's organisation.

    The project is made by the projects app's own service (``project_create``), which checks
    that the organisation is a member of the collaborative and that the actor may start
    projects there; the LfE lead becomes its first project lead.
    """
    from qicollab.projects.services import project_create

    _require_lead(actor, theme.organisation)
    if theme.project_id is not None:
        raise ExcellenceError("This theme is already linked to a project.", "title")
    title = " ".join((title or "").split())
    if not title:
        raise ExcellenceError("Give the project a title.", "title")
    project = project_create(
        actor=actor,
        collaborative=collaborative,
        lead_organisation=theme.organisation,
        title=title,
        summary=(
            f"Started from the Learning from Excellence theme “{theme.name}”: spreading what "
            "goes well so that it happens every time."
        ),
        tags="learning from excellence",
    )
    theme.project = project
    save_as(theme, actor)
    return project


@transaction.atomic
def theme_link_project(*, actor: Person, theme: Theme, project: Any | None) -> Theme:
    """Link a theme to an existing project of its organisation (``None`` unlinks it)."""
    _require_lead(actor, theme.organisation)
    if project is not None:
        allowed = selectors.project_choices(viewer=actor, organisation=theme.organisation)
        if not allowed.filter(pk=project.pk).exists():
            raise ExcellenceError(
                f"Choose a project led by {theme.organisation} that you can see.", "project"
            )
    theme.project = project
    save_as(theme, actor)
    return theme


# --- appreciative inquiry ---------------------------------------------------------------


@dataclass(frozen=True)
class InquiryInput:
    held_on: dt.date
    attendees: str
    went_well: str
    every_time: str
    notes: str = ""
    theme: Theme | None = None
    report: ExcellenceReport | None = None


@transaction.atomic
def inquiry_create(
    *, actor: Person, organisation: Organisation, data: InquiryInput
) -> AppreciativeInquiry:
    """Record an appreciative-inquiry conversation (LfE leads only)."""
    _require_lead(actor, organisation)
    texts = {
        "attendees": ("Who took part", _clean(data.attendees)),
        "went_well": ("What made this go well", _clean(data.went_well)),
        "every_time": ("How it could happen every time", _clean(data.every_time)),
        "notes": ("The notes", _clean(data.notes)),
    }
    errors = _text_errors(texts)
    for name in ("attendees", "went_well", "every_time"):
        if not texts[name][1]:
            errors[name] = [f"Say {texts[name][0].lower()}."]
    if data.held_on > selectors.today():
        errors["held_on"] = ["The conversation cannot be in the future."]
    if data.theme is not None and data.theme.organisation_id != organisation.pk:
        errors["theme"] = ["Choose one of the organisation's themes."]
    if data.report is not None and data.report.organisation_id != organisation.pk:
        errors["report"] = ["Choose one of the organisation's reports."]
    if errors:
        raise ExcellenceError(errors=errors)
    inquiry = AppreciativeInquiry(
        organisation=organisation,
        held_on=data.held_on,
        theme=data.theme,
        report=data.report,
        attendees=texts["attendees"][1],
        went_well=texts["went_well"][1],
        every_time=texts["every_time"][1],
        notes=texts["notes"][1],
        created_by=actor,
    )
    save_as(inquiry, actor)
    return inquiry


# --- LfE leads --------------------------------------------------------------------------


@transaction.atomic
def lead_add(
    *, actor: Person, organisation: Organisation, person: Person, title: str = ""
) -> LfeLead:
    """Make ``person`` an LfE lead of the organisation (its programme manager only)."""
    if organisation.pk not in roles_for(actor).managed_org_ids:
        raise ExcellenceError(
            f"Only the programme manager of {organisation} can choose its LfE leads."
        )
    if not selectors.colleagues(organisation=organisation).filter(pk=person.pk).exists():
        raise ExcellenceError(f"{person} does not work for {organisation}.", "email")
    if LfeLead.objects.filter(organisation=organisation, person=person).exists():
        raise ExcellenceError(f"{person} is already an LfE lead here.", "email")
    problem = text_problem(title, what="The job title")
    if problem:
        raise ExcellenceError(problem, "title")
    lead = LfeLead(organisation=organisation, person=person, title=" ".join(title.split()))
    save_as(lead, actor)
    forget_leads(person)
    return lead


@transaction.atomic
def lead_remove(*, actor: Person, lead: LfeLead) -> None:
    """End a person's LfE lead role (the organisation's programme manager only)."""
    if lead.organisation_id not in roles_for(actor).managed_org_ids:
        raise ExcellenceError("Only the organisation's programme manager can do this.")
    delete_as(lead, actor)
    forget_leads(lead.person)
