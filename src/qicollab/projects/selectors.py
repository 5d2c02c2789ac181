"""Reads of projects, always scoped by the viewer (mirrors ``projects.rules``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Coalesce, Greatest, NullIf

from qicollab.accounts.models import Person
from qicollab.accounts.roles import roles_for
from qicollab.collaborative.models import Theme, Workstream
from qicollab.organisations.models import Collaborative, Organisation
from qicollab.projects.models import (
    DEFAULT_SCALE_CODE,
    Aim,
    ChangeIdea,
    CollaborativeScaleChoice,
    PdsaCycle,
    PrimaryDriver,
    ProgressReport,
    Project,
    ProjectMember,
    ScaleDefinition,
    ScaleLevel,
    SecondaryDriver,
    Sharing,
    TeamRole,
)
from qicollab.projects.rules import project_roles
from qicollab.projects.scoring import Evidence, Suggestion, suggest

_SHARED = (Sharing.ORGANISATION, Sharing.COLLABORATIVE)


def visible_projects(*, viewer: Any) -> QuerySet[Project]:
    """Every project the viewer may read: the SQL twin of ``rules.can_view_project``."""
    r = roles_for(viewer)
    qs = Project.objects.all()
    if r.is_superuser:
        return qs
    cond = Q(sharing=Sharing.PUBLIC)
    if r.is_authenticated:
        partner_of_mine = Project.partner_organisations.through.objects.filter(
            organisation_id__in=r.own_org_ids
        ).values("project_id")
        cond |= (
            Q(pk__in=list(project_roles(viewer)))
            | Q(collaborative_id__in=r.coordinator_collab_ids)
            | Q(lead_organisation_id__in=r.managed_org_ids)
            | Q(sharing__in=_SHARED, lead_organisation_id__in=r.own_org_ids)
            | Q(sharing__in=_SHARED, pk__in=partner_of_mine)
            | Q(sharing=Sharing.COLLABORATIVE, collaborative_id__in=r.member_collab_ids)
        )
    return qs.filter(cond)


def latest_progress(field: str) -> Subquery:
    """A subquery for one field of a project's latest progress report (outer ref ``pk``).

    The one "latest score" rule, shared by the project list and the portfolio: newest month
    first; in a month with both ratings, the faculty's ("faculty" < "self").
    """
    return Subquery(
        ProgressReport.objects.filter(project=OuterRef("pk"))
        .order_by("-month", "rater_type")
        .values(field)[:1]
    )


# --- last activity -----------------------------------------------------------------------
#
# The one definition of a project's "last activity", shared by the portfolio's column, the
# coaching view's "quiet since" and their API: the latest moment a data point, a PDSA cycle
# or a progress report was *recorded* on the platform (its ``created_at``). Not the period a
# value is for, not an edit to the project's title or sharing (``Project.updated_at``), and
# not a later edit of an old record: a team is active when it records something new.

#: The kinds of activity, as (annotation name, label), in the order pages show them.
ACTIVITY_KINDS = (
    ("last_data_at", "Data points"),
    ("last_pdsa_at", "PDSA cycles"),
    ("last_report_at", "Progress reports"),
)

# GREATEST ignores NULLs on PostgreSQL but returns NULL on SQLite: each kind falls back to a
# moment before any record, and a project with none gets NULL back.
_NEVER = Value(dt.datetime(1970, 1, 1, tzinfo=dt.UTC), output_field=DateTimeField())


def _newest_recorded(kind: str) -> Subquery:
    from qicollab.measures.models import DataPoint  # measures depends on projects

    rows: QuerySet[Any] = {
        "last_data_at": DataPoint.objects.filter(measure__project=OuterRef("pk")),
        "last_pdsa_at": PdsaCycle.objects.filter(project=OuterRef("pk")),
        "last_report_at": ProgressReport.objects.filter(project=OuterRef("pk")),
    }[kind]
    return Subquery(
        rows.order_by("-created_at").values("created_at")[:1], output_field=DateTimeField()
    )


def last_activity() -> Expression:
    """An expression for a project's last activity (outer ref ``pk``), ``NULL`` if none.

    The latest ``created_at`` of its data points, PDSA cycles and progress reports. One
    expression, so annotating a page of projects adds no query per row.
    """
    return NullIf(
        Greatest(*(Coalesce(_newest_recorded(k), _NEVER) for k, _ in ACTIVITY_KINDS)), _NEVER
    )


def with_last_activity(
    qs: QuerySet[Project], *, by_kind: bool = False, total: bool = True
) -> QuerySet[Project]:
    """Annotate ``last_activity`` (see :func:`last_activity`) on a scoped project queryset.

    ``by_kind`` also annotates ``last_data_at``, ``last_pdsa_at`` and ``last_report_at``,
    for pages that show which kind was recorded when. Still one query for the page.
    ``total=False`` leaves ``last_activity`` out (the caller takes the newest of the three
    kinds itself, so the database does not evaluate their subqueries twice).
    """
    if by_kind:
        qs = qs.annotate(**{k: _newest_recorded(k) for k, _ in ACTIVITY_KINDS})
    return qs.annotate(last_activity=last_activity()) if total else qs


def project_list(
    *,
    viewer: Any,
    search: str = "",
    status: str = "",
    workstream: Workstream | None = None,
    organisation: Organisation | None = None,
    collaborative: Collaborative | None = None,
) -> QuerySet[Project]:
    """Projects the viewer may read, filtered, with what the list shows (constant queries)."""
    qs = visible_projects(viewer=viewer)
    if search:
        qs = qs.filter(
            Q(title__icontains=search) | Q(summary__icontains=search) | Q(tags__name__iexact=search)
        )
    if status:
        qs = qs.filter(status=status)
    if workstream is not None:
        qs = qs.filter(workstream=workstream)
    if organisation is not None:
        qs = qs.filter(
            Q(lead_organisation=organisation)
            | Q(
                pk__in=Project.partner_organisations.through.objects.filter(
                    organisation=organisation
                ).values("project_id")
            )
        )
    if collaborative is not None:
        qs = qs.filter(collaborative=collaborative)
    return (
        qs.distinct()
        .select_related("lead_organisation", "workstream", "collaborative")
        .annotate(
            latest_score=latest_progress("score"),
            latest_month=latest_progress("month"),
            latest_rater=latest_progress("rater_type"),
        )
        .order_by("title")
    )


# The project page shows how many cycles a project has: counted in the project's own query.
_PDSA_TOTAL = Coalesce(
    Subquery(
        PdsaCycle.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    ),
    0,
)


def project_get(*, viewer: Any, slug: str) -> Project | None:
    """One project if the viewer may read it, else ``None`` (shown as 404)."""
    return (
        visible_projects(viewer=viewer)
        .filter(slug=slug)
        .select_related("lead_organisation", "workstream", "collaborative", "created_by", "aim")
        .annotate(pdsa_total=_PDSA_TOTAL)
        .first()
    )


_ROLE_ORDER = Case(
    *(When(role=role, then=Value(i)) for i, role in enumerate(TeamRole.values)),
    output_field=IntegerField(),
)


def project_team(*, project: Project) -> QuerySet[ProjectMember]:
    """The team, leads first, in the order of the roles."""
    return (
        project.members.select_related("person")
        .annotate(role_rank=_ROLE_ORDER)
        .order_by("role_rank", "person__full_name")
    )


def team_candidates(*, project: Project, viewer: Any) -> QuerySet[Person]:
    """People who could join the team: at the project's organisations or its faculty.

    Limited to people the viewer may see, and not already on the team.
    """
    from qicollab.accounts.selectors import person_list

    at_orgs = Q(
        affiliations__organisation_id__in=project.organisation_ids,
        affiliations__ended_on__isnull=True,
    )
    faculty = Q(collaborative_roles__collaborative_id=project.collaborative_id)
    return (
        person_list(viewer=viewer)
        .filter(pk__in=Person.objects.filter(at_orgs | faculty).values("pk"))
        .exclude(pk__in=project.members.values("person_id"))
        .order_by("full_name")
    )


def creation_collaboratives(*, viewer: Any) -> QuerySet[Collaborative]:
    """Collaboratives in which the viewer may start a project."""
    from qicollab.projects.rules import CREATOR_ROLES

    r = roles_for(viewer)
    if r.is_superuser:
        return Collaborative.objects.order_by("name")
    own = frozenset(o for o, role in r.org_roles.items() if role in CREATOR_ROLES)
    ids = set(r.coordinator_collab_ids)
    ids |= {c for c in r.member_collab_ids if r.collab_org_ids.get(c, frozenset()) & own}
    return Collaborative.objects.filter(pk__in=ids).order_by("name")


def creation_organisations(*, viewer: Any, collaborative: Collaborative) -> QuerySet[Organisation]:
    """Organisations that may lead a project there: current members the viewer works for.

    Coordinators of the collaborative may start a project for any of its members.
    """
    from qicollab.projects.rules import CREATOR_ROLES

    r = roles_for(viewer)
    members = collaborative.memberships.current().values("organisation_id")
    qs = Organisation.objects.filter(pk__in=members)
    if not (r.is_superuser or collaborative.pk in r.coordinator_collab_ids):
        qs = qs.filter(pk__in=[o for o, role in r.org_roles.items() if role in CREATOR_ROLES])
    return qs.order_by("name")


def collaborative_workstreams(*, collaborative_ids: Any) -> QuerySet[Workstream]:
    return Workstream.objects.filter(collaborative_id__in=collaborative_ids).select_related(
        "collaborative"
    )


def collaborative_themes(*, collaborative_ids: Any) -> QuerySet[Theme]:
    return Theme.objects.filter(collaborative_id__in=collaborative_ids).select_related(
        "collaborative"
    )


def scale_for(*, collaborative: Collaborative | int) -> ScaleDefinition:
    """The scale the collaborative rates on: its choice, else the newest Life QI wording."""
    cid = collaborative if isinstance(collaborative, int) else collaborative.pk
    levels = Prefetch("levels", queryset=ScaleLevel.objects.order_by("value"))
    choice = CollaborativeScaleChoice.objects.filter(collaborative_id=cid).values("scale_id")
    # The choice and the fallback in one query (every page that shows a score asks): the
    # chosen scale sorts first, else the newest active default.
    scale = (
        ScaleDefinition.objects.filter(
            Q(pk__in=choice) | Q(code=DEFAULT_SCALE_CODE, is_active=True)
        )
        .annotate(chosen=Exists(choice.filter(scale_id=OuterRef("pk"))))
        .order_by("-chosen", "-version")
        .prefetch_related(levels)
        .first()
    )
    if scale is None:
        # The seed migration creates it; if the table was emptied since (a flushed test
        # database, a slip in the admin), restore the published wordings rather than fail.
        from qicollab.projects.scale_data import seed_scales

        seed_scales(ScaleDefinition, ScaleLevel)
        return scale_for(collaborative=cid)
    return scale


def progress_reports(*, project: Project) -> QuerySet[ProgressReport]:
    return project.progress_reports.select_related("rater", "scale").order_by(
        "-month", "rater_type"
    )


def progress_report_get(*, project: Project, pk: int) -> ProgressReport | None:
    """One of ``project``'s progress reports (with its scale), or ``None`` (shown as 404)."""
    return project.progress_reports.select_related("scale").filter(pk=pk).first()


def diagram_nodes(
    *, project: Project
) -> tuple[list[PrimaryDriver], list[SecondaryDriver], list[ChangeIdea]]:
    """The driver diagram's nodes with their links and each idea's cycles (three queries:
    the nodes of all three kinds, the links of both link tables, the ideas' cycles).

    Each secondary driver gets ``primary_ids`` and each change idea ``secondary_ids``: the
    ids it links to, in diagram order.
    """
    common = ("id", "created_at", "updated_at", "project_id", "text", "order")
    nodes = (
        _nodes(project.primary_drivers.all(), "p", common, Value(""))
        .union(_nodes(project.secondary_drivers.all(), "s", common, Value("")), all=True)
        .union(_nodes(project.change_ideas.all(), "i", common, F("description")), all=True)
    )
    found: dict[str, list[tuple[Any, ...]]] = {"p": [], "s": [], "i": []}
    for kind, *values in nodes:
        found[kind].append(tuple(values))

    def made(model: Any, kind: str, names: tuple[str, ...]) -> list[Any]:
        rows = sorted(found[kind], key=lambda v: (v[5], v[0]))  # the models' order, id
        # ``from_db`` takes the values in the model's own field order.
        attnames = [f.attname for f in model._meta.concrete_fields]
        return [
            model.from_db(
                project._state.db,
                attnames,
                [dict(zip(names, v, strict=False))[a] for a in attnames],
            )
            for v in rows
        ]

    primaries: list[PrimaryDriver] = made(PrimaryDriver, "p", common)
    secondaries: list[SecondaryDriver] = made(SecondaryDriver, "s", common)
    ideas: list[ChangeIdea] = made(ChangeIdea, "i", (*common, "description"))
    prefetch_related_objects(
        ideas,
        Prefetch(
            "pdsa_cycles",
            queryset=PdsaCycle.objects.order_by("cycle_number", "planned_start", "id"),
        ),
    )
    up: dict[tuple[str, int], list[int]] = {}
    if secondaries:
        s_links = SecondaryDriver.primaries.through.objects.filter(
            secondarydriver_id__in=[n.pk for n in secondaries]
        )
        i_links = ChangeIdea.secondaries.through.objects.filter(
            changeidea_id__in=[n.pk for n in ideas]
        )
        links = _links(s_links, "s", "secondarydriver_id", "primarydriver_id").union(
            _links(i_links, "i", "changeidea_id", "secondarydriver_id"), all=True
        )
        for kind, child, parent in links:
            up.setdefault((kind, child), []).append(parent)
    rank = {("s", n.pk): i for i, n in enumerate(primaries)}
    rank |= {("i", n.pk): i for i, n in enumerate(secondaries)}
    for kind, children in (("s", secondaries), ("i", ideas)):
        for node in children:
            ids = sorted(up.get((kind, node.pk), []), key=lambda pk: rank.get((kind, pk), 0))
            setattr(node, "primary_ids" if kind == "s" else "secondary_ids", tuple(ids))
    return primaries, secondaries, ideas


def _nodes(
    qs: QuerySet[Any], kind: str, common: tuple[str, ...], description: F | Value
) -> QuerySet[Any]:
    """One kind of diagram node as ``(kind, *common fields, description)`` rows."""
    # Every column an annotation: Django then selects them in the order listed, which a
    # union needs (plain fields would come before the annotations).
    columns = {f"_{name}": F(name) for name in common}
    rows: QuerySet[Any] = (
        qs.order_by()
        .annotate(
            _kind=Value(kind, CharField()),
            **columns,
            _description=Cast(description, TextField()),
        )
        .values_list("_kind", *columns, "_description")
    )
    return rows


def _links(qs: QuerySet[Any], kind: str, child: str, parent: str) -> QuerySet[Any]:
    """One link table as ``(kind, child id, parent id)`` rows, for a union."""
    rows: QuerySet[Any] = (
        qs.order_by()
        .annotate(_kind=Value(kind, CharField()), _child=F(child), _parent=F(parent))
        .values_list("_kind", "_child", "_parent")
    )
    return rows


@dataclass(frozen=True)
class ProjectLabels:
    """The names the project page lists: partner organisations, themes and tags."""

    partner_organisations: list[str]
    themes: list[str]
    tags: list[str]


def project_labels(*, project: Project) -> ProjectLabels:
    """Partner organisations, themes and tags by name, in one query (three as prefetches).

    Also remembers the partner organisations' ids on ``project`` for permission checks.
    """
    through = Project.partner_organisations.through.objects.filter(project_id=project.pk)
    themes = Project.themes.through.objects.filter(project_id=project.pk)
    tags = Project.tags.through.objects.filter(project_id=project.pk)
    rows = (
        _labels(through, "org", "organisation_id", "organisation__name", Value(0))
        .union(_labels(themes, "theme", "theme_id", "theme__name", F("theme__order")), all=True)
        .union(_labels(tags, "tag", "tag_id", "tag__name", Value(0)), all=True)
    )
    found: dict[str, list[tuple[int, str, int]]] = {"org": [], "theme": [], "tag": []}
    for kind, pk, name, order in rows:
        found[kind].append((order, name, pk))
    project.remember_partner_org_ids(pk for _, _, pk in found["org"])
    # The models' own orderings: organisations and tags by name, themes by order then name.
    return ProjectLabels(*(([n for _, n, _ in sorted(found[k])]) for k in ("org", "theme", "tag")))


def _labels(qs: QuerySet[Any], kind: str, pk: str, name: str, order: F | Value) -> QuerySet[Any]:
    rows: QuerySet[Any] = (
        qs.order_by()
        .annotate(
            _kind=Value(kind, CharField()),
            _pk=F(pk),
            _name=F(name),
            _order=Cast(order, IntegerField()),
        )
        .values_list("_kind", "_pk", "_name", "_order")
    )
    return rows


def pdsa_cycles(*, project: Project) -> QuerySet[PdsaCycle]:
    return (
        project.pdsa_cycles.select_related("owner")
        .prefetch_related("change_ideas")
        .order_by("cycle_number", "planned_start", "id")
    )


def pdsa_get(*, project: Project, pk: int) -> PdsaCycle | None:
    return pdsa_cycles(project=project).filter(pk=pk).first()


# --- My work -----------------------------------------------------------------------------

#: Projects that are expected to report, test and record data each month.
LIVE_STATUSES = ("active", "sustaining")
#: A live project with nothing recorded for this long is quiet (the programme manager's view).
QUIET_AFTER_DAYS = 60


def my_projects(*, viewer: Any, roles: tuple[str, ...] | None = None) -> list[ProjectMember]:
    """The viewer's places on project teams (with the project), live and idea projects first
    by title (one query). ``roles`` limits them to those roles (say, lead and coach)."""
    qs = ProjectMember.objects.filter(person_id=viewer.pk).exclude(
        project__status__in=("completed", "stopped")
    )
    if roles is not None:
        qs = qs.filter(role__in=roles)
    return list(
        qs.select_related("project", "project__lead_organisation").order_by(
            "project__title", "project_id"
        )
    )


def last_complete_month(today: dt.date) -> dt.date:
    """The first day of the month before ``today``'s (the month a report is now due for).

    >>> last_complete_month(dt.date(2026, 1, 15))
    datetime.date(2025, 12, 1)
    """
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def progress_report_due(*, projects: list[Project], today: dt.date) -> set[int]:
    """Live projects without the team's own rating for the last complete month (one query)."""
    live = [p.pk for p in projects if p.status in LIVE_STATUSES]
    if not live:
        return set()
    rated = set(
        ProgressReport.objects.filter(
            project_id__in=live, month=last_complete_month(today), rater_type="self"
        ).values_list("project_id", flat=True)
    )
    return set(live) - rated


def pdsa_past_planned_end(*, project_ids: list[int], today: dt.date) -> list[PdsaCycle]:
    """Cycles of these projects not complete though their planned end has passed (one query)."""
    if not project_ids:
        return []
    return list(
        PdsaCycle.objects.filter(project_id__in=project_ids, planned_end__lt=today)
        .exclude(status="complete")
        .select_related("project")
        .order_by("planned_end", "pk")
    )


def my_open_pdsa_cycles(*, viewer: Any, limit: int = 10) -> list[PdsaCycle]:
    """Cycles the viewer owns that are not complete, on projects they may still read, the
    earliest planned end first (one query)."""
    return list(
        PdsaCycle.objects.filter(owner_id=viewer.pk, project__in=visible_projects(viewer=viewer))
        .exclude(status="complete")
        .select_related("project")
        .order_by(F("planned_end").asc(nulls_last=True), "pk")[:limit]
    )


@dataclass(frozen=True)
class TrustProjects:
    organisation: Organisation
    projects: list[Project]
    quiet: list[Project]


def trust_projects(*, viewer: Any, today: dt.date) -> list[TrustProjects]:
    """For each organisation the viewer manages: its live projects and the quiet ones among
    them (nothing recorded for :data:`QUIET_AFTER_DAYS` days), one query in all."""
    managed = roles_for(viewer).managed_org_ids
    if not managed:
        return []
    rows = list(
        with_last_activity(
            visible_projects(viewer=viewer).filter(
                lead_organisation_id__in=managed, status__in=LIVE_STATUSES
            )
        )
        .select_related("lead_organisation")
        .order_by("lead_organisation__name", "title", "pk")
    )
    cutoff = dt.datetime.combine(
        today - dt.timedelta(days=QUIET_AFTER_DAYS), dt.time(), tzinfo=dt.UTC
    )
    by_org: dict[int, TrustProjects] = {}
    for p in rows:
        group = by_org.setdefault(
            p.lead_organisation_id, TrustProjects(p.lead_organisation, [], [])
        )
        group.projects.append(p)
        last = getattr(p, "last_activity", None)
        if last is None or last < cutoff:
            group.quiet.append(p)
    orgs = Organisation.objects.filter(pk__in=managed - set(by_org)).order_by("name")
    return [*by_org.values(), *(TrustProjects(o, [], []) for o in orgs)]


# --- the suggested progress score ----------------------------------------------------------


def progress_evidence(*, project: Project) -> Evidence:
    """Everything :func:`qicollab.projects.scoring.suggest` reads, for one project."""
    # measures depends on projects: imported here, like DataPoint above.
    from qicollab.measures.alerts import outcome_evidence

    aim = Aim.objects.filter(project=project).first()
    # An aim is agreed once it says what will change and by how much (a target).
    aim_agreed = bool(
        aim and (aim.statement.strip() or aim.measure_text.strip()) and aim.target_value is not None
    )
    pdsa = PdsaCycle.objects.filter(project=project).aggregate(
        started=Count("pk", filter=~Q(status="plan") | Q(actual_start__isnull=False)),
        studied=Count("pk", filter=Q(status__in=("study", "act", "complete"))),
        successful=Count("pk", filter=Q(status="complete", act_decision__in=("adopt", "adapt"))),
    )
    out = outcome_evidence(
        project,
        aim_baseline=float(aim.baseline_value) if aim and aim.baseline_value is not None else None,
        aim_target=float(aim.target_value) if aim and aim.target_value is not None else None,
    )
    return Evidence(
        aim_agreed=aim_agreed,
        team_size=ProjectMember.objects.filter(project=project).count(),
        has_drivers=PrimaryDriver.objects.filter(project=project).exists(),
        measures=out.measures,
        measure_with_target=out.measure_with_target
        or bool(aim and aim.target_value is not None and out.measures),
        baseline_values=out.baseline_values,
        pdsa_started=pdsa["started"],
        pdsa_studied=pdsa["studied"],
        pdsa_successful=pdsa["successful"],
        improvement_signal=out.improvement_signal,
        halfway=out.halfway,
        sustained_values=out.sustained_values,
    )


def progress_suggestion(*, project: Project, scale: ScaleDefinition) -> Suggestion:
    """The suggested self-rating for ``project`` on ``scale``, with its reasons."""
    return suggest(
        progress_evidence(project=project), levels=[lv.value for lv in scale.levels.all()]
    )
