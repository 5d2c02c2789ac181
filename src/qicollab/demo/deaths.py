"""Demo step: two years of entirely fictional deaths, reviews and shared learning.

For every current member trust of the demo mental-health collaborative: settings, a
mortality-review team (two of its staff; the programme manager manages the team but is not
on it), about ten deaths a quarter for the last eight quarters and the current one, their
screening, reviews (with second reviews where care was rated poor), family involvement,
actions and learning summaries. Every trust shared learning in the last financial year;
fewer have shared so far this year, so the sharing goal has something to show.

Nothing here is real: case references are made up, there are no NHS numbers or names, and
the summaries are written for the demo. Idempotent: a case that exists is left alone.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from simple_history.utils import bulk_create_with_history

from qicollab.accounts.models import Person
from qicollab.deaths import choices as c
from qicollab.deaths import services
from qicollab.deaths.identifiers import FinancialQuarter
from qicollab.deaths.models import (
    CareProblem,
    CaseAction,
    CaseReview,
    Death,
    DeathsSettings,
    FamilyInvolvement,
    LearningSummary,
    LearningTheme,
    MortalityTeamMember,
    PhaseJudgement,
    Screening,
)
from qicollab.demo.context import DemoContext
from qicollab.organisations.models import Collaborative, Organisation
from qicollab.projects.models import Project

COLLABORATIVE = "southern-counties-mh"
LONDON = ZoneInfo("Europe/London")
REASON = "Demo data"

AGE = (
    ("18-24", 4),
    ("25-34", 7),
    ("35-44", 9),
    ("45-54", 12),
    ("55-64", 14),
    ("65-74", 16),
    ("75-84", 22),
    ("85+", 14),
    ("0-17", 2),
)
SETTING = (
    ("community", 45),
    ("inpatient", 14),
    ("recently_discharged", 9),
    ("crisis", 8),
    ("care_home", 14),
    ("emergency", 3),
    ("other", 7),
)
CATEGORY = (
    ("expected_natural", 52),
    ("unexpected_natural", 25),
    ("suspected_suicide", 12),
    ("accidental", 4),
    ("homicide", 1),
    ("unknown", 6),
)
AVOID = (
    ("definitely_not", 56),
    ("slight", 24),
    ("possibly", 12),
    ("probably", 5),
    ("strong", 2),
    ("definitely", 1),
)
SERVICES = (
    "Community mental health team (north)",
    "Community mental health team (south)",
    "Older people's mental health team",
    "Early intervention in psychosis",
    "Crisis resolution and home treatment",
    "Adult acute inpatient ward",
    "Older adult inpatient ward",
    "Learning disability service",
    "Eating disorders service",
    "Liaison psychiatry",
)

# (title, phase, themes, what happened, what was learned, what changed) - invented cases.
SUMMARIES: tuple[tuple[str, str, tuple[str, ...], str, str, str], ...] = (
    (
        "Physical health checks after rapid tranquillisation",
        "mh_physical_health",
        ("physical-health-monitoring", "observation-engagement"),
        "A man in his forties on an acute ward was given rapid tranquillisation at night. "
        "Observations were recorded once and not repeated; he was found unresponsive the next "
        "morning.",
        "Staff were unsure who should repeat physical observations after rapid "
        "tranquillisation, and "
        "the electronic record did not prompt them.",
        "The record now prompts hourly observations for six hours, and the ward's safety huddle "
        "checks them at each handover.",
    ),
    (
        "Follow-up within 72 hours of discharge",
        "mh_transitions",
        ("follow-up-after-discharge", "transitions-of-care"),
        "A woman in her thirties died by suspected suicide five days after discharge from an acute "
        "ward. A follow-up call was booked but not made because the community team had not "
        "received "
        "the discharge summary.",
        "Discharge summaries were sent by post to one community team; follow-up depended on the "
        "summary arriving.",
        "Discharge summaries now go electronically the same day, and the ward books the 72-hour "
        "follow-up with the community team before the person leaves.",
    ),
    (
        "Listening to family concerns about deterioration",
        "mh_family",
        ("family-communication", "deterioration"),
        "The daughter of an older man under the community team rang twice to say he was eating "
        "less "
        "and more confused. Her calls were logged but not passed to his care coordinator.",
        "Calls from families went to a duty line whose notes were not visible to care "
        "coordinators.",
        "Duty line notes now create a task for the care coordinator, and families are told who "
        "will "
        "call them back and when.",
    ),
    (
        "Sharing risk information between agencies",
        "mh_care_planning",
        ("multi-agency", "risk-assessment", "record-keeping"),
        "A young man known to the crisis team and to the local drug service died of an accidental "
        "overdose. Each service held part of the picture of his risk.",
        "There was no routine way to share a change in risk with partner agencies.",
        "A shared risk-change notification was agreed with the drug service and the local "
        "authority.",
    ),
    (
        "Reasonable adjustments for an autistic woman on a ward",
        "mh_ongoing",
        ("reasonable-adjustments", "observation-engagement"),
        "An autistic woman in her twenties found the ward noisy and avoided staff. Her physical "
        "health needs were not fully assessed because she declined examinations.",
        "The ward had no sensory assessment and staff had not had autism training.",
        "Every autistic person admitted now has a sensory and communication plan, and ward staff "
        "have completed the national autism training.",
    ),
    (
        "Medicines reconciliation on admission",
        "mh_assessment",
        ("medication", "transitions-of-care"),
        "An older woman admitted from a care home missed two doses of an anticoagulant because her "
        "medicines list from the home was incomplete.",
        "Medicines reconciliation relied on the care home's list without checking the GP record.",
        "Pharmacy technicians now reconcile medicines against the GP record within 24 hours of "
        "admission, seven days a week.",
    ),
    (
        "Recognising sepsis in a community setting",
        "mh_physical_health",
        ("physical-health-monitoring", "deterioration"),
        "A man with dementia in a care home under the older people's team developed a chest "
        "infection. Early signs were attributed to his dementia.",
        "Community staff were not using a structured tool to spot physical deterioration.",
        "The team adopted a soft-signs tool with the care homes it supports, with training for "
        "both.",
    ),
    (
        "End-of-life planning for people with severe mental illness",
        "mh_care_planning",
        ("end-of-life", "family-communication"),
        "A woman with schizophrenia and advanced cancer died in hospital after several emergency "
        "admissions. No advance care plan had been discussed with her or her family.",
        "Teams assumed end-of-life conversations were for the cancer service, which assumed the "
        "mental health team held them.",
        "Joint end-of-life planning meetings now include the mental health care coordinator.",
    ),
)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _team(ctx: DemoContext, org: Organisation, persona_email: str | None) -> list[Person]:
    """Two staff of the trust (the demo's staff_a at Avonvale leads there)."""
    staff = list(
        Person.objects.filter(
            affiliations__organisation=org,
            affiliations__role="staff",
            affiliations__ended_on__isnull=True,
        ).order_by("email")
    )
    if persona_email:
        staff.sort(key=lambda p: p.email != persona_email)
    team = staff[:2]
    for i, person in enumerate(team):
        ctx.ensure(
            MortalityTeamMember,
            key={"organisation": org, "person": person},
            values={"role": c.TeamRole.LEAD if i == 0 else c.TeamRole.REVIEWER},
        )
    return team


def _quarters(today: date) -> list[FinancialQuarter]:
    q = FinancialQuarter.containing(today)
    out = [q]
    for _ in range(8):
        q = q.previous()
        out.append(q)
    return list(reversed(out))


def _day(rng: random.Random, q: FinancialQuarter, today: date) -> date:
    last = min(q.end, today - timedelta(days=7))
    span = max((last - q.start).days, 0)
    return q.start + timedelta(days=rng.randint(0, span))


def build_deaths(ctx: DemoContext) -> None:
    collab = Collaborative.objects.filter(slug=COLLABORATIVE).first()
    if collab is None:
        return
    trusts = list(
        Organisation.objects.filter(
            pk__in=collab.memberships.current().values("organisation_id"), org_type="nhs_trust"
        ).order_by("slug")
    )
    quarters = _quarters(ctx.today)
    this_year = FinancialQuarter(quarters[-1].year, 1)
    # Fewer trusts have shared so far this year than shared last year.
    rng_share = ctx.rng("deaths", "sharing")
    sharing_this_year = set(
        rng_share.sample([t.slug for t in trusts], k=max(1, len(trusts) * 5 // 9))
    )
    themes = {t.slug: t for t in LearningTheme.objects.all()}
    for org in trusts:
        ctx.ensure(
            DeathsSettings,
            key={"organisation": org},
            values={
                "review_tool": c.ReviewTool.MH,
                "scale_orientation": c.ScaleOrientation.HOGAN,
                "sample_rate": 10,
                "split_adult_ages": True,
                "local_red_flags": "Death within 7 days of a change in antipsychotic medication",
            },
        )
        team = _team(
            ctx, org, "owen.brackenholt@avonvale.example" if org.slug == "avonvale" else None
        )
        if len(team) < 2:
            continue
        lead, reviewer = team
        _build_trust(
            ctx,
            org,
            lead,
            reviewer,
            quarters,
            this_year,
            org.slug in sharing_this_year,
            collab,
            themes,
        )


def _build_trust(
    ctx: DemoContext,
    org: Organisation,
    lead: Person,
    reviewer: Person,
    quarters: list[FinancialQuarter],
    this_year: FinancialQuarter,
    shares_this_year: bool,
    collab: Collaborative,
    themes: dict[str, LearningTheme],
) -> None:
    """One trust's cases, written in bulk (with their audit history): about 90 deaths each."""
    rng = ctx.rng("deaths", org.slug)
    # Actions after the trust's safe-and-reliable-care QI project began are carried out by it.
    project = (
        Project.objects.filter(
            lead_organisation=org,
            workstream__slug="safe-and-reliable-care",
            status__in=("active", "sustaining"),
        )
        .order_by("slug")
        .first()
    )
    existing = set(Death.objects.filter(organisation=org).values_list("case_reference", flat=True))
    planned: list[tuple[Death, FinancialQuarter, int]] = []
    for q in quarters:
        for n in range(1, rng.randint(6, 12) + 1):
            ref = f"LfD-{org.ods_code}-{q.year % 100:02d}Q{q.quarter}-{n:03d}"
            day = _day(rng, q, ctx.today)
            # Drawn even for a case that exists, so every later draw is the same on each run.
            death = _death(rng, org, ref, day, lead)
            if ref in existing:
                ctx.counted(created=False, changed=False)
                continue
            planned.append((death, q, n))
    if not planned:
        return
    deaths = [d for d, _, _ in planned]
    bulk_create_with_history(deaths, Death, default_user=lead, default_change_reason=REASON)
    ctx.stats.created += len(deaths)
    screenings: list[Screening] = []
    reviews: list[CaseReview] = []
    phases: list[PhaseJudgement] = []
    problems: list[CareProblem] = []
    families: list[FamilyInvolvement] = []
    actions: list[CaseAction] = []
    to_share: list[Death] = []
    shared_last_year = False
    for death, q, n in planned:
        recent = (ctx.today - death.date_of_death).days < 45
        if recent and rng.random() < 0.5:
            continue  # not screened yet
        screening = _screen(rng, death, reviewer)
        screenings.append(screening)
        if screening.outcome not in c.REVIEW_OUTCOMES or (recent and rng.random() < 0.6):
            continue
        first = _review(
            rng, death, reviewer, stage=1, method=screening.outcome, out=phases, problems=problems
        )
        reviews.append(first)
        if first.overall_rating and first.overall_rating <= 2:
            reviews.append(
                _review(
                    rng,
                    death,
                    lead,
                    stage=2,
                    method=screening.outcome,
                    first=first,
                    out=phases,
                    problems=problems,
                )
            )
        families.append(_family(rng, death))
        if first.overall_rating and first.overall_rating <= 3 and rng.random() < 0.6:
            actions.append(
                CaseAction(
                    death=death,
                    description="Share the review's learning at the team's governance meeting and "
                    "audit the change after three months.",
                    owner="Team manager",
                    due_on=death.date_of_death + timedelta(days=120),
                    project=project
                    if project and project.start_date and death.date_of_death >= project.start_date
                    else None,
                    status=c.ActionStatus.DONE
                    if death.date_of_death < ctx.today - timedelta(days=200)
                    else c.ActionStatus.IN_PROGRESS,
                )
            )
        # Learning summaries: every trust shared last financial year; only some this year.
        in_this_year = q >= this_year
        wants = (in_this_year and shares_this_year and q != quarters[-1] and n == 1) or (
            not in_this_year
            and q.year == this_year.year - 1
            and (n == 1 or not shared_last_year)
            and q.quarter in (1, 3)
        )
        if wants:
            to_share.append(death)
            shared_last_year = shared_last_year or not in_this_year
    for objs, model in (
        (screenings, Screening),
        (reviews, CaseReview),
        (families, FamilyInvolvement),
        (actions, CaseAction),
    ):
        bulk_create_with_history(objs, model, default_user=lead, default_change_reason=REASON)
    for phase in phases:
        phase.review_id = phase.review.pk
    for problem in problems:
        problem.review_id = problem.review.pk
    bulk_create_with_history(
        phases, PhaseJudgement, default_user=lead, default_change_reason=REASON
    )
    bulk_create_with_history(problems, CareProblem, default_user=lead, default_change_reason=REASON)
    for death in to_share:
        _summary(ctx, rng, death, reviewer, lead, collab, themes, death.date_of_death)


def _death(rng: random.Random, org: Organisation, ref: str, day: date, actor: Person) -> Death:
    ld = rng.random() < 0.05
    autism = rng.random() < 0.03
    in_scope = rng.random() < 0.93
    leder = ""
    if ld or autism:
        leder = c.LederStatus.REFERRED if rng.random() < 0.85 else c.LederStatus.PENDING
    return Death(
        organisation=org,
        case_reference=ref,
        date_of_death=day,
        age_band=_pick(rng, AGE),
        setting=_pick(rng, SETTING),
        service=rng.choice(SERVICES),
        category=_pick(rng, CATEGORY),
        learning_disability=ld,
        autism=autism,
        leder_status=leder,
        leder_referred_on=day + timedelta(days=rng.randint(1, 10))
        if leder == c.LederStatus.REFERRED
        else None,
        notified_by=rng.choice(("ward", "incident", "spine", "coroner", "family", "gp")),
        notified_on=day + timedelta(days=rng.randint(0, 5)),
        in_scope=in_scope,
        out_of_scope_reason="" if in_scope else "Died more than six months after the last contact",
        created_by=actor,
    )


def _screen(rng: random.Random, death: Death, actor: Person) -> Screening:
    flags: list[str] = []
    if death.setting in ("inpatient", "recently_discharged"):
        flags.append(c.RedFlag.INPATIENT)
    if death.setting == "crisis":
        flags.append(c.RedFlag.CRISIS_TEAM)
    if rng.random() < 0.12:
        flags.append(c.RedFlag.CONCERN)
    if rng.random() < 0.1:
        flags.append(c.RedFlag.PSYCHOSIS_OR_ED)
    sampled = not flags and rng.random() < 0.1
    if death.category == "suspected_suicide" and rng.random() < 0.4:
        outcome = c.ScreeningOutcome.PSII
    elif death.needs_leder and not flags:
        outcome = c.ScreeningOutcome.LEDER
    elif flags or sampled:
        outcome = (
            c.ScreeningOutcome.SJR if rng.random() < 0.75 else c.ScreeningOutcome.CASE_RECORD_REVIEW
        )
    else:
        outcome = c.ScreeningOutcome.NO_FURTHER_REVIEW
    reason = {
        c.ScreeningOutcome.PSII: "Meets the criteria for a patient safety incident investigation.",
        c.ScreeningOutcome.LEDER: "Referred to LeDeR; no red flags for a separate review.",
        c.ScreeningOutcome.SJR: "Red flag found: structured judgement review."
        if flags
        else "Chosen in the sample.",
        c.ScreeningOutcome.CASE_RECORD_REVIEW: "Red flag found: case record review."
        if flags
        else "Chosen in the sample.",
        c.ScreeningOutcome.NO_FURTHER_REVIEW: "Expected death, no red flags, not sampled.",
    }[outcome]
    return Screening(
        death=death,
        screened_on=death.notified_on or death.date_of_death,
        screened_by=actor,
        red_flags=[str(f) for f in flags],
        sampled=sampled,
        outcome=str(outcome),
        reason=reason,
    )


def _review(
    rng: random.Random,
    death: Death,
    reviewer: Person,
    *,
    stage: int,
    method: str,
    out: list[PhaseJudgement],
    problems: list[CareProblem],
    first: CaseReview | None = None,
) -> CaseReview:
    """An unsaved completed review; its phases and problem are appended to the lists given."""
    overall = (
        rng.choices([1, 2, 3, 4, 5], weights=[2, 6, 30, 45, 17])[0]
        if stage == 1
        else rng.choice([2, 3, 3])
    )
    avoid = _pick(rng, AVOID)
    if overall <= 2 and avoid in ("definitely_not", "slight") and rng.random() < 0.5:
        avoid = "probably"
    started = (death.notified_on or death.date_of_death) + timedelta(
        days=rng.randint(7, 30) * stage
    )
    review = CaseReview(
        death=death,
        stage=stage,
        method=c.ReviewMethod.MH
        if method == c.ScreeningOutcome.SJR
        else c.ReviewMethod.CASE_RECORD,
        reviewer=reviewer,
        status=c.ReviewStatus.COMPLETED,
        started_on=started,
        completed_on=started + timedelta(days=rng.randint(5, 25)),
        overall_rating=overall,
        overall_narrative={
            1: "Care fell well below the expected standard in several phases.",
            2: "Care fell below the expected standard in at least one phase.",
            3: "Care was adequate, with some areas for improvement.",
            4: "Care was good, planned and well recorded.",
            5: "Care was excellent, holistic and compassionate.",
        }[overall],
        problems_found=overall <= 3,
        avoidability=avoid if method == c.ScreeningOutcome.SJR else "",
        good_practice="Thorough risk assessment and regular contact with the family."
        if overall >= 4
        else "",
        learning="Share the learning with the team." if overall <= 3 else "",
        disagrees_with_first=bool(first and first.avoidability != avoid and rng.random() < 0.5),
    )
    if review.disagrees_with_first:
        review.disagreement = "The second reviewer judged the risk less foreseeable from the notes."
    phases = rng.sample([p for p, _ in c.MhPhase.choices if p != c.MhPhase.OVERALL], k=3)
    out.extend(
        [
            PhaseJudgement(
                review=review,
                phase=p,
                applicable=True,
                rating=max(1, min(5, overall + rng.choice((-1, 0, 0, 1)))),
                narrative="Judgement recorded from the case notes.",
            )
            for p in phases
        ]
        + [
            PhaseJudgement(
                review=review,
                phase=c.MhPhase.OVERALL,
                applicable=True,
                rating=overall,
                narrative=review.overall_narrative,
            )
        ]
    )
    if overall <= 3:
        problems.append(
            CareProblem(
                review=review,
                problem_type=rng.choice(
                    ("assessment", "monitoring", "communication", "medication")
                ),
                harm="no" if overall == 3 else rng.choice(("probably", "yes")),
                description="See the phase judgements.",
            )
        )
    return review


def _family(rng: random.Random, death: Death) -> FamilyInvolvement:
    contacted = rng.random() < 0.8
    involved = contacted and rng.random() < 0.55
    return FamilyInvolvement(
        death=death,
        contacted=contacted,
        contacted_on=death.date_of_death + timedelta(days=rng.randint(3, 20))
        if contacted
        else None,
        not_contacted_reason="" if contacted else "No next of kin recorded",
        wanted_involvement=("yes" if involved else rng.choice(("no", ""))) if contacted else "",
        questions="Whether the change of medication played a part." if involved else "",
        involved_in_review=involved,
        findings_shared_on=death.date_of_death + timedelta(days=rng.randint(40, 90))
        if involved
        else None,
        findings_shared_how="meeting" if involved else "",
    )


def _summary(
    ctx: DemoContext,
    rng: random.Random,
    death: Death,
    author: Person,
    approver: Person,
    collab: Collaborative,
    themes: dict[str, LearningTheme],
    day: date,
) -> None:
    if LearningSummary.objects.filter(death=death).exists():
        return
    title, phase, theme_slugs, happened, learned, changed = rng.choice(SUMMARIES)
    summary = services.summary_save(
        actor=author,
        death=death,
        data={
            "title": title,
            "phase_of_care": phase,
            "what_happened": happened,
            "what_learned": learned,
            "what_changed": changed,
        },
        themes=[themes[s] for s in theme_slugs if s in themes],
    )
    services.summary_submit(actor=author, summary=summary)
    services.summary_approve(actor=approver, summary=summary, collaboratives=[collab])
    shared = datetime.combine(
        min(day + timedelta(days=rng.randint(30, 60)), ctx.today), time(11), LONDON
    )
    # Keep it inside the quarter it represents, so the sharing periods are as described.
    q = FinancialQuarter.containing(day)
    shared = min(shared, datetime.combine(q.end, time(16), LONDON))
    LearningSummary.objects.filter(pk=summary.pk).update(shared_at=shared)
