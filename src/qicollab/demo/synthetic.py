"""A national-scale synthetic data set for load tests and benchmarks (``seed_national``).

At ``scale=1.0``: 15 collaboratives, 450 organisations, 5,000 people, 2,000 projects,
10,000 measures and about 1 M data points, with progress scores, PDSA cycles, a mix of
sharing levels and chart types, main outcome measures flagged, shifts in most measures so
that special-cause signals exist, and safety-champion designations for the roll-up.

Everything lives under its own national programme (slug ``nat-synthetic``); every slug
starts ``nat-`` and every email ends ``@nat.example.org``, so the set sits beside the demo
data and can be removed on its own. The names are obviously synthetic; there is no real
person or patient in it. Random choices come from ``random.Random(seed)``: the same scale
and seed give the same data.

Rows are written in bulk (``bulk_create`` in batches; data points through ``executemany``,
or ``COPY`` on PostgreSQL) without audit-history rows: this is generated load, not anyone's
edits.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

PROGRAMME_SLUG = "nat-synthetic"
PROGRAMME_NAME = "Synthetic National Patient Safety Programme (nat)"
EMAIL_DOMAIN = "nat.example.org"
ADMIN_EMAIL = f"nat-admin@{EMAIL_DOMAIN}"
BATCH = 2000

BASE = {"collaboratives": 15, "organisations": 450, "people": 5000, "projects": 2000}
MEASURES_PER_PROJECT = 5
WEEKLY_POINTS = 120
MONTHLY_POINTS = 40
FIRST_DAY = date(2023, 4, 1)


def lead_email(n: int) -> str:
    """The email of collaborative ``n``'s lead (1-based), for logging in as them."""
    return f"nat-lead-{n:02d}@{EMAIL_DOMAIN}"


def collaborative_slug(n: int) -> str:
    return f"nat-psc-{n:02d}"


@dataclass(frozen=True)
class Sizes:
    collaboratives: int
    organisations: int
    people: int
    projects: int

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        """Sizes at ``scale`` of the national set, never below a workable minimum."""
        c = max(2, round(BASE["collaboratives"] * scale))
        o = max(3 * c, round(BASE["organisations"] * scale))
        p = max(4 * o, round(BASE["people"] * scale))
        return cls(c, o, p, max(2 * c, round(BASE["projects"] * scale)))


class Progress:
    """A one-line progress bar written with carriage returns (no library needed)."""

    WIDTH = 30

    def __init__(self, out: TextIO | None, total: int) -> None:
        self.out = out
        self.total = max(total, 1)
        self.done = 0
        self.label = ""
        self.started = time.perf_counter()
        self._last = 0.0

    def step(self, label: str, n: int = 1) -> None:
        self.label = label
        self.done = min(self.total, self.done + n)
        now = time.perf_counter()
        if now - self._last >= 0.1 or self.done >= self.total:
            self._last = now
            self.draw()

    def draw(self) -> None:
        if self.out is None:
            return
        frac = self.done / self.total
        filled = int(self.WIDTH * frac)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        elapsed = time.perf_counter() - self.started
        self.out.write(f"\r[{bar}] {frac:4.0%} {elapsed:6.1f} s  {self.label:<40.40}")
        self.out.flush()

    def finish(self) -> None:
        if self.out is not None:
            self.draw()
            self.out.write("\n")
            self.out.flush()


def _chunks(seq: Sequence[Any], n: int = BATCH) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def loaded() -> bool:
    """Whether the synthetic national set is in the database."""
    from qicollab.organisations.models import NationalProgramme

    return NationalProgramme.objects.filter(slug=PROGRAMME_SLUG).exists()


def remove(progress: Progress | None = None) -> None:
    """Delete the synthetic national set (and nothing else)."""
    from qicollab.accounts.models import Person
    from qicollab.measures.models import DataPoint, Measure
    from qicollab.national.models import Designation
    from qicollab.organisations.models import Collaborative, NationalProgramme, Organisation
    from qicollab.projects.models import PdsaCycle, ProgressReport, Project, ProjectMember

    collabs = Collaborative.objects.filter(programme__slug=PROGRAMME_SLUG)
    projects = Project.objects.filter(collaborative__in=collabs)
    # Raw deletes: the generated rows have no history, and Django's collector would load
    # a million data points into memory to send delete signals nobody needs here.
    steps: list[tuple[str, Any]] = [
        ("data points", DataPoint.objects.filter(measure__project__in=projects)),
        ("measures", Measure.objects.filter(project__in=projects)),
        ("progress reports", ProgressReport.objects.filter(project__in=projects)),
        ("PDSA cycles", PdsaCycle.objects.filter(project__in=projects)),
        ("teams", ProjectMember.objects.filter(project__in=projects)),
        ("designations", Designation.objects.filter(collaborative__in=collabs)),
    ]
    with transaction.atomic():
        for label, qs in steps:
            qs._raw_delete(qs.db)
            if progress:
                progress.step(f"removed {label}")
        # The rest is small; the ordinary delete also clears links made through the pages.
        projects.delete()
        for c in collabs:
            c.delete()
        Organisation.objects.filter(slug__startswith="nat-org-").delete()
        Person.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
        NationalProgramme.objects.filter(slug=PROGRAMME_SLUG).delete()
        if progress:
            progress.step("removed the rest")


def _insert_points(rows: list[tuple[Any, ...]], progress: Progress) -> None:
    """Insert data points fast: ``COPY`` on PostgreSQL, ``executemany`` elsewhere."""
    from qicollab.measures.models import DataPoint

    meta = DataPoint._meta
    names = ("created_at", "updated_at", "measure", "period", "value", "numerator", "denominator")
    fields = [meta.get_field(n) for n in names]
    cols = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            for chunk in _chunks(rows, 50_000):
                with raw.copy(f"COPY {table} ({cols}, note) FROM STDIN") as copy:
                    for r in chunk:
                        copy.write_row((*r, ""))
                progress.step("data points", len(chunk))
            return
        sql = (
            f"INSERT INTO {table} ({cols}, note) "  # noqa: S608 - names from model metadata
            f"VALUES ({', '.join(['%s'] * (len(names) + 1))})"
        )
        ops = connection.ops
        for chunk in _chunks(rows, 10_000):
            cursor.executemany(
                sql,
                [
                    (
                        ops.adapt_datetimefield_value(r[0]),
                        ops.adapt_datetimefield_value(r[1]),
                        r[2],
                        ops.adapt_datefield_value(r[3]),
                        r[4],
                        r[5],
                        r[6],
                        "",
                    )
                    for r in chunk
                ],
            )
            progress.step("data points", len(chunk))


# --- measure series ------------------------------------------------------------------------

# value type, chart, unit, direction; weighted towards what teams really chart.
MEASURE_KINDS: list[tuple[str, str, str, str, int]] = [
    ("count", "c", "incidents", "decrease", 20),
    ("count", "run", "incidents", "decrease", 8),
    ("percentage", "p", "%", "increase", 22),
    ("percentage", "run", "%", "increase", 6),
    ("rate", "u", "per 1,000 bed days", "decrease", 14),
    ("measurement", "i", "minutes", "decrease", 18),
    ("days_between", "g", "days", "increase", 6),
    ("cases_between", "g", "cases", "increase", 4),
    ("measurement", "run", "score", "increase", 2),
]
TOPICS = [
    "falls",
    "pressure ulcers",
    "restraint",
    "medication omissions",
    "physical health checks",
    "self-harm incidents",
    "deteriorating patients",
    "sepsis screening",
    "discharge summaries",
    "violence and aggression",
]


def _series(
    rng: random.Random, kind: str, direction: str, n: int
) -> list[tuple[float | None, float | None, float | None]]:
    """``n`` (value, numerator, denominator) with, in two thirds of series, a sustained shift
    in the better direction part-way through (so the SPC rules find signals)."""
    shift_at = rng.randint(n // 3, (2 * n) // 3) if rng.random() < 0.67 else n
    better = -1.0 if direction == "decrease" else 1.0
    out: list[tuple[float | None, float | None, float | None]] = []
    if kind == "percentage":
        base = rng.uniform(0.45, 0.8)
        for i in range(n):
            p = min(0.99, max(0.01, base + (0.12 * better if i >= shift_at else 0)))
            d = rng.randint(20, 60)
            num = sum(1 for _ in range(d) if rng.random() < p)
            out.append((None, float(num), float(d)))
    elif kind == "rate":
        base = rng.uniform(3, 9)
        for i in range(n):
            lam = max(0.3, base * (1 + 0.35 * better * (i >= shift_at)))
            bed_days = round(rng.uniform(800, 1600), 1)
            num = _poisson(rng, lam * bed_days / 1000)
            out.append((None, float(num), bed_days))
    elif kind == "count":
        base = rng.uniform(4, 14)
        for i in range(n):
            lam = max(0.5, base * (1 + 0.4 * better * (i >= shift_at)))
            out.append((float(_poisson(rng, lam)), None, None))
    elif kind in ("days_between", "cases_between"):
        base = rng.uniform(5, 25)
        for i in range(n):
            mean = max(1.0, base * (1 + 0.8 * better * (i >= shift_at)))
            out.append((float(max(0, round(rng.expovariate(1 / mean)))), None, None))
    else:
        base = rng.uniform(30, 90)
        sd = base * 0.12
        for i in range(n):
            mu = base * (1 + 0.15 * better * (i >= shift_at))
            out.append((round(rng.gauss(mu, sd), 1), None, None))
    return out


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth for small means, a normal approximation above (fast enough for a million points).
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _weekly_periods(n: int, today: date, week_start: int) -> list[date]:
    last = today - timedelta(days=(today.weekday() - week_start) % 7 + 7)
    return [last - timedelta(weeks=n - 1 - i) for i in range(n)]


def _monthly_periods(n: int, today: date) -> list[date]:
    y, m = today.year, today.month - 1
    out = []
    for _ in range(n):
        if m == 0:
            y, m = y - 1, 12
        out.append(date(y, m, 1))
        m -= 1
    return out[::-1]


def _fill_projects(
    rng: random.Random,
    projects: Sequence[Any],
    *,
    today: date,
    now: Any,
    progress: Progress,
    counts: dict[str, int],
    first_measure: int = 0,
    scores: bool = True,
    first_cycle: dict[int, int] | None = None,
) -> None:
    """Progress scores, PDSA cycles, measures and their data points for ``projects``.

    ``first_measure`` > 0 adds measures after those a project has (named on from there, none
    of them the main outcome); ``scores=False`` adds no progress scores (a project has one
    of each kind per month); ``first_cycle`` numbers each project's new PDSA cycles on from
    its last.
    """
    from qicollab.measures.models import Measure
    from qicollab.projects.models import PdsaCycle, ProgressReport, RaterType
    from qicollab.projects.selectors import scale_for

    # Progress scores: a monthly self-rating climbing the scale, faculty now and then.
    reports = []
    scale_cache: dict[int, tuple[Any, list[Decimal]]] = {}
    for p in projects if scores else ():
        if p.start_date is None:
            continue
        if p.collaborative_id not in scale_cache:
            sc = scale_for(collaborative=p.collaborative_id)
            values = sorted(lv.value for lv in sc.levels.all()) or [Decimal("1.0")]
            scale_cache[p.collaborative_id] = (sc, values)
        sc, values = scale_cache[p.collaborative_id]
        month = p.start_date.replace(day=1)
        stop = min(p.end_date or today, today)
        pos = 1.0
        pace = rng.uniform(0.05, 0.25)
        while month <= stop:
            pos = min(len(values) - 1, pos + pace * rng.random() * 2)
            score = values[int(pos)]
            reports.append(
                ProgressReport(
                    project=p, month=month, scale=sc, score=score, rater_type=RaterType.SELF
                )
            )
            if rng.random() < 0.25:
                faculty_score = values[max(0, int(pos) - rng.randint(0, 1))]
                reports.append(
                    ProgressReport(
                        project=p,
                        month=month,
                        scale=sc,
                        score=faculty_score,
                        rater_type=RaterType.FACULTY,
                    )
                )
            month = (month + timedelta(days=32)).replace(day=1)
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    counts["progress_reports"] = counts.get("progress_reports", 0) + len(reports)
    progress.step("progress scores")

    cycles = []
    for p in projects:
        if p.start_date is None:
            continue
        day = p.start_date
        after = (first_cycle or {}).get(p.pk, 0)
        for k in range(after + 1, after + rng.randint(1, 6) + 1):
            plan_end = day + timedelta(days=rng.randint(7, 28))
            done = plan_end < today - timedelta(days=14) and rng.random() < 0.8
            cycles.append(
                PdsaCycle(
                    project=p,
                    title=f"Test {k}: a small change, one ward, one week",
                    cycle_number=k,
                    scale="1 ward for a week",
                    status="complete" if done else "do",
                    planned_start=day,
                    planned_end=plan_end,
                    actual_start=day if done else None,
                    actual_end=plan_end if done else None,
                    objective="Generated cycle.",
                    act_decision=rng.choice(["adopt", "adapt", "abandon"]) if done else "",
                )
            )
            day = plan_end + timedelta(days=rng.randint(3, 30))
            if day > today:
                break
    PdsaCycle.objects.bulk_create(cycles, batch_size=BATCH)
    counts["pdsa_cycles"] = counts.get("pdsa_cycles", 0) + len(cycles)
    progress.step("PDSA cycles")

    # Measures: five per project, the first the main outcome measure.
    kinds = MEASURE_KINDS
    measure_objs = []
    plans: list[tuple[str, str, str, int]] = []  # kind, direction, frequency, week_start
    for p in projects:
        topic = p.title.split("reducing ", 1)[-1].removesuffix(" (nat)")
        for k in range(first_measure, first_measure + MEASURES_PER_PROJECT):
            vt, chart, unit, direction, _ = rng.choices(kinds, [x[4] for x in kinds])[0]
            freq = "weekly" if rng.random() < 0.7 else "monthly"
            ratio = vt in ("percentage", "rate")
            measure_objs.append(
                Measure(
                    project=p,
                    name=f"{['Outcome', 'Process', 'Process', 'Process', 'Balancing'][k % 5]} "
                    f"measure {k + 1}: {topic} ({unit})",
                    measure_type=["outcome", "process", "process", "process", "balancing"][k % 5],
                    is_main_outcome=k == 0,
                    value_type=vt,
                    numerator_definition="Generated numerator." if ratio else "",
                    denominator_definition="Generated denominator." if ratio else "",
                    frequency=freq,
                    week_start=0,
                    unit=unit,
                    rate_multiplier=1000 if vt == "rate" else 1,
                    chart_type=chart,
                    direction=direction,
                    order=k,
                )
            )
            plans.append((vt, direction, freq, 0))
    measures = Measure.objects.bulk_create(measure_objs, batch_size=BATCH)
    counts["measures"] = counts.get("measures", 0) + len(measures)
    progress.step("measures")

    points: list[tuple[Any, ...]] = []
    total_points = 0
    for m, (vt, direction, freq, week_start) in zip(measures, plans, strict=True):
        if freq == "weekly":
            periods = _weekly_periods(WEEKLY_POINTS, today, week_start)
        else:
            periods = _monthly_periods(MONTHLY_POINTS, today)
        for period, (v, num, den) in zip(
            periods, _series(rng, vt, direction, len(periods)), strict=True
        ):
            points.append((now, now, m.pk, period, v, num, den))
        if len(points) >= 100_000:
            _insert_points(points, progress)
            total_points += len(points)
            points = []
    if points:
        _insert_points(points, progress)
        total_points += len(points)
    counts["data_points"] = counts.get("data_points", 0) + total_points


# --- the build -------------------------------------------------------------------------------


def build(
    *,
    scale: float = 1.0,
    seed: int = 2017,
    out: TextIO | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Create the synthetic national set; return how many rows of each kind were made."""
    from qicollab.accounts.models import Person
    from qicollab.collaborative.models import Workstream
    from qicollab.national.models import Designation, DesignationKind
    from qicollab.organisations.models import (
        Affiliation,
        Collaborative,
        CollaborativeMembership,
        CollaborativeRole,
        NationalProgramme,
        Organisation,
        OrganisationType,
        Region,
    )
    from qicollab.projects.models import (
        Project,
        ProjectMember,
        Sharing,
        Status,
    )

    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    today = today or timezone.localdate()
    now = timezone.now()
    sizes = Sizes.for_scale(scale)
    n_measures = sizes.projects * MEASURES_PER_PROJECT
    expected_points = int(n_measures * (0.7 * WEEKLY_POINTS + 0.3 * MONTHLY_POINTS))
    # Units of work for the bar: one per row group, one per data point.
    progress = Progress(out, expected_points + 12)
    counts: dict[str, int] = {}

    with transaction.atomic():
        programme = NationalProgramme.objects.create(
            name=PROGRAMME_NAME,
            slug=PROGRAMME_SLUG,
            description="Generated data for load tests and benchmarks. Not real.",
        )
        password = make_password(None)  # unusable: log in with a real password set later
        admin = Person.objects.create(
            email=ADMIN_EMAIL, full_name="Synthetic National Admin", password=password
        )
        programme.admins.add(admin)
        regions = [r for r in Region.values if r != Region.NATIONAL]

        collabs = Collaborative.objects.bulk_create(
            [
                Collaborative(
                    name=f"Synthetic Patient Safety Collaborative {i:02d} (nat)",
                    short_name=f"Synthetic PSC {i:02d}",
                    slug=collaborative_slug(i),
                    kind="regional_psc",
                    programme=programme,
                    region=regions[(i - 1) % len(regions)],
                    purpose="Generated for load tests.",
                    started_on=FIRST_DAY,
                    is_public=False,
                )
                for i in range(1, sizes.collaboratives + 1)
            ]
        )
        counts["collaboratives"] = len(collabs)
        progress.step("collaboratives")

        types = [
            (OrganisationType.NHS_TRUST, 30),
            (OrganisationType.PRIMARY_CARE, 32),
            (OrganisationType.CARE_HOME, 25),
            (OrganisationType.VOLUNTARY, 6),
            (OrganisationType.UNIVERSITY, 3),
            (OrganisationType.COMPANY, 4),
        ]
        type_names = [t for t, _ in types]
        type_weights = [w for _, w in types]
        labels = dict(OrganisationType.choices)
        used_ods = set(Organisation.objects.exclude(ods_code="").values_list("ods_code", flat=True))
        ods_pool = (
            f"T{a}{b}"
            for a in "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
            for b in "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
        )

        def ods(org_type: str) -> str:
            if org_type != OrganisationType.NHS_TRUST:
                return ""
            for code in ods_pool:
                if code not in used_ods:
                    return code
            return ""

        org_objs = []
        for i in range(1, sizes.organisations + 1):
            t = rng.choices(type_names, type_weights)[0]
            org_objs.append(
                Organisation(
                    name=f"Synthetic {labels[t]} {i:03d} (nat)",
                    short_name=f"Synthetic {i:03d}",
                    slug=f"nat-org-{i:03d}",
                    org_type=t,
                    ods_code=ods(t),
                    region=regions[(i - 1) % len(regions)],
                )
            )
        orgs = Organisation.objects.bulk_create(org_objs, batch_size=BATCH)
        counts["organisations"] = len(orgs)
        progress.step("organisations")

        people = Person.objects.bulk_create(
            [
                Person(
                    email=f"nat-person-{i:05d}@{EMAIL_DOMAIN}",
                    full_name=f"Synthetic Person {i:05d}",
                    password=password,
                    lived_experience="patient" if rng.random() < 0.04 else "",
                )
                for i in range(1, sizes.people + 1)
            ],
            batch_size=BATCH,
        )
        leads = Person.objects.bulk_create(
            [
                Person(email=lead_email(i), full_name=f"Synthetic Lead {i:02d}", password=password)
                for i in range(1, sizes.collaboratives + 1)
            ]
        )
        counts["people"] = len(people) + len(leads) + 1
        progress.step("people")

        # Each organisation belongs to one collaborative; people are spread over organisations.
        org_collab = {o.pk: collabs[i % len(collabs)] for i, o in enumerate(orgs)}
        staff: dict[int, list[Any]] = {o.pk: [] for o in orgs}
        for i, person in enumerate(people):
            staff[orgs[i % len(orgs)].pk].append(person)
        affiliations = []
        for org in orgs:
            for j, person in enumerate(staff[org.pk]):
                affiliations.append(
                    Affiliation(
                        person=person,
                        organisation=org,
                        role="programme_manager" if j == 0 else "staff",
                        started_on=FIRST_DAY,
                    )
                )
        Affiliation.objects.bulk_create(affiliations, batch_size=BATCH)
        memberships = [
            CollaborativeMembership(
                collaborative=org_collab[o.pk],
                organisation=o,
                programme_manager=staff[o.pk][0],
                joined_on=FIRST_DAY + timedelta(days=rng.randint(0, 800)),
            )
            for o in orgs
        ]
        CollaborativeMembership.objects.bulk_create(memberships, batch_size=BATCH)
        roles = [
            CollaborativeRole(person=lead, collaborative=c, role="lead", title="Programme lead")
            for lead, c in zip(leads, collabs, strict=True)
        ]
        faculty_pool = [p for o in orgs for p in staff[o.pk][1:2]]
        for c in collabs:
            roles += [
                CollaborativeRole(person=p, collaborative=c, role="faculty", title="QI faculty")
                for p in rng.sample(faculty_pool, min(2, len(faculty_pool)))
                if not any(r.person_id == p.pk and r.collaborative_id == c.pk for r in roles)
            ]
        CollaborativeRole.objects.bulk_create(roles, batch_size=BATCH)
        counts["memberships"] = len(memberships)
        progress.step("memberships and roles")

        workstreams = Workstream.objects.bulk_create(
            [
                Workstream(collaborative=c, name=name, slug=slug, order=k)
                for c in collabs
                for k, (name, slug) in enumerate(
                    [
                        ("Medication safety", "medication"),
                        ("Physical health", "physical-health"),
                        ("Learning from deaths", "learning-from-deaths"),
                    ]
                )
            ]
        )
        by_collab_ws: dict[int, list[Any]] = {}
        for w in workstreams:
            by_collab_ws.setdefault(w.collaborative_id, []).append(w)
        progress.step("workstreams")

        # Projects: statuses, dates and sharing levels in a realistic mix.
        statuses = [
            (Status.IDEA, 8),
            (Status.ACTIVE, 55),
            (Status.SUSTAINING, 10),
            (Status.COMPLETED, 22),
            (Status.STOPPED, 5),
        ]
        sharing = [
            (Sharing.PRIVATE, 15),
            (Sharing.ORGANISATION, 25),
            (Sharing.COLLABORATIVE, 45),
            (Sharing.PUBLIC, 15),
        ]
        span = (today - FIRST_DAY).days
        project_objs = []
        for i in range(1, sizes.projects + 1):
            org = orgs[rng.randrange(len(orgs))]
            collab = org_collab[org.pk]
            status = rng.choices([s for s, _ in statuses], [w for _, w in statuses])[0]
            start = FIRST_DAY + timedelta(days=rng.randint(0, max(1, span - 60)))
            end = None
            if status in (Status.COMPLETED, Status.STOPPED):
                end = min(today, start + timedelta(days=rng.randint(90, 540)))
            topic = TOPICS[i % len(TOPICS)]
            project_objs.append(
                Project(
                    title=f"Synthetic project {i:04d}: reducing {topic} (nat)",
                    slug=f"nat-project-{i:04d}",
                    summary="Generated for load tests.",
                    collaborative=collab,
                    lead_organisation=org,
                    workstream=rng.choice(by_collab_ws[collab.pk]),
                    status=status,
                    stop_reason="Generated: the team moved to other work."
                    if status == Status.STOPPED
                    else "",
                    start_date=None if status == Status.IDEA else start,
                    end_date=end,
                    sharing=rng.choices([s for s, _ in sharing], [w for _, w in sharing])[0],
                    created_by=staff[org.pk][0],
                )
            )
        projects = Project.objects.bulk_create(project_objs, batch_size=BATCH)
        ProjectMember.objects.bulk_create(
            [
                ProjectMember(
                    project=p,
                    person=rng.choice(staff[p.lead_organisation_id]),
                    role="lead",
                )
                for p in projects
            ],
            batch_size=BATCH,
        )
        counts["projects"] = len(projects)
        progress.step("projects")

        _fill_projects(rng, projects, today=today, now=now, progress=progress, counts=counts)

        # Designations for the roll-up: a few champions and experts at each organisation.
        designations = []
        taken: set[tuple[int, int, str]] = set()
        for o in orgs:
            for _ in range(rng.randint(0, 4)):
                person = rng.choice(staff[o.pk])
                kind = rng.choice(DesignationKind.values)
                key = (person.pk, org_collab[o.pk].pk, kind)
                if key in taken:
                    continue
                taken.add(key)
                designations.append(
                    Designation(
                        person=person,
                        organisation=o,
                        collaborative=org_collab[o.pk],
                        kind=kind,
                        designated_on=FIRST_DAY + timedelta(days=rng.randint(0, span)),
                    )
                )
        Designation.objects.bulk_create(designations, batch_size=BATCH)
        counts["designations"] = len(designations)
        progress.step("designations")
    progress.total = progress.done
    progress.finish()
    return counts


# --- personas and growth (the crawling benchmark and its CI check, issue 18) ---------------

PERSONAS = ("collaborative_lead", "faculty", "programme_manager", "project_lead", "national_admin")


def personas(n: int = 1) -> dict[str, Any]:
    """The five people the page benchmark signs in as, for collaborative ``n`` (1-based).

    Its lead and first faculty member, the programme manager of its first member
    organisation, the lead of its first active project, and the programme's national admin.
    """
    from qicollab.accounts.models import Person
    from qicollab.organisations.models import (
        Collaborative,
        CollaborativeMembership,
        CollaborativeRole,
    )
    from qicollab.projects.models import ProjectMember, Status

    collab = Collaborative.objects.get(slug=collaborative_slug(n))
    faculty = (
        CollaborativeRole.objects.filter(collaborative=collab, role="faculty")
        .select_related("person")
        .order_by("pk")
        .first()
    )
    membership = (
        CollaborativeMembership.objects.filter(collaborative=collab)
        .select_related("programme_manager")
        .order_by("pk")
        .first()
    )
    member = (
        ProjectMember.objects.filter(
            project__collaborative=collab, role="lead", project__status=Status.ACTIVE
        )
        .select_related("person")
        .order_by("project__pk")
        .first()
    )
    found = {
        "collaborative_lead": Person.objects.get(email=lead_email(n)),
        "faculty": faculty.person if faculty else None,
        "programme_manager": membership.programme_manager if membership else None,
        "project_lead": member.person if member else None,
        "national_admin": Person.objects.get(email=ADMIN_EMAIL),
    }
    return {k: v for k, v in found.items() if v is not None}


def grow(
    *,
    projects: int = 10,
    organisations: int = 2,
    older_points: int = 20,
    seed: int = 4242,
    today: date | None = None,
    out: TextIO | None = None,
) -> dict[str, int]:
    """Add more of everything to every collaborative of the loaded set, in place.

    Per collaborative: ``organisations`` more member organisations with staff and
    designations and ``projects`` more projects (team, scores, cycles, measures, points).
    Per existing project: one more team member, five more measures and more PDSA cycles.
    Per existing measure: ``older_points`` earlier data points. The same people and URLs
    then see more rows on every page, which is what the query-count check compares.
    """
    from django.db.models import Max, Min

    from qicollab.accounts.models import Person
    from qicollab.collaborative.models import Workstream
    from qicollab.measures.models import Measure
    from qicollab.national.models import Designation, DesignationKind
    from qicollab.organisations.models import (
        Affiliation,
        Collaborative,
        CollaborativeMembership,
        Organisation,
        OrganisationType,
    )
    from qicollab.projects.models import PdsaCycle, Project, ProjectMember, Sharing, Status

    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    today = today or timezone.localdate()
    now = timezone.now()
    progress = Progress(out, 12)
    counts: dict[str, int] = {}
    password = make_password(None)
    with transaction.atomic():
        collabs = list(Collaborative.objects.filter(programme__slug=PROGRAMME_SLUG).order_by("pk"))
        existing = list(Project.objects.filter(collaborative__in=collabs).order_by("pk"))
        n_org = Organisation.objects.filter(slug__startswith="nat-org-").count()
        n_person = Person.objects.filter(email__startswith="nat-").count()
        n_project = Project.objects.filter(slug__startswith="nat-project-").count()

        new_orgs: list[tuple[Any, Any]] = []
        for c in collabs:
            for _ in range(organisations):
                n_org += 1
                new_orgs.append(
                    (
                        Organisation(
                            name=f"Synthetic grown organisation {n_org:03d} (nat)",
                            short_name=f"Synthetic {n_org:03d}",
                            slug=f"nat-org-{n_org:03d}",
                            org_type=OrganisationType.NHS_TRUST,
                            region=c.region,
                        ),
                        c,
                    )
                )
        orgs = Organisation.objects.bulk_create([o for o, _ in new_orgs])
        staff: dict[int, list[Any]] = {}
        for org in orgs:
            people = []
            for _ in range(3):
                n_person += 1
                people.append(
                    Person(
                        email=f"nat-grown-{n_person:05d}@{EMAIL_DOMAIN}",
                        full_name=f"Synthetic Grown Person {n_person:05d}",
                        password=password,
                    )
                )
            staff[org.pk] = Person.objects.bulk_create(people)
        Affiliation.objects.bulk_create(
            [
                Affiliation(
                    person=p,
                    organisation=org,
                    role="programme_manager" if j == 0 else "staff",
                    started_on=FIRST_DAY,
                )
                for org in orgs
                for j, p in enumerate(staff[org.pk])
            ]
        )
        CollaborativeMembership.objects.bulk_create(
            [
                CollaborativeMembership(
                    collaborative=c,
                    organisation=org,
                    programme_manager=staff[org.pk][0],
                    joined_on=FIRST_DAY,
                )
                for org, (_, c) in zip(orgs, new_orgs, strict=True)
            ]
        )
        Designation.objects.bulk_create(
            [
                Designation(
                    person=staff[org.pk][k],
                    organisation=org,
                    collaborative=c,
                    kind=DesignationKind.values[k % len(DesignationKind.values)],
                    designated_on=FIRST_DAY,
                )
                for org, (_, c) in zip(orgs, new_orgs, strict=True)
                for k in range(2)
            ]
        )
        counts["organisations"] = len(orgs)
        progress.step("organisations")

        # New projects in every collaborative, led by its new organisations' staff.
        by_collab = {
            c.pk: [o for o, (_, cc) in zip(orgs, new_orgs, strict=True) if cc == c] for c in collabs
        }
        ws = {
            c.pk: list(Workstream.objects.filter(collaborative=c).order_by("pk")) for c in collabs
        }
        new_projects = []
        for c in collabs:
            for _ in range(projects):
                n_project += 1
                org = rng.choice(by_collab[c.pk])
                new_projects.append(
                    Project(
                        title=f"Synthetic project {n_project:04d}: reducing falls (nat)",
                        slug=f"nat-project-{n_project:04d}",
                        summary="Generated for load tests.",
                        collaborative=c,
                        lead_organisation=org,
                        workstream=rng.choice(ws[c.pk]) if ws[c.pk] else None,
                        status=Status.ACTIVE,
                        start_date=FIRST_DAY + timedelta(days=rng.randint(0, 400)),
                        sharing=rng.choice([Sharing.COLLABORATIVE, Sharing.PUBLIC]),
                        created_by=staff[org.pk][0],
                    )
                )
        created = Project.objects.bulk_create(new_projects, batch_size=BATCH)
        ProjectMember.objects.bulk_create(
            [
                ProjectMember(project=p, person=staff[p.lead_organisation_id][1], role="lead")
                for p in created
            ]
        )
        counts["projects"] = len(created)
        _fill_projects(rng, created, today=today, now=now, progress=progress, counts=counts)

        # Existing projects: one more member, more measures and cycles.
        members = set(
            ProjectMember.objects.filter(project__in=existing).values_list(
                "project_id", "person_id"
            )
        )
        extra = []
        for p in existing:
            grown = staff[orgs[p.pk % len(orgs)].pk][2]
            if (p.pk, grown.pk) not in members:
                extra.append(ProjectMember(project=p, person=grown, role="member"))
        ProjectMember.objects.bulk_create(extra, batch_size=BATCH)
        last_measure = (
            Measure.objects.filter(project__in=existing).aggregate(n=Max("order"))["n"] or 0
        )
        last_cycle = dict(
            PdsaCycle.objects.filter(project__in=existing)
            .order_by()
            .values_list("project_id")
            .annotate(n=Max("cycle_number"))
            .values_list("project_id", "n")
        )
        old_measures = list(
            Measure.objects.filter(project__in=existing)
            .annotate(first=Min("points__period"))
            .values_list("pk", "frequency", "value_type", "direction", "week_start", "first")
        )
        _fill_projects(
            rng,
            existing,
            today=today,
            now=now,
            progress=progress,
            counts=counts,
            first_measure=last_measure + 1,
            scores=False,
            first_cycle=last_cycle,
        )

        # Existing measures: earlier data points.
        rows: list[tuple[Any, ...]] = []
        for pk, freq, vt, direction, _week_start, first in old_measures:
            if first is None:
                continue
            if freq == "weekly":
                periods = [first - timedelta(weeks=k) for k in range(older_points, 0, -1)]
            elif freq == "monthly":
                periods = _monthly_periods(older_points, first)
            else:
                continue
            for period, (v, num, den) in zip(
                periods, _series(rng, vt, direction, len(periods)), strict=True
            ):
                rows.append((now, now, pk, period, v, num, den))
        _insert_points(rows, progress)
        counts["older_points"] = len(rows)
    progress.finish()
    return counts
