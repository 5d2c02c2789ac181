"""Demo step ``discussion``: questions between teams, a chart point, a coaching note.

A trust asks the falls team at Dunmere how they did it, the team answers and mentions the
faculty; the falls team asks "what happened here?" about a point on its outcome chart,
mentioning a colleague; the faculty leave a team-only coaching note on Larkspur's project;
a team at Brackenmoor asks about a PDSA cycle. Written with ``ctx.ensure`` (no emails are
sent by the demo), keyed by target, author and text, so a re-run creates nothing twice.
"""

from __future__ import annotations

from typing import Any

from qicollab.demo.context import DemoContext
from qicollab.demo.personas import persona
from qicollab.discussion.models import Comment, TargetKind
from qicollab.measures.models import Measure
from qicollab.projects.models import PdsaCycle, Project

DUNMERE_LEAD = "noor.honeyfield@dunmere-valley.example"
DUNMERE_MEMBER = "tegan.starwort@dunmere-valley.example"


def _comment(
    ctx: DemoContext,
    *,
    kind: str,
    target_id: int,
    project: Project,
    author: Any,
    body: str,
    parent: Comment | None = None,
    mentions: tuple[Any, ...] = (),
    **extra: Any,
) -> Comment:
    comment, created = ctx.ensure(
        Comment,
        key={"target_kind": kind, "target_id": target_id, "author": author, "body": body},
        values={"project": project, "parent": parent, **extra},
    )
    ctx.ensure_m2m(comment, "mentions", mentions, created=created)
    return comment


def build_discussion(ctx: DemoContext) -> None:
    """Comments, replies, a chart point with a mention and a coaching note."""
    falls = Project.objects.filter(slug="dunmere-falls-with-harm").first()
    larkspur = Project.objects.filter(slug="larkspur-restrictive-practice").first()
    owen = ctx.person(persona("staff_a").email)
    nia = ctx.person(persona("staff_b").email)
    faculty = ctx.person(persona("faculty").email)
    if falls is not None:
        noor, tegan = ctx.person(DUNMERE_LEAD), ctx.person(DUNMERE_MEMBER)
        question = _comment(
            ctx,
            kind=TargetKind.PROJECT,
            target_id=falls.pk,
            project=falls,
            author=owen,
            body=(
                "We are starting on falls at Avonvale. How did you get the night staff to do "
                "lying and standing blood pressure at admission?"
            ),
        )
        _comment(
            ctx,
            kind=TargetKind.PROJECT,
            target_id=falls.pk,
            project=falls,
            author=noor,
            parent=question,
            body=(
                "We tested it on one shift first and put the cuff on the admission trolley. "
                f"@{faculty.full_name} coached us through the ramp, worth a chat."
            ),
            mentions=(faculty,),
        )
        measure = Measure.objects.filter(project=falls, is_main_outcome=True).first()
        point: list[Any] = (
            list(measure.points.order_by("-period").values_list("period", flat=True)[3:4])
            if measure
            else []
        )
        if measure is not None and point:
            _comment(
                ctx,
                kind=TargetKind.MEASURE,
                target_id=measure.pk,
                project=falls,
                author=noor,
                period=point[0],
                body=(
                    f"What happened here? @{tegan.full_name}, was this the month the bay "
                    "tagging started on Willow ward?"
                ),
                mentions=(tegan,),
            )
    if larkspur is not None:
        _comment(
            ctx,
            kind=TargetKind.PROJECT,
            target_id=larkspur.pk,
            project=larkspur,
            author=faculty,
            team_only=True,
            body=(
                "Coaching note: your last three cycles changed two things at once. Try one "
                "change per cycle so you can tell which made the difference."
            ),
        )
        cycle = PdsaCycle.objects.filter(project=larkspur).order_by("pk").first()
        if cycle is not None:
            _comment(
                ctx,
                kind=TargetKind.PDSA,
                target_id=cycle.pk,
                project=larkspur,
                author=nia,
                body="Did the safety pods need estates approval, or did the ward buy them?",
            )
