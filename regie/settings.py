"""Regie settings: one module, configured by environment variables (see README)."""

import base64
import binascii
import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Generic classes the type checker knows (ModelForm[Client], ModelAdmin[Client], QuerySet[Client])
# must also be subscriptable when the code runs.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate as "COUNT/PERIOD": "10/600", "10/10m" or "100/1h" (PERIOD in seconds unless it
    ends in s, m or h). A COUNT of 0 switches the limit off."""
    raw = os.environ.get(name) or default
    count, _slash, period = raw.strip().lower().partition("/")
    units = {"s": 1, "m": 60, "h": 3600}
    multiplier = units.get(period[-1:], 0)
    digits = period[:-1] if multiplier else period
    try:
        limit, seconds = int(count), int(digits) * (multiplier or 1)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be COUNT/PERIOD such as 10/600 or 10/10m, got {raw!r}"
        ) from None
    if limit < 0 or seconds <= 0:
        raise ImproperlyConfigured(f"{name} needs a count of 0 or more and a period above 0")
    return limit, seconds


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_key(name: str, *, length: int, default: bytes | None) -> bytes | None:
    """A secret key given as base64 of exactly ``length`` bytes; ``default`` when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        key = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{name} must be base64, got something else") from None
    if len(key) != length:
        raise ImproperlyConfigured(f"{name} must be base64 of {length} bytes, got {len(key)}")
    return key


DEBUG = env_bool("DEBUG", True)
INSECURE_DEV_KEY = "django-insecure-regie-development-only"
SECRET_KEY = env_str("SECRET_KEY", INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "ninja",
    "simple_history",
    "axes",
    # Regie's apps in the order of their layers (docs/architecture.md, pyproject's import-linter).
    "regie.core",
    "regie.registry",
    "regie.accounts",
    "regie.network",
    "regie.events",
    "regie.knowledge",
    "regie.plans",
    "regie.clients",
    "regie.logistics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "regie.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "regie.urls"
WSGI_APPLICATION = "regie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "regie" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "regie.core.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ by default, anything dj-database-url understands via DATABASE_URL.
VAR_DIR.mkdir(exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'regie.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "regie.accounts.throttling.AddressCeilingBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# How many reverse proxies stand before gunicorn: the client address is the one the first of
# them saw (regie.core.throttle.client_ip); a forged X-Forwarded-For entry is never believed.
REGIE_TRUSTED_PROXIES = env_int("REGIE_TRUSTED_PROXIES", 1)

# django-axes: repeated failures lock a user name from one address, not the user name
# everywhere (anyone who knows the coordinator's user name could lock them out) and not the
# address (an office shares one). Failures during a lock-out do not extend it.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "regie.accounts.throttling.username_of"
AXES_CLIENT_IP_CALLABLE = "regie.core.throttle.client_ip"
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Password spraying: failed sign-ins from one address across user names, per window.
REGIE_LOGIN_ADDRESS_RATE = env_rate("REGIE_LOGIN_ADDRESS_RATE", "50/15m")

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "regie" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every start while it is missing
STATICFILES_DIRS = [BASE_DIR / "regie" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded documents live outside the web root and are served by views that check access.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND_PATH = env_str("EMAIL_BACKEND", CONSOLE_BACKEND if DEBUG else SMTP_BACKEND)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": env_int("EMAIL_TIMEOUT", 20),
        }
        if EMAIL_BACKEND_PATH == SMTP_BACKEND
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "regie@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Eligible for the browsers' preload list; it takes effect only when the domain is submitted.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REGIE_PAGE_SIZE = env_int("REGIE_PAGE_SIZE", 25)
REGIE_API_MAX_LIMIT = env_int("REGIE_API_MAX_LIMIT", 500)
REGIE_IMPORT_MAX_BYTES = env_int("REGIE_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Public event registrations (web form and API) per client address: "count/period".
REGIE_REGISTRATION_RATE = env_rate("REGIE_REGISTRATION_RATE", "10/10m")
REGIE_DOCUMENT_MAX_BYTES = env_int("REGIE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)

# Background tasks (django.tasks): run immediately in the request by default; "database" queues
# them in the database for `manage.py db_worker` (django-tasks-db).
REGIE_TASKS_BACKEND = env_str("REGIE_TASKS_BACKEND", "immediate")
if REGIE_TASKS_BACKEND not in {"immediate", "database"}:
    raise ImproperlyConfigured("REGIE_TASKS_BACKEND must be 'immediate' or 'database'.")
if REGIE_TASKS_BACKEND == "database":
    INSTALLED_APPS.append("django_tasks_db")
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Round maps: a tile URL template ("https://…/{z}/{x}/{y}.png"); empty shows routes on a plain
# background. Road distances: an OSRM server; empty uses straight lines × 1.3.
REGIE_MAP_TILE_URL = env_str("REGIE_MAP_TILE_URL", "")
REGIE_MAP_TILE_ATTRIBUTION = env_str("REGIE_MAP_TILE_ATTRIBUTION", "")
REGIE_OSRM_URL = env_str("REGIE_OSRM_URL", "")

# Clients' national numbers (INSZ) are encrypted with AES-256-GCM under this key (base64 of 32
# bytes); lookups use an HMAC key derived from it. The fixed development key serves DEBUG only:
# with DEBUG off Regie refuses to start without REGIE_INSZ_KEY (regie.clients.apps).
INSECURE_DEV_INSZ_KEY = b"regie insz development key only!"
REGIE_INSZ_KEY = env_key(
    "REGIE_INSZ_KEY", length=32, default=INSECURE_DEV_INSZ_KEY if DEBUG else None
)
# Backups (`manage.py backup`/`restore`) are encrypted with AES-256-GCM under a key derived from
# this one (base64 of 32 bytes); with DEBUG off there is no default and `backup` refuses to run.
INSECURE_DEV_BACKUP_KEY = b"regie backup development key onl"
REGIE_BACKUP_KEY = env_key(
    "REGIE_BACKUP_KEY", length=32, default=INSECURE_DEV_BACKUP_KEY if DEBUG else None
)
# The erasure log (regie/core/erasures.py): kept apart from the database and its backups, so
# that a restore can erase again whom it would bring back.
REGIE_ERASURE_LOG = Path(env_str("REGIE_ERASURE_LOG", str(VAR_DIR / "erasures" / "erasures.jsonl")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

FORM_RENDERER = "regie.core.forms.RegieFormRenderer"
