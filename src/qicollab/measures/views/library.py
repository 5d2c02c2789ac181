"""The measure library pages: /collaboratives/<slug>/measure-library/...

A collaborative's shared operational definitions (leads and faculty curate; members use
them in their projects with one click) and the cross-site view of each.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import json_script
from django.views.decorators.http import require_POST

from qicollab.core.forms import add_service_error, show_conflict
from qicollab.core.http import found
from qicollab.core.services import EditConflict, version_token
from qicollab.measures import rendering
from qicollab.measures.library import presenters, selectors, services
from qicollab.measures.library.forms import LIBRARY_SECTIONS, LibraryMeasureForm
from qicollab.measures.models import LibraryMeasure
from qicollab.measures.views.common import EDIT, project_and_measure
from qicollab.organisations.models import Collaborative
from qicollab.projects.views.common import get_project, public_view

CURATE = "measures.change_librarymeasure"
COLLABS = ("Collaboratives", "/collaboratives/")


def _crumbs(collab: Collaborative, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        COLLABS,
        (collab.name, collab.get_absolute_url()),
        ("Measure library", f"/collaboratives/{collab.slug}/measure-library/"),
        *extra,
    ]


def _definition(request: HttpRequest, slug: str, pk: int) -> LibraryMeasure:
    return found(selectors.library_get(viewer=request.user, pk=pk, collab_slug=slug))


@login_required
def library_list(request: HttpRequest, slug: str) -> HttpResponse:
    collab = found(selectors.library_collaborative(viewer=request.user, slug=slug))
    return render(
        request,
        "measures/library/library_list.jinja",
        {
            "page_title": f"Measure library: {collab.name}",
            "active_nav": "collaboratives",
            "breadcrumbs": [*_crumbs(collab)[:-1], ("Measure library", "")],
            "collab": collab,
            "definitions": selectors.library_list(viewer=request.user, collaborative=collab),
            "can_curate": request.user.has_perm(CURATE, collab),
        },
    )


@login_required
def library_create(request: HttpRequest, slug: str) -> HttpResponse:
    collab = found(selectors.library_collaborative(viewer=request.user, slug=slug))
    if not request.user.has_perm(CURATE, collab):
        raise PermissionDenied
    form = LibraryMeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        note = data.pop("change_note", "")
        try:
            lm = services.library_measure_create(
                actor=request.user,  # type: ignore[arg-type]
                collaborative=collab,
                data=data,
                change_note=note,
            )
        except (services.LibraryError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"'{lm.name}' has been added to the measure library.")
            return redirect(lm.get_absolute_url())
    return render(
        request,
        "measures/library/library_form.jinja",
        {
            "page_title": "Add a measure to the library",
            "active_nav": "collaboratives",
            "breadcrumbs": _crumbs(collab, ("Add a measure", "")),
            "collab": collab,
            "form": form,
            "sections": LIBRARY_SECTIONS,
            "cancel": f"/collaboratives/{collab.slug}/measure-library/",
        },
    )


@login_required
def library_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    lm = _definition(request, slug, pk)
    return render(
        request,
        "measures/library/library_detail.jinja",
        {
            "page_title": lm.name,
            "active_nav": "collaboratives",
            "breadcrumbs": _crumbs(lm.collaborative, (lm.name, "")),
            "collab": lm.collaborative,
            "lm": lm,
            "definition": presenters.definition_rows(lm),
            "versions": selectors.library_versions(library_measure=lm),
            "projects": selectors.usable_projects(viewer=request.user, library_measure=lm),
            "can_curate": request.user.has_perm(CURATE, lm),
        },
    )


@login_required
def library_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    lm = _definition(request, slug, pk)
    if not request.user.has_perm(CURATE, lm):
        raise PermissionDenied
    form = LibraryMeasureForm(
        request.POST or None, instance=lm, initial={"loaded_version": version_token(lm)}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        note = data.pop("change_note", "")
        try:
            fresh = found(selectors.library_get(viewer=request.user, pk=pk))
            services.library_measure_update(
                actor=request.user,  # type: ignore[arg-type]
                library_measure=fresh,
                data=data,
                change_note=note,
                loaded_version=form.cleaned_data["loaded_version"],
            )
        except EditConflict as exc:
            conflict = show_conflict(form, exc, "library measure")
        except (services.LibraryError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect(lm.get_absolute_url())
    return render(
        request,
        "measures/library/library_form.jinja",
        {
            "page_title": f"Change the definition of {lm.name}",
            "active_nav": "collaboratives",
            "breadcrumbs": _crumbs(
                lm.collaborative, (lm.name, lm.get_absolute_url()), ("Change", "")
            ),
            "collab": lm.collaborative,
            "lm": lm,
            "form": form,
            "sections": LIBRARY_SECTIONS,
            "conflict": conflict,
            "cancel": lm.get_absolute_url(),
        },
    )


@login_required
@require_POST
def library_use(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One click: create a measure in the chosen project from this definition."""
    lm = _definition(request, slug, pk)
    project = get_project(request, request.POST.get("project", "")[:80], EDIT)
    try:
        measure = services.measure_from_library(
            actor=request.user,  # type: ignore[arg-type]
            project=project,
            library_measure=lm,
        )
    except services.LibraryError as exc:
        messages.error(request, exc.message)
        back = request.POST.get("back", "")
        if back == "project":
            return redirect("measures:measure_create", project.slug)
        return redirect(lm.get_absolute_url())
    messages.success(
        request,
        f"'{measure.name}' has been added to {project.title} from the measure library "
        f"(version {measure.library_version}). Next, enter its data.",
    )
    return redirect("measures:data_grid", project.slug, measure.pk)


@public_view
@require_POST
def measure_follow_library(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Bring a project's measure up to its library definition's newest version."""
    _, measure = project_and_measure(request, slug, pk, EDIT)
    try:
        services.measure_follow_library(
            actor=request.user,  # type: ignore[arg-type]
            measure=measure,
            loaded_version=request.POST.get("loaded_version", ""),
        )
    except EditConflict:
        messages.error(request, "Someone else changed this measure; look again and retry.")
    except services.LibraryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"The measure now follows version {measure.library_version} of the library."
        )
    return redirect(measure.get_absolute_url())


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


@login_required
def cross_site(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Every site's chart on one scale, and the funnel plot of the latest period."""
    lm = _definition(request, slug, pk)
    overdispersion = request.GET.get("overdispersion") == "1"
    view = presenters.cross_site(
        viewer=request.user, library_measure=lm, overdispersion=overdispersion
    )
    page_sites, page, pages = view.page(_page_number(request))
    multiples = []
    for site in page_sites:
        image = ""
        if site.chart.has_chart:
            image = rendering.svg_data_uri(view.small_multiple_spec(site))
        multiples.append({"site": site, "image": image})
    funnel_spec = view.funnel_spec() if view.funnel is not None else None
    return render(
        request,
        "measures/library/cross_site.jinja",
        {
            "page_title": f"Across sites: {lm.name}",
            "active_nav": "collaboratives",
            "breadcrumbs": _crumbs(
                lm.collaborative, (lm.name, lm.get_absolute_url()), ("Across sites", "")
            ),
            "lm": lm,
            "view": view,
            "multiples": multiples,
            "page": page,
            "pages": pages,
            "funnel_image": rendering.svg_data_uri(view.funnel_spec(width=640))
            if funnel_spec
            else "",
            "funnel_spec_json": (
                json_script(funnel_spec, "chart-spec-funnel") if funnel_spec else ""
            ),
            "funnel_rows": view.funnel_rows(),
            "overdispersion": overdispersion,
        },
    )
