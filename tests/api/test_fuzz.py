"""Property-based fuzzing of the whole API from its own OpenAPI schema (schemathesis).

Every operation is called with generated requests (valid and invalid), as demo users who
hold the right roles, against the demo collaborative's data, and every answer must be:

- never a server error (5xx);
- a documented status code, with a body matching the documented schema for that code;
- consistent with the other built-in checks (content type, headers, and so on).

Path parameters are mostly filled with real objects (a project the user leads, one of its
measures, drivers and cycles…) so that requests reach the code behind the 404, and sometimes
left as generated, so that odd ids and slugs are tried too.

The run is deterministic (``derandomize``: a fixed seed) and bounded: ``FUZZ_EXAMPLES``
examples per operation (small by default so ``make test`` stays fast; ``make fuzz`` runs
many more).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from qicollab.accounts.models import ApiToken, Person, hash_token
from qicollab.api.api import api
from qicollab.demo import persona, run_demo

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
#: What every answer must satisfy. Left out: schemathesis's opinions that do not fit this
#: API — a well-formed request refused by a business rule (422) is correct here, public
#: pages answer anonymous visitors, and requests whose generated path parameters were
#: replaced by real ones can no longer be judged as "invalid" by their metadata.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
# Requests go to Django in-process, through the full middleware stack, like a real client.
schema.app = WSGIHandler()

# One xdist worker takes every operation, so the demo is seeded once (``--dist loadgroup``).
pytestmark = [pytest.mark.django_db, pytest.mark.fuzz, pytest.mark.xdist_group("api_fuzz")]


@dataclass
class Demo:
    """Tokens per persona and real values for path parameters."""

    tokens: dict[str, str]
    values: dict[str, Any]


def _token(person: Person) -> str:
    raw = ApiToken.generate_key()
    ApiToken.objects.create(
        person=person, name="fuzz", key_prefix=raw[:8], key_hash=hash_token(raw)
    )
    return raw


def _real_values() -> dict[str, Any]:
    """Objects of the demo collaborative that the personas below can see and change."""
    from qicollab.collaborative.models import ProgrammeGoal
    from qicollab.deaths.models import Death
    from qicollab.events.models import LearningSession
    from qicollab.measures.models import ChartEvent, Measure
    from qicollab.organisations.models import (
        Collaborative,
        CollaborativeMembership,
        NationalProgramme,
    )
    from qicollab.projects.models import (
        ChangeIdea,
        PdsaCycle,
        PrimaryDriver,
        Project,
        ProjectMember,
        SecondaryDriver,
    )

    staff_a = Person.objects.get(email=persona("staff_a").email)
    pm_a = Person.objects.get(email=persona("pm_a").email)
    project = (
        Project.objects.filter(members__person=staff_a, members__role="lead")
        .filter(measures__isnull=False, primary_drivers__isnull=False)
        .distinct()
        .order_by("pk")
        .first()
    )
    assert project is not None, "the demo should give staff_a a project with data"
    affiliation = pm_a.affiliations.order_by("pk").first()
    assert affiliation is not None
    org = affiliation.organisation
    collab = Collaborative.objects.filter(memberships__organisation=org).order_by("pk").first()
    assert collab is not None

    def first(qs: Any, attr: str = "pk") -> Any:
        """The first object's ``attr``; 1 (an id that answers 404) if there is none."""
        found = qs.order_by("pk").first()
        return getattr(found, attr) if found is not None else 1

    measures = Measure.objects.filter(project=project)
    return {
        "project": project.slug,
        "organisation": org.slug,
        "collaborative": collab.slug,
        "programme": first(NationalProgramme.objects.all(), "slug"),
        "membership_id": first(CollaborativeMembership.objects.filter(collaborative=collab)),
        "person_id": staff_a.pk,
        "member_id": first(ProjectMember.objects.filter(project=project).exclude(person=staff_a)),
        "primary": first(PrimaryDriver.objects.filter(project=project)),
        "secondary": first(SecondaryDriver.objects.filter(project=project)),
        "change_idea": first(ChangeIdea.objects.filter(project=project)),
        "cycle_id": first(PdsaCycle.objects.filter(project=project)),
        "measure": first(measures),
        "event_pk": first(ChartEvent.objects.filter(measure__in=measures)),
        "death": first(Death.objects.filter(organisation=org)),
        "session_id": first(LearningSession.objects.filter(collaborative=collab)),
        "goal": first(ProgrammeGoal.objects.filter(collaborative=collab), "slug"),
    }


@pytest.fixture(scope="module")
def _demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Demo]:
    """Seed the demo once for the module; each operation's test runs in a savepoint of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        run_demo()
        tokens = {
            key: _token(Person.objects.get(email=persona(key).email))
            for key in ("national_admin", "collab_lead", "pm_a", "staff_a")
        }
        yield Demo(tokens=tokens, values=_real_values())
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo: Demo, db: Any) -> Iterator[Demo]:
    # Requests go through the real WSGI handler, which closes "old" connections at the end
    # of each request; inside the test's transaction that would drop it (Django's test
    # client disconnects the same signal handler).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _demo
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _who(path: str) -> str:
    """The persona whose pages the operation mirrors, so that writes are allowed."""
    if path.startswith("/api/national"):
        return "national_admin"
    if path.startswith(("/api/projects", "/api/measures")):
        return "staff_a"
    if path.startswith(("/api/deaths", "/api/organisations")):
        return "pm_a"
    return "collab_lead"


def _value(path: str, name: str, values: dict[str, Any]) -> Any:
    """A real value for path parameter ``name`` of ``path`` (``None``: keep the generated one)."""
    if name == "slug":
        if path.startswith("/api/projects"):
            return values["project"]
        if path.startswith(("/api/organisations", "/api/deaths/organisations")):
            return values["organisation"]
        if path.startswith("/api/national"):
            return values["programme"]
        return values["collaborative"]
    if name == "node_id":
        for part, key in (
            ("primary-drivers", "primary"),
            ("secondary-drivers", "secondary"),
            ("change-ideas", "change_idea"),
        ):
            if f"/{part}/{{node_id}}" in path:
                return values[key]
    if name == "primary_id":
        return values["primary"]
    if name == "secondary_id":
        return values["secondary"]
    if name == "pk":
        return values["death"] if path.startswith("/api/deaths") else values["measure"]
    return values.get(name)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_fuzz(case: Any, demo: Demo) -> None:
    """No 5xx, and every answer documented and shaped as documented."""
    path = case.operation.path
    # One request in four keeps its generated path parameters; the rest reach real objects.
    keep_generated = zlib.crc32(repr((case.path_parameters, case.body, case.query)).encode()) % 4
    if case.path_parameters and keep_generated:
        for name in list(case.path_parameters):
            real = _value(path, name, demo.values)
            if real is not None:
                case.path_parameters[name] = real
    headers = {"Authorization": f"Bearer {demo.tokens[_who(path)]}"}
    case.call_and_validate(base_url="http://testserver", headers=headers, checks=CHECKS)
