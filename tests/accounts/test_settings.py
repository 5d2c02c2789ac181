"""Account-related settings: argon2, secure cookies, OIDC wiring, and .env.example coverage.

Settings are read once at start-up, so each case runs Django in a fresh process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import ROOT

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-" + "k3y" * 20,
    "ALLOWED_HOSTS": "qicollab.example.org",
    "DJANGO_SETTINGS_MODULE": "qicollab.config.settings",
}
OIDC_ENV = {
    "OIDC_RP_CLIENT_ID": "qicollab",
    "OIDC_RP_CLIENT_SECRET": "not-a-real-secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.invalid/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.invalid/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.invalid/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.invalid/jwks",
}
PROBE = """
import json, django
from django.conf import settings
from django.urls import NoReverseMatch, reverse
django.setup()
try:
    oidc_url = reverse("oidc_authentication_init")
except NoReverseMatch:
    oidc_url = None
print(json.dumps({
    "hashers": settings.PASSWORD_HASHERS,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "samesite": settings.SESSION_COOKIE_SAMESITE,
    "backends": settings.AUTHENTICATION_BACKENDS,
    "apps": settings.INSTALLED_APPS,
    "oidc_url": oidc_url,
    "email_backend": settings.EMAIL_BACKEND,
}))
"""


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OIDC_", "SECURE_", "EMAIL_URL", "DJANGO_ALLOW"))
    }
    env.update(PRODUCTION)
    env["PYTHONPATH"] = str(ROOT / "src")
    env.update(extra)
    return env


def _probe(**extra: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=_env(**extra),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _check(**extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(**extra),
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_hashes_passwords_with_argon2_first() -> None:
    hashers = _probe()["hashers"]
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_production_cookies_are_secure_httponly_and_lax() -> None:
    s = _probe()
    assert s["session_secure"] is True
    assert s["csrf_secure"] is True
    assert s["session_httponly"] is True
    assert s["samesite"] == "Lax"


def test_secure_cookies_follow_the_variable() -> None:
    assert _probe(DEBUG="true", SECURE_COOKIES="true")["session_secure"] is True
    assert _probe(DEBUG="true")["session_secure"] is False


def test_email_goes_to_the_console_unless_smtp_is_configured() -> None:
    assert _probe()["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    smtp = _probe(EMAIL_URL="smtp+tls://user:pass@smtp.example.org:587")
    assert smtp["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"


def test_oidc_is_off_by_default() -> None:
    s = _probe()
    assert s["oidc_url"] is None
    assert "mozilla_django_oidc" not in s["apps"]
    assert "qicollab.accounts.oidc.PersonOIDCBackend" not in s["backends"]


@pytest.mark.slow
def test_oidc_is_wired_when_configured() -> None:
    result = _check(**OIDC_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    s = _probe(**OIDC_ENV)
    assert s["oidc_url"] == "/oidc/authenticate/"
    assert "mozilla_django_oidc" in s["apps"]
    # After axes (which must see every attempt), before the password backend.
    assert s["backends"].index("qicollab.accounts.oidc.PersonOIDCBackend") == 1


def test_oidc_with_rs256_and_no_jwks_fails_at_start_up() -> None:
    env = {k: v for k, v in OIDC_ENV.items() if k != "OIDC_OP_JWKS_ENDPOINT"}
    result = _check(**env)
    assert result.returncode != 0
    assert "needs OIDC_OP_JWKS_ENDPOINT" in result.stderr


def test_env_example_documents_every_variable_settings_read() -> None:
    settings_src = (ROOT / "src/qicollab/config/settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', settings_src))
    assert {"SECRET_KEY", "DATABASE_URL", "OIDC_RP_CLIENT_ID", "EMAIL_URL"} <= read
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.M))
    assert read - documented == set()
    # Every variable line is commented out: copying the file changes nothing by accident.
    assert not re.findall(r"^[A-Z][A-Z0-9_]+=", example, re.M)
