"""A missing scale is restored, not a crash: the project page never fails for want of it."""

from __future__ import annotations

from typing import Any

from qicollab.projects import selectors
from qicollab.projects.models import ScaleDefinition, ScaleLevel


def test_scales_are_restored_when_the_table_was_emptied(
    project: Any, world: Any, login: Any
) -> None:
    ScaleDefinition.objects.all().delete()
    assert selectors.scale_for(collaborative=world.collab).code == "ihi-lifeqi"
    assert ScaleLevel.objects.filter(scale__code="ihi-collaborative").count() == 9
    ScaleDefinition.objects.all().delete()
    assert login(world.people["staff_a"]).get(project.get_absolute_url()).status_code == 200
