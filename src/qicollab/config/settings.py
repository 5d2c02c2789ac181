"""Django settings for qicollab, read from the environment.

Every variable is documented in ``.env.example``. Defaults are safe: ``DEBUG`` is off, and
with it off a ``SECRET_KEY`` must be given and cookies are secure. ``make run`` turns
``DEBUG`` on for the local demo.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from qicollab.core.logging import logging_config

SRC_DIR = Path(__file__).resolve().parents[2]
PACKAGE_DIR = SRC_DIR / "qicollab"
BASE_DIR = SRC_DIR.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None

DEBUG: bool = env.bool("DEBUG", default=False)

SECRET_KEY: str = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only (DEBUG on): a fixed, obviously unsafe key.
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL: str = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "ninja",  # serves the API docs' Swagger UI from our own static files (CSP: no CDN)
    "django_tasks",
    "django_tasks_db",
    "qicollab.core",
    "qicollab.accounts",
    "qicollab.organisations",
    "qicollab.collaborative",
    "qicollab.projects",
    "qicollab.measures",
    "qicollab.api",
    "qicollab.deaths",
    "qicollab.capability",
    "qicollab.events",
    "qicollab.national",
    "qicollab.excellence",
    "qicollab.culture",
    "qicollab.huddles",
    "qicollab.innovations",
    "qicollab.insights",
    "qicollab.reports",
    "qicollab.jobs",
    "qicollab.notifications",
    "qicollab.mywork",
    "qicollab.search",
    "qicollab.discussion",
    "qicollab.demo",
]

MIDDLEWARE = [
    # First: every response (even a redirect or a refusal below) carries a request id and is
    # timed (docs/operations.md, "Metrics and logs").
    "qicollab.core.logging.RequestIdMiddleware",
    "qicollab.core.observability.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: its process_view reads the body of a POST, and oversized bodies must be
    # refused before anything reads them.
    "qicollab.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "qicollab.organisations.middleware.CurrentCollaborativeMiddleware",
    # Axes must be last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qicollab.config.urls"
WSGI_APPLICATION = "qicollab.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "qicollab.config.jinja2.environment",
            "context_processors": [
                "qicollab.organisations.context_processors.navigation",
                "qicollab.notifications.context_processors.notifications",
            ],
        },
    },
    {
        # Only the Django admin renders with Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]
FORM_RENDERER = "django.forms.renderers.DjangoTemplates"

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'qicollab.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a management command share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
# Keep connections between requests: a new one per request costs a PostgreSQL handshake,
# and on SQLite it throws away the page cache (the portfolio page took 50% longer).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Sessions live in the database (every web process sees them). With a shared Redis cache
# they are also cached there, so a session started on one web node is read cheaply on any
# other, and survives a Redis restart because the database still holds it.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else "django.contrib.sessions.backends.db"
)

AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Ends a check that only a rule can grant before ModelBackend queries for it.
    "qicollab.accounts.backends.RulePermissionGate",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        # Person has no username or first/last name: compare with what it does have.
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "organisations:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
INVITATION_VALID_DAYS: int = env.int("INVITATION_VALID_DAYS", default=14)

# Login throttling (django-axes): lock a username + address pair after repeated failures.
AXES_FAILURE_LIMIT: int = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "qicollab.accounts.views.lockout"
AXES_VERBOSE = False

# Sessions and cookies: secure whenever DEBUG is off.
SECURE_COOKIES: bool = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
CSRF_FAILURE_VIEW = "qicollab.core.views.csrf_failure"

SECURE_SSL_REDIRECT: bool = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS: int = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL: str = env.str("DEFAULT_FROM_EMAIL", default="qicollab <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [PACKAGE_DIR / "assets" / "compiled"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Largest storyboard file (PDF, PNG or JPEG) a team may upload to a learning session.
STORYBOARD_MAX_UPLOAD_BYTES: int = env.int("STORYBOARD_MAX_UPLOAD_MB", default=10) * 1024 * 1024
# Most pixels an uploaded image may have, checked from its header before it is decoded; also
# Pillow's MAX_IMAGE_PIXELS for the whole process (as an error, not a warning). 20 MP holds an
# A1 poster at 150 dpi (3,508 by 4,967) and a 16 MP photo; checking one at the limit costs
# 140 MB (RGB) to 220 MB (RGBA) at the peak, well under a worker's share (docs/operations.md).
UPLOAD_MAX_IMAGE_PIXELS: int = env.int("UPLOAD_MAX_IMAGE_MEGAPIXELS", default=20) * 1_000_000

# Request bodies (core.middleware.RequestSizeLimitMiddleware): a body larger than its route's
# limit is refused with 413 before it is read. Routes are named by URL name; any route not
# listed gets the default, ample for any form and JSON call.
REQUEST_MAX_BODY_BYTES: int = env.int("REQUEST_MAX_BODY_KB", default=1024) * 1024
_MULTIPART_ALLOWANCE = 64 * 1024  # the form's other fields and the multipart boundaries
REQUEST_BODY_LIMITS: dict[str, int] = {
    "events:storyboard_upload": STORYBOARD_MAX_UPLOAD_BYTES + _MULTIPART_ALLOWANCE,
    # measures.forms.MAX_UPLOAD_BYTES (a test keeps the two in step).
    "measures:data_import": 5 * 1024 * 1024 + _MULTIPART_ALLOWANCE,
    # measures.api.MAX_BULK_BYTES for the data pushes. PUT /api/measures/{id}/points shares its
    # path, and so its URL name, with the GET that lists the points.
    "api:list_points": 64 * 1024 * 1024,
    "api:push_bulk": 64 * 1024 * 1024,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BODY_BYTES  # form fields and JSON read via request.body
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploaded files are spooled to a temporary file
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 5  # no form takes more than one file

# Background jobs (Django's Tasks API through the django-tasks backport; decision 0008).
# "database" (the default) queues in the app's own database and needs `manage.py db_worker`;
# "rq" queues in Redis (REDIS_URL) for several machines and needs
# `manage.py rqworker default --job-class django_tasks_rq.Job`;
# "immediate" runs a job inside the request (tests, or a one-off script).
TASKS_BACKEND: str = env.str("TASKS_BACKEND", default="database")
REDIS_URL: str = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
# A running job with no progress report for this long has lost its worker (scheduler recovers it).
JOB_STALE_AFTER: int = env.int("JOB_STALE_AFTER_SECONDS", default=300)
JOB_RETENTION_DAYS: int = env.int("JOB_RETENTION_DAYS", default=30)
# Emails are sent by the worker; a refused send is retried with back-off this many times.
EMAIL_MAX_ATTEMPTS: int = env.int("EMAIL_MAX_ATTEMPTS", default=5)
# Safety-culture surveys: no figure describes fewer people than this (5 at least; a higher
# value raises it everywhere, a lower one is ignored).
CULTURE_MIN_GROUP: int = max(5, env.int("CULTURE_MIN_GROUP", default=5))

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

NINJA_PAGINATION_PER_PAGE = 50

# Measure data: the periods data may be recorded for (see measures/periods.py), from the
# period containing MEASURE_PERIOD_EARLIEST to the one containing today plus
# MEASURE_PERIOD_DAYS_AHEAD days (0: only periods that have started).
try:
    MEASURE_PERIOD_EARLIEST = date.fromisoformat(
        env.str("MEASURE_PERIOD_EARLIEST", default="1990-01-01")
    )
except ValueError as exc:
    raise ImproperlyConfigured(
        f"MEASURE_PERIOD_EARLIEST must be a date (YYYY-MM-DD): {exc}"
    ) from exc
MEASURE_PERIOD_DAYS_AHEAD: int = env.int("MEASURE_PERIOD_DAYS_AHEAD", default=0)
# Zip-based uploads (.xlsx): bounds checked before anything is unpacked (core/uploads.py).
UPLOAD_ZIP_MAX_MEMBERS: int = env.int("UPLOAD_ZIP_MAX_MEMBERS", default=1000)
UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES: int = (
    env.int("UPLOAD_ZIP_MAX_UNCOMPRESSED_MB", default=60) * 1024 * 1024
)
UPLOAD_ZIP_MAX_MEMBER_BYTES: int = env.int("UPLOAD_ZIP_MAX_MEMBER_MB", default=20) * 1024 * 1024
UPLOAD_ZIP_MAX_RATIO: int = env.int("UPLOAD_ZIP_MAX_RATIO", default=100)

# Fernet key(s) for identifiers stored encrypted (comma-separated, newest first); derived
# from SECRET_KEY when unset. See qicollab/deaths/crypto.py.
FIELD_ENCRYPTION_KEY: str = env.str("FIELD_ENCRYPTION_KEY", default="")

# Optional OpenID Connect single sign-on, off unless OIDC_RP_CLIENT_ID is set.
OIDC_ENABLED = bool(env.str("OIDC_RP_CLIENT_ID", default=""))
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "qicollab.accounts.oidc.PersonOIDCBackend")
    OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
    OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
    OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=False)
    OIDC_LOGIN_LABEL = env.str("OIDC_LOGIN_LABEL", default="Sign in with your organisation")
    # Fail at start-up, not on every login: the backend refuses RS/ES keys without a JWKS.
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")) and not OIDC_OP_JWKS_ENDPOINT:
        raise ImproperlyConfigured(
            f"OIDC_RP_SIGN_ALGO={OIDC_RP_SIGN_ALGO} needs OIDC_OP_JWKS_ENDPOINT."
        )
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"

# Logs (qicollab.core.logging): one JSON object per line by default, plain text when DEBUG
# is on (LOG_FORMAT overrides either way); every line carries the request id.
LOG_FORMAT: str = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"))

# /metrics (qicollab.core.observability): only from these addresses or networks (direct, not
# through a proxy), or with "Authorization: Bearer <METRICS_TOKEN>".
METRICS_ALLOWED_IPS: list[str] = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN: str = env.str("METRICS_TOKEN", default="")
