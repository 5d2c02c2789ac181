"""RulePermissionGate: rules-only permissions never reach ModelBackend; model ones still do."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from qicollab.accounts.backends import model_permission_names
from qicollab.accounts.models import Person
from qicollab.accounts.roles import roles_for

pytestmark = pytest.mark.django_db


def test_the_names_django_can_grant_are_the_models_permissions() -> None:
    names = model_permission_names()
    assert {"accounts.view_person", "projects.change_project"} <= names
    assert not {"deaths.view_any", "national.view_rollup", "projects.manage_project"} & names


def test_a_rules_only_permission_refused_by_its_rule_costs_no_query(
    world: Any, django_assert_num_queries: Any
) -> None:
    person = Person.objects.get(pk=world.people["staff_a"].pk)
    roles_for(person)  # the snapshot, read once per request anyway
    with django_assert_num_queries(0):
        assert not person.has_perm("national.view_rollup")


def test_a_model_permission_granted_in_the_admin_still_counts(world: Any) -> None:
    person = world.people["outsider"]
    person.user_permissions.add(
        Permission.objects.get(codename="view_person", content_type__app_label="accounts")
    )
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.has_perm("accounts.view_person")
    assert not fresh.has_perm("deaths.view_any")
