"""Reads for the 3 L's, scoped by viewer. Individual levels only go to those allowed to see them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from qicollab.accounts.models import Profession
from qicollab.accounts.roles import roles_for
from qicollab.capability import metrics
from qicollab.capability.models import (
    AssessmentItem,
    CapabilityGoal,
    Cohort,
    CohortSession,
    Course,
    Enrolment,
    EnrolmentStatus,
    Level,
    PersonKind,
    SelfAssessment,
    SubjectArea,
    TrainingCategory,
)
from qicollab.organisations.models import Affiliation, AffiliationRole, Collaborative, Organisation


def subject_areas(
    *, collaborative: Collaborative, active_only: bool = True
) -> QuerySet[SubjectArea]:
    qs = SubjectArea.objects.filter(collaborative=collaborative)
    return qs.filter(is_active=True) if active_only else qs


def _with_items(qs: QuerySet[SelfAssessment]) -> QuerySet[SelfAssessment]:
    return qs.select_related("person", "organisation").prefetch_related(
        Prefetch("items", queryset=AssessmentItem.objects.select_related("subject"))
    )


def assessment_history(*, person: Any, collaborative: Collaborative) -> QuerySet[SelfAssessment]:
    """The person's own assessments, newest first."""
    return _with_items(
        SelfAssessment.objects.filter(person_id=person.pk, collaborative=collaborative)
    )


def visible_assessments(*, viewer: Any, collaborative: Collaborative) -> QuerySet[SelfAssessment]:
    """Individual assessments the viewer may open: their own, their organisation's if they
    are its programme manager, everyone's if they are faculty of the collaborative."""
    r = roles_for(viewer)
    qs = SelfAssessment.objects.filter(collaborative=collaborative)
    if not (r.is_superuser or collaborative.pk in r.coordinator_collab_ids):
        qs = qs.filter(Q(person_id=r.person_id) | Q(organisation_id__in=r.managed_org_ids))
    return _with_items(qs)


def assessment_get(*, viewer: Any, pk: int) -> SelfAssessment | None:
    a = _with_items(SelfAssessment.objects.filter(pk=pk)).first()
    if a is None or not viewer.has_perm("capability.view_assessment", a):
        return None
    return a


def latest_levels(*, person: Any, collaborative: Collaborative) -> dict[int, int]:
    """subject id -> the person's level in their latest assessment (empty if none)."""
    latest = assessment_history(person=person, collaborative=collaborative).first()
    if latest is None:
        return {}
    return {i.subject_id: i.level for i in latest.items.all()}


def _member_orgs(collaborative: Collaborative) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        collaborative_memberships__in=collaborative.memberships.current()
    ).distinct()


def member_organisation_choices(*, collaborative: Collaborative) -> list[tuple[int, str]]:
    return list(_member_orgs(collaborative).values_list("pk", "name"))


def member_organisation(*, collaborative: Collaborative, pk: int) -> Organisation | None:
    return _member_orgs(collaborative).filter(pk=pk).first()


# --- Aggregates -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Timeline:
    """Each person's assessments in date order, as subject -> level maps."""

    by_person: dict[int, list[tuple[dt.date, dict[int, int]]]]

    def at(self, on: dt.date) -> metrics.Snapshot:
        out: dict[int, dict[int, int]] = {}
        for person, rows in self.by_person.items():
            chosen = [levels for day, levels in rows if day <= on]
            if chosen:
                out[person] = chosen[-1]
        return out

    def first(self) -> metrics.Snapshot:
        return {p: rows[0][1] for p, rows in self.by_person.items() if rows}

    def previous_and_latest(self) -> tuple[metrics.Snapshot, metrics.Snapshot]:
        prev = {p: rows[-2][1] for p, rows in self.by_person.items() if len(rows) > 1}
        latest = {p: rows[-1][1] for p, rows in self.by_person.items() if len(rows) > 1}
        return prev, latest


def _timeline(collaborative: Collaborative, organisation: Organisation | None) -> _Timeline:
    items = AssessmentItem.objects.filter(assessment__collaborative=collaborative)
    if organisation is not None:
        items = items.filter(assessment__organisation=organisation)
    rows = items.order_by(
        "assessment__person_id", "assessment__assessed_on", "assessment__created_at"
    ).values_list(
        "assessment__person_id", "assessment_id", "assessment__assessed_on", "subject_id", "level"
    )
    by_person: dict[int, list[tuple[dt.date, dict[int, int]]]] = {}
    current: dict[int, int] = {}
    for person, aid, day, subj, level in rows:
        seq = by_person.setdefault(person, [])
        if current.get(person) != aid:
            current[person] = aid
            seq.append((day, {}))
        seq[-1][1][subj] = level
    return _Timeline(by_person)


@dataclass(frozen=True)
class SubjectRow:
    subject: SubjectArea
    at_level: dict[int, int]  # level -> members
    moved_up: int
    mostly_learning: bool

    @property
    def total(self) -> int:
        return sum(self.at_level.values())


@dataclass(frozen=True)
class CapabilityAggregates:
    collaborative: Collaborative
    organisation: Organisation | None
    members_assessed: int
    rows: list[SubjectRow]
    goal: CapabilityGoal | None
    definition: metrics.Definition
    change: metrics.Change | None
    levels: list[tuple[int, str]] = field(default_factory=lambda: list(Level.choices))


def goal_definition(goal: CapabilityGoal | None) -> metrics.Definition:
    if goal is None:
        return metrics.Definition()
    return metrics.Definition(metrics.CountRule(goal.rule), int(goal.min_level))


def capability_aggregates(
    *,
    collaborative: Collaborative,
    organisation: Organisation | None = None,
    on: dt.date | None = None,
) -> CapabilityAggregates:
    """Members at each level per subject, movement up, and change since the goal's baseline.

    Counts only, never names: safe for anyone who may see the collaborative.
    """
    on = on or timezone.localdate()
    tl = _timeline(collaborative, organisation)
    latest = tl.at(on)
    table = metrics.level_table(latest)
    prev, last = tl.previous_and_latest()
    moved = metrics.moved_up(prev, last)
    learning = set(metrics.mostly_learning(table))
    rows = [
        SubjectRow(
            subject=s,
            at_level=table.get(s.pk, {1: 0, 2: 0, 3: 0}),
            moved_up=moved.get(s.pk, 0),
            mostly_learning=s.pk in learning,
        )
        for s in subject_areas(collaborative=collaborative)
    ]
    goal = CapabilityGoal.objects.filter(collaborative=collaborative).first()
    definition = goal_definition(goal)
    change = None
    if goal is not None:
        change = metrics.change_since_baseline(
            tl.at(goal.baseline_on), latest, definition=definition, first=tl.first()
        )
    return CapabilityAggregates(
        collaborative=collaborative,
        organisation=organisation,
        members_assessed=len(latest),
        rows=rows,
        goal=goal,
        definition=definition,
        change=change,
    )


def sees_individuals(
    *, viewer: Any, collaborative: Collaborative, organisation: Organisation | None = None
) -> bool:
    """Whether the viewer may see the individuals behind a count: the collaborative's
    faculty and leads always; a programme manager for their own organisation's counts."""
    r = roles_for(viewer)
    if r.is_superuser or collaborative.pk in r.coordinator_collab_ids:
        return True
    return organisation is not None and organisation.pk in r.managed_org_ids


def members_counting(*, collaborative: Collaborative, on: dt.date) -> int:
    """For the programme goals (issue 5): members counting under the agreed definition on a date."""
    goal = CapabilityGoal.objects.filter(collaborative=collaborative).first()
    tl = _timeline(collaborative, None)
    return metrics.counts(tl.at(on), definition=goal_definition(goal), first=tl.first())


# --- Training records -------------------------------------------------------------------


def person_kind_expression(person_field: str = "person") -> Case:
    """SQL for :class:`~qicollab.capability.models.PersonKind` of ``person_field``.

    Computed at query time from the person and their affiliations (any, past or present),
    so a profession or lived experience recorded later is reflected in every count.
    """
    pid = OuterRef(f"{person_field}_id")
    partner = Affiliation.objects.filter(person_id=pid, role=AffiliationRole.PARTNER)
    staff = Affiliation.objects.filter(
        person_id=pid, role__in=[AffiliationRole.STAFF, AffiliationRole.PROGRAMME_MANAGER]
    )
    return Case(
        When(
            Q(**{f"{person_field}__lived_experience__gt": ""})
            | Q(**{f"{person_field}__profession": Profession.LIVED_EXPERIENCE})
            | Exists(partner),
            then=Value(PersonKind.LIVED_EXPERIENCE),
        ),
        When(Exists(staff), then=Value(PersonKind.STAFF)),
        default=Value(PersonKind.OTHER),
        output_field=CharField(),
    )


def completions(
    collaborative_ids: Iterable[int],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    category: str | None = None,
    kind: str | None = None,
) -> QuerySet[Enrolment]:
    """Completed enrolments on the collaboratives' courses, completed in [since, until]."""
    qs = Enrolment.objects.filter(
        status=EnrolmentStatus.COMPLETED,
        cohort__course__collaborative_id__in=list(collaborative_ids),
    )
    if since is not None:
        qs = qs.filter(completed_on__gte=since)
    if until is not None:
        qs = qs.filter(completed_on__lte=until)
    if category:
        qs = qs.filter(cohort__course__category=category)
    if kind:
        qs = qs.annotate(kind=person_kind_expression()).filter(kind=kind)
    return qs


def people_trained_count(
    collaborative_ids: Iterable[int],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    category: str | None = None,
    kind: str | None = None,
) -> int:
    """Distinct people who completed a course (someone with two courses counts once)."""
    qs = completions(collaborative_ids, since=since, until=until, category=category, kind=kind)
    return qs.values("person_id").distinct().count()


def people_trained_by_category(
    collaborative_ids: Iterable[int],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> dict[str, int]:
    """category -> distinct people completing a course of that category; every category is
    a key (zero when nobody completed). A person counts once per category, so the values
    can add up to more than :func:`people_trained_count`."""
    out = dict.fromkeys(TrainingCategory.values, 0)
    rows = (
        completions(collaborative_ids, since=since, until=until)
        .values("cohort__course__category")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    for row in rows:
        out[row["cohort__course__category"]] = row["n"]
    return out


def people_trained_by_kind(
    collaborative_ids: Iterable[int],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    category: str | None = None,
) -> dict[str, int]:
    """kind of person (:class:`PersonKind`) -> distinct people completing; every kind a key."""
    out = dict.fromkeys(PersonKind.values, 0)
    rows = (
        completions(collaborative_ids, since=since, until=until, category=category)
        .annotate(kind=person_kind_expression())
        .values("kind")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    for row in rows:
        out[row["kind"]] = row["n"]
    return out


def staff_trained_by_profession(
    collaborative_ids: Iterable[int],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    category: str | None = None,
) -> dict[str, int]:
    """profession label -> distinct staff completing (staff without one: "Not recorded")."""
    labels = dict(Profession.choices)
    rows = (
        completions(
            collaborative_ids, since=since, until=until, category=category, kind=PersonKind.STAFF
        )
        .values("person__profession")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "person__profession")
    )
    return {labels.get(r["person__profession"], "Not recorded"): r["n"] for r in rows}


def course_list(*, collaborative: Collaborative) -> QuerySet[Course]:
    """The collaborative's courses with how many cohorts and completions each has."""
    return Course.objects.filter(collaborative=collaborative).annotate(
        n_cohorts=Count("cohorts", distinct=True),
        n_completed=Count(
            "cohorts__enrolments",
            filter=Q(cohorts__enrolments__status=EnrolmentStatus.COMPLETED),
            distinct=True,
        ),
    )


def course_get(*, viewer: Any, collaborative: Collaborative, slug: str) -> Course | None:
    if not viewer.has_perm("capability.view_training", collaborative):
        return None
    return Course.objects.filter(collaborative=collaborative, slug=slug).first()


def cohorts_of(*, course: Course) -> QuerySet[Cohort]:
    return (
        course.cohorts.select_related("facilitator")
        .prefetch_related("sessions")
        .annotate(
            n_enrolled=Count("enrolments", filter=~Q(enrolments__status=EnrolmentStatus.WITHDRAWN))
        )
    )


def cohort_get(*, viewer: Any, pk: int) -> Cohort | None:
    """A cohort of a collaborative the viewer belongs to (else ``None``: a 404)."""
    c = (
        Cohort.objects.select_related("course__collaborative", "facilitator")
        .prefetch_related("sessions")
        .filter(pk=pk)
        .first()
    )
    if c is None or not viewer.has_perm("capability.view_training", c.course.collaborative):
        return None
    return c


def cohort_session_get(*, cohort: Cohort, pk: int) -> CohortSession | None:
    return cohort.sessions.filter(pk=pk).first()


def roster(*, cohort: Cohort) -> list[Enrolment]:
    """Everyone on the cohort (withdrawn last), with their organisation and attendance."""
    rows = list(
        cohort.enrolments.select_related("person", "organisation").prefetch_related("attendance")
    )
    rows.sort(key=lambda e: (e.status == EnrolmentStatus.WITHDRAWN, e.person.full_name))
    return rows


def _with_course(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return qs.select_related(
        "person", "organisation", "cohort__course__collaborative"
    ).prefetch_related("attendance", "cohort__sessions")


def my_enrolments(*, person: Any) -> QuerySet[Enrolment]:
    """The person's own training record, across every collaborative, newest first."""
    return _with_course(Enrolment.objects.filter(person_id=person.pk)).order_by(
        "-cohort__starts_on"
    )


def training_records(*, viewer: Any, collaborative: Collaborative) -> QuerySet[Enrolment]:
    """Other people's records the viewer may see: every record for the collaborative's
    faculty and leads, their organisation's for a programme manager, else their own."""
    r = roles_for(viewer)
    qs = Enrolment.objects.filter(cohort__course__collaborative=collaborative)
    if not (r.is_superuser or collaborative.pk in r.coordinator_collab_ids):
        qs = qs.filter(Q(person_id=r.person_id) | Q(organisation_id__in=r.managed_org_ids))
    return _with_course(qs).order_by(
        "organisation__name", "person__full_name", "-cohort__starts_on"
    )


def enrolment_get(*, viewer: Any, pk: int) -> Enrolment | None:
    e = _with_course(Enrolment.objects.filter(pk=pk)).first()
    if e is None or not viewer.has_perm("capability.view_enrolment", e):
        return None
    return e


def enrollable_people(*, cohort: Cohort) -> QuerySet[Any]:
    """People a runner may add: current members of the collaborative's member organisations
    not already (actively) on the cohort."""
    from qicollab.accounts.models import Person

    collab = cohort.course.collaborative
    today = timezone.localdate()
    orgs = collab.memberships.current().values("organisation_id")
    return (
        Person.objects.filter(
            Q(affiliations__ended_on__isnull=True) | Q(affiliations__ended_on__gt=today),
            affiliations__organisation_id__in=orgs,
            is_active=True,
        )
        .exclude(
            enrolments__in=cohort.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN),
        )
        .distinct()
        .order_by("full_name")
    )


def facilitator_choices(*, collaborative: Collaborative) -> QuerySet[Any]:
    """Faculty and leads of the collaborative, and staff of its member organisations."""
    from qicollab.accounts.models import Person

    orgs = collaborative.memberships.current().values("organisation_id")
    return (
        Person.objects.filter(
            Q(collaborative_roles__collaborative=collaborative)
            | Q(affiliations__organisation_id__in=orgs, affiliations__ended_on__isnull=True),
            is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )


# --- My work -----------------------------------------------------------------------------

#: A self-assessment older than this is due for renewal (the 3 L's are re-taken about
#: twice a year, so a person can see how their confidence has grown).
RENEW_AFTER_DAYS = 182


@dataclass(frozen=True)
class RenewDue:
    collaborative: Collaborative
    last_assessed: dt.date | None


def assessments_to_renew(*, viewer: Any, today: dt.date) -> list[RenewDue]:
    """Collaboratives where the viewer may assess (a member organisation's person) and has
    no self-assessment in the last :data:`RENEW_AFTER_DAYS` days (two queries)."""
    r = roles_for(viewer)
    if not r.member_collab_ids:
        return []
    latest = dict(
        SelfAssessment.objects.filter(person_id=viewer.pk, collaborative_id__in=r.member_collab_ids)
        .values("collaborative_id")
        .annotate(last=Max("assessed_on"))
        .values_list("collaborative_id", "last")
    )
    cutoff = today - dt.timedelta(days=RENEW_AFTER_DAYS)
    due = [cid for cid in r.member_collab_ids if latest.get(cid) is None or latest[cid] < cutoff]
    if not due:
        return []
    collabs = Collaborative.objects.filter(pk__in=due).order_by("name")
    return [RenewDue(c, latest.get(c.pk)) for c in collabs]


@dataclass(frozen=True)
class Coverage:
    staff: int
    trained: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.trained / self.staff) if self.staff else None


def training_coverage(*, organisation_ids: Iterable[int]) -> dict[int, Coverage]:
    """Organisation id -> its current people and how many of them completed a course while
    at it (two queries)."""
    ids = list(organisation_ids)
    if not ids:
        return {}
    staff = dict(
        Affiliation.objects.filter(organisation_id__in=ids, ended_on__isnull=True)
        .values("organisation_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("organisation_id", "n")
    )
    current = Affiliation.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        person_id=OuterRef("person_id"),
        ended_on__isnull=True,
    )
    trained = dict(
        Enrolment.objects.filter(
            Exists(current), organisation_id__in=ids, status=EnrolmentStatus.COMPLETED
        )
        .values("organisation_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("organisation_id", "n")
    )
    return {o: Coverage(staff.get(o, 0), trained.get(o, 0)) for o in ids}
