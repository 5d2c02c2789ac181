"""Demo step: the collaborative's QI projects with their teams, aims, diagrams, PDSA and scores.

The content is in :mod:`qicollab.demo.project_content`; this module writes it through the
projects app's models (every row validated by ``full_clean`` and recorded in the audit
history as demo data). Dates count back from the current month, so a project that started
"26 months ago" always has 26 months of history. Idempotent: rows are found by natural key
(project slug; project + text, stage, title or month) and only what is missing is created.

Monthly progress reports are the one bulk write (hundreds of rows): they are created with
their history in one statement per project, after the same checks the service makes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from qicollab.collaborative.models import Theme, Workstream
from qicollab.demo import content as c
from qicollab.demo.context import CHANGE_REASON, DemoContext
from qicollab.demo.measures import anchor_month
from qicollab.demo.project_content import PROJECTS, CycleSpec, IdeaSpec, ProjectSpec
from qicollab.measures.models import Measure
from qicollab.measures.periods import add_periods, long_date
from qicollab.organisations.models import Collaborative
from qicollab.projects.models import (
    Aim,
    ChangeIdea,
    CoProduction,
    PdsaCycle,
    PdsaStatus,
    PrimaryDriver,
    ProgressReport,
    Project,
    ProjectMember,
    RaterType,
    SecondaryDriver,
    Tag,
    TeamRole,
)
from qicollab.projects.selectors import scale_for

# --- dates -----------------------------------------------------------------------------------


def month_start(ctx: DemoContext, months_ago: int) -> dt.date:
    return add_periods(anchor_month(ctx.today), "monthly", -months_ago)


def month_end(ctx: DemoContext, months_ago: int) -> dt.date:
    return month_start(ctx, months_ago - 1) - dt.timedelta(days=1)


def days_ago(ctx: DemoContext, months_ago: float) -> dt.date:
    return anchor_month(ctx.today) - dt.timedelta(days=round(months_ago * 30.44))


# --- progress scores -------------------------------------------------------------------------

_SELF_TEXT = {
    Decimal("0.5"): "We have agreed the problem with the service and are forming the team.",
    Decimal("1.0"): "Team formed and charter agreed with our sponsor; meeting every fortnight.",
    Decimal("1.5"): "Mapping the current process and collecting baseline data on {m}.",
    Decimal("2.0"): "Baseline data collected and on a run chart; first PDSA cycles planned.",
    Decimal("2.5"): "Testing changes. No improvement in the measures yet, but we are learning.",
    Decimal("3.0"): "Early improvement in {m}; some changes adopted on a small scale.",
    Decimal("3.5"): "The measures are improving towards the aim; spreading the adopted changes.",
    Decimal("4.0"): "Significant improvement in {m}; the changes are part of routine work.",
    Decimal("4.5"): "The improvement has held for several months: the gains look sustainable.",
    Decimal("5.0"): "Aim achieved and sustained; the changes are written into standard practice.",
}
_FACULTY_TEXT = {
    Decimal("0.5"): "Early days: help the team agree a charter.",
    Decimal("1.0"): "Team in place. Next: a baseline and a process map.",
    Decimal("1.5"): "Good planning; get the baseline onto a run chart soon.",
    Decimal("2.0"): "Baseline is clear. Start testing small, this month.",
    Decimal("2.5"): "Good tests of change; keep the ramps small and quick.",
    Decimal("3.0"): "Data starting to move. Annotate the chart with the changes.",
    Decimal("3.5"): "Clear improvement. Plan how the changes will be sustained.",
    Decimal("4.0"): "Special cause improvement on the main measure. Well done.",
    Decimal("4.5"): "Sustained gains. Share the learning at the next session.",
    Decimal("5.0"): "Outstanding, sustained results.",
}
HELP = "Help from the measurement advisor to set up the SPC charts."


def score_curve(months: int, final: float) -> list[Decimal]:
    """Monthly self-assessment scores rising from 1.0 (0.5 for an idea) to ``final``.

    >>> [str(s) for s in score_curve(5, 3.0)]
    ['1.0', '1.5', '2.0', '2.5', '3.0']
    """
    if final <= 1.0:
        return [Decimal(str(final))] * months
    out = []
    for i in range(months):
        share = (i / (months - 1)) ** 0.85 if months > 1 else 1.0
        raw = 1.0 + (final - 1.0) * share
        out.append(Decimal(str(int(raw * 2) / 2)).quantize(Decimal("0.1")))
    return out


def _report_rows(
    ctx: DemoContext, spec: ProjectSpec
) -> list[tuple[dt.date, str, Decimal, str, str, str]]:
    """(month, rater type, score, progress, barriers, help needed) for every month."""
    first = spec.start
    last = spec.end if spec.end is not None and spec.end > 0 else 0
    months = first - last + 1
    scores = score_curve(months, spec.final_score)
    cycles_by_month: dict[int, list[str]] = {}
    for idea in spec.ideas:
        for cycle in idea.cycles:
            cycles_by_month.setdefault(int(cycle.start), []).append(cycle.title)
    coach = next((e for e, role in spec.team if role == TeamRole.COACH), None)
    rows: list[tuple[dt.date, str, Decimal, str, str, str]] = []
    for i, score in enumerate(scores):
        ago = first - i
        month = month_start(ctx, ago)
        text = _SELF_TEXT[score].format(m=spec.aim.measure_text)
        tested = cycles_by_month.get(ago)
        if tested:
            text += " Tested this month: " + "; ".join(tested) + "."
        stuck = i > 0 and scores[i - 1] == score
        barriers = spec.barriers[i % len(spec.barriers)] if spec.barriers and stuck else ""
        help_needed = HELP if score == Decimal("2.0") and not stuck else ""
        rows.append((month, RaterType.SELF, score, text, barriers, help_needed))
        if spec.faculty_ratings and coach and i >= 1:
            # Faculty are a little more cautious than teams about a new level.
            faculty = score - Decimal("0.5") if (i % 3 == 1 and score >= 2) else score
            rows.append((month, RaterType.FACULTY, faculty, _FACULTY_TEXT[faculty], "", ""))
    return rows


def ensure_progress(
    ctx: DemoContext, project: Project, spec: ProjectSpec, people: dict[str, Any]
) -> None:
    scale = scale_for(collaborative=project.collaborative_id)
    allowed = {lv.value for lv in scale.levels.all()}
    lead = people[spec.team[0][0]]
    coach_email = next((e for e, role in spec.team if role == TeamRole.COACH), None)
    coach = people.get(coach_email) if coach_email else None
    existing = {(r.month, r.rater_type): r for r in ProgressReport.objects.filter(project=project)}
    new: list[ProgressReport] = []
    for month, rater_type, score, progress, barriers, help_needed in _report_rows(ctx, spec):
        if score not in allowed:
            raise ValueError(f"{spec.slug}: {score} is not on the scale {scale}.")
        values = {
            "score": score,
            "progress": progress,
            "barriers": barriers,
            "help_needed": help_needed,
            "rater": lead if rater_type == RaterType.SELF else coach,
        }
        old = existing.get((month, rater_type))
        if old is None:
            new.append(
                ProgressReport(
                    project=project, month=month, rater_type=rater_type, scale=scale, **values
                )
            )
        elif ctx.refresh and ctx.apply(old, values):
            ctx._save(old)
            ctx.stats.updated += 1
        else:
            ctx.stats.unchanged += 1
    if new:
        bulk_create_with_history(
            new, ProgressReport, default_user=None, default_change_reason=CHANGE_REASON
        )
        ctx.stats.created += len(new)


# --- the project and its parts --------------------------------------------------------------


def _project(
    ctx: DemoContext,
    spec: ProjectSpec,
    collab: Collaborative,
    workstreams: dict[str, Workstream],
    themes: dict[str, Theme],
    lead: Any,
) -> Project:
    tags = []
    for name in spec.tags:
        tag, _ = ctx.ensure(
            Tag, key={"collaborative": collab, "slug": slugify(name)}, create_only={"name": name}
        )
        tags.append(tag)
    end: dt.date | None = None
    if spec.end is not None:
        end = month_end(ctx, spec.end)
    project, created = ctx.ensure(
        Project,
        key={"slug": spec.slug},
        values={
            "title": spec.title,
            "summary": spec.summary,
            "collaborative": collab,
            "lead_organisation": ctx.org(spec.lead_org),
            "workstream": workstreams[spec.workstream],
            "status": spec.status,
            "stop_reason": spec.stop_reason,
            "start_date": month_start(ctx, spec.start),
            "end_date": end,
            "sharing": spec.sharing,
        },
        create_only={"created_by": lead},
    )
    ctx.ensure_m2m(project, "themes", [themes[t] for t in spec.themes], created=created)
    ctx.ensure_m2m(project, "tags", tags, created=created)
    ctx.ensure_m2m(
        project,
        "partner_organisations",
        [ctx.org(o) for o in spec.partners],
        created=created,
    )
    return project


def _aim(ctx: DemoContext, project: Project, spec: ProjectSpec) -> None:
    a = spec.aim
    ctx.ensure(
        Aim,
        key={"project": project},
        values={
            "statement": "",
            "direction": a.direction,
            "measure_text": a.measure_text,
            "population": a.population,
            "setting": a.setting,
            "baseline_value": Decimal(a.baseline),
            "target_value": Decimal(a.target),
            "unit": a.unit,
            "target_date": month_end(ctx, -a.months_ahead),
        },
    )


def _team(ctx: DemoContext, project: Project, spec: ProjectSpec) -> dict[str, Any]:
    people = {}
    for email, role in spec.team:
        person = ctx.person(email)
        people[email] = person
        ctx.ensure(ProjectMember, key={"project": project, "person": person}, values={"role": role})
    for stage, level, description, partners in spec.coproduction:
        ctx.ensure(
            CoProduction,
            key={"project": project, "stage": stage},
            values={"level": level, "description": description, "partners_involved": partners},
        )
    return people


def _diagram(ctx: DemoContext, project: Project, spec: ProjectSpec) -> list[ChangeIdea]:
    primaries: list[PrimaryDriver] = []
    for order, text in enumerate(spec.primaries, start=1):
        primary, _ = ctx.ensure(
            PrimaryDriver, key={"project": project, "text": text}, values={"order": order}
        )
        primaries.append(primary)
    secondaries: list[SecondaryDriver] = []
    for order, (text, links) in enumerate(spec.secondaries, start=1):
        secondary, created = ctx.ensure(
            SecondaryDriver, key={"project": project, "text": text}, values={"order": order}
        )
        ctx.ensure_m2m(secondary, "primaries", [primaries[i] for i in links], created=created)
        secondaries.append(secondary)
    ideas: list[ChangeIdea] = []
    for order, idea in enumerate(spec.ideas, start=1):
        node, created = ctx.ensure(
            ChangeIdea,
            key={"project": project, "text": idea.text},
            values={"order": order, "description": idea.description},
        )
        ctx.ensure_m2m(
            node, "secondaries", [secondaries[i] for i in idea.secondaries], created=created
        )
        ideas.append(node)
    return ideas


def _cycle_values(
    ctx: DemoContext, spec: ProjectSpec, idea: IdeaSpec, cycle: CycleSpec, owner: Any
) -> dict[str, Any]:
    start = days_ago(ctx, cycle.start)
    end = start + dt.timedelta(days=max(cycle.days - 1, 0))
    done = bool(cycle.decision)
    if done and end >= ctx.today:
        end = ctx.today - dt.timedelta(days=1)
    measured = "; ".join(cycle.studies) if cycle.studies else "A tally on the test sheet"
    return {
        "scale": cycle.scale,
        "purpose": cycle.purpose,
        "owner": owner,
        "status": PdsaStatus.COMPLETE if done else PdsaStatus.DO,
        "planned_start": start,
        "planned_end": end,
        "actual_start": start,
        "actual_end": end if done else None,
        "objective": f"To find out whether '{idea.text}' works at this scale: {cycle.scale}.",
        "questions": "Can we do it as planned at this scale? What gets in the way? "
        "Does it make the difference we expect?",
        "predictions": cycle.prediction,
        "plan_who": f"{owner.full_name} with the team" if owner else "The team",
        "plan_what": cycle.title,
        "plan_where": spec.aim.setting,
        "plan_when": f"{long_date(start)} to {long_date(end)}",
        "data_to_collect": measured,
        "what_happened": cycle.result if done else "Under way.",
        "carried_out_as_planned": True if done else None,
        "results": cycle.result,
        "prediction_confirmed": (cycle.decision == "adopt") if done else None,
        "learning": cycle.learning,
        "act_decision": cycle.decision,
        "next_steps": cycle.next_steps,
    }


def _cycles(
    ctx: DemoContext, project: Project, spec: ProjectSpec, ideas: list[ChangeIdea], owner: Any
) -> None:
    for idea_spec, idea in zip(spec.ideas, ideas, strict=True):
        for number, cycle in enumerate(idea_spec.cycles, start=1):
            obj, created = ctx.ensure(
                PdsaCycle,
                key={"project": project, "title": cycle.title},
                values={
                    "cycle_number": number,
                    **_cycle_values(ctx, spec, idea_spec, cycle, owner),
                },
            )
            ctx.ensure_m2m(obj, "change_ideas", [idea], created=created)


def build_projects(ctx: DemoContext) -> None:
    """The demo projects with their teams, aims, driver diagrams, PDSA ramps and scores."""
    collab = ctx.collaborative(c.MH_COLLABORATIVE.slug)
    workstreams = {w.slug: w for w in Workstream.objects.filter(collaborative=collab)}
    themes = {t.slug: t for t in Theme.objects.filter(collaborative=collab)}
    for spec in PROJECTS:
        lead = ctx.person(spec.team[0][0])
        project = _project(ctx, spec, collab, workstreams, themes, lead)
        _aim(ctx, project, spec)
        people = _team(ctx, project, spec)
        ideas = _diagram(ctx, project, spec)
        _cycles(ctx, project, spec, ideas, lead)
        ensure_progress(ctx, project, spec, people)


def link_pdsa_to_measures(ctx: DemoContext, measures: dict[str, dict[str, Measure]]) -> None:
    """Point each cycle's Study at the measures it looked at (once the measures exist)."""
    for spec in PROJECTS:
        by_name = measures.get(spec.slug, {})
        wanted = {
            cycle.title: sorted(by_name[n].pk for n in cycle.studies if n in by_name)
            for idea in spec.ideas
            for cycle in idea.cycles
        }
        for cycle in PdsaCycle.objects.filter(project__slug=spec.slug, title__in=list(wanted)):
            ids = wanted[cycle.title]
            if cycle.study_measure_ids == ids:
                continue
            if cycle.study_measure_ids and not ctx.refresh:
                continue  # someone changed it while trying the demo
            cycle.study_measure_ids = ids
            ctx._save(cycle)
            ctx.stats.updated += 1
