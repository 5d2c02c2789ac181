"""The shared service helpers: one refusal family and audit attribution without private hooks."""

from __future__ import annotations

import json

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from qicollab.accounts.services import ApiTokenError, InvitationError
from qicollab.api.api import on_refused
from qicollab.core.forms import add_service_error
from qicollab.core.services import ServiceError, attribute, delete_as
from qicollab.measures.services import MeasureError
from qicollab.organisations.services import MembershipError
from qicollab.projects.services.projects import ProjectError
from tests.factories import OrganisationFactory, PersonFactory


@pytest.mark.parametrize(
    "error", [ProjectError, MeasureError, MembershipError, InvitationError, ApiTokenError]
)
def test_every_app_refusal_is_a_service_error(error: type[Exception]) -> None:
    exc = error("Not allowed.")
    assert isinstance(exc, ServiceError)
    # Callers that caught the apps' errors as ValueError still do.
    assert isinstance(exc, ValueError)
    assert str(exc) == "Not allowed."


def test_service_error_names_its_field() -> None:
    exc = ServiceError("Choose a later date.", "end")
    assert (exc.message, exc.field) == ("Choose a later date.", "end")
    assert exc.errors == {"end": ["Choose a later date."]}


def test_service_error_can_refuse_several_fields_at_once() -> None:
    exc = ServiceError(errors={"start": ["Too early."], None: ["Both dates are wrong."]})
    assert exc.errors == {"start": ["Too early."], None: ["Both dates are wrong."]}
    assert str(exc) == "Too early."


@pytest.mark.django_db
def test_delete_as_records_who_deleted() -> None:
    actor = PersonFactory()
    org = OrganisationFactory()
    pk = org.pk
    delete_as(org, actor)
    record = type(org).history.filter(id=pk).latest()
    assert record.history_type == "-"
    assert record.history_user == actor


@pytest.mark.django_db
def test_attribute_names_the_author_of_the_next_save() -> None:
    actor = PersonFactory()
    org = OrganisationFactory()
    org.name = "Renamed"
    attribute(org, actor)
    org.save()
    assert org.history.latest().history_user == actor


class _Form(forms.Form):
    start = forms.CharField(required=False)
    end = forms.CharField(required=False)


def _bound() -> _Form:
    form = _Form(data={})
    assert form.is_valid()
    return form


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (ProjectError("Choose a later date.", "end"), {"end": ["Choose a later date."]}),
        # A field the form does not show becomes an error of the whole form.
        (MeasureError("No such thing.", "elsewhere"), {"__all__": ["No such thing."]}),
        (MembershipError("Already a member."), {"__all__": ["Already a member."]}),
        (
            ServiceError(errors={"start": ["Too early."], None: ["Both wrong."]}),
            {"start": ["Too early."], "__all__": ["Both wrong."]},
        ),
        (
            ValidationError({"start": ["Bad start."], "other": ["Elsewhere."]}),
            {"start": ["Bad start."], "__all__": ["Elsewhere."]},
        ),
        (ValidationError("Plain refusal."), {"__all__": ["Plain refusal."]}),
    ],
)
def test_add_service_error_puts_each_refusal_where_it_belongs(
    exc: ServiceError | ValidationError, expected: dict[str, list[str]]
) -> None:
    form = _bound()
    add_service_error(form, exc)
    assert form.errors.get_json_data() == {
        name: [{"message": m, "code": ""} for m in messages] for name, messages in expected.items()
    }


def test_the_api_answers_any_service_error_422_per_field(rf: RequestFactory) -> None:
    exc = MeasureError(errors={"period": ["Not a month."], None: ["Nothing saved."]})
    response = on_refused(rf.post("/api/measures"), exc)
    assert response.status_code == 422
    assert json.loads(response.content) == {
        "detail": {"period": ["Not a month."], "__all__": ["Nothing saved."]}
    }
