"""Every project page renders for the project lead (a quick net under the finer tests)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qicollab.projects.models import ChangeIdea, PdsaCycle, PrimaryDriver, ProjectMember


@pytest.mark.parametrize(
    "name",
    [
        "project_detail",
        "project_edit",
        "project_sharing",
        "team",
        "aim_edit",
        "progress",
        "drivers",
        "diagram_svg",
        "pdsa_list",
        "pdsa_create",
    ],
)
def test_page_renders_for_lead(name: str, full_project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    response = c.get(reverse(f"projects:{name}", args=[full_project.slug]))
    assert response.status_code == 200, response.content[:2000]


def test_object_pages_render(full_project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    slug = full_project.slug
    cycle = PdsaCycle.objects.filter(project=full_project).first()
    idea = ChangeIdea.objects.filter(project=full_project).first()
    primary = PrimaryDriver.objects.filter(project=full_project).first()
    member = ProjectMember.objects.filter(project=full_project, role="partner").first()
    report = full_project.progress_reports.filter(rater_type="self").first()
    urls = [
        reverse("projects:pdsa_detail", args=[slug, cycle.pk]),
        reverse("projects:pdsa_edit", args=[slug, cycle.pk]),
        reverse("projects:pdsa_delete", args=[slug, cycle.pk]),
        reverse("projects:node_edit", args=[slug, "idea", idea.pk]),
        reverse("projects:node_delete", args=[slug, "idea", idea.pk]),
        reverse("projects:node_delete", args=[slug, "primary", primary.pk]),
        reverse("projects:member_role", args=[slug, member.pk]),
        reverse("projects:member_remove", args=[slug, member.pk]),
        reverse("projects:coproduction_edit", args=[slug, "aim"]),
        reverse("projects:progress_create", args=[slug, "self"]),
        reverse("projects:progress_edit", args=[slug, report.pk]),
        reverse("projects:project_list"),
        reverse("projects:project_create"),
    ]
    for u in urls:
        response = c.get(u)
        assert response.status_code == 200, (u, response.content[:3000])
