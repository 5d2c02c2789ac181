"""Demo step: safety champions and QI experts designated at the demo's member organisations,
so that the national roll-up of the demo programme has something to count."""

from __future__ import annotations

from datetime import timedelta

from qicollab.demo.context import DemoContext
from qicollab.national.models import Designation, DesignationKind
from qicollab.organisations.models import Affiliation, Collaborative, CollaborativeMembership


def build_designations(ctx: DemoContext) -> None:
    """A few designations per member organisation, dated over the last eighteen months."""
    collabs = (
        Collaborative.objects.filter(programme__isnull=False)
        .exclude(slug__startswith="nat-")  # the synthetic national set has its own
        .order_by("slug")
    )
    for collab in collabs:
        rng = ctx.rng("national", "designations", collab.slug)
        members = (
            CollaborativeMembership.objects.current()
            .filter(collaborative=collab)
            .order_by("organisation__slug")
            .values_list("organisation_id", flat=True)
        )
        for org_id in members:
            staff = list(
                Affiliation.objects.filter(
                    organisation_id=org_id,
                    ended_on__isnull=True,
                    role__in=["staff", "programme_manager"],
                )
                .order_by("person__email")
                .select_related("person")
            )
            for aff in staff[: rng.randint(1, 3)]:
                kind = rng.choice(DesignationKind.values)
                ctx.ensure(
                    Designation,
                    key={"person": aff.person, "collaborative": collab, "kind": kind},
                    values={
                        "organisation_id": org_id,
                        "designated_on": ctx.today - timedelta(days=rng.randint(10, 540)),
                        "note": "Demo designation.",
                    },
                )
