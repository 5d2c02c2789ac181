"""The demo commands on an empty database: guards, options, speed and determinism."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from qicollab.accounts.models import Person
from qicollab.demo import STEPS, Step, registry, run_demo
from qicollab.demo import content as c
from qicollab.demo.people import generated_staff
from qicollab.organisations.models import Collaborative

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_generated_people_are_the_same_every_time() -> None:
    first, second = generated_staff(), generated_staff()
    assert first == second
    emails = [p.email for p in [*c.NAMED_PEOPLE, *first]]
    assert len(emails) == len(set(emails))


@override_settings(DEBUG=False, ALLOWED_HOSTS=["qicollab.example.org", "127.0.0.1"])
def test_seed_demo_refuses_on_a_server_reachable_from_other_machines() -> None:
    with pytest.raises(CommandError, match="reachable from other machines"):
        run("seed_demo")
    assert not Person.objects.exists()


@override_settings(DEBUG=False, ALLOWED_HOSTS=["127.0.0.1", "localhost"])
def test_seed_demo_runs_for_the_local_production_like_demo() -> None:
    """``make run`` serves with DEBUG off on the loopback address only."""
    run("seed_demo")
    assert Person.objects.filter(email__endswith=".example").count() > 50


@override_settings(DEBUG=True)
def test_seed_demo_reports_each_step_then_has_nothing_to_do() -> None:
    first = run("seed_demo")
    for step in STEPS:
        assert step.title in first
    assert "Demo data ready" in first
    assert "nothing to do" in run("seed_demo")


def test_seed_demo_force_runs_with_debug_off() -> None:
    assert run("seed_demo", "--force", "--verbosity", "0") == ""
    assert Collaborative.objects.filter(slug=c.MH_COLLABORATIVE.slug).exists()


@override_settings(DEBUG=True)
def test_seed_demo_rejects_an_unknown_step() -> None:
    with pytest.raises(CommandError, match=r"No demo step called nosuch.*organisations"):
        run("seed_demo", "--only", "nosuch")


def test_seed_demo_lists_its_steps() -> None:
    listing = run("seed_demo", "--list")
    assert [line.split()[0] for line in listing.splitlines()] == [s.key for s in STEPS]


def test_demo_logins_without_demo_data() -> None:
    with pytest.raises(CommandError, match="seed_demo"):
        run("demo_logins")


def test_a_failing_step_leaves_nothing_behind(monkeypatch: Any) -> None:
    def broken(ctx: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(registry, "STEPS", (*STEPS, Step("broken", "Broken", broken)))
    with pytest.raises(RuntimeError, match="boom"):
        run_demo()
    assert not Person.objects.exists()


# --- prerequisites of a step (``Step.requires``) ---------------------------------------------


def test_only_runs_the_steps_a_step_requires_first() -> None:
    from qicollab.events.models import LearningSession

    results = run_demo(only=["events"])
    keys = [r.step.key for r in results]
    assert keys[-1] == "events"
    assert {"organisations", "people", "collaboratives", "memberships", "workstreams"} <= set(keys)
    assert "deaths" not in keys and "themes" not in keys
    assert LearningSession.objects.filter(collaborative__slug=c.MH_COLLABORATIVE.slug).count() == 5


def test_prerequisites_are_in_run_order() -> None:
    assert registry.with_prerequisites(["roles"]) == [
        "organisations",
        "people",
        "programme",
        "collaboratives",
        "roles",
    ]
    assert registry.with_prerequisites([]) == []


def test_a_step_missing_earlier_data_names_the_steps_to_run(monkeypatch: Any) -> None:
    def needs_a_collaborative(ctx: Any) -> None:
        ctx.collaborative(c.MH_COLLABORATIVE.slug)

    monkeypatch.setattr(
        registry, "STEPS", (*STEPS, Step("undeclared", "Undeclared", needs_a_collaborative))
    )
    with pytest.raises(registry.MissingPrerequisite, match=r"needs data.*organisations, people"):
        run_demo(only=["undeclared"])
    out = io.StringIO()
    with (
        pytest.raises(CommandError, match="Run seed_demo without --only first"),
        override_settings(DEBUG=True),
    ):
        call_command("seed_demo", "--only", "undeclared", stdout=out)
    assert not Person.objects.exists()


def test_every_required_step_exists_and_comes_earlier() -> None:
    seen: set[str] = set()
    for step in STEPS:
        assert set(step.requires) <= seen, f"{step.key} requires a later or unknown step"
        seen.add(step.key)
