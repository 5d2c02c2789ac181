"""Training record pages: courses, cohorts and their rosters, records and certificates.

Thin: authorise (rules), select, call a service, render. The roster's htmx forms post to
the same URLs as the plain forms; ``request.htmx`` only chooses fragment or redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from qicollab.accounts.models import Profession
from qicollab.capability import certificates, presenters, selectors, services
from qicollab.capability.forms import AddPersonForm, CohortForm, CompletionForm, CourseForm
from qicollab.capability.models import Cohort, Course, PersonKind, TrainingCategory
from qicollab.capability.views import HOME, with_collaborative
from qicollab.core.forms import add_service_error, show_conflict
from qicollab.core.http import AuthedHttpRequest, found, require
from qicollab.core.services import EditConflict
from qicollab.organisations.models import Collaborative
from qicollab.reports.pdf import PDF_CONTENT_TYPE

TRAINING = ("Training", "/learning/training/")


def _ctx(title: str, *crumbs: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "page_title": title,
        "active_nav": "learning",
        "breadcrumbs": [HOME, *crumbs, (title, "")],
        "status_tag": presenters.status_tag,
        **extra,
    }


def _course(request: AuthedHttpRequest, collab: Collaborative, slug: str) -> Course:
    return found(selectors.course_get(viewer=request.user, collaborative=collab, slug=slug))


def _cohort(request: AuthedHttpRequest, pk: int) -> Cohort:
    return found(selectors.cohort_get(viewer=request.user, pk=pk))


def _people_trained(viewer: Any, collab: Collaborative) -> dict[str, Any]:
    """The collaborative's people-trained summary, with small counts suppressed for viewers
    who may not see the individuals (see presenters.SUPPRESS_BELOW)."""
    sees = viewer.has_perm("capability.manage_training", collab)
    ids = [collab.pk]
    by_cat = selectors.people_trained_by_category(ids)
    return {
        "trained_total": presenters.shown_count(
            selectors.people_trained_count(ids), sees_individuals=sees
        ),
        "trained_by_category": presenters.trained_table(
            {k: v for k, v in by_cat.items() if v},
            dict(TrainingCategory.choices),
            sees_individuals=sees,
        ),
        "trained_by_kind": presenters.trained_table(
            selectors.people_trained_by_kind(ids), dict(PersonKind.choices), sees_individuals=sees
        ),
        "staff_by_profession": presenters.trained_table(
            selectors.staff_trained_by_profession(ids), {}, sees_individuals=sees
        ),
    }


@login_required
@with_collaborative
def course_list(request: AuthedHttpRequest, collab: Collaborative) -> HttpResponse:
    require(request.user, "capability.view_training", collab)
    return render(
        request,
        "capability/course_list.jinja",
        _ctx(
            "Training",
            collab=collab,
            courses=list(selectors.course_list(collaborative=collab)),
            can_manage=request.user.has_perm("capability.manage_training", collab),
            can_see_records=request.user.has_perm("capability.view_training_records", collab),
            **_people_trained(request.user, collab),
        ),
    )


def _course_form(
    request: AuthedHttpRequest, collab: Collaborative, course: Course | None
) -> HttpResponse:
    require(request.user, "capability.manage_training", collab)
    form = CourseForm(
        request.POST or None,
        instance=course,
        initial={"loaded_version": course.updated_at.isoformat() if course else ""},
    )
    other = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        if course is not None:
            # The ModelForm has already copied the typed values onto the instance; the
            # service re-applies them to a fresh copy so a conflict check sees the saved row.
            course.refresh_from_db()
        try:
            saved = services.course_save(
                actor=request.user,
                collaborative=collab,
                data=data,
                course=course,
                version=form.cleaned_data.get("loaded_version"),
            )
        except EditConflict as exc:
            other = show_conflict(form, exc, "course")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{saved.title} has been saved.")
            return redirect("capability:course_detail", slug=saved.slug)
    title = f"Edit {course.title}" if course else "Add a course"
    return render(
        request,
        "capability/course_form.jinja",
        _ctx(title, TRAINING, form=form, course=course, other=other),
    )


@login_required
@with_collaborative
def course_new(request: AuthedHttpRequest, collab: Collaborative) -> HttpResponse:
    return _course_form(request, collab, None)


@login_required
@with_collaborative
def course_edit(request: AuthedHttpRequest, collab: Collaborative, slug: str) -> HttpResponse:
    return _course_form(request, collab, _course(request, collab, slug))


@login_required
@with_collaborative
def course_detail(request: AuthedHttpRequest, collab: Collaborative, slug: str) -> HttpResponse:
    course = _course(request, collab, slug)
    cohorts = list(selectors.cohorts_of(course=course))
    mine = {e.cohort_id: e for e in selectors.my_enrolments(person=request.user)}
    return render(
        request,
        "capability/course_detail.jinja",
        _ctx(
            course.title,
            TRAINING,
            course=course,
            cohorts=cohorts,
            mine=mine,
            today=timezone.localdate(),
            can_manage=request.user.has_perm("capability.manage_training", collab),
            can_enrol=request.user.has_perm("capability.assess_in", collab),
        ),
    )


def _cohort_form(request: AuthedHttpRequest, course: Course, cohort: Cohort | None) -> HttpResponse:
    collab = course.collaborative
    require(request.user, "capability.manage_training", collab)
    form = CohortForm(
        request.POST or None,
        instance=cohort,
        facilitators=selectors.facilitator_choices(collaborative=collab),
        initial={"loaded_version": cohort.updated_at.isoformat() if cohort else ""},
    )
    other = None
    if request.method == "POST" and form.is_valid():
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("loaded_version", "session_dates")
        }
        if cohort is not None:
            cohort.refresh_from_db()
        try:
            saved = services.cohort_save(
                actor=request.user,
                course=course,
                data=data,
                session_dates=form.cleaned_data["session_dates"],
                cohort=cohort,
                version=form.cleaned_data.get("loaded_version"),
            )
        except EditConflict as exc:
            other = show_conflict(form, exc, "cohort")
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{saved.name} has been saved.")
            return redirect("capability:cohort_detail", pk=saved.pk)
    title = f"Edit {cohort.name}" if cohort else f"Add a cohort of {course.title}"
    return render(
        request,
        "capability/cohort_form.jinja",
        _ctx(
            title,
            TRAINING,
            (course.title, reverse("capability:course_detail", args=[course.slug])),
            form=form,
            course=course,
            other=other,
        ),
    )


@login_required
@with_collaborative
def cohort_new(request: AuthedHttpRequest, collab: Collaborative, slug: str) -> HttpResponse:
    return _cohort_form(request, _course(request, collab, slug), None)


@login_required
def cohort_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    return _cohort_form(request, cohort.course, cohort)


def _cohort_page(
    request: AuthedHttpRequest, cohort: Cohort, *, add_form: AddPersonForm | None = None
) -> dict[str, Any]:
    runs = request.user.has_perm("capability.run_cohort", cohort)
    sessions = list(cohort.sessions.all())
    ctx: dict[str, Any] = {
        "cohort": cohort,
        "course": cohort.course,
        "sessions": sessions,
        "runs": runs,
        "today": timezone.localdate(),
        "mine": cohort.enrolments.filter(person_id=request.user.pk).first(),
        "can_enrol": request.user.has_perm("capability.assess_in", cohort.course.collaborative),
        "n_enrolled": cohort.enrolments.exclude(status="withdrawn").count(),
    }
    if runs:
        ctx["rows"] = presenters.roster_rows(selectors.roster(cohort=cohort), sessions)
        ctx["add_form"] = add_form or AddPersonForm(
            people=selectors.enrollable_people(cohort=cohort)
        )
        ctx["completion_form"] = CompletionForm(initial={"completed_on": timezone.localdate()})
    return ctx


@login_required
def cohort_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    return render(
        request,
        "capability/cohort_detail.jinja",
        _ctx(
            f"{cohort.course.title}: {cohort.name}",
            TRAINING,
            (cohort.course.title, reverse("capability:course_detail", args=[cohort.course.slug])),
            **_cohort_page(request, cohort),
        ),
    )


def _back_to_roster(request: AuthedHttpRequest, cohort: Cohort) -> HttpResponse:
    """htmx gets the roster fragment; a plain form goes back to the page."""
    if getattr(request, "htmx", False):
        ctx = _cohort_page(request, cohort)
        return HttpResponse(
            render_to_string(
                "capability/_roster.jinja",
                {**ctx, "status_tag": presenters.status_tag},
                request=request,
            )
        )
    return redirect("capability:cohort_detail", pk=cohort.pk)


@login_required
@require_POST
def cohort_enrol(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Enrol yourself, or (faculty, leads, facilitator) add someone from a member organisation."""
    cohort = _cohort(request, pk)
    person: Any = request.user
    if "person" in request.POST:
        require(request.user, "capability.run_cohort", cohort)
        form = AddPersonForm(request.POST, people=selectors.enrollable_people(cohort=cohort))
        if not form.is_valid():
            ctx = _cohort_page(request, cohort, add_form=form)
            title = f"{cohort.course.title}: {cohort.name}"
            return render(
                request, "capability/cohort_detail.jinja", _ctx(title, TRAINING, **ctx), status=200
            )
        person = form.cleaned_data["person"]
    try:
        services.enrolment_create(actor=request.user, cohort=cohort, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        own = person.pk == request.user.pk
        messages.success(
            request, "You are enrolled." if own else f"{person.full_name} has been enrolled."
        )
    return redirect("capability:cohort_detail", pk=cohort.pk)


@login_required
@require_POST
def attendance_mark(request: AuthedHttpRequest, pk: int, session_pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    require(request.user, "capability.run_cohort", cohort)
    session = found(selectors.cohort_session_get(cohort=cohort, pk=session_pk))
    try:
        present = {int(v) for v in request.POST.getlist("present")}
        n = services.attendance_mark(actor=request.user, session=session, present=present)
    except (ValueError, ValidationError):
        messages.error(request, "The attendance list did not match the roster; try again.")
    else:
        messages.success(request, f"Attendance for {session} saved: {n} present.")
    return _back_to_roster(request, cohort)


def _enrolment_for_change(request: AuthedHttpRequest, pk: int) -> Any:
    return found(selectors.enrolment_get(viewer=request.user, pk=pk))


@login_required
@require_POST
def enrolment_complete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    e = _enrolment_for_change(request, pk)
    require(request.user, "capability.run_cohort", e.cohort)
    form = CompletionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for m in form.errors["completed_on"]))
    else:
        try:
            services.enrolment_complete(
                actor=request.user, enrolment=e, completed_on=form.cleaned_data["completed_on"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{e.person.full_name} has completed the course.")
    return _back_to_roster(request, e.cohort)


@login_required
@require_POST
def enrolment_withdraw(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    e = _enrolment_for_change(request, pk)
    try:
        services.enrolment_withdraw(actor=request.user, enrolment=e)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{e.person.full_name} has been withdrawn.")
    if e.person_id == request.user.pk and not request.user.has_perm(
        "capability.run_cohort", e.cohort
    ):
        return redirect("capability:my_training")
    return _back_to_roster(request, e.cohort)


@login_required
def my_training(request: AuthedHttpRequest) -> HttpResponse:
    """The person's own record, in every collaborative (needs no current collaborative)."""
    rows = list(selectors.my_enrolments(person=request.user))
    return render(
        request,
        "capability/my_training.jinja",
        _ctx(
            "Your training record",
            TRAINING,
            rows=rows,
            attendance_summary=presenters.attendance_summary,
        ),
    )


@login_required
@with_collaborative
def training_records(request: AuthedHttpRequest, collab: Collaborative) -> HttpResponse:
    """Programme managers see their organisation's people; faculty and leads see everyone."""
    require(request.user, "capability.view_training_records", collab)
    rows = list(selectors.training_records(viewer=request.user, collaborative=collab)[:500])
    return render(
        request,
        "capability/training_records.jinja",
        _ctx(
            "Training records",
            TRAINING,
            collab=collab,
            rows=rows,
            professions=dict(Profession.choices),
            attendance_summary=presenters.attendance_summary,
        ),
    )


@login_required
def certificate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A PDF certificate of completion: completed enrolments only; the person, their
    programme manager and the collaborative's faculty and leads."""
    e = found(selectors.enrolment_get(viewer=request.user, pk=pk))
    if not e.is_completed:
        raise PermissionDenied("Only a completed course has a certificate.")
    body = certificates.certificate_pdf(e, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type=PDF_CONTENT_TYPE)
    name = f"certificate-{slugify(e.cohort.course.title)[:50]}-{slugify(e.person.full_name)[:40]}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
