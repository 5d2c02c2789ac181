"""Fixtures shared with the apps whose exports are tested here."""

from __future__ import annotations

from tests.deaths.conftest import _fast_passwords, teams
from tests.measures.conftest import make_measure, make_project, project
from tests.national.conftest import nation

__all__ = ["_fast_passwords", "make_measure", "make_project", "nation", "project", "teams"]
