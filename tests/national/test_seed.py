"""``seed_national``: sizes by scale, beside the demo, refuses twice, --replace, progress bar."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from qicollab.accounts.models import Person
from qicollab.demo import synthetic
from qicollab.measures.models import DataPoint, Measure
from qicollab.national import selectors
from qicollab.organisations.models import Collaborative, NationalProgramme, Organisation
from qicollab.projects.models import PdsaCycle, ProgressReport, Project

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_national", "--scale", "0.01", "--no-progress", *args, stdout=out)
    return out.getvalue()


def test_sizes_scale_and_never_fall_below_a_workable_minimum() -> None:
    full = synthetic.Sizes.for_scale(1.0)
    assert (full.collaboratives, full.organisations, full.people, full.projects) == (
        15,
        450,
        5000,
        2000,
    )
    tiny = synthetic.Sizes.for_scale(0.01)
    assert tiny.collaboratives == 2 and tiny.organisations >= 6 and tiny.projects == 20


def test_seed_beside_the_demo_then_refuse_then_replace(world: Any) -> None:
    before = (Organisation.objects.count(), Person.objects.count(), Collaborative.objects.count())
    text = seed()
    assert "Done in" in text
    programme = NationalProgramme.objects.get(slug="nat-synthetic")
    collabs = Collaborative.objects.filter(programme=programme)
    assert collabs.count() == 2
    assert all(c.slug.startswith("nat-") for c in collabs)
    projects = Project.objects.filter(collaborative__in=collabs)
    assert projects.count() == 20
    measures = Measure.objects.filter(project__in=projects)
    assert measures.count() == 100
    assert measures.filter(is_main_outcome=True).count() == 20
    assert len(set(measures.values_list("chart_type", flat=True))) >= 4
    points = DataPoint.objects.filter(measure__in=measures).count()
    assert 100 * 40 <= points <= 100 * 120
    assert ProgressReport.objects.filter(project__in=projects).exists()
    assert PdsaCycle.objects.filter(project__in=projects).exists()
    assert len(set(projects.values_list("sharing", flat=True))) >= 2
    # The world (the "demo") is untouched and still there.
    assert Organisation.objects.exclude(slug__startswith="nat-").count() == before[0]
    assert Collaborative.objects.exclude(slug__startswith="nat-").count() == before[2]

    with pytest.raises(CommandError, match="already loaded"):
        seed()
    first = sorted(measures.values_list("name", flat=True))
    seed("--replace")
    assert Collaborative.objects.filter(programme__slug="nat-synthetic").count() == 2
    again = Measure.objects.filter(project__collaborative__programme__slug="nat-synthetic")
    assert sorted(again.values_list("name", flat=True)) == first  # same seed, same data
    assert Organisation.objects.exclude(slug__startswith="nat-").count() == before[0]
    assert Person.objects.exclude(email__endswith="@nat.example.org").count() == before[1]


def test_the_lead_rolls_up_their_synthetic_collaborative(db: Any) -> None:
    seed()
    lead = Person.objects.get(email=synthetic.lead_email(1))
    programme = NationalProgramme.objects.get(slug="nat-synthetic")
    ids = selectors.rollup_collab_ids(viewer=lead, programme=programme)
    assert ids == {Collaborative.objects.get(slug=synthetic.collaborative_slug(1)).pk}


def test_bad_scale_is_refused(db: Any) -> None:
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_national", "--scale", "0")


def test_progress_bar_draws_in_place() -> None:
    out = io.StringIO()
    bar = synthetic.Progress(out, 4)
    bar.step("measures", 2)
    bar.step("data points", 2)
    bar.finish()
    text = out.getvalue()
    assert text.count("\r") >= 2 and "100%" in text and text.endswith("\n")
    assert "#" * synthetic.Progress.WIDTH in text
