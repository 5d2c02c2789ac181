"""The My work home page's blocks, each built from the selectors of the app that owns it.

Registered on the page ``organisations.home`` through :mod:`qicollab.core.contributions`:
the home page (organisations) knows nothing of projects, events or capability, and a later
module adds its own block with one call in its ``AppConfig.ready``::

    contributions.register_block("organisations.home", my_huddle_actions)

A provider takes ``viewer``, ``roles``, ``today`` and ``memo`` (a dict shared by the
page's providers for one request, so two blocks needing the viewer's projects read them
once) and returns a :class:`~qicollab.core.contributions.Block` or ``None``. Every block
reads a fixed number of queries, whatever the number of projects (a test counts them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from qicollab.capability import selectors as capability
from qicollab.core import contributions
from qicollab.core.contributions import Block
from qicollab.culture import selectors as culture
from qicollab.deaths import selectors as deaths
from qicollab.events import selectors as events
from qicollab.huddles import selectors as huddles
from qicollab.measures import alerts
from qicollab.mywork.presenters import Item, ProjectRow, plural, short_date
from qicollab.notifications import selectors as notifications
from qicollab.notifications.presenters import notification_view
from qicollab.projects import selectors as projects
from qicollab.projects.models import ProjectMember, TeamRole

PAGE = "organisations.home"
#: A signal that began within this many days is "new" on the page.
NEW_SIGNAL_DAYS = 90


def _mine(viewer: Any, memo: dict[str, Any]) -> list[ProjectMember]:
    if "mine" not in memo:
        memo["mine"] = projects.my_projects(viewer=viewer)
    result: list[ProjectMember] = memo["mine"]
    return result


def my_projects(*, viewer: Any, today: dt.date, memo: dict[str, Any], **_: Any) -> Block:
    """My projects, their main chart's state and what is due (eight queries)."""
    places = _mine(viewer, memo)
    plist = [pm.project for pm in places]
    states = alerts.main_chart_states(plist)
    live = [p.pk for p in plist if p.status in projects.LIVE_STATUSES]
    due_data = alerts.data_due(alerts.live_measures(project_ids=live), today=today)
    report_due = projects.progress_report_due(projects=plist, today=today)
    late_pdsa = projects.pdsa_past_planned_end(project_ids=live, today=today)
    month = projects.last_complete_month(today)
    rows: dict[int, ProjectRow] = {}
    for pm in places:
        p = pm.project
        s = states[p.pk]
        rows[p.pk] = ProjectRow(
            title=p.title,
            url=p.get_absolute_url(),
            role=pm.get_role_display(),
            organisation=p.lead_organisation.name,
            state=s.label,
            state_tag=s.tag,
            state_url=s.url,
            state_text=s.explanation,
        )
    for d in due_data:
        rows[d.measure.project_id].due.append(
            Item(
                f"Data for {d.period_text}: {d.measure.name}",
                reverse("measures:data_grid", args=[d.measure.project.slug, d.measure.pk]),
                tag="Overdue" if d.overdue else "Due",
                tag_class="nhsuk-tag--red" if d.overdue else "nhsuk-tag--yellow",
            )
        )
    slugs = {pm.project_id: pm.project.slug for pm in places}
    for pk in report_due:
        rows[pk].due.append(
            Item(
                f"Progress report and score for {month:%B %Y}",
                reverse("projects:progress_create", args=[slugs[pk], "self"]),
                tag="Due",
                tag_class="nhsuk-tag--yellow",
            )
        )
    for c in late_pdsa:
        rows[c.project_id].due.append(
            Item(
                f"PDSA cycle {c.title}: planned to end {short_date(c.planned_end)}",
                c.get_absolute_url(),
                tag="Past planned end",
                tag_class="nhsuk-tag--orange",
            )
        )
    return Block(
        key="projects",
        title="My projects",
        template="mywork/_projects.jinja",
        context={"rows": list(rows.values())},
        order=10,
        action=("All projects", reverse("projects:project_list")),
        empty=not rows,
        width="full",
    )


def my_actions(*, viewer: Any, today: dt.date, **_: Any) -> Block:
    """My open actions: PDSA cycles I own, mortality-review actions (counts), huddle actions
    in my units (counts) and safety-culture debrief actions of waves I lead or facilitate
    (a fixed number of queries, whatever the number of each)."""
    items = []
    for c in projects.my_open_pdsa_cycles(viewer=viewer):
        late = c.planned_end is not None and c.planned_end < today
        items.append(
            Item(
                f"{c.title} ({c.project.title})",
                c.get_absolute_url(),
                detail=f"{c.get_status_display()}"
                + (f", planned end {short_date(c.planned_end)}" if c.planned_end else ""),
                tag="Past planned end" if late else "",
                tag_class="nhsuk-tag--orange" if late else "",
            )
        )
    items.extend(
        Item(
            f"Mortality review actions at {a.organisation.name}: {a.open} open",
            reverse("deaths:case_list", args=[a.organisation.slug]),
            tag=f"{a.overdue} overdue" if a.overdue else "",
            tag_class="nhsuk-tag--red" if a.overdue else "",
        )
        for a in deaths.open_case_actions(viewer=viewer, today=today)
    )
    items.extend(
        Item(
            f"Huddle actions on {u.unit.name}: {u.open} open",
            reverse("huddles:action_list", args=[u.unit.pk]),
            detail=u.unit.organisation.name,
            tag=f"{u.overdue} overdue" if u.overdue else "",
            tag_class="nhsuk-tag--red" if u.overdue else "",
        )
        for u in huddles.my_open_actions(viewer=viewer, today=today)
    )
    for a in culture.my_open_actions(viewer=viewer):
        wu = a.debrief.wave_unit
        late = a.due_on < today
        items.append(
            Item(
                f"{a.title} (safety culture debrief, {wu.unit.name})",
                reverse("culture:results", args=[wu.wave_id, wu.pk]),
                detail=f"Owner {a.owner}, due {short_date(a.due_on)}",
                tag="Overdue" if late else "",
                tag_class="nhsuk-tag--red" if late else "",
            )
        )
    return Block(
        key="actions",
        title="My open actions",
        template="mywork/_items.jinja",
        context={"items": items, "none": "No open actions."},
        order=20,
        empty=not items,
    )


def my_sessions(*, viewer: Any, today: dt.date, **_: Any) -> Block:
    """My places at learning sessions not yet over (one query)."""
    items = [
        Item(
            r.session.title,
            r.session.get_absolute_url(),
            detail=short_date(r.session.starts_on),
            tag=r.get_status_display(),
            tag_class="nhsuk-tag--green" if r.status == "booked" else "nhsuk-tag--yellow",
        )
        for r in events.my_upcoming_places(person=viewer, today=today)
    ]
    return Block(
        key="sessions",
        title="My bookings and upcoming sessions",
        template="mywork/_items.jinja",
        context={"items": items, "none": "You have no places at upcoming sessions."},
        order=30,
        action=("Learning sessions", reverse("events:session_list")),
        empty=not items,
    )


def renew_assessments(*, viewer: Any, today: dt.date, **_: Any) -> Block | None:
    """Self-assessments of the 3 L's to take or renew (two queries)."""
    due = capability.assessments_to_renew(viewer=viewer, today=today)
    if not due:
        return None
    items = [
        Item(
            f"Your 3 L's self-assessment in {d.collaborative.name}",
            reverse("capability:assess"),
            detail=f"Last taken {short_date(d.last_assessed)}" if d.last_assessed else "",
            tag="Renew" if d.last_assessed else "Not taken",
            tag_class="nhsuk-tag--yellow",
        )
        for d in due
    ]
    return Block(
        key="assessments",
        title="Self-assessments to renew",
        template="mywork/_items.jinja",
        context={"items": items},
        order=40,
    )


def approvals(*, viewer: Any, **_: Any) -> Block | None:
    """Learning summaries waiting for the viewer's approval (one or two queries)."""
    waiting = list(deaths.summaries_awaiting_approval(viewer=viewer))
    if not waiting:
        return None
    items = [
        Item(
            s.title,
            reverse("deaths:summary_approve", args=[s.organisation.slug, s.death_id]),
            detail=f"Learning summary, {s.organisation.name}",
            tag="Waiting",
            tag_class="nhsuk-tag--yellow",
        )
        for s in waiting
    ]
    return Block(
        key="approvals",
        title="Approvals waiting for me",
        template="mywork/_items.jinja",
        context={"items": items},
        order=5,
    )


def new_signals(*, viewer: Any, today: dt.date, memo: dict[str, Any], **_: Any) -> Block | None:
    """Signals that began lately on projects I lead or coach (three queries, one batch)."""
    led = [
        pm.project_id
        for pm in _mine(viewer, memo)
        if pm.role in (TeamRole.LEAD, TeamRole.COACH)
        and pm.project.status in projects.LIVE_STATUSES
    ]
    if not led:
        return None
    since = today - dt.timedelta(days=NEW_SIGNAL_DAYS)
    found = [
        s for s in alerts.new_signals(alerts.live_measures(project_ids=led)) if s.start >= since
    ]
    items = [
        Item(
            s.text.removeprefix("New signal on "),
            s.measure.get_absolute_url(),
            tag={"improvement": "Improvement", "concern": "Concern"}.get(s.point_class, "Signal"),
            tag_class={"improvement": "nhsuk-tag--blue", "concern": "nhsuk-tag--orange"}.get(
                s.point_class, "nhsuk-tag--purple"
            ),
        )
        for s in found
    ]
    return Block(
        key="signals",
        title="New signals on projects I lead or coach",
        template="mywork/_items.jinja",
        context={"items": items, "none": f"No signal began in the last {NEW_SIGNAL_DAYS} days."},
        order=15,
        empty=not items,
    )


def new_notifications(*, viewer: Any, **_: Any) -> Block:
    """The newest unread notifications (one query; the count is the header's)."""
    unread = list(notifications.notification_list(viewer=viewer, unread_only=True)[:5])
    count = notifications.unread_count(viewer=viewer)
    return Block(
        key="notifications",
        title="New notifications",
        template="mywork/_notifications.jinja",
        context={"items": [notification_view(n) for n in unread], "count": count},
        order=25,
        action=("All notifications", reverse("notifications:list")),
        empty=not unread,
    )


def trust_overview(*, viewer: Any, roles: Any, today: dt.date, **_: Any) -> Block | None:
    """A programme manager's trust: projects, quiet ones, training coverage, sessions booked
    (four queries for any number of trusts and projects)."""
    if not roles.managed_org_ids:
        return None
    groups = projects.trust_projects(viewer=viewer, today=today)
    coverage = capability.training_coverage(organisation_ids=roles.managed_org_ids)
    booked = events.upcoming_bookings_by_organisation(
        organisation_ids=roles.managed_org_ids, today=today
    )
    trusts = []
    for g in groups:
        cov = coverage.get(g.organisation.pk)
        trusts.append(
            {
                "name": g.organisation.name,
                "url": g.organisation.get_absolute_url(),
                "projects": plural(len(g.projects), "live project"),
                "quiet": [Item(p.title, p.get_absolute_url()) for p in g.quiet],
                "trained": (
                    f"{cov.trained} of {plural(cov.staff, 'person', 'people')} ({cov.percent}%)"
                    if cov is not None and cov.percent is not None
                    else "No people recorded"
                ),
                "booked": plural(booked.get(g.organisation.pk, 0), "place"),
            }
        )
    return Block(
        key="trust",
        title="My trust" if len(trusts) == 1 else "My trusts",
        template="mywork/_trust.jinja",
        context={"trusts": trusts, "quiet_days": projects.QUIET_AFTER_DAYS},
        order=50,
        action=("Training records", reverse("capability:training_records")),
        width="full",
    )


def coached_teams(*, viewer: Any, roles: Any, memo: dict[str, Any], **_: Any) -> Block | None:
    """Faculty and QI coaches: the teams they coach, with their main chart's state."""
    coached = [pm.project for pm in _mine(viewer, memo) if pm.role == TeamRole.COACH]
    if not coached and not roles.faculty_collab_ids:
        return None
    states = alerts.main_chart_states(coached)
    items = [
        Item(
            p.title,
            p.get_absolute_url(),
            detail=p.lead_organisation.name,
            tag=states[p.pk].label,
            tag_class=states[p.pk].tag,
        )
        for p in coached
    ]
    return Block(
        key="coaching",
        title="Teams I coach",
        template="mywork/_coaching.jinja",
        context={
            "items": items,
            "faculty": bool(roles.faculty_collab_ids),
            "none": "You are not named as QI coach on a project team yet.",
        },
        order=45,
        empty=not items,
    )


PROVIDERS = (
    approvals,
    my_projects,
    new_signals,
    my_actions,
    new_notifications,
    my_sessions,
    renew_assessments,
    coached_teams,
    trust_overview,
)


def register_all() -> None:
    for provider in PROVIDERS:
        contributions.register_block(PAGE, provider)
