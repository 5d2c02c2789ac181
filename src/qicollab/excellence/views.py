"""Pages of Learning from Excellence (thin: authorise, call a selector or service, render).

Existence is private: a report the viewer may not see, or an organisation they do not work
for, is a 404; an organisation of theirs whose LfE pages need a role they lack is a 403.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qicollab.core.forms import add_service_error
from qicollab.core.http import AuthedHttpRequest, found, paginate, pagination_context
from qicollab.core.services import ServiceError
from qicollab.excellence import presenters, selectors, services
from qicollab.excellence.forms import (
    AcknowledgeForm,
    ConsentForm,
    InquiryForm,
    LeadForm,
    LinkProjectForm,
    ReportForm,
    StartProjectForm,
    ThemeForm,
    ThemesForm,
)
from qicollab.excellence.models import ExcellenceReport, Theme
from qicollab.organisations.models import Organisation
from qicollab.reports.tabular import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Sheet,
    csv_bytes,
    xlsx_bytes,
)

HOME = ("My excellence", "/excellence/")


def _page(request: AuthedHttpRequest, template: str, title: str, **ctx: Any) -> HttpResponse:
    crumbs = ctx.pop("breadcrumbs", [HOME, (title, "")])
    return render(
        request,
        f"excellence/{template}.jinja",
        {"page_title": title, "active_nav": "excellence", "breadcrumbs": crumbs, **ctx},
    )


def _org(request: AuthedHttpRequest, slug: str) -> Organisation:
    return found(selectors.organisation_get(viewer=request.user, slug=slug))


def _lead_org(request: AuthedHttpRequest, slug: str) -> Organisation:
    org = _org(request, slug)
    if not request.user.has_perm("excellence.lead", org):
        raise PermissionDenied("Only the organisation's Learning from Excellence leads see this.")
    return org


def _lead_crumbs(org: Organisation, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        HOME,
        (f"{org.display_name} LfE", reverse("excellence:dashboard", args=[org.slug])),
        *extra,
    ]


# --- my excellence ----------------------------------------------------------------------


@login_required
@require_GET
def index(request: AuthedHttpRequest) -> HttpResponse:
    """The person's page: new reports (their inbox), kept ones, sent ones, as manager."""
    viewer = request.user
    mine = selectors.my_excellence(viewer=viewer)
    orgs = list(selectors.reporting_organisations(viewer=viewer))
    return _page(
        request,
        "index",
        "My excellence",
        breadcrumbs=[(HOME[0], "")],
        new=presenters.cards(viewer, mine.new),
        kept=presenters.cards(viewer, mine.kept),
        sent=presenters.cards(viewer, mine.sent),
        managed=presenters.cards(viewer, mine.managed),
        organisations=orgs,
        led=[o for o in orgs if viewer.has_perm("excellence.lead", o)],
        managed_orgs=[o for o in orgs if viewer.has_perm("excellence.manage_leads", o)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: AuthedHttpRequest, org: str) -> HttpResponse:
    """Report excellence: one short form, under two minutes on a phone."""
    organisation = _org(request, org)
    form = ReportForm(request.POST or None, organisation=organisation, reporter=request.user)
    if request.method == "POST" and form.is_valid():
        people, teams = form.recipients()
        d = form.cleaned_data
        try:
            report = services.report_create(
                actor=request.user,
                data=services.ReportInput(
                    organisation=organisation,
                    people=people,
                    teams=teams,
                    work_kind=d["work_kind"],
                    what_they_did=d["what_they_did"],
                    why_excellent=d["why_excellent"],
                    learning=d["learning"],
                    unit=d["unit"],
                    happened_on=d["happened_on"],
                    anonymous=d["anonymous"],
                ),
            )
        except services.ExcellenceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Thank you. Your report has been sent to the recipients.")
            return redirect("excellence:report_detail", pk=report.pk)
    return _page(
        request,
        "report_form",
        "Report excellence",
        form=form,
        organisation=organisation,
        breadcrumbs=[HOME, ("Report excellence", "")],
    )


@login_required
@require_GET
def report_new_choose(request: AuthedHttpRequest) -> HttpResponse:
    """Straight to the form when the person works for one organisation; otherwise choose."""
    orgs = list(selectors.reporting_organisations(viewer=request.user))
    if len(orgs) == 1:
        return redirect("excellence:report_new", org=orgs[0].slug)
    return _page(request, "choose_org", "Report excellence", organisations=orgs)


def _detail_context(request: AuthedHttpRequest, report: ExcellenceReport, **forms: Any) -> Any:
    viewer = request.user
    org = report.organisation
    rows = selectors.recipient_rows_for(viewer=viewer, report=report)
    lead = viewer.has_perm("excellence.lead", org)
    consent = forms.get("consent")
    if consent is None and rows:
        row = rows[0]
        consent = ConsentForm(
            organisation=org,
            viewer=viewer,
            initial={
                "keep": row.keep,
                "tell_manager": row.tell_manager,
                "line_manager": row.line_manager_id,
                "share_wider": row.share_wider,
            },
        )
    return {
        "report": report,
        "card": presenters.card(viewer, report),
        "my_rows": rows,
        "consent": consent,
        "is_lead": lead,
        "ack_form": forms.get("ack") or (AcknowledgeForm() if lead else None),
        "themes_form": forms.get("themes")
        or (
            ThemesForm(organisation=org, initial={"themes": list(report.themes.all())})
            if lead
            else None
        ),
        "has_themes": lead and selectors.themes(organisation=org).exists(),
        "acks": list(report.acknowledgements.all()),
        "themes": list(report.themes.all()),
    }


@login_required
@require_GET
def report_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = found(selectors.report_get(viewer=request.user, pk=pk))
    return _page(
        request,
        "report_detail",
        "Excellence report",
        **_detail_context(request, report),
    )


@login_required
@require_POST
def report_consent(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The recipient's choices (a team's leader answers for the team)."""
    report = found(selectors.report_get(viewer=request.user, pk=pk))
    rows = selectors.recipient_rows_for(viewer=request.user, report=report)
    if not rows:
        raise PermissionDenied("Only the recipients make these choices.")
    form = ConsentForm(request.POST, organisation=report.organisation, viewer=request.user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            for row in rows:
                services.recipient_respond(
                    actor=request.user,
                    recipient=row,
                    consent=services.Consent(
                        keep=d["keep"],
                        tell_manager=d["tell_manager"],
                        share_wider=d["share_wider"],
                        line_manager=d["line_manager"],
                    ),
                )
        except services.ExcellenceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Your choices are saved.")
            return redirect("excellence:report_detail", pk=report.pk)
    return _page(
        request,
        "report_detail",
        "Excellence report",
        **_detail_context(request, report, consent=form),
    )


def _lead_report(request: AuthedHttpRequest, pk: int) -> ExcellenceReport:
    report = found(selectors.report_get(viewer=request.user, pk=pk))
    if not request.user.has_perm("excellence.lead", report.organisation):
        raise PermissionDenied("Only the organisation's LfE leads can do this.")
    return report


@login_required
@require_POST
def report_acknowledge(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = _lead_report(request, pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.report_acknowledge(
                actor=request.user, report=report, message=form.cleaned_data["message"]
            )
        except services.ExcellenceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Acknowledged: the recipients have been told.")
            return redirect("excellence:report_detail", pk=report.pk)
    return _page(
        request, "report_detail", "Excellence report", **_detail_context(request, report, ack=form)
    )


@login_required
@require_POST
def report_themes(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = _lead_report(request, pk)
    form = ThemesForm(request.POST, organisation=report.organisation)
    if form.is_valid():
        try:
            services.report_set_themes(
                actor=request.user, report=report, themes=list(form.cleaned_data["themes"])
            )
        except services.ExcellenceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Themes saved.")
            return redirect("excellence:report_detail", pk=report.pk)
    return _page(
        request,
        "report_detail",
        "Excellence report",
        **_detail_context(request, report, themes=form),
    )


@login_required
@require_GET
def shared(request: AuthedHttpRequest, org: str) -> HttpResponse:
    """Reports every recipient agreed to share across the organisation."""
    organisation = _org(request, org)
    page = paginate(
        request, selectors.shared_reports(viewer=request.user, organisation=organisation)
    )
    return _page(
        request,
        "shared",
        f"Excellence at {organisation.display_name}",
        organisation=organisation,
        cards=presenters.cards(request.user, page.object_list),
        pagination=pagination_context(request, page),
    )


# --- the LfE lead -----------------------------------------------------------------------


def _window(request: AuthedHttpRequest) -> tuple[dt.date, dt.date]:
    end = selectors.today()
    try:
        months = max(3, min(36, int(request.GET.get("months", "12"))))
    except ValueError:
        months = 12
    start = end.replace(day=1)
    for _ in range(months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return start, end


@login_required
@require_GET
def dashboard(request: AuthedHttpRequest, org: str) -> HttpResponse:
    """The LfE lead's view: counts per theme and department over time, the run chart of
    reports per month, the latest reports, themes and inquiries."""
    organisation = _lead_org(request, org)
    start, end = _window(request)
    months = selectors.month_starts(start, end)
    monthly = selectors.monthly_counts(organisation_ids=[organisation.pk], start=start, end=end)
    counts = [monthly.get(organisation.pk, Counter()).get(m, 0) for m in months]
    page = paginate(request, selectors.organisation_reports(organisation=organisation), 20)
    return _page(
        request,
        "dashboard",
        f"Learning from Excellence: {organisation.display_name}",
        breadcrumbs=[HOME, (f"{organisation.display_name} LfE", "")],
        organisation=organisation,
        chart=presenters.run_chart(months, counts, title="Excellence reports per month"),
        by_theme=selectors.theme_table(organisation_ids=[organisation.pk], start=start, end=end),
        by_unit=selectors.unit_table(organisation=organisation, start=start, end=end),
        month_labels=[presenters.month_label(m) for m in months],
        cards=presenters.cards(request.user, page.object_list),
        pagination=pagination_context(request, page),
        themes=list(selectors.themes(organisation=organisation)),
        inquiries=list(selectors.inquiries(organisation=organisation)[:20]),
        theme_form=ThemeForm(),
    )


@login_required
@require_POST
def theme_new(request: AuthedHttpRequest, org: str) -> HttpResponse:
    organisation = _lead_org(request, org)
    form = ThemeForm(request.POST)
    if form.is_valid():
        try:
            theme = services.theme_create(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except services.ExcellenceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Theme “{theme.name}” added.")
            return redirect("excellence:dashboard", org=organisation.slug)
    return _page(
        request,
        "theme_new",
        "Add a theme",
        breadcrumbs=_lead_crumbs(organisation, ("Add a theme", "")),
        organisation=organisation,
        form=form,
    )


def _theme_page(
    request: AuthedHttpRequest, organisation: Organisation, theme: Theme, **forms: Any
) -> HttpResponse:
    viewer = request.user
    collabs = selectors.project_collaboratives(viewer=viewer, organisation=organisation)
    projects = selectors.project_choices(viewer=viewer, organisation=organisation)
    reports = selectors.organisation_reports(organisation=organisation).filter(themes=theme)
    return _page(
        request,
        "theme_detail",
        f"Theme: {theme.name}",
        breadcrumbs=_lead_crumbs(organisation, (theme.name, "")),
        organisation=organisation,
        theme=theme,
        cards=presenters.cards(viewer, reports[:50]),
        inquiries=list(selectors.inquiries(organisation=organisation).filter(theme=theme)),
        start_form=forms.get("start")
        or StartProjectForm(collaboratives=collabs, initial={"title": theme.name}),
        link_form=forms.get("link") or LinkProjectForm(projects=projects),
        can_start=bool(collabs),
    )


@login_required
@require_GET
def theme_detail(request: AuthedHttpRequest, org: str, slug: str) -> HttpResponse:
    organisation = _lead_org(request, org)
    theme = found(selectors.theme_get(organisation=organisation, slug=slug))
    return _theme_page(request, organisation, theme)


@login_required
@require_POST
def theme_start_project(request: AuthedHttpRequest, org: str, slug: str) -> HttpResponse:
    organisation = _lead_org(request, org)
    theme = found(selectors.theme_get(organisation=organisation, slug=slug))
    collabs = selectors.project_collaboratives(viewer=request.user, organisation=organisation)
    form = StartProjectForm(request.POST, collaboratives=collabs)
    if form.is_valid():
        try:
            project = services.theme_start_project(
                actor=request.user,
                theme=theme,
                collaborative=form.cleaned_data["collaborative"],
                title=form.cleaned_data["title"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "The QI project has started: you are its project lead.")
            return HttpResponseRedirect(project.get_absolute_url())
    return _theme_page(request, organisation, theme, start=form)


@login_required
@require_POST
def theme_link_project(request: AuthedHttpRequest, org: str, slug: str) -> HttpResponse:
    organisation = _lead_org(request, org)
    theme = found(selectors.theme_get(organisation=organisation, slug=slug))
    projects = selectors.project_choices(viewer=request.user, organisation=organisation)
    form = LinkProjectForm(request.POST, projects=projects)
    if form.is_valid():
        try:
            services.theme_link_project(
                actor=request.user, theme=theme, project=form.cleaned_data["project"]
            )
        except services.ExcellenceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Theme linked to the project.")
            return redirect("excellence:theme_detail", org=organisation.slug, slug=theme.slug)
    return _theme_page(request, organisation, theme, link=form)


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_new(request: AuthedHttpRequest, org: str) -> HttpResponse:
    """Record an appreciative-inquiry conversation."""
    organisation = _lead_org(request, org)
    initial = {}
    theme_slug = request.GET.get("theme")
    if theme_slug:
        initial["theme"] = selectors.theme_get(organisation=organisation, slug=theme_slug)
    form = InquiryForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            inquiry = services.inquiry_create(
                actor=request.user,
                organisation=organisation,
                data=services.InquiryInput(
                    held_on=d["held_on"],
                    attendees=d["attendees"],
                    went_well=d["went_well"],
                    every_time=d["every_time"],
                    notes=d["notes"],
                    theme=d["theme"],
                ),
            )
        except services.ExcellenceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Appreciative inquiry recorded.")
            return redirect("excellence:inquiry_detail", org=organisation.slug, pk=inquiry.pk)
    return _page(
        request,
        "inquiry_form",
        "Record an appreciative inquiry",
        breadcrumbs=_lead_crumbs(organisation, ("Appreciative inquiry", "")),
        organisation=organisation,
        form=form,
    )


@login_required
@require_GET
def inquiry_detail(request: AuthedHttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _lead_org(request, org)
    inquiry = found(selectors.inquiries(organisation=organisation).filter(pk=pk).first())
    return _page(
        request,
        "inquiry_detail",
        "Appreciative inquiry",
        breadcrumbs=_lead_crumbs(organisation, ("Appreciative inquiry", "")),
        organisation=organisation,
        inquiry=inquiry,
    )


@login_required
@require_GET
def export(request: AuthedHttpRequest, org: str, fmt: str) -> HttpResponse:
    """The organisation's reports as CSV or Excel (through reports.tabular), for its LfE
    leads."""
    organisation = _lead_org(request, org)
    from qicollab.excellence.exports import report_rows

    rows = report_rows(viewer=request.user, organisation=organisation)
    if fmt == "csv":
        body, content_type = csv_bytes(rows), CSV_CONTENT_TYPE
    elif fmt == "xlsx":
        body = xlsx_bytes([Sheet("Excellence reports", rows, freeze="A2")])
        content_type = XLSX_CONTENT_TYPE
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{organisation.slug}-learning-from-excellence.{fmt}"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def leads(request: AuthedHttpRequest, org: str) -> HttpResponse:
    """The programme manager chooses the organisation's LfE leads."""
    organisation = _org(request, org)
    if not request.user.has_perm("excellence.manage_leads", organisation):
        raise PermissionDenied("Only the organisation's programme manager chooses LfE leads.")
    form = LeadForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            lead = found(selectors.leads(organisation=organisation).filter(pk=remove).first())
            services.lead_remove(actor=request.user, lead=lead)
            messages.success(request, f"{lead.person} is no longer an LfE lead.")
            return redirect("excellence:leads", org=organisation.slug)
        if form.is_valid():
            try:
                services.lead_add(
                    actor=request.user,
                    organisation=organisation,
                    person=form.cleaned_data["email"],
                    title=form.cleaned_data["title"],
                )
            except services.ExcellenceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "LfE lead added.")
                return redirect("excellence:leads", org=organisation.slug)
    return _page(
        request,
        "leads",
        "Learning from Excellence leads",
        organisation=organisation,
        form=form,
        leads=list(selectors.leads(organisation=organisation)),
    )


# --- the collaborative ------------------------------------------------------------------


@login_required
@require_GET
def rollup(request: AuthedHttpRequest, collab: str) -> HttpResponse:
    """Counts across the collaborative: reports per month per organisation and themes.
    Counts only: no report, no person and no free text leaves its organisation."""
    collaborative = found(selectors.rollup_collaborative_get(viewer=request.user, slug=collab))
    start, end = _window(request)
    months = selectors.month_starts(start, end)
    orgs = selectors.member_organisations(collaborative=collaborative)
    ids = [o.pk for o in orgs]
    monthly = selectors.monthly_counts(organisation_ids=ids, start=start, end=end)
    per_org = [
        (o.display_name, [monthly.get(o.pk, Counter()).get(m, 0) for m in months]) for o in orgs
    ]
    totals = [sum(row[i] for _, row in per_org) for i in range(len(months))]
    return _page(
        request,
        "rollup",
        f"Learning from Excellence across {collaborative.display_name}",
        breadcrumbs=[HOME, ("Across the collaborative", "")],
        collaborative=collaborative,
        month_labels=[presenters.month_label(m) for m in months],
        per_org=[(name, row, sum(row)) for name, row in per_org],
        totals=totals,
        chart=presenters.run_chart(months, totals, title="Excellence reports per month"),
        by_theme=selectors.theme_table(organisation_ids=ids, start=start, end=end),
    )
