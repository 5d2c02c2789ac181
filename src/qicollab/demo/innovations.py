"""Demo step ``innovations``: the safety-huddle change from Larkspur ward, and its spread.

Avonvale's restrictive-practice project writes up its safety huddle as an innovation
(harvested from its storyboard at a past learning session when there is one). Three trusts
adopt it, Glenhollow adapts it (once a day, not every shift) and Marlcombe abandons it with
a reason; Brackenmoor starts a project from the change package and records a year and a
half of data, so its result shows on the spread view.

Idempotent: the innovation is found by project and title, adoptions by organisation, and the
adopter's project by its adoption; nothing that exists is written again.
"""

from __future__ import annotations

import datetime as dt

from qicollab.demo import content as c
from qicollab.demo.context import DemoContext
from qicollab.events.models import Storyboard
from qicollab.innovations import services
from qicollab.innovations.models import Adoption, Innovation, Sharing, Stage
from qicollab.measures.models import DataPoint, Measure
from qicollab.projects.models import Project
from qicollab.projects.models import Sharing as ProjectSharing
from qicollab.projects.services.projects import project_set_sharing

SOURCE_PROJECT = "larkspur-restrictive-practice"
SOURCE_LEAD = "owen.brackenholt@avonvale.example"
TITLE = "Ten-minute safety huddle at the start of every shift"

# (organisation, programme manager, [(status, months ago, note)], what changed, why stopped)
ADOPTERS: tuple[tuple[str, str, tuple[tuple[str, int], ...], str, str], ...] = (
    (
        "brackenmoor",
        "Jonah Kestrelby",
        (("considering", 18), ("testing", 16), ("adopted", 8)),
        "",
        "",
    ),
    (
        "carrowdown",
        "Leona Fernhallow",
        (("considering", 14), ("testing", 12), ("adopted", 5)),
        "",
        "",
    ),
    ("dunmere-valley", "Gareth Puddlecombe", (("testing", 10), ("adopted", 3)), "", ""),
    (
        "glenhollow",
        "Bronwen Sedgewater",
        (("considering", 9), ("adapted", 4)),
        "One huddle a day at the 14:00 handover, because night staff on the isles are "
        "agency staff who could not join; the three-question script is unchanged.",
        "",
    ),
    (
        "marlcombe",
        "Rafael Hollowell",
        (("testing", 11), ("abandoned", 6)),
        "",
        "The ward merged with Beech ward and the new team chose to pilot Safewards' "
        "'talk down' first; we will come back to huddles after the merger.",
    ),
)
#: Brackenmoor's restraint incidents a month: a baseline, then fewer after the huddle.
ADOPTER_DATA = [14, 12, 15, 13, 14, 16, 12, 13, 15, 14, 13, 14, 9, 8, 9, 7, 8, 6, 8, 7]


def _months_ago(today: dt.date, n: int) -> dt.date:
    m = today.month - 1 - n
    return dt.date(today.year + m // 12, m % 12 + 1, min(today.day, 28))


def build_innovations(ctx: DemoContext) -> None:
    """The safety-huddle innovation, five adopters and one adopter's project with data."""
    project = Project.objects.filter(slug=SOURCE_PROJECT).first()
    if project is None:
        return
    lead = ctx.person(SOURCE_LEAD)
    innovation = Innovation.objects.filter(project=project, title=TITLE).first()
    if innovation is None:
        board = Storyboard.objects.filter(project=project).order_by("session__starts_on").first()
        draft = services.prefill_from_project(project, storyboard=board)
        draft.title = TITLE
        draft.change = (
            "Every shift starts with a ten-minute huddle, standing, led by the nurse in charge, "
            "with a three-question script: who is unsettled or new, what might trigger them "
            "today, and who will check in with them first. A timer keeps it short."
        )
        draft.cost_effort = "No money. Ten minutes of each shift's overlap; a laminated script."
        draft.helped = "A timer, a script, and the ward manager joining the first fortnight."
        draft.hindered = "Agency staff who arrive after the start of the shift."
        draft.contacts = f"{lead.full_name}, ward manager, Larkspur ward ({SOURCE_LEAD})"
        draft.stage = Stage.SPREADING
        draft.sharing = Sharing.COLLABORATIVE
        innovation = services.innovation_create(
            actor=lead, project=project, data=draft, storyboard=board
        )
        ctx.counted(created=True, changed=False)
    else:
        ctx.counted(created=False, changed=False)
    for org_slug, pm_name, steps, what_changed, why in ADOPTERS:
        org = ctx.org(org_slug)
        person = ctx.person(c.email_for(pm_name, org_slug))
        adoption = Adoption.objects.filter(innovation=innovation, organisation=org).first()
        if adoption is None:
            (first, months), *rest = steps
            adoption = services.adoption_create(
                actor=person,
                innovation=innovation,
                organisation=org,
                data=services.StatusInput(status=first, on=_months_ago(ctx.today, months)),
            )
            for status, months in rest:
                services.adoption_set_status(
                    actor=person,
                    adoption=adoption,
                    data=services.StatusInput(
                        status=status,
                        on=_months_ago(ctx.today, months),
                        what_changed=what_changed if status == "adapted" else "",
                        why_abandoned=why if status == "abandoned" else "",
                    ),
                )
            ctx.counted(created=True, changed=False)
        else:
            ctx.counted(created=False, changed=False)
        if org_slug == "brackenmoor" and adoption.project_id is None:
            started = services.adoption_start_project(
                actor=person,
                adoption=adoption,
                aim_statement="Reduce restraint on Heron ward by a third within a year.",
            )
            project_set_sharing(
                actor=person,
                project=started,
                sharing=ProjectSharing.COLLABORATIVE,
                partner_organisations=[],
            )
            outcome = (
                Measure.objects.filter(project=started, measure_type="outcome")
                .order_by("order", "pk")
                .first()
            )
            if outcome is not None:
                start = _months_ago(ctx.today, len(ADOPTER_DATA))
                for n, value in enumerate(ADOPTER_DATA):
                    m = start.month - 1 + n
                    period = dt.date(start.year + m // 12, m % 12 + 1, 1)
                    ctx.ensure(
                        DataPoint,
                        key={"measure": outcome, "period": period},
                        # Incidents out of Heron ward's occupied bed days, or a plain count.
                        values={"numerator": value, "denominator": 560}
                        if outcome.uses_denominator
                        else {"value": value},
                    )
