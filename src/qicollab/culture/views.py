"""Safety-culture pages: waves, answering (no sign-in), results, debriefs and actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from qicollab.core.forms import add_service_error
from qicollab.core.http import AuthedHttpRequest, found, require
from qicollab.core.services import ServiceError
from qicollab.culture import presenters, selectors, services, suppression
from qicollab.culture.forms import (
    ActionForm,
    AnswerForm,
    CodeEntryForm,
    CodesForm,
    DebriefForm,
    InstrumentFileForm,
    LinkProjectForm,
    ShareForm,
    StartProjectForm,
    WaveForm,
)
from qicollab.culture.models import CultureAction, Debrief, Wave, WaveUnit
from qicollab.culture.results import unit_results
from qicollab.organisations import selectors as org_selectors
from qicollab.reports.pdf import PDF_CONTENT_TYPE, render_pdf
from qicollab.reports.tabular import csv_bytes

HOME = ("Home", "/")
CULTURE = ("Safety culture", "/culture/")


def _page(
    request: HttpRequest, template: str, ctx: dict[str, Any], status: int = 200
) -> HttpResponse:
    ctx.setdefault("active_nav", "culture")
    return render(request, template, ctx, status=status)


def _wave_crumbs(wave: Wave, last: str = "") -> list[tuple[str, str]]:
    crumbs = [HOME, CULTURE, (wave.title, wave.get_absolute_url())]
    if last:
        crumbs.append((last, ""))
    return crumbs


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    """The viewer's waves, and links to participation and instruments."""
    waves = list(selectors.wave_list(viewer=request.user).order_by("-opens_on")[:100])
    return _page(
        request,
        "culture/home.jinja",
        {
            "page_title": "Safety culture surveys",
            "breadcrumbs": [HOME, ("Safety culture", "")],
            "waves": waves,
            "today": timezone.localdate(),
            "can_add": request.user.has_perm("culture.add_wave"),
            "collaboratives": list(selectors.participation_collaboratives(viewer=request.user)),
        },
    )


@login_required
def instrument_list(request: AuthedHttpRequest) -> HttpResponse:
    return _page(
        request,
        "culture/instrument_list.jinja",
        {
            "page_title": "Survey instruments",
            "breadcrumbs": [HOME, CULTURE, ("Instruments", "")],
            "instruments": list(selectors.instrument_list(viewer=request.user)),
            "can_load": request.user.has_perm("culture.load_instrument"),
        },
    )


@login_required
def instrument_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    inst = found(selectors.instrument_get(viewer=request.user, pk=pk))
    form = InstrumentFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(request.user, "culture.load_instrument")
        if form.is_valid():
            try:
                n = services.instrument_load_texts(
                    actor=request.user, instrument=inst, text=form.cleaned_data["file"]
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"Loaded the texts of {n} items.")
                return redirect("culture:instrument_detail", pk=inst.pk)
    return _page(
        request,
        "culture/instrument_detail.jinja",
        {
            "page_title": inst.name,
            "breadcrumbs": [
                HOME,
                CULTURE,
                ("Instruments", reverse("culture:instrument_list")),
                (inst.name, ""),
            ],
            "inst": inst,
            "structure": selectors.instrument_structure(instrument=inst),
            "form": form,
            "can_load": request.user.has_perm("culture.load_instrument"),
        },
    )


@login_required
def instrument_upload(request: AuthedHttpRequest) -> HttpResponse:
    """Load a new instrument file (superusers: instruments are shared by everyone)."""
    require(request.user, "culture.load_instrument")
    form = InstrumentFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            inst = services.instrument_load(actor=request.user, text=form.cleaned_data["file"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Loaded {inst}.")
            return redirect("culture:instrument_detail", pk=inst.pk)
    return _page(
        request,
        "culture/instrument_upload.jinja",
        {
            "page_title": "Load an instrument file",
            "breadcrumbs": [
                HOME,
                CULTURE,
                ("Instruments", reverse("culture:instrument_list")),
                ("Load", ""),
            ],
            "form": form,
        },
    )


# --- waves --------------------------------------------------------------------------------


@login_required
def wave_create(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "culture.add_wave")
    orgs = list(selectors.managed_organisations(viewer=request.user))
    org_id = request.GET.get("organisation") or request.POST.get("organisation") or ""
    org = next((o for o in orgs if str(o.pk) == org_id), orgs[0] if orgs else None)
    org = found(org)
    form = WaveForm(
        request.POST or None,
        units=list(selectors.organisation_units(organisation=org)),
        people=selectors.organisation_people(organisation=org),
        instruments=selectors.instrument_list(viewer=request.user),
        waves=selectors.previous_waves(organisation=org),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            wave = services.wave_create(
                actor=request.user,
                organisation=org,
                data=services.WaveInput(
                    title=d["title"],
                    instrument=d["instrument"],
                    opens_on=d["opens_on"],
                    closes_on=d["closes_on"],
                    facilitator=d["facilitator"],
                    team_leader=d["team_leader"],
                    units=form.chosen_units(),
                    number=d["number"],
                    previous=d["previous"],
                    min_group=d["min_group"],
                ),
            )
        except services.CultureError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Survey wave set up. Now make a link or codes for each unit.")
            return redirect(wave)
    return _page(
        request,
        "culture/wave_form.jinja",
        {
            "page_title": "Set up a survey wave",
            "breadcrumbs": [HOME, CULTURE, ("New wave", "")],
            "form": form,
            "org": org,
            "orgs": orgs,
            "has_units": bool(form.units),
        },
    )


def _wave(request: HttpRequest, pk: int) -> Wave:
    return found(selectors.wave_get(viewer=request.user, pk=pk))


@login_required
def wave_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    wave = _wave(request, pk)
    require(request.user, "culture.view_wave", wave)
    user = request.user
    manage = user.has_perm("culture.manage_wave", wave)
    results = user.has_perm("culture.view_results", wave)
    today = timezone.localdate()
    published = suppression.results_open(wave.closes_on, wave.closed_early_on, today)
    return _page(
        request,
        "culture/wave_detail.jinja",
        {
            "page_title": wave.title,
            "breadcrumbs": _wave_crumbs(wave),
            "wave": wave,
            "is_open": services.wave_is_open(wave, today),
            "published": published,
            "monitor": selectors.monitoring(wave=wave) if (manage or results) else None,
            "manage": manage,
            "results": results,
            "lead": user.has_perm("culture.share_results", wave),
            "shares": list(selectors.share_list(wave=wave)) if results else [],
            "share_people": list(selectors.share_candidates(wave=wave))
            if user.has_perm("culture.share_results", wave)
            else None,
        },
    )


@login_required
@require_POST
def wave_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    wave = _wave(request, pk)
    require(request.user, "culture.manage_wave", wave)
    try:
        services.wave_close_early(actor=request.user, wave=wave)
    except services.CultureError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The wave is closed. Results appear tomorrow, all at once.")
    return redirect(wave)


def _wave_unit(request: HttpRequest, pk: int, wu: int, perm: str) -> tuple[Wave, WaveUnit]:
    wave = _wave(request, pk)
    require(request.user, perm, wave)
    return wave, found(selectors.wave_unit_get(wave=wave, pk=wu))


@login_required
@never_cache
def wave_unit_link(request: AuthedHttpRequest, pk: int, wu: int) -> HttpResponse:
    """Make a new open link for a unit (POST) and show it once."""
    wave, wave_unit = _wave_unit(request, pk, wu, "culture.manage_wave")
    if request.method != "POST":
        return redirect(wave)
    token = services.wave_unit_new_link(actor=request.user, wave_unit=wave_unit)
    return _page(
        request,
        "culture/distribution.jinja",
        {
            "page_title": f"Survey link for {wave_unit.unit.name}",
            "breadcrumbs": _wave_crumbs(wave, "Survey link"),
            "wave": wave,
            "wave_unit": wave_unit,
            "link": request.build_absolute_uri(reverse("culture:answer_link", args=[token])),
            "codes": None,
        },
    )


@login_required
@never_cache
def wave_unit_codes(request: AuthedHttpRequest, pk: int, wu: int) -> HttpResponse:
    """Make single-use codes for a unit (POST) and show them once, to print and hand out."""
    wave, wave_unit = _wave_unit(request, pk, wu, "culture.manage_wave")
    form = CodesForm(request.POST or None)
    codes: list[str] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.wave_unit_new_codes(
                actor=request.user, wave_unit=wave_unit, count=form.cleaned_data["count"]
            )
        except services.CultureError as exc:
            add_service_error(form, exc)
    return _page(
        request,
        "culture/distribution.jinja",
        {
            "page_title": f"Survey codes for {wave_unit.unit.name}",
            "breadcrumbs": _wave_crumbs(wave, "Survey codes"),
            "wave": wave,
            "wave_unit": wave_unit,
            "link": None,
            "codes": codes,
            "form": form,
            "code_url": request.build_absolute_uri(reverse("culture:answer_code")),
        },
    )


# --- answering: no sign-in, nothing about the person kept ---------------------------------


def _answer_page(
    request: HttpRequest, wave_unit: WaveUnit, *, code: str | None, token: str | None
) -> HttpResponse:
    instrument = wave_unit.wave.instrument
    items = list(instrument.items.select_related("domain"))
    form = AnswerForm(
        request.POST if request.method == "POST" and "answering" in request.POST else None,
        items=items,
        scale=instrument.scale,
        ask_bands=wave_unit.ask_bands,
    )
    reason = None
    try:
        services._check_open(wave_unit)
    except services.CultureError as exc:
        reason = exc.message
    if reason is None and form.is_bound and form.is_valid():
        try:
            services.response_submit(
                wave_unit=wave_unit,
                answers=services.Answers(
                    form.by_item(),
                    form.cleaned_data.get("position_band") or "",
                    form.cleaned_data.get("tenure_band") or "",
                ),
                code=code,
                link_token=token,
            )
        except services.CultureError as exc:
            if exc.field == "code":
                reason = exc.message
            else:
                add_service_error(form, exc)
        else:
            return redirect("culture:answer_thanks")
    groups: list[tuple[Any, list[Any]]] = []
    for i in items:
        if not groups or groups[-1][0].pk != i.domain_id:
            groups.append((i.domain, []))
        groups[-1][1].append(form[f"item_{i.code}"])
    return render(
        request,
        "culture/answer.jinja",
        {
            "page_title": f"{wave_unit.wave.title}: {wave_unit.unit.name}",
            "wave_unit": wave_unit,
            "instrument": instrument,
            "form": form,
            "groups": groups,
            "reason": reason,
            "code": code,
            "threshold": suppression.threshold(wave_unit.wave.min_group),
            "is_reflection": instrument.kind == "reflection",
        },
        status=200 if reason is None else 410,
    )


@never_cache
def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """The unit's open link: anyone holding it may answer."""
    wave_unit = services.wave_unit_for_link(token)
    if wave_unit is None:
        return render(
            request,
            "culture/answer_unknown.jinja",
            {"page_title": "Survey link not recognised", "what": "link"},
            status=404,
        )
    return _answer_page(request, wave_unit, code=None, token=token)


@never_cache
def answer_code(request: HttpRequest) -> HttpResponse:
    """Enter a single-use code, then answer (the code travels in the form, never in a URL)."""
    form = CodeEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        wave_unit = services.wave_unit_for_code(code)
        if wave_unit is None:
            form.add_error("code", "We do not recognise this code: check it and try again")
        elif services.code_used(code):
            form.add_error("code", "This code has already been used to answer")
        else:
            return _answer_page(request, wave_unit, code=code, token=None)
    return render(
        request,
        "culture/answer_code.jinja",
        {"page_title": "Answer a team culture survey", "form": form},
    )


def answer_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "culture/answer_thanks.jinja", {"page_title": "Thank you"})


# --- results ------------------------------------------------------------------------------


def _results_ctx(request: HttpRequest, wave: Wave, wave_unit: WaveUnit) -> dict[str, Any]:
    r = unit_results(wave_unit)
    spec = presenters.domain_chart(r) if r.responses is not None else None
    from qicollab.measures import rendering

    return {
        "wave": wave,
        "wave_unit": wave_unit,
        "r": r,
        "chart_uri": rendering.svg_data_uri(spec) if spec else None,
        "chart_alt": presenters.chart_alt(r),
        "pct": presenters.pct,
        "summary": presenters.domain_summary,
    }


@login_required
def results(request: AuthedHttpRequest, pk: int, wu: int) -> HttpResponse:
    wave, wave_unit = _wave_unit(request, pk, wu, "culture.view_results")
    ctx = _results_ctx(request, wave, wave_unit)
    ctx.update(
        page_title=f"Results: {wave_unit.unit.name}",
        breadcrumbs=_wave_crumbs(wave, f"Results: {wave_unit.unit.name}"),
        debriefs=selectors.debriefs(wave_unit=wave_unit),
        can_debrief=request.user.has_perm("culture.record_debrief", wave),
        status_tags=presenters.STATUS_TAGS,
    )
    return _page(request, "culture/results.jinja", ctx)


@login_required
def results_pdf(request: AuthedHttpRequest, pk: int, wu: int) -> HttpResponse:
    """The debrief pack: the same figures as the page, printed."""
    wave, wave_unit = _wave_unit(request, pk, wu, "culture.view_results")
    ctx = _results_ctx(request, wave, wave_unit)
    ctx["generated_on"] = timezone.localdate()
    pdf = render_pdf("culture/debrief_pack.jinja", ctx, request=request)
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="debrief-pack-{wave.pk}-{wave_unit.pk}.pdf"'
    )
    return response


@login_required
def results_csv(request: AuthedHttpRequest, pk: int, wu: int) -> HttpResponse:
    """Domain and item figures as CSV (withheld figures are empty, never the number)."""
    wave, wave_unit = _wave_unit(request, pk, wu, "culture.view_results")
    r = unit_results(wave_unit)
    rows: list[list[object]] = [
        [
            "level",
            "code",
            "name",
            "respondents",
            "% positive",
            "% neutral",
            "% negative",
            "% at or above cut-off",
        ]
    ]
    rows.extend(
        ["domain", d.code, d.name, d.n, d.positive, d.neutral, d.negative, d.at_or_above]
        for d in r.domains
    )
    rows.extend(
        ["item", i.code, i.text, i.n, i.positive, i.neutral, i.negative, None] for i in r.items
    )
    response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="culture-results-{wave.pk}-{wave_unit.pk}.csv"'
    )
    return response


@login_required
@require_POST
def share_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    wave = _wave(request, pk)
    require(request.user, "culture.share_results", wave)
    form = ShareForm(request.POST, people=selectors.share_candidates(wave=wave))
    if form.is_valid():
        try:
            services.result_share_add(
                actor=request.user, wave=wave, person=form.cleaned_data["person"]
            )
        except services.CultureError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Shared the results with {form.cleaned_data['person']}.")
    else:
        messages.error(request, "Choose a person from the list to share the results with.")
    return redirect(wave)


@login_required
@require_POST
def share_remove(request: AuthedHttpRequest, pk: int, person_id: int) -> HttpResponse:
    wave = _wave(request, pk)
    require(request.user, "culture.share_results", wave)
    services.result_share_remove(actor=request.user, wave=wave, person_id=person_id)
    messages.success(request, "Stopped sharing the results with that person.")
    return redirect(wave)


# --- debriefs and actions -----------------------------------------------------------------


@login_required
def debrief_form(
    request: AuthedHttpRequest, pk: int, wu: int, debrief_id: int | None = None
) -> HttpResponse:
    wave, wave_unit = _wave_unit(request, pk, wu, "culture.view_results")
    require(request.user, "culture.record_debrief", wave)
    debrief = (
        found(selectors.debrief_get(wave_unit=wave_unit, pk=debrief_id)) if debrief_id else None
    )
    initial: dict[str, Any] = {}
    if debrief is not None:
        initial = {
            "held_on": debrief.held_on,
            "attendees": debrief.attendees,
            "notes": debrief.notes,
            "items_discussed": list(debrief.items_discussed.all()),
        }
    form = DebriefForm(request.POST or None, initial=initial, items=wave.instrument.items.all())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.debrief_record(
                actor=request.user,
                wave_unit=wave_unit,
                debrief=debrief,
                data=services.DebriefInput(
                    d["held_on"], d["attendees"], list(d["items_discussed"]), d["notes"]
                ),
            )
        except services.CultureError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Debrief recorded.")
            return redirect("culture:results", pk=wave.pk, wu=wave_unit.pk)
    return _page(
        request,
        "culture/debrief_form.jinja",
        {
            "page_title": f"Record the debrief: {wave_unit.unit.name}",
            "breadcrumbs": _wave_crumbs(wave, "Debrief"),
            "form": form,
            "wave": wave,
            "wave_unit": wave_unit,
        },
    )


def _debrief(
    request: HttpRequest, pk: int, wu: int, debrief_id: int
) -> tuple[Wave, WaveUnit, Debrief]:
    wave, wave_unit = _wave_unit(request, pk, wu, "culture.view_results")
    require(request.user, "culture.record_debrief", wave)
    return wave, wave_unit, found(selectors.debrief_get(wave_unit=wave_unit, pk=debrief_id))


@login_required
def action_form(
    request: AuthedHttpRequest, pk: int, wu: int, debrief_id: int, action_id: int | None = None
) -> HttpResponse:
    wave, wave_unit, debrief = _debrief(request, pk, wu, debrief_id)
    action: CultureAction | None = (
        found(selectors.action_get(debrief=debrief, pk=action_id)) if action_id else None
    )
    initial = (
        {
            "title": action.title,
            "owner": action.owner,
            "due_on": action.due_on,
            "status": action.status,
        }
        if action
        else {}
    )
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.action_save(
                actor=request.user,
                debrief=debrief,
                action=action,
                data=services.ActionInput(d["title"], d["owner"], d["due_on"], d["status"]),
            )
        except services.CultureError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Action saved.")
            return redirect("culture:results", pk=wave.pk, wu=wave_unit.pk)
    ctx: dict[str, Any] = {
        "page_title": "Change the action" if action else "Add an action",
        "breadcrumbs": _wave_crumbs(wave, "Action"),
        "form": form,
        "wave": wave,
        "wave_unit": wave_unit,
        "debrief": debrief,
        "action": action,
    }
    if action is not None and action.project_id is None:
        org = wave.organisation
        ctx["start_form"] = StartProjectForm(
            collaboratives=selectors.project_collaboratives(viewer=request.user, organisation=org)
        )
        ctx["link_form"] = LinkProjectForm(
            projects=selectors.linkable_projects(viewer=request.user, organisation=org)
        )
    return _page(request, "culture/action_form.jinja", ctx)


@login_required
@require_POST
def action_project(
    request: AuthedHttpRequest, pk: int, wu: int, debrief_id: int, action_id: int
) -> HttpResponse:
    """Start a QI project from the action, or link it to an existing one."""
    wave, wave_unit, debrief = _debrief(request, pk, wu, debrief_id)
    action = found(selectors.action_get(debrief=debrief, pk=action_id))
    org = wave.organisation
    back = reverse("culture:action_edit", args=[wave.pk, wave_unit.pk, debrief.pk, action.pk])
    try:
        if "collaborative" in request.POST:
            sf = StartProjectForm(
                request.POST,
                collaboratives=selectors.project_collaboratives(
                    viewer=request.user, organisation=org
                ),
            )
            if not sf.is_valid():
                messages.error(request, "Choose a collaborative from the list.")
                return redirect(back)
            services.action_start_project(
                actor=request.user, action=action, collaborative=sf.cleaned_data["collaborative"]
            )
        else:
            lf = LinkProjectForm(
                request.POST,
                projects=selectors.linkable_projects(viewer=request.user, organisation=org),
            )
            if not lf.is_valid():
                messages.error(request, "Choose a project from the list.")
                return redirect(back)
            services.action_link_project(
                actor=request.user, action=action, project=lf.cleaned_data["project"]
            )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, "The action is now linked to its QI project.")
    return redirect("culture:results", pk=wave.pk, wu=wave_unit.pk)


# --- participation: the collaborative's and the national programme's view ----------------


@login_required
def participation(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    collab = found(org_selectors.collaborative_get(viewer=request.user, slug=slug))
    require(request.user, "culture.view_participation", collab)
    rows = selectors.participation(collaborative=collab)
    return _page(
        request,
        "culture/participation.jinja",
        {
            "page_title": f"Safety culture participation: {collab.name}",
            "breadcrumbs": [HOME, CULTURE, (f"Participation: {collab.name}", "")],
            "collab": collab,
            "rows": rows,
            "threshold": suppression.threshold(),
            "pct": presenters.pct,
        },
    )
