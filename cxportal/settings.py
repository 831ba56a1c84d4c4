"""Settings for the CX progress portal: one module for every environment.

Every value that differs between a laptop and production is read from the environment in the
block below, and nowhere else. The defaults are harmless on a laptop; `manage.py check --deploy
--fail-level WARNING` refuses them in production.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.core import RESERVED_ATTRS as RESERVED_LOG_ATTRS

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _env_https_url(name: str, default: str) -> str:
    value = (os.environ.get(name) or default).strip()
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+(:[0-9]+)?/[^\s?#\"'<>]*", value):
        raise ImproperlyConfigured(
            f"{name} must be an https:// address with no query, not {value!r}."
        )
    return value


def _env_url_path(name: str, default: str) -> str:
    """A path for `django.urls.path()`: "/staff/", "staff" and "staff/" all mean "staff/"."""
    value = (os.environ.get(name) or default).strip().strip("/")
    if not value:
        # "/" would put the admin's login and its models' lists among the public pages' addresses.
        raise ImproperlyConfigured(f"{name} cannot be the site's root; use e.g. {default!r}.")
    return value + "/"


# --- Per-environment values: all of them, and only here. ---------------------------------------
DEBUG = _env_bool("DJANGO_DEBUG", False)
# The fallback key is public and marked insecure; check --deploy refuses it.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "django-insecure-local-only-not-for-production"
ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
# HSTS: one year wherever the site redirects to HTTPS, unless set (ADR 0030); off on a laptop.
SECURE_HSTS_SECONDS = _env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000 if SECURE_SSL_REDIRECT else 0)
REDIS_URL = os.environ.get("REDIS_URL", "")
PORT = int(os.environ.get("PORT") or 8000)
# gunicorn's own values (WEB_CONCURRENCY, GUNICORN_THREADS, its timeouts) are read by the
# top-level gunicorn.conf.py, which is not Django's.
# Signing in to the admin (see docs/decisions/0011-login-safety.md). 2FA is off by default so that
# a newcomer's `make run` and `createsuperuser` work with a password alone.
CXPORTAL_REQUIRE_2FA = _env_bool("CXPORTAL_REQUIRE_2FA", False)
CXPORTAL_LOGIN_FAILURE_LIMIT = _env_int("CXPORTAL_LOGIN_FAILURE_LIMIT", 5)
CXPORTAL_LOGIN_COOLOFF_MINUTES = _env_int("CXPORTAL_LOGIN_COOLOFF_MINUTES", 15)
CXPORTAL_SESSION_IDLE_MINUTES = _env_int("CXPORTAL_SESSION_IDLE_MINUTES", 30)
CXPORTAL_ADMIN_PATH = _env_url_path("CXPORTAL_ADMIN_PATH", "admin/")
# The Digital Analytics Program's script (ADR 0030): off unless an agency code is set, e.g. "GSA".
CXPORTAL_DAP_AGENCY = os.environ.get("CXPORTAL_DAP_AGENCY", "").strip()
CXPORTAL_DAP_URL = _env_https_url(
    "CXPORTAL_DAP_URL", "https://dap.digitalgov.gov/Universal-Federated-Analytics-Min.js"
)
if not re.fullmatch(r"[A-Za-z0-9_-]{0,40}", CXPORTAL_DAP_AGENCY):
    raise ImproperlyConfigured("CXPORTAL_DAP_AGENCY is an agency code such as GSA or DHS.")
# -------------------------------------------------------------------------------------------------

if not DATABASE_URL:
    # No database configured: use the embedded Postgres in .pgdata/; Postgres always.
    from cxportal.embedded_db import database_url

    DATABASE_URL = database_url(BASE_DIR / ".pgdata")

DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
# --- Surviving a database outage (issue 9, ADR 0031). --------------------------------------------
# A connection is kept for a minute and checked before a request reuses it (health checks), and one
# that failed is closed when its request ends, so the site recovers by itself when Postgres comes
# back. A connection attempt gives up after 3 s (unless DATABASE_URL sets connect_timeout), so a
# database that is away costs a visitor a 503 page, never a hang.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)

# --- Render cost (ADR 0028) ----------------------------------------------------------------------
# The public rule (content.publishing.public_q) joins every parent of a row, so a page's queries
# join 6 to 10 tables. With Postgres's default collapse limits (8) the planner searched every join
# order: 20 to 50 ms of planning for a query that runs in under 1 ms, most of each page's time.
# At 6 the planner still orders the joins that matter (a provider's reports by hisp_id first) and
# plans in 1 to 2 ms. Sent as a connection option, so it holds for every connection the site opens.
_PLANNER = "-c join_collapse_limit=6 -c from_collapse_limit=6"
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
if _PLANNER not in _db_options.get("options", ""):
    _db_options["options"] = f"{_db_options.get('options', '')} {_PLANNER}".strip()
# -------------------------------------------------------------------------------------------------
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caching (issue 9; cxportal/caching.py, ADRs 0026 and 0027) ---------------------------------
# The shared cache holds the content version and the rendered pages, for every app container:
# Redis when REDIS_URL is set (production), else a table in Postgres (made by cxportal's
# migration 0005), shared by every gunicorn worker. Never one process's memory.
# CXPORTAL_PAGE_CACHE=false turns the page cache off: public pages are then sent `no-cache`, and
# neither the app nor a proxy keeps them. CXPORTAL_PROXY_PURGE_URL lists reverse proxies
# (deploy/nginx.conf), comma-separated, e.g. http://127.0.0.1:8080, to PURGE pages from after
# every change of the content; it needs REDIS_URL.
CXPORTAL_PAGE_CACHE = _env_bool("CXPORTAL_PAGE_CACHE", True)
CXPORTAL_PROXY_PURGE_URL = _env_list("CXPORTAL_PROXY_PURGE_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cxportal.caching.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cxportal",
            # A Redis that does not answer must not hang a request: pages are rendered instead.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cxportal_cache",
            "KEY_PREFIX": "cxportal",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# -------------------------------------------------------------------------------------------------

INSTALLED_APPS = [
    # Django's admin, on the project's own site: `cxportal.admin_site.PortalAdminSite`.
    "cxportal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "content",
    "hisps",
    "milestones",
    "priorities",
    "cxportal",
]

MIDDLEWARE = [
    # First: a request id and one JSON log line for every response, redirects included (ADR 0031).
    "cxportal.ops.request_log",
    "django.middleware.security.SecurityMiddleware",
    "cxportal.middleware.content_security_policy",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that reads the database, so that a hit needs none; after the HTTPS redirect
    # and static files; before GZip, so that pages are kept compressed (cxportal/caching.py).
    "cxportal.caching.PageCacheMiddleware",
    # Pages go out compressed (ADR 0024); static files already are, by whitenoise, above it.
    "django.middleware.gzip.GZipMiddleware",
    # A database outage in a view becomes the 503 page (ADR 0031); handler500 catches the rest.
    "cxportal.ops.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after the user is known: it tells whether they signed in with a TOTP token.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cxportal.urls"
WSGI_APPLICATION = "cxportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The DAP script's address, or nothing (ADR 0030). Reads settings only.
                "cxportal.middleware.analytics",
            ],
        },
    },
]

# Axes's backend goes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security headers and cookies (issue 9, ADR 0030). ---------------------------------------------
# Strict by default; the environment can only loosen what the block above reads.
# Cookies travel over HTTPS only wherever the site redirects to HTTPS (production); on a laptop's
# http://127.0.0.1 they must not, or the admin's login form could never be posted. Only staff get
# cookies (public pages set none): the session's and the CSRF token's, both HttpOnly and Lax. No
# script reads the CSRF cookie: the admin's forms carry the token, and the public site's htmx only
# sends GETs.
SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# HSTS for a year with subdomains and preload (a .gov domain is preloaded anyway).
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# django-permissions-policy: every browser feature the site has no use for, denied to the page and
# to anything it could embed. Only names Chromium knows (others log a console warning there).
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "captured-surface-control",
        "clipboard-read",
        "clipboard-write",
        "compute-pressure",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "private-state-token-issuance",
        "private-state-token-redemption",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "shared-storage",
        "shared-storage-select-url",
        "storage-access",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    ]
}
# -------------------------------------------------------------------------------------------------

# Signing in to the admin. Failed sign-ins are counted per username and address together, so that
# one person's typos from an office's shared address lock out only that username, and a guesser
# cannot lock everyone out. A success clears the count.
AXES_FAILURE_LIMIT = CXPORTAL_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=CXPORTAL_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cxportal.admin_site.locked_out"
# Axes keeps the posted form with each failure; the password is always masked, the token too.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
# The name an authenticator app shows beside the six digits.
OTP_TOTP_ISSUER = "CX progress portal"
# A staff session ends after this long without a request; every request starts the time again.
# Only signed-in users have sessions: public pages set no cookie.
SESSION_COOKIE_AGE = CXPORTAL_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True

# --- Logs (issue 9, ADR 0031). ---------------------------------------------------------------------
# One JSON object per line on stderr: time, level, logger, message, the request id, and for each
# request (cxportal.ops.request_log) its method, path, status and duration_ms; an error carries its
# traceback in "exc_info". gunicorn's own lines use the same formatter (gunicorn.conf.py) and its
# access log is off, so each request is logged once.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cxportal.ops.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message"],
            "timestamp": "time",  # ISO 8601, in UTC
            "rename_fields": {"levelname": "level", "name": "logger"},
            # Django's request logger passes the request object along; the path is already there.
            "reserved_attrs": [*RESERVED_LOG_ATTRS, "request"],
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    # RequestIdFilter drops django.request's lines that only repeat a status ("Not Found: /x").
    "loggers": {
        "cxportal": {"level": "INFO"},
        # runserver's own line per request (`make run`) would repeat request_log's.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
# -------------------------------------------------------------------------------------------------
