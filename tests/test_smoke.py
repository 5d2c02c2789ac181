"""The service starts, serves its pages and its settings are safe."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import ROOT


def test_home_page_for_anonymous_visitor(client: Any, db: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"Log in to your collaborative" in response.content


def test_unknown_url_gets_styled_404(client: Any, db: Any) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"nhsuk-header" in response.content


def test_security_headers(client: Any, db: Any) -> None:
    response = client.get("/")
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.slow
def test_production_settings_pass_check_deploy() -> None:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-secret-key-" + "k3y" * 20,
        "ALLOWED_HOSTS": "qicollab.example.org",
        "DJANGO_SETTINGS_MODULE": "qicollab.config.settings",
    }
    for name in (
        "DATABASE_URL",
        "SECURE_SSL_REDIRECT",
        "SECURE_COOKIES",
        "SECURE_HSTS_SECONDS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key() -> None:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "",
        "DJANGO_SETTINGS_MODULE": "qicollab.config.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.slow
def test_production_collectstatic_succeeds(tmp_path: Any) -> None:
    """``make run`` and deployments run collectstatic with the hashed, compressed storage,
    which fails on any reference it cannot resolve (a missing source map, an image path)."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-secret-key-" + "k3y" * 20,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "qicollab.config.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "css/app.css" in manifest
    assert "js/vega-embed.min.js" in manifest
    # Pages render with that storage (every static() call must name a collected file).
    probe = (
        "from django.test import Client;"
        "c = Client(HTTP_HOST='127.0.0.1');"
        "r = c.get('/');"
        "print(r.status_code, c.get('/no-such-page/').status_code, b'app.' in r.content)"
    )
    page_env = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    for command in (["migrate", "--no-input", "-v0"], ["shell", "--no-imports", "-c", probe]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=page_env,
            capture_output=True,
            text=True,
            check=False,
        )
    assert result.stdout.strip().endswith("200 404 True"), result.stdout + result.stderr[-2000:]
