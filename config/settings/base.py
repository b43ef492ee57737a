"""Settings shared by every profile; dev, test and prod only override."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("CIVICMEET_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_secret("SECRET_KEY", "dev-insecure-key-only-for-local-use")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def _listen_url(host: str, port: int) -> str:
    """The address `make run` and `make serve` listen on (HOST, PORT), as a URL to visit.

    A wildcard address listens everywhere but is no address to visit: 0.0.0.0 becomes 127.0.0.1,
    :: becomes [::1] (set SITE_URL to the name others reach). IPv6 addresses get their brackets."""
    host = host.strip().removeprefix("[").removesuffix("]") or "127.0.0.1"
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104 - a listen address, mapped
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


# The absolute address of the site, used in emails, calendar files and the API's links; without
# SITE_URL, the address the servers listen on (scripts/run-dev.sh and scripts/serve.sh export HOST
# and PORT; `make run`'s demo loader sees them too).
SITE_URL = (env_str("SITE_URL", "") or _listen_url(env_str("HOST", "127.0.0.1"), env_int("PORT", 8000))).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves Swagger UI from local static files (no CDN)
    # Bottom to top (docs/architecture.md, civicmeet/layers.py): an app imports only those above it here.
    "civicmeet.core",
    "civicmeet.notifications",
    "civicmeet.accounts",
    "civicmeet.search",
    "civicmeet.organisations",
    "civicmeet.resources",
    "civicmeet.channels",
    "civicmeet.programmes",
    "civicmeet.events",
    "civicmeet.registrations",
    "civicmeet.checkin",
    "civicmeet.api",
    "civicmeet.demo",
]

MIDDLEWARE = [
    # Outermost, so that every response carries the headers (static files and error pages too).
    "civicmeet.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Stored public event pages for anonymous visitors, before everything a stored page needs not.
    "civicmeet.events.page_cache.EventPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a refused rate limit into RATELIMIT_VIEW's 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in WAL mode by default; PostgreSQL (or anything dj-database-url reads) through DATABASE_URL.
# IMMEDIATE transactions: a deferred transaction that reads before it writes cannot wait for
# SQLite's write lock and fails at once with "database is locked" (measured, see
# docs/architecture.md); IMMEDIATE makes it queue for up to `timeout` seconds instead.
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASE_URL = env_str("DATABASE_URL", "")
# Either dj-database-url's TypedDict or the SQLite settings below, whose NAME is a Path.
DATABASES: dict[str, Any]
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "civicmeet.core.sqlite",
            "NAME": VAR_DIR / "civicmeet.sqlite3",
            "OPTIONS": _SQLITE_OPTIONS,
            # Opening a SQLite connection (and running its PRAGMAs) costs more than a cached page:
            # each server thread keeps its own connection (measured in docs/performance.md).
            "CONN_MAX_AGE": 600,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side parameters: psycopg prepares a statement run often (the registration path) once
    # per connection, so PostgreSQL does not parse and plan it again each time (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "server_side_binding", env_bool("DATABASE_SERVER_SIDE_BINDING", True)
    )
if DATABASES["default"]["ENGINE"] in ("django.db.backends.sqlite3", "civicmeet.core.sqlite"):
    # Django's SQLite backend, with writers queueing for their turn (civicmeet/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "civicmeet.core.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "registrations:event_list"
LOGOUT_REDIRECT_URL = "events:list"

# Languages: the participants' languages. Polish is the fallback.
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski"), ("uk", "Українська"), ("en", "English")]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Warsaw"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Oversized bodies are refused (Django answers 400 for larger ones).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 256 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads nothing from it; forms carry the token in a hidden field.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (civicmeet.core.middleware): no inline scripts or styles, nothing from
# other sites, no framing. Templates must load scripts and styles from /static/.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
# Paths (without a trailing slash) with a policy of their own. The API's Swagger UI sets inline
# styles from its scripts; its scripts still come only from /static/.
CONTENT_SECURITY_POLICY_PATHS = {
    "/api/v1/docs": {**CONTENT_SECURITY_POLICY, "style-src": "'self' 'unsafe-inline'"},
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)

# Email: SMTP configured by environment; console by default in development.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "civicmeet <no-reply@civicmeet.localhost>")
# How often a failed email is retried, and the first delay (doubling each time).
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 6)
EMAIL_RETRY_DELAY_SECONDS = env_int("EMAIL_RETRY_DELAY_SECONDS", 30)
# How long an organiser can undo a decision; its email to the participant waits that long.
DECISION_UNDO_SECONDS = env_int("DECISION_UNDO_SECONDS", 30)

# Background work: django-tasks with its database backend; `manage.py db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "civicmeet",
    },
    # Rendered public pages, per process: every key carries the version of what it shows (the
    # event's updated_at, its registration status), so a process never serves an outdated copy
    # and nothing needs to be shared between processes.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "civicmeet-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
PAGE_CACHE_ALIAS = "pages"
# Seconds an event's version is trusted before it is read from the database again: the bound
# within which every process sees a change of an event made by another one (events/page_cache.py,
# docs/architecture.md "Changes seen across processes").
EVENT_VERSION_SECONDS = 2

# Rate limits (django-ratelimit syntax "count/period", period s/m/h/d), per client IP address.
# Generous by default so a whole office behind one address can still register.
RATE_LIMITS_ENABLED = env_str("RATE_LIMITS", "on").strip().lower() != "off"
RATE_LIMIT_REGISTRATION = env_str("RATE_LIMIT_REGISTRATION", "60/10m")
RATE_LIMIT_LOGIN = env_str("RATE_LIMIT_LOGIN", "10/m")
RATE_LIMIT_SAFETY_CHECK = env_str("RATE_LIMIT_SAFETY_CHECK", "600/10m")
# Sign-in links: per IP address, and per email address asked for (known or not).
RATE_LIMIT_SIGNIN_LINK = env_str("RATE_LIMIT_SIGNIN_LINK", "10/m")
RATE_LIMIT_SIGNIN_LINK_ADDRESS = env_str("RATE_LIMIT_SIGNIN_LINK_ADDRESS", "5/h")
RATELIMIT_ENABLE = RATE_LIMITS_ENABLED
RATELIMIT_VIEW = "civicmeet.core.views.rate_limited"
# Behind a reverse proxy set RATE_LIMIT_IP_HEADER=HTTP_X_FORWARDED_FOR (and make sure it is trusted).
RATELIMIT_IP_META_KEY = env_str("RATE_LIMIT_IP_HEADER", "") or None
# Login lock-out (civicmeet.accounts.services): after LOGIN_LOCKOUT_ATTEMPTS failed logins for one
# account within LOGIN_LOCKOUT_MINUTES, that account cannot log in for LOGIN_LOCKOUT_MINUTES.
# 0 attempts switches it off. Kept in the cache named here; with several worker processes that
# cache must be shared between them (the same holds for the rate limits above).
LOGIN_LOCKOUT_ATTEMPTS = env_int("LOGIN_LOCKOUT_ATTEMPTS", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
LOGIN_LOCKOUT_CACHE = "default"

# Data protection: health declarations are purged this many days after an event ends; other
# personal data is anonymised after the event's own retention period (this is its default).
HEALTH_DATA_RETENTION_DAYS = env_int("HEALTH_DATA_RETENTION_DAYS", 14)
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 365)
# The network (civicmeet/*/privacy.py, run by the nightly purge): a contact request nobody answers
# expires after CONTACT_REQUEST_EXPIRY_DAYS (its answer links stop working); its message and links
# are erased CONTACT_REQUEST_RETENTION_DAYS after it was answered or expired. Sign-ups for project
# offers, refused or removed representatives, idle accounts and the contact data in the network's
# histories are erased after PERSONAL_DATA_RETENTION_DAYS.
CONTACT_REQUEST_EXPIRY_DAYS = env_int("CONTACT_REQUEST_EXPIRY_DAYS", 30)
CONTACT_REQUEST_RETENTION_DAYS = env_int("CONTACT_REQUEST_RETENTION_DAYS", 90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

CIVICMEET_SITE_NAME = _("civicmeet")
