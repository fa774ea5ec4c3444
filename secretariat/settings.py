"""All settings, read from the environment in this one module.

Environment: DATABASE_URL, DATABASE_REPLICA_URLS, CONN_MAX_AGE, SECRET_KEY, DEBUG,
ALLOWED_HOSTS, SECRETARIAT_VAR_DIR, MEDIA_ROOT, API_CACHE_SECONDS, API_CACHE_ENTRIES,
SECURE (production HTTPS hardening), TIME_ZONE, SITE_URL; mail (EMAIL_BACKEND, EMAIL_*,
DEFAULT_FROM_EMAIL); background jobs (TASKS_URL, TASKS_WORKERS); notices
(REMINDER_DAYS, DIGEST_HOUR); sign-in (MFA_REQUIRED_ROLES, TRUSTED_PROXIES,
PROXY_COUNT); a busy database (DATABASE_WEB_TIMEOUT); operations (LOG_LEVEL, LOG_FORMAT,
TASKS_HEARTBEAT_MAX_AGE, SENTRY_DSN). docs/deploy.md says how to run several servers
at scale.

Importing this module writes nothing: what a process needs on disk (var/, the stored
secret key) is made as it starts (operations.startup, from `secretariat` and wsgi).
"""

import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url
from csp import constants as csp

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SECRETARIAT_VAR_DIR", BASE_DIR / "var")).resolve()


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _stored_key(path: Path) -> str:
    try:
        return path.read_text().strip() or secrets.token_urlsafe(50)
    except FileNotFoundError:
        return secrets.token_urlsafe(50)


# The key from the environment, else the one stored in var/ (mode 0600); before one is
# stored, a key of this process's own, which its start stores there for every later
# process (operations.startup: `secretariat` and wsgi call it; a test run does not).
SECRET_KEY_FILE = None if os.environ.get("SECRET_KEY") else VAR_DIR / "secret_key"
SECRET_KEY = os.environ.get("SECRET_KEY") or _stored_key(SECRET_KEY_FILE)
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "secretariat.accounts.admin_site.SecretariatAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
    "secretariat.core",
    "secretariat.jobs",
    "secretariat.accounts",
    "secretariat.registry",
    "secretariat.bodies",
    "secretariat.documents",
    "secretariat.decisions",
    "secretariat.treaties",
    "secretariat.initiatives",
    "secretariat.programme",
    "secretariat.checklists",
    "secretariat.figures",
    "secretariat.datasets",
    "secretariat.search",
    "secretariat.audit",
    "secretariat.records",
    "secretariat.exchange",
    "secretariat.reports",
    "secretariat.notices",
    "secretariat.portal",
    "secretariat.operations",
]
# The synthetic organization's generator (`generate-synthetic`, synthetic/ in the
# checkout) where it is installed: `make test` and `make bench` install it, a deployment
# does not.
if importlib.util.find_spec("synthetic") is not None:
    INSTALLED_APPS.append("synthetic")

MIDDLEWARE = [
    # First: one log line per request, with its id and time, whatever answers it.
    "secretariat.operations.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy on every answer.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A write that cannot get the database's lock in DATABASE_WEB_TIMEOUT: 503 and
    # Retry-After, not a 500 (core.busy).
    "secretariat.core.busy.BusyDatabaseMiddleware",
    # /api/ only: ETag and 304 from the answer as given, every 4xx as problem details.
    "secretariat.core.api_http.ApiHttpMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether this session passed its second factor (user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "secretariat.accounts.middleware.ApiTokenMiddleware",
    # A role that must sign in with a second factor reaches no page before passing it.
    "secretariat.accounts.middleware.SecondFactorMiddleware",
    # After the account is known and before any view reads: where this request reads from.
    "secretariat.core.replicas.ReplicaMiddleware",
    # Public API reads kept while the record is unchanged (after the replica is chosen:
    # the trail's length is read where the answer is).
    "secretariat.records.cache.ResponseCacheMiddleware",
    "secretariat.accounts.middleware.ActingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A page refusing `?at=` (not YYYY-MM-DD): 400 with the reason (portal.errors).
    "secretariat.portal.errors.RefusalMiddleware",
]

ROOT_URLCONF = "secretariat.urls"
WSGI_APPLICATION = "secretariat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "secretariat.portal.context.portal",
                "secretariat.notices.context.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'secretariat.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several readers beside one writer without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # IMMEDIATE: a transaction takes the write lock when it begins, so concurrent
        # writers wait their turn instead of failing with "database is locked".
        {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
# How long a web request waits for another connection's write lock (SQLite's busy
# timeout; seconds) before it is answered 503 with Retry-After (core.busy): a person
# is told in seconds, while commands, imports and the worker keep the 20 s above.
DATABASE_WEB_TIMEOUT = float(os.environ.get("DATABASE_WEB_TIMEOUT", "5"))

# Read replicas (PostgreSQL streaming replicas, comma-separated URLs): requests read from
# one of them unless they write or just wrote (core.replicas); everything else, and
# every migration, uses the primary.
REPLICA_URLS = [u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",")]
DATABASE_REPLICAS = []
for number, url in enumerate(filter(None, REPLICA_URLS), start=1):
    alias = f"replica{number}"
    DATABASES[alias] = dj_database_url.parse(url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES[alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(alias)
# Django's backends with hooks run inside a transaction just before it commits, which
# write the search index with its record (secretariat.core.db.precommit).
_ENGINES = {
    "django.db.backends.sqlite3": "secretariat.core.db.sqlite3",
    "django.db.backends.postgresql": "secretariat.core.db.postgresql",
}
for _database in DATABASES.values():
    _database["ENGINE"] = _ENGINES.get(_database["ENGINE"], _database["ENGINE"])
DATABASE_ROUTERS = ["secretariat.core.replicas.ReplicaRouter"]
# How long after a write a client keeps reading from the primary (replication lag).
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "10"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["secretariat.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"  # made as a process starts (operations.startup)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Not the manifest storage: pages must render even before collectstatic has run
    # (tests, a fresh checkout); WhiteNoise still serves compressed files.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Public API answers are kept in this cache (per process by default; name a shared one,
# e.g. Redis, in CACHES to share them between servers) for at most API_CACHE_SECONDS,
# and only while the record is unchanged (records.cache). 0 turns it off.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "answers": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "answers",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("API_CACHE_ENTRIES", "500"))},
    },
}
API_CACHE = "answers"
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "300"))

# Several servers must share it (a network file system mount): MEDIA_ROOT names it.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media").resolve()
# Uploaded document texts: the largest file accepted, in bytes.
DOCUMENT_MAX_UPLOAD_BYTES = int(os.environ.get("DOCUMENT_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))

if _env_bool("SECURE"):
    # Behind HTTPS in production; `check --deploy` should then report nothing.
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# What a page may load and run: only this site's own files, no inline script, no eval
# (htmx is configured so, in portal/base.html); inline <style> only with the request's
# nonce (`nonce="{{ request.csp_nonce }}"`), no style="" attributes; no plugins, no
# framing, forms posted only here. tests/portal/test_security_headers.py holds the
# templates to it; tests/browser/test_csp.py checks that browsers report no violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.NONCE],
        # data: for the icons Swagger UI (/api/v1/docs) draws in its stylesheet.
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
# Browser features no page of the site uses, turned off for it and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "ambient-light-sensor", "autoplay", "browsing-topics", "camera",
        "display-capture", "encrypted-media", "fullscreen", "geolocation", "gyroscope", "hid",
        "idle-detection", "magnetometer", "microphone", "midi", "payment",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
        "xr-spatial-tracking",
    )
}  # fmt: skip

# Links in mails point here (no request to build them from in a background job).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Mail -------------------------------------------------------------------------------
# Default: each mail is written as a file under var/mail/ (what `make run` sends can be
# read there). EMAIL_BACKEND=smtp (with EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS or EMAIL_USE_SSL), "console", "file", or any
# backend's dotted path (e.g. anymail.backends.mailgun.EmailBackend, with its options as
# JSON in ANYMAIL).
_EMAIL_BACKENDS = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = os.environ.get("EMAIL_BACKEND", "file")
EMAIL_BACKEND = _EMAIL_BACKENDS.get(_email_backend, _email_backend)
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH") or VAR_DIR / "mail")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "secretariat@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("ANYMAIL"):
    import json

    ANYMAIL = json.loads(os.environ["ANYMAIL"])

# --- Background jobs (huey) -------------------------------------------------------------
# TASKS_URL names where jobs wait: empty for a SQLite file beside the database (the
# embedded default), postgres://... or redis://... when several servers run workers.
# `secretariat serve` (make run) starts a worker beside the web server;
# `secretariat run_huey` runs one alone.
TASKS_URL = os.environ.get("TASKS_URL", "")


def _huey() -> dict:
    config = {
        "name": "secretariat",
        "immediate": False,  # djhuey would otherwise run jobs inline whenever DEBUG is on
        "utc": True,
        "consumer": {
            "workers": int(os.environ.get("TASKS_WORKERS", "2")),
            "worker_type": "thread",
            "periodic": True,  # the schedule: closing due procedures, reminders, digests
            "check_worker_health": True,
        },
    }
    if TASKS_URL.startswith(("postgres://", "postgresql://")):
        config.update(huey_class="huey.PostgresHuey", dsn=TASKS_URL)
    elif TASKS_URL.startswith(("redis://", "rediss://", "unix://")):
        config.update(huey_class="huey.PriorityRedisHuey", url=TASKS_URL)
    elif TASKS_URL:
        raise ValueError(f"TASKS_URL must be a postgres:// or redis:// URL, not {TASKS_URL!r}")
    else:
        # huey's own, making var/ as it opens its file (jobs.sqlite).
        config.update(
            huey_class="secretariat.jobs.sqlite.SqliteHuey",
            filename=str(VAR_DIR / "tasks.sqlite3"),
        )
    return config


HUEY = _huey()

# --- Notices ----------------------------------------------------------------------------
# Reminders before a deadline, in days, to states that have not answered; the smallest
# is the last reminder, which nobody can switch off for their own state.
REMINDER_DAYS = sorted(
    {int(d) for d in os.environ.get("REMINDER_DAYS", "3,1").split(",") if d.strip()},
    reverse=True,
)
# The hour (in TIME_ZONE) the daily digest goes out.
DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", "7"))

# --- Sign-in ----------------------------------------------------------------------------
# Roles that must sign in with a second factor (TOTP or a recovery code): e.g.
# "officer,administrator,delegate". Anyone may turn one on for themselves.
MFA_REQUIRED_ROLES = frozenset(
    r.strip() for r in os.environ.get("MFA_REQUIRED_ROLES", "").split(",") if r.strip()
)
# The reverse proxies in front of the site (addresses or networks, comma-separated), or
# how many there are (PROXY_COUNT): the sign-in throttle then counts failures by the
# client's address as they report it (X-Forwarded-For), not by the proxy's own.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p]
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(3 * 24 * 3600)))

# --- Operations -------------------------------------------------------------------------
# Logs go to stderr: one line per request (operations.middleware) and per job's start,
# end or failure (jobs.runs), as `key=value` pairs, or JSON objects with LOG_FORMAT=json.
# LOG_LEVEL: INFO by default (WARNING: failures only). The test run keeps INFO lines to
# the tests that ask for them (tests/conftest.py).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOG_FORMAT = "json" if os.environ.get("LOG_FORMAT", "").strip().lower() == "json" else "text"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "secretariat.operations.logs.RequestIdFilter"},
        "probes": {"()": "secretariat.operations.logs.ProbeFilter"},
    },
    "formatters": {
        "text": {"()": "secretariat.operations.logs.KeyValueFormatter"},
        "json": {"()": "secretariat.operations.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # The engine's own lines (TASKS_LOG_LEVEL=INFO: everything it runs); each job's
        # start, end and failure are logged at INFO by jobs.runs in any case.
        "huey": {
            "handlers": ["console"],
            "level": os.environ.get("TASKS_LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        # Not a line per probe of /readyz while not ready: the check logs what fails.
        "django.request": {"filters": ["probes"]},
        # runserver's own line per request repeats ours.
        "django.server": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}
# Readiness (/readyz) fails when the worker running the schedule has not started a
# scheduled job for this many seconds (it starts one every minute); 0, the default:
# no worker is expected, its last beat is only reported (operations.health).
TASKS_HEARTBEAT_MAX_AGE = int(os.environ.get("TASKS_HEARTBEAT_MAX_AGE", "0"))
# Error reporting to Sentry when a DSN is set (`pip install '.[sentry]'`; operations.errors).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT") or None
SENTRY_RELEASE = os.environ.get("SENTRY_RELEASE") or None
