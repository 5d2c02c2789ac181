"""Reads for learning from deaths, always scoped by the viewer or by an organisation they may see.

Dashboard definitions (NQB *Learning from Deaths* dashboard, per quarter of the date of death):

* **in scope**: live (not deleted) deaths marked in scope;
* **reviewed**: of those, deaths with a completed case record review or SJR (any stage);
* **investigated**: in-scope deaths whose screening chose a patient safety incident investigation;
* **more likely than not due to problems in care**: reviewed deaths whose *final* judgement
  (the second review's, where there is one, otherwise the first's) is probably avoidable,
  strong evidence of avoidability or definitely avoidable;
* **with family involvement**: reviewed deaths where the family was involved in the review;
* **learning disability**: the same counts for people with a learning disability, and the
  deaths of people with a learning disability or autistic people referred to LeDeR.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from qicollab.accounts.roles import roles_for
from qicollab.deaths import choices as c
from qicollab.deaths.access import lead_org_ids, team_org_ids
from qicollab.deaths.identifiers import FinancialQuarter, quarter_range
from qicollab.deaths.models import (
    CaseAccess,
    CaseAction,
    CaseReview,
    Death,
    DeathsSettings,
    LearningSummary,
    LearningTheme,
    MortalityTeamMember,
)
from qicollab.organisations.models import Collaborative, CollaborativeMembership, Organisation

# --- organisations and settings ---------------------------------------------------------


def settings_for(*, organisation: Organisation) -> DeathsSettings:
    """The organisation's settings, or the defaults (unsaved) if it has not chosen any."""
    found = DeathsSettings.objects.filter(organisation=organisation).first()
    return found or DeathsSettings(organisation=organisation)


def organisation_get(*, viewer: Any, slug: str) -> Organisation | None:
    """An organisation whose learning-from-deaths pages the viewer may open at all."""
    r = roles_for(viewer)
    ids = team_org_ids(viewer) | r.managed_org_ids | r.coordinated_org_ids
    return Organisation.objects.filter(pk__in=ids, slug=slug).first()


def team_organisations(*, viewer: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=team_org_ids(viewer)).order_by("name")


def dashboard_organisations(*, viewer: Any) -> QuerySet[Organisation]:
    r = roles_for(viewer)
    ids = team_org_ids(viewer) | r.managed_org_ids | r.coordinated_org_ids
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def managed_organisations(*, viewer: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=roles_for(viewer).managed_org_ids).order_by("name")


def library_collaboratives(*, viewer: Any) -> QuerySet[Collaborative]:
    return Collaborative.objects.filter(pk__in=roles_for(viewer).visible_collab_ids).order_by(
        "name"
    )


def figures_collaboratives(*, viewer: Any) -> QuerySet[Collaborative]:
    return Collaborative.objects.filter(pk__in=roles_for(viewer).coordinator_collab_ids).order_by(
        "name"
    )


def team_members(*, organisation: Organisation) -> QuerySet[MortalityTeamMember]:
    return organisation.mortality_team.select_related("person").order_by(
        "role", "person__full_name"
    )


# --- case records -----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    quarter: FinancialQuarter | None = None
    status: str = ""
    category: str = ""


def case_list(
    *, viewer: Any, organisation: Organisation, filters: CaseFilters | None = None
) -> QuerySet[Death]:
    """The organisation's live cases if the viewer is on its team; otherwise none."""
    if organisation.pk not in team_org_ids(viewer):
        return Death.objects.none()
    qs = (
        Death.objects.live()
        .filter(organisation=organisation)
        .select_related("screening", "learning_summary")
        .prefetch_related("reviews")
    )
    f = filters or CaseFilters()
    if f.q:
        qs = qs.filter(Q(case_reference__icontains=f.q) | Q(service__icontains=f.q))
    if f.quarter:
        qs = qs.in_period(f.quarter.start, f.quarter.end)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.status == "unscreened":
        qs = qs.filter(screening__isnull=True)
    elif f.status == "awaiting_review":
        qs = qs.filter(screening__outcome__in=c.REVIEW_OUTCOMES).exclude(
            reviews__status=c.ReviewStatus.COMPLETED
        )
    elif f.status == "second_review":
        qs = qs.filter(
            reviews__stage=1,
            reviews__status=c.ReviewStatus.COMPLETED,
            reviews__overall_rating__lte=2,
        ).exclude(reviews__stage=2, reviews__status=c.ReviewStatus.COMPLETED)
    return qs.order_by("-date_of_death", "-pk").distinct()


def case_get(*, viewer: Any, organisation: Organisation, pk: int) -> Death | None:
    """One live case of ``organisation``, or ``None`` (a 404) if the viewer is not on its team."""
    return (
        case_list(viewer=viewer, organisation=organisation)
        .select_related("family", "candour", "created_by")
        .filter(pk=pk)
        .first()
    )


def case_reviews(*, death: Death) -> list[CaseReview]:
    return list(
        death.reviews.select_related("reviewer")
        .prefetch_related("phases", "problems")
        .order_by("stage")
    )


def final_review(reviews: Iterable[CaseReview]) -> CaseReview | None:
    """The review whose judgement counts: the latest completed stage."""
    done = [r for r in reviews if r.status == c.ReviewStatus.COMPLETED]
    return max(done, key=lambda r: r.stage) if done else None


def access_log(*, organisation: Organisation) -> QuerySet[CaseAccess]:
    return CaseAccess.objects.filter(organisation=organisation).select_related("person", "death")


def tombstones(*, organisation: Organisation) -> QuerySet[Death]:
    """Deleted cases: the reference, when, who and why are kept; nothing else is shown."""
    return (
        Death.objects.filter(organisation=organisation, deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at")
    )


# --- the quarterly dashboard -------------------------------------------------------------


@dataclass
class Counts:
    in_scope: int = 0
    reviewed: int = 0
    investigated: int = 0
    more_likely_than_not: int = 0
    family_involved: int = 0

    @property
    def percent_reviewed(self) -> float | None:
        return None if not self.in_scope else 100.0 * self.reviewed / self.in_scope


@dataclass
class QuarterFigures:
    quarter: FinancialQuarter
    all: Counts = field(default_factory=Counts)
    learning_disability: Counts = field(default_factory=Counts)
    leder_referred: int = 0
    adults_18_64: Counts = field(default_factory=Counts)
    adults_65_plus: Counts = field(default_factory=Counts)


def default_quarters(today: date | None = None, count: int = 8) -> list[FinancialQuarter]:
    """The last ``count`` quarters up to and including the current one."""
    last = FinancialQuarter.containing(today or timezone.localdate())
    first = last
    for _ in range(count - 1):
        first = first.previous()
    return quarter_range(first, last)


def _add(counts: Counts, death: Death, reviews: list[CaseReview]) -> None:
    counts.in_scope += 1
    final = final_review(reviews)
    # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
    screening = getattr(death, "screening", None)
    if screening is not None and screening.outcome == c.ScreeningOutcome.PSII:
        counts.investigated += 1
    if final is not None:
        counts.reviewed += 1
        if final.avoidability in c.MORE_LIKELY_THAN_NOT:
            counts.more_likely_than_not += 1
        family = getattr(death, "family", None)
        if family is not None and family.involved_in_review:
            counts.family_involved += 1


def quarterly_figures(
    *, organisations: Iterable[Organisation], quarters: list[FinancialQuarter]
) -> list[QuarterFigures]:
    """The dashboard figures for the given organisations (summed), one row per quarter."""
    if not quarters:
        return []
    return _figures(_deaths_in(list(organisations), quarters), quarters)


def _deaths_in(organisations: list[Organisation], quarters: list[FinancialQuarter]) -> Any:
    """In-scope live deaths of the organisations in the quarters, with what the figures read
    (one query, two more when there are deaths: reviews prefetched)."""
    return (
        Death.objects.live()
        .filter(organisation__in=organisations, in_scope=True)
        .in_period(quarters[0].start, quarters[-1].end)
        .select_related("screening", "family")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=CaseReview.objects.only(
                    "id", "death_id", "stage", "status", "avoidability"
                ),
            )
        )
    )


def _figures(deaths: Iterable[Death], quarters: list[FinancialQuarter]) -> list[QuarterFigures]:
    rows = {q: QuarterFigures(q) for q in quarters}
    for death in deaths:
        row = rows.get(death.quarter)
        if row is None:
            continue
        reviews = list(death.reviews.all())
        _add(row.all, death, reviews)
        if death.learning_disability:
            _add(row.learning_disability, death, reviews)
        if death.needs_leder and death.leder_status == c.LederStatus.REFERRED:
            row.leder_referred += 1
        if death.age_band in c.ADULT_18_64:
            _add(row.adults_18_64, death, reviews)
        elif death.age_band in c.ADULT_65_PLUS:
            _add(row.adults_65_plus, death, reviews)
    return [rows[q] for q in quarters]


def quarters_between(first: str, last: str, *, today: date | None = None) -> list[FinancialQuarter]:
    """Quarters from the ``YYYY-Qn`` strings given, falling back to the last eight."""
    a, b = FinancialQuarter.parse(first), FinancialQuarter.parse(last)
    if a and b and a <= b:
        return quarter_range(a, b)[:40]
    return default_quarters(today)


# --- sharing the learning ---------------------------------------------------------------


def members_during(
    *, collaborative: Collaborative, start: date, end: date
) -> QuerySet[Organisation]:
    """Organisations that were members of ``collaborative`` at any time from ``start`` to "
    "``end``."""
    ids = CollaborativeMembership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=start),
        collaborative=collaborative,
        joined_on__lte=end,
    ).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def organisations_sharing(
    *, collaborative: Collaborative, start: date, end: date
) -> QuerySet[Organisation]:
    """Member organisations that shared at least one approved learning summary with
    ``collaborative`` between ``start`` and ``end`` (inclusive, local dates).

    This is the numerator of the programme goal "100% of member organisations share the
    learning from deaths"; the denominator is :func:`members_during`.
    """
    shared = LearningSummary.objects.filter(
        status=c.SummaryStatus.SHARED,
        collaboratives=collaborative,
        shared_at__date__gte=start,
        shared_at__date__lte=end,
        death__deleted_at__isnull=True,
    ).values("organisation_id")
    return members_during(collaborative=collaborative, start=start, end=end).filter(pk__in=shared)


@dataclass(frozen=True)
class SharingFigures:
    members: int
    sharing: int
    organisations_sharing: tuple[Organisation, ...]
    organisations_not_sharing: tuple[Organisation, ...]

    @property
    def percentage(self) -> float | None:
        return None if not self.members else 100.0 * self.sharing / self.members


def sharing_figures(*, collaborative: Collaborative, start: date, end: date) -> SharingFigures:
    members = list(members_during(collaborative=collaborative, start=start, end=end))
    sharing_ids = set(
        organisations_sharing(collaborative=collaborative, start=start, end=end).values_list(
            "pk", flat=True
        )
    )
    return SharingFigures(
        members=len(members),
        sharing=len(sharing_ids),
        organisations_sharing=tuple(o for o in members if o.pk in sharing_ids),
        organisations_not_sharing=tuple(o for o in members if o.pk not in sharing_ids),
    )


def library(
    *, viewer: Any, collaborative: Collaborative, theme: str = "", phase: str = "", q: str = ""
) -> QuerySet[LearningSummary]:
    """Approved summaries shared with the collaborative, for anyone who may see its library."""
    if collaborative.pk not in roles_for(viewer).visible_collab_ids:
        return LearningSummary.objects.none()
    qs = (
        LearningSummary.objects.filter(
            status=c.SummaryStatus.SHARED,
            collaboratives=collaborative,
            death__deleted_at__isnull=True,
        )
        .select_related("organisation")
        .prefetch_related("themes")
    )
    if theme:
        qs = qs.filter(themes__slug=theme)
    if phase:
        qs = qs.filter(phase_of_care=phase)
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(what_happened__icontains=q)
            | Q(what_learned__icontains=q)
            | Q(what_changed__icontains=q)
        )
    return qs.order_by("-shared_at", "-pk").distinct()


def library_get(*, viewer: Any, collaborative: Collaborative, pk: int) -> LearningSummary | None:
    return library(viewer=viewer, collaborative=collaborative).filter(pk=pk).first()


@dataclass(frozen=True)
class ThemeCount:
    theme: LearningTheme
    organisations: int
    summaries: int

    @property
    def recurring(self) -> bool:
        return self.organisations >= 2


def theme_counts(*, collaborative: Collaborative) -> list[ThemeCount]:
    """How many organisations (and summaries) shared learning under each theme, most first."""
    base = Q(
        summaries__status=c.SummaryStatus.SHARED,
        summaries__collaboratives=collaborative,
        summaries__death__deleted_at__isnull=True,
    )
    themes = LearningTheme.objects.annotate(
        orgs=Count("summaries__organisation", filter=base, distinct=True),
        n=Count("summaries", filter=base, distinct=True),
    ).filter(n__gt=0)
    out = [ThemeCount(t, t.orgs, t.n) for t in themes]
    return sorted(out, key=lambda t: (-t.organisations, -t.summaries, t.theme.name))


def phase_counts(*, collaborative: Collaborative) -> list[tuple[str, str, int]]:
    rows = Counter(
        LearningSummary.objects.filter(
            status=c.SummaryStatus.SHARED,
            collaboratives=collaborative,
            death__deleted_at__isnull=True,
        ).values_list("phase_of_care", flat=True)
    )
    return sorted(((p, c.ALL_PHASES.get(p, p), n) for p, n in rows.items()), key=lambda r: -r[2])


def collaborative_quarterly(
    *, collaborative: Collaborative, quarters: list[FinancialQuarter]
) -> list[tuple[Organisation, list[QuarterFigures]]]:
    """Each current member organisation's dashboard figures (aggregates only).

    One query for the members and one for all their deaths (was one per member: issue
    18's crawl found it), whatever the number of organisations.
    """
    members = list(
        Organisation.objects.filter(
            pk__in=collaborative.memberships.current().values("organisation_id")
        ).order_by("name")
    )
    if not quarters:
        return [(org, []) for org in members]
    deaths_of: dict[int, list[Death]] = defaultdict(list)
    for death in _deaths_in(members, quarters):
        deaths_of[death.organisation_id].append(death)
    return [(org, _figures(deaths_of[org.pk], quarters)) for org in members]


# --- approvals and actions (the notifications and the My work page) ----------------------


def summary_approvers(*, organisation: Organisation) -> list[Any]:
    """Who may approve the organisation's learning summaries: its mortality-review team's
    leads who still belong to the organisation (``deaths.approve_summary``)."""
    from qicollab.accounts.models import Person

    return list(
        Person.objects.filter(
            is_active=True,
            mortality_teams__organisation=organisation,
            mortality_teams__role=c.TeamRole.LEAD,
            affiliations__organisation=organisation,
            affiliations__ended_on__isnull=True,
        ).distinct()
    )


def summaries_awaiting_approval(*, viewer: Any) -> QuerySet[LearningSummary]:
    """Summaries waiting for the viewer's approval: at organisations whose team they lead,
    written by someone else (one query)."""
    leads = lead_org_ids(viewer)
    if not leads:
        return LearningSummary.objects.none()
    return (
        LearningSummary.objects.filter(
            organisation_id__in=leads, status=c.SummaryStatus.AWAITING_APPROVAL
        )
        .exclude(author_id=viewer.pk)
        .select_related("organisation")
        .order_by("checked_at", "pk")
    )


@dataclass(frozen=True)
class OpenActions:
    organisation: Organisation
    open: int
    overdue: int


def open_case_actions(*, viewer: Any, today: date) -> list[OpenActions]:
    """Open actions from mortality reviews at the organisations whose team the viewer is on,
    counted per organisation (counts only: a case is read, and logged, on its own page)."""
    teams = team_org_ids(viewer)
    if not teams:
        return []
    rows = (
        CaseAction.objects.filter(
            death__organisation_id__in=teams,
            death__deleted_at__isnull=True,
            status__in=[c.ActionStatus.OPEN, c.ActionStatus.IN_PROGRESS],
        )
        .values("death__organisation_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    counts = {r["death__organisation_id"]: r for r in rows}
    if not counts:
        return []
    orgs = Organisation.objects.in_bulk(list(counts))
    return [
        OpenActions(orgs[o], counts[o]["open"], counts[o]["overdue"])
        for o in sorted(counts, key=lambda o: orgs[o].name)
    ]
