"""Care bundles: define a bundle, audit patients against it, see its reliability."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import json_script
from django.views.decorators.http import require_POST

from qicollab.core.forms import add_service_error
from qicollab.core.http import found
from qicollab.measures import selectors, services
from qicollab.measures.bundles import RELIABILITY_AIM_PERCENT, reliability_level, sample_caution
from qicollab.measures.forms import AuditForm, BundleForm
from qicollab.measures.periods import period_label
from qicollab.measures.rendering import svg_data_uri
from qicollab.measures.spc_adapter import bundle_charts
from qicollab.measures.views.common import (
    EDIT,
    can_edit,
    measure_crumbs,
    project_and_bundle,
)
from qicollab.projects.views.common import get_project, public_view


@public_view
def bundle_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project(request, slug, EDIT)
    form = BundleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            bundle = services.bundle_create(
                actor=request.user,  # type: ignore[arg-type]
                project=project,
                data={k: d[k] for k in ("name", "description", "frequency")},
                elements=d["elements"],
            )
        except (services.MeasureError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"'{bundle.name}' has been added. Next, record an audit.")
            return redirect(bundle.get_absolute_url())
    return render(
        request,
        "measures/bundle_form.jinja",
        {
            "page_title": "Add a care bundle",
            "active_nav": "projects",
            "breadcrumbs": measure_crumbs(project, ("Add a care bundle", "")),
            "project": project,
            "form": form,
        },
    )


def _chart_block(chart: Any, key: str) -> dict[str, Any]:
    spec = chart.spec(height=260) if chart is not None and chart.has_chart else None
    return {
        "chart": chart,
        "key": key,
        "spec_json": json_script(spec, f"chart-spec-{key}") if spec else "",
        # The server's drawing shows first; the interactive chart replaces it on demand.
        "fallback": svg_data_uri(spec) if spec else "",
        "table": chart.table() if chart is not None else [],
    }


@public_view
def bundle_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project, bundle = project_and_bundle(request, slug, pk)
    charts = bundle_charts(bundle, aim_percent=RELIABILITY_AIM_PERCENT)
    periods: list[dict[str, Any]] = [
        {
            "label": period_label(p.period, bundle.frequency),
            "audits": p.all_or_none.eligible,
            "excluded": p.excluded,
            "all_or_none": p.all_or_none,
            "composite": p.composite,
            "level": p.reliability,
        }
        for p in reversed(charts.periods)
    ]
    total_s = sum(p.all_or_none.successes for p in charts.periods[-3:])
    total_n = sum(p.all_or_none.eligible for p in charts.periods[-3:])
    return render(
        request,
        "measures/bundle_detail.jinja",
        {
            "page_title": bundle.name,
            "active_nav": "projects",
            "breadcrumbs": measure_crumbs(project, (bundle.name, "")),
            "project": project,
            "bundle": bundle,
            "elements": list(bundle.elements.all()),
            "periods": periods,
            "latest": periods[0] if periods else None,
            "recent": {
                "successes": total_s,
                "eligible": total_n,
                "level": reliability_level(total_s, total_n),
                "caution": sample_caution(reliability_level(total_s, total_n), total_n),
            },
            "latest_caution": sample_caution(periods[0]["level"], periods[0]["audits"])
            if periods
            else "",
            "aim": RELIABILITY_AIM_PERCENT,
            "blocks": [
                _chart_block(charts.all_or_none, f"{bundle.pk}-aon"),
                _chart_block(charts.composite, f"{bundle.pk}-composite"),
            ],
            "element_blocks": [
                (text, _chart_block(c, f"{bundle.pk}-e{i}"))
                for i, (text, c) in enumerate(charts.elements)
            ],
            "audits": selectors.bundle_audits(bundle=bundle)[:50],
            "audit_count": bundle.audits.count(),
            "can_edit": can_edit(request, project),
        },
    )


@public_view
def audit_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project, bundle = project_and_bundle(request, slug, pk, EDIT)
    elements = list(bundle.elements.all())
    form = AuditForm(
        request.POST or None, elements=elements, initial={"audited_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.bundle_audit_record(
                actor=request.user,  # type: ignore[arg-type]
                bundle=bundle,
                audited_on=form.cleaned_data["audited_on"],
                reference=form.cleaned_data["reference"],
                results=form.results(),
            )
        except services.MeasureError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"The audit of {audit.reference} has been recorded.")
            if "another" in request.POST:
                return redirect("measures:audit_add", project.slug, bundle.pk)
            return redirect(bundle.get_absolute_url())
    response = render(
        request,
        "measures/audit_form.jinja",
        {
            "page_title": f"Record an audit: {bundle.name}",
            "active_nav": "projects",
            "breadcrumbs": measure_crumbs(
                project, (bundle.name, bundle.get_absolute_url()), ("Record an audit", "")
            ),
            "project": project,
            "bundle": bundle,
            "form": form,
        },
    )
    return response


@public_view
@require_POST
def audit_delete(request: HttpRequest, slug: str, pk: int, audit_pk: int) -> HttpResponse:
    _project, bundle = project_and_bundle(request, slug, pk, EDIT)
    audit = found(bundle.audits.filter(pk=audit_pk).first())
    services.bundle_audit_delete(actor=request.user, audit=audit)  # type: ignore[arg-type]
    messages.success(request, f"The audit of {audit.reference} has been deleted.")
    return redirect(bundle.get_absolute_url() + "#audits")
