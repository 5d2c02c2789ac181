"""Reads of innovations and adoptions, always scoped by the viewer (mirrors ``rules``).

Pages that list many innovations or adoptions read them in a fixed number of queries:
evidence strength and adopters' results come from one ``measure_results`` batch each.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from qicollab.accounts.roles import roles_for
from qicollab.collaborative.models import Theme, Workstream
from qicollab.events.models import LearningSession, Storyboard
from qicollab.innovations.models import (
    Adoption,
    AdoptionStatus,
    AdoptionStep,
    Innovation,
    Resource,
    Sharing,
)
from qicollab.measures import spc_adapter
from qicollab.measures.models import Measure, MeasureType
from qicollab.organisations.models import Collaborative, CollaborativeMembership, Organisation
from qicollab.projects.models import Project
from qicollab.projects.rules import can_change_project_content
from qicollab.projects.selectors import visible_projects

#: Adoption statuses that count as the innovation having spread there.
SPREAD_STATUSES = (AdoptionStatus.TESTING, AdoptionStatus.ADAPTED, AdoptionStatus.ADOPTED)


def visible_innovations(*, viewer: Any) -> QuerySet[Innovation]:
    """Every innovation the viewer may read: the SQL twin of ``rules.can_view_innovation``."""
    r = roles_for(viewer)
    qs = Innovation.objects.all()
    if r.is_superuser:
        return qs
    cond = Q(sharing=Sharing.PUBLIC)
    if r.is_authenticated:
        cond |= Q(organisation_id__in=r.own_org_ids) | Q(
            sharing=Sharing.COLLABORATIVE, collaborative_id__in=r.visible_collab_ids
        )
        if r.visible_collab_ids:
            cond |= Q(sharing=Sharing.ALL)
    return qs.filter(cond)


def public_innovations() -> QuerySet[Innovation]:
    """The showcase: innovations marked public, newest first."""
    return (
        Innovation.objects.filter(sharing=Sharing.PUBLIC)
        .select_related("organisation", "collaborative", "project")
        .annotate(spread_count=Count("adoptions", filter=Q(adoptions__status__in=SPREAD_STATUSES)))
        .order_by("-created_at")
    )


def _outcome_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "evidence_measures",
        queryset=Measure.objects.filter(measure_type=MeasureType.OUTCOME).select_related("project"),
        to_attr="outcome_measures",
    )


@dataclass
class Row:
    """One innovation of the list with what the list shows."""

    innovation: Innovation
    spread_count: int
    improvement: bool
    themes: list[Theme]


def has_improvement(results: dict[int, spc_adapter.MeasureResult], measures: list[Measure]) -> bool:
    """Whether any of ``measures`` shows a special-cause improvement in its results."""
    for m in measures:
        res = results.get(m.pk)
        if res is None or res.result is None:
            continue
        if any(run.point_class == "improvement" for run in spc_adapter.signal_runs(res.result)):
            return True
    return False


def package_parts(innovation: Innovation) -> dict[str, list[Any]]:
    """The prefetched parts an innovation page shows (no query in the template)."""
    return {
        "ideas": list(innovation.ideas.all()),
        "package_measures": list(innovation.measures.all()),
        "resources": list(innovation.resources.all()),
        "themes": list(innovation.themes.all()),
    }


@dataclass
class Filters:
    workstream: Workstream | None = None
    theme: Theme | None = None
    stage: str = ""
    organisation: Organisation | None = None
    #: "improvement", "none" or "" (either).
    evidence: str = ""
    #: Only innovations tried (testing, adapted, adopted) by at least this many organisations.
    min_spread: int = 0


def innovation_list(
    *, viewer: Any, collaborative: Collaborative, filters: Filters | None = None
) -> list[Row]:
    """The collaborative's innovations the viewer may read, filtered (constant queries)."""
    fl = filters or Filters()
    qs = visible_innovations(viewer=viewer).filter(collaborative=collaborative)
    if fl.workstream is not None:
        qs = qs.filter(workstream=fl.workstream)
    if fl.theme is not None:
        qs = qs.filter(themes=fl.theme)
    if fl.stage:
        qs = qs.filter(stage=fl.stage)
    if fl.organisation is not None:
        qs = qs.filter(organisation=fl.organisation)
    qs = (
        qs.distinct()
        .select_related("organisation", "workstream")
        .prefetch_related("themes", _outcome_prefetch())
        .annotate(
            spread_count=Count(
                "adoptions",
                filter=Q(adoptions__status__in=SPREAD_STATUSES),
                distinct=True,
            )
        )
        .order_by("title")
    )
    if fl.min_spread:
        qs = qs.filter(spread_count__gte=fl.min_spread)
    innovations = list(qs)
    # Evidence strength follows the project's sharing: a chart the viewer may not see
    # cannot vouch for the innovation in their list either.
    visible_project_ids = set(
        visible_projects(viewer=viewer)
        .filter(pk__in={i.project_id for i in innovations if i.project_id})
        .values_list("pk", flat=True)
    )
    measures = [
        m
        for i in innovations
        for m in getattr(i, "outcome_measures", [])
        if m.project_id in visible_project_ids
    ]
    results = spc_adapter.measure_results(measures)
    rows = [
        Row(
            i,
            getattr(i, "spread_count", 0),
            has_improvement(
                results,
                [
                    m
                    for m in getattr(i, "outcome_measures", [])
                    if m.project_id in visible_project_ids
                ],
            ),
            list(i.themes.all()),
        )
        for i in innovations
    ]
    if fl.evidence == "improvement":
        rows = [r for r in rows if r.improvement]
    elif fl.evidence == "none":
        rows = [r for r in rows if not r.improvement]
    return rows


def innovation_get(*, viewer: Any, slug: str) -> Innovation | None:
    """One innovation if the viewer may read it, else ``None`` (shown as 404)."""
    return (
        visible_innovations(viewer=viewer)
        .select_related(
            "organisation", "collaborative", "project", "workstream", "harvested_at", "storyboard"
        )
        .prefetch_related("themes", "ideas", "measures", "resources")
        .filter(slug=slug)
        .first()
    )


def evidence_measures(*, viewer: Any, innovation: Innovation) -> list[Measure] | None:
    """The evidence measures, or ``None`` when the viewer may not see the source project."""
    if innovation.project is None:
        return []
    if not viewer.has_perm("projects.view_project", innovation.project):
        return None
    return list(innovation.evidence_measures.select_related("project").order_by("order", "pk"))


def harvested_at(*, viewer: Any, session: LearningSession) -> QuerySet[Innovation]:
    """Innovations harvested from the session's storyboards that the viewer may read."""
    return (
        visible_innovations(viewer=viewer)
        .filter(harvested_at=session)
        .select_related("organisation")
        .order_by("title")
    )


def storyboard_innovations(*, viewer: Any, storyboards: list[Storyboard]) -> dict[int, Innovation]:
    """Storyboard id -> the (first) innovation harvested from it that the viewer may read."""
    out: dict[int, Innovation] = {}
    qs = visible_innovations(viewer=viewer).filter(storyboard__in=storyboards).order_by("pk")
    for innovation in qs:
        assert innovation.storyboard_id is not None
        out.setdefault(innovation.storyboard_id, innovation)
    return out


def adoption_get(*, viewer: Any, pk: int) -> Adoption | None:
    """An adoption of an innovation the viewer may read."""
    return (
        Adoption.objects.filter(innovation__in=visible_innovations(viewer=viewer), pk=pk)
        .select_related("innovation", "organisation", "project")
        .first()
    )


def editable_projects(*, viewer: Any, organisation_ids: frozenset[int]) -> list[Project]:
    """Projects of these organisations that the viewer may edit (adoption targets)."""
    qs = (
        visible_projects(viewer=viewer)
        .filter(lead_organisation_id__in=organisation_ids)
        .select_related("lead_organisation")
        .order_by("title")
    )
    return [p for p in qs if can_change_project_content(viewer, p)]


def my_adoption(
    *, viewer: Any, innovation: Innovation, organisation_ids: frozenset[int]
) -> Adoption | None:
    """The viewer's organisations' adoption of the innovation, if there is one."""
    return (
        Adoption.objects.filter(innovation=innovation, organisation_id__in=organisation_ids)
        .select_related("organisation", "project")
        .first()
    )


# --- spread ------------------------------------------------------------------------------


@dataclass
class AdopterResult:
    """An adopter's outcome measure and what its chart says, where the viewer may see it."""

    measure: Measure | None
    text: str


@dataclass
class Spread:
    """An innovation's spread: adoptions with their steps, and member organisations by region."""

    adoptions: list[Adoption]
    steps: list[AdoptionStep]
    #: region label -> [(organisation, status or "")], organisations by name.
    grid: dict[str, list[tuple[Organisation, str]]] = field(default_factory=dict)
    results: dict[int, AdopterResult] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    national: bool = False


def _grid_organisations(innovation: Innovation, national: bool) -> list[Organisation]:
    collabs: QuerySet[Collaborative] | list[int]
    if national and innovation.collaborative.programme_id is not None:
        collabs = list(
            Collaborative.objects.filter(
                programme_id=innovation.collaborative.programme_id
            ).values_list("pk", flat=True)
        )
    else:
        collabs = [innovation.collaborative_id]
    member_ids = CollaborativeMembership.objects.filter(collaborative_id__in=collabs).values(
        "organisation_id"
    )
    return list(Organisation.objects.filter(pk__in=member_ids).order_by("name"))


def spread(*, viewer: Any, innovation: Innovation, national: bool = False) -> Spread:
    """Who considered, tested, adapted, adopted or abandoned it, over time (constant queries).

    The grid lists the innovation's collaborative's member organisations by region (all the
    programme's collaboratives' members with ``national``). An adopter's outcome result is
    read from its linked project's outcome measures when the viewer may see that project.
    """
    adoptions = list(
        Adoption.objects.filter(innovation=innovation)
        .select_related("organisation", "project")
        .order_by("status_date", "pk")
    )
    steps = list(
        AdoptionStep.objects.filter(adoption__innovation=innovation)
        .select_related("adoption__organisation")
        .order_by("on", "pk")
    )
    status_by_org = {a.organisation_id: a.status for a in adoptions}
    orgs = _grid_organisations(innovation, national)
    known = {o.pk for o in orgs}
    orgs += [a.organisation for a in adoptions if a.organisation_id not in known]
    grid: dict[str, list[tuple[Organisation, str]]] = defaultdict(list)
    for o in sorted(orgs, key=lambda o: (o.get_region_display(), o.name)):
        if o.pk == innovation.organisation_id:
            grid[o.get_region_display()].append((o, "source"))
        else:
            grid[o.get_region_display()].append((o, status_by_org.get(o.pk, "")))
    counts = dict.fromkeys(AdoptionStatus.values, 0)
    for a in adoptions:
        counts[a.status] += 1
    project_ids = {a.project_id for a in adoptions if a.project_id}
    seen = set(
        visible_projects(viewer=viewer).filter(pk__in=project_ids).values_list("pk", flat=True)
    )
    outcome: dict[int, Measure] = {}
    for m in Measure.objects.filter(project_id__in=seen, measure_type=MeasureType.OUTCOME).order_by(
        "project_id", "-is_main_outcome", "order", "pk"
    ):
        outcome.setdefault(m.project_id, m)
    engine = spc_adapter.measure_results(list(outcome.values()))
    results: dict[int, AdopterResult] = {}
    for a in adoptions:
        if a.project_id is None:
            results[a.pk] = AdopterResult(None, "No project linked yet.")
        elif a.project_id not in seen:
            results[a.pk] = AdopterResult(None, "The project is not shared with you.")
        elif a.project_id not in outcome:
            results[a.pk] = AdopterResult(None, "No outcome measure yet.")
        else:
            m = outcome[a.project_id]
            res = engine[m.pk]
            if res.result is None:
                text = res.problem or "No data yet."
            elif has_improvement(engine, [m]):
                text = "Special-cause improvement."
            else:
                text = "No special-cause improvement yet."
            results[a.pk] = AdopterResult(m, f"{m.name}: {text}")
    return Spread(adoptions, steps, dict(grid), results, counts, national)


def organisations_by_id(ids: frozenset[int]) -> list[Organisation]:
    """Organisations by id, by name (the viewer's own, from their roles)."""
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def read_resource(resource: Resource) -> bytes | None:
    """A resource file's bytes from the media storage, or ``None`` if it is gone."""
    try:
        with default_storage.open(resource.file_name, "rb") as fh:
            data: bytes = fh.read()
            return data
    except OSError:
        return None


def resource_download_name(resource: Resource) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", resource.original_name.rsplit(".", 1)[0]).strip("-")
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        resource.content_type, "bin"
    )
    return f"{stem[:80] or 'resource'}.{ext}"


def public_innovation_get(*, slug: str) -> Innovation | None:
    """A public innovation for the showcase, with its package."""
    return (
        public_innovations()
        .prefetch_related("themes", "ideas", "measures", "resources")
        .filter(slug=slug)
        .first()
    )


def project_innovations(*, viewer: Any, project: Project) -> list[Innovation]:
    """Innovations written up from the project that the viewer may read."""
    return list(visible_innovations(viewer=viewer).filter(project=project).order_by("title"))


def project_related(*, viewer: Any, project: Project) -> tuple[list[Innovation], list[Innovation]]:
    """(innovations written up from the project, innovations it was started from or linked
    to) that the viewer may read, in one query."""
    rows: list[Innovation] = list(
        visible_innovations(viewer=viewer)
        .filter(Q(project=project) | Q(adoptions__project=project))
        .select_related("organisation")
        .annotate(
            adopted_here=Exists(
                Adoption.objects.filter(innovation_id=OuterRef("pk"), project=project)
            )
        )
        .distinct()
        .order_by("title")
    )
    own = [i for i in rows if i.project_id == project.pk]
    return own, [i for i in rows if getattr(i, "adopted_here", False)]


def adopted_into(*, viewer: Any, project: Project) -> list[Innovation]:
    """Innovations the project was started from or linked to (the link back)."""
    return list(
        visible_innovations(viewer=viewer)
        .filter(adoptions__project=project)
        .select_related("organisation")
        .distinct()
    )


# --- spread metrics (programme goals, insights.metrics) ---------------------------------


def _latest_statuses(*, collaborative: Collaborative, on: dt.date) -> list[tuple[int, int, str]]:
    """(innovation id, adopter organisation id, latest status on ``on``) for every adoption
    of the collaborative's innovations by another organisation (one query)."""
    latest: dict[tuple[int, int], str] = {}
    rows = (
        AdoptionStep.objects.filter(adoption__innovation__collaborative=collaborative, on__lte=on)
        .exclude(adoption__organisation_id=F("adoption__innovation__organisation_id"))
        .order_by("on", "pk")
        .values_list("adoption__innovation_id", "adoption__organisation_id", "status")
    )
    for innovation_id, org_id, status in rows:
        latest[(innovation_id, org_id)] = status
    return [(i, o, s) for (i, o), s in latest.items()]


def spreading_organisations(*, collaborative: Collaborative, on: dt.date) -> set[int]:
    """Organisations testing, adapting or adopting one of the collaborative's innovations
    from another organisation on ``on`` (their latest dated status)."""
    return {
        o
        for _, o, s in _latest_statuses(collaborative=collaborative, on=on)
        if s in SPREAD_STATUSES
    }


def adopter_counts(*, collaborative: Collaborative, on: dt.date) -> dict[int, int]:
    """Innovation id -> organisations that had adopted or adapted it on ``on``."""
    out: dict[int, int] = defaultdict(int)
    for innovation_id, _, status in _latest_statuses(collaborative=collaborative, on=on):
        if status in (AdoptionStatus.ADOPTED, AdoptionStatus.ADAPTED):
            out[innovation_id] += 1
    return dict(out)
