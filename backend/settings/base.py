"""Settings shared by every environment; values come from the environment (django-environ).

The embedded defaults (SQLite under var/, Celery's filesystem transport under var/) let the service and
a real worker run with no server installed. Production sets DATABASE_URL and CELERY_BROKER_URL.
The settings create the folders they point at (var/, var/log/, the SQLite file's folder), so a fresh
clone's first ``manage.py migrate`` works; backend/celery.py makes the broker's folders.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("KINDRED_VAR_DIR", default=str(BASE_DIR / "var")))
#: Where scripts/run.sh sends the worker's, beat's and the demo seeding's logs.
LOG_DIR = VAR_DIR / "log"


def _ensure_dirs(*dirs: Path) -> None:
    """SQLite cannot create the folder of its file ("unable to open database file"), and a
    fresh clone has no var/ (it is git-ignored): make them before anything opens them."""
    for folder in dirs:
        folder.mkdir(parents=True, exist_ok=True)


_ensure_dirs(VAR_DIR, LOG_DIR)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_celery_results",
    "django_celery_beat",
    "django_htmx",
    # Fragments of a page template that htmx swaps in ({% partialdef %}); wraps the loaders.
    "template_partials",
    "accounts",
    "audit",
    "taxonomy",
    "organizations",
    "opportunities",
    "volunteers",
    "matching",
    "suggestions",
    "placements",
    "notifications",
    "engagement",
    "demo",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (docs/security.md).
    "csp.middleware.CSPMiddleware",
    "backend.security_headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The pages' language: the set_language cookie, else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "backend.input_guards.NulRefusingQueryStringMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: marks a session whose staff member passed their second factor
    # (django-otp; accounts/second_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The pages allow no inline style either (pages/csp.py); the admin and Swagger UI keep theirs.
    "pages.csp.PagesStyleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a sign-in refused for a lockout into the 429 of accounts/lockout.py.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backend.urls"
#: A refused CSRF token gets a page a person understands (a form left open too long).
CSRF_FAILURE_VIEW = "pages.views.errors.csrf_failure"
WSGI_APPLICATION = "backend.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
#: API tokens: django-rest-knox, one per device or client, stored as digests (accounts.DeviceToken).
#: knox's own migrations create its default token table even when the model is swapped (they
#: carry no ``swappable`` option), and that table's key to accounts_user made PostgreSQL refuse
#: the test runner's TRUNCATE. The swapped-in model has its migration in accounts.
MIGRATION_MODULES = {"knox": None}
KNOX_TOKEN_MODEL = "accounts.DeviceToken"  # noqa: S105  (a model label)
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    # A token lives this long after it is issued, then answers 401 (sign in again).
    "TOKEN_TTL": timedelta(days=env.int("AUTH_TOKEN_TTL_DAYS", default=30)),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": env.int("AUTH_TOKEN_LIMIT_PER_USER", default=20),
    "AUTO_REFRESH": False,
}
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "accounts.lockout.RequestLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Content-Security-Policy (django-csp) ---------------------------------------------------------
# Self-only: the API docs' Swagger UI is served from drf-spectacular-sidecar and its start script
# from our own URL (SpectacularSwaggerSplitView), the admin loads only its own files. Inline styles
# are allowed (Swagger UI and the admin write style attributes); inline scripts are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Lockout after failed sign-ins (django-axes; docs/security.md) ---------------------------------
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Either counts on its own: five failures for one account (from any addresses) or from one address
# (for any accounts) lock it.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_username"
AXES_CLIENT_IP_CALLABLE = "backend.proxies.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Not reset on success: signing in to one's own account must not wipe the count of an address.
AXES_RESET_ON_SUCCESS = False
# The admin is view-only (backend/admin.py); staff lift a lock with manage.py axes_reset_username.
AXES_ENABLE_ADMIN = False

# --- Accounts: links, second factor, retention (backend/settings/_accounts.py) -----------------
from backend.settings._accounts import *  # noqa: E402, F403

#: Task results (they carry ids of people) and sign-in and access logs are purged after this.
TASK_RESULT_RETENTION_DAYS = env.int("TASK_RESULT_RETENTION_DAYS", default=30)
SECURITY_LOG_RETENTION_DAYS = env.int("SECURITY_LOG_RETENTION_DAYS", default=180)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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


def _database_from_env() -> dict:
    default_sqlite = f"sqlite:///{VAR_DIR / 'kindred.sqlite3'}"
    config = env.db_url("DATABASE_URL", default=default_sqlite)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # A web process and a worker write to the same file: WAL lets readers proceed while one
        # writes, IMMEDIATE takes the write lock at BEGIN (no upgrade deadlock), and the timeout
        # waits for the lock instead of failing with "database is locked".
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    else:
        config.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
        config["CONN_HEALTH_CHECKS"] = True
    return config


def _sqlite_file_dir(config: dict) -> Path | None:
    """The folder an SQLite database file lives in; None for another engine or an in-memory one."""
    name = str(config.get("NAME") or "")
    if config["ENGINE"] != "django.db.backends.sqlite3" or name in ("", ":memory:"):
        return None
    if name.startswith("file:"):  # a URI such as file:memorydb?mode=memory&cache=shared
        return None
    return Path(name).parent


DATABASES = {"default": _database_from_env()}
if (_sqlite_dir := _sqlite_file_dir(DATABASES["default"])) is not None:
    _ensure_dirs(_sqlite_dir)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
#: The pages speak these (locale/<code>/LC_MESSAGES/django.po, the compiled .mo committed).
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

#: The largest JSON body the API parses; larger ones answer 413 before parsing.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=256 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.DeviceTokenAuthentication",
        "accounts.authentication.SecondFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "backend.pagination.BoundedLimitOffsetPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "backend.errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # A JSON API: clients send JSON bodies (the NUL character refused, see backend/input_guards).
    # Refuses NUL, bodies over API_MAX_BODY_BYTES (413) and JSON nested too deep (400).
    "DEFAULT_PARSER_CLASSES": ["backend.input_guards.NulRefusingJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # How many trusted proxies append to X-Forwarded-For (backend/proxies.py): 0 means the socket's
    # address, and a client-sent header is ignored. Behind one TLS proxy set NUM_PROXIES=1.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("AUTH_THROTTLE_RATE", default="20/minute"),
        "member_add": env.str("MEMBER_ADD_THROTTLE_RATE", default="30/hour"),
        # Per organization (backend/throttles.py): full matching runs and bulk reviews.
        "match_run": env.str("MATCH_RUN_THROTTLE_RATE", default="10/hour"),
        "bulk_review": env.str("BULK_REVIEW_THROTTLE_RATE", default="120/hour"),
        # Per person: the role form's live preview reads every volunteer near the role (cached by
        # draft, matching/preview.py); a pause in typing asks once.
        "role_preview": env.str("ROLE_PREVIEW_THROTTLE_RATE", default="60/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Kindred Match API",
    "DESCRIPTION": "Volunteer matching for community mental-health support.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models share choice names (status, mode); name each enum once for the schema.
    "ENUM_NAME_OVERRIDES": {
        "OpportunityStatusEnum": "opportunities.models.Opportunity.Status",
        "ModeEnum": "opportunities.models.Mode",
        "BackgroundCheckStatusEnum": "volunteers.models.BackgroundCheckStatus",
        "MatchStatusEnum": "matching.models.MatchStatus",
        "InterestStatusEnum": "placements.models.InterestStatus",
    },
}

# --- Matching (backend/settings/_matching.py) --------------------------------------------------
from backend.settings._matching import *  # noqa: E402, F403

# --- Celery -------------------------------------------------------------------------------------
BROKER_FILESYSTEM_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")


# --- Cache (throttle counters, lockouts): one store shared by every process -----------------------
#: The Redis database number the cache uses when it shares the broker's Redis server (the broker
#: keeps database 0, or whichever its URL names).
CACHE_REDIS_DB = env.int("CACHE_REDIS_DB", default=1)
#: The table of Django's database cache (the embedded default); ``createcachetable`` makes it
#: (scripts/run.sh, and accounts/apps.py after every ``migrate``).
CACHE_TABLE = "kindred_cache"


def default_cache_url(broker_url: str, *, redis_db: int) -> str:
    """Redis when the broker is Redis (the same server, a database of the cache's own), otherwise
    Django's database cache. Never per-process memory: a throttle counted in each gunicorn worker
    lets a client through once per worker."""
    if broker_url.startswith(("redis://", "rediss://")):
        scheme_host, mark, query = broker_url.partition("?")
        scheme_host = scheme_host.rstrip("/")
        head, _, tail = scheme_host.rpartition("/")
        server = head if tail.isdigit() and "//" in head else scheme_host
        return f"{server}/{redis_db}{mark}{query}"
    return f"dbcache://{CACHE_TABLE}"


CACHES = {
    "default": env.cache_url(
        "CACHE_URL", default=default_cache_url(CELERY_BROKER_URL, redis_db=CACHE_REDIS_DB)
    )
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # One folder for in and out: the filesystem transport is a queue on disk shared by every process
    # on this machine. 0.1 s polling keeps a task round trip near 100 ms.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        "data_folder_in": str(BROKER_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(BROKER_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(BROKER_FILESYSTEM_DIR / "processed"),
        "control_folder": str(BROKER_FILESYSTEM_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
else:
    # Matching tasks have time limits well below this; an unacked task of a dead worker comes back
    # after it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_CACHE_BACKEND = "django-cache"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Tasks are idempotent, so a task whose worker died is redelivered rather than lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
#: Threads each worker process lets the engine's libraries (OpenBLAS, OpenMP) use; 0: the machine's
#: cores shared out among the worker's processes (backend/celery.py). Set it when several workers
#: share a machine: their processes together should not exceed its cores.
ENGINE_THREADS_PER_WORKER = env.int("ENGINE_THREADS_PER_WORKER", default=0)
# The queues a task waits in (full runs, rematches, notices, the rest): backend/celery_queues.py.

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Kindred Match <no-reply@kindred.example>"
)

#: The refusal log (logger ``kindred.security``, backend/security_log.py) is also written to this
#: file, rotated at midnight and kept SECURITY_LOG_RETENTION_DAYS days (one file a day, the older
#: deleted). Set it empty when the deployment ships its logs elsewhere (the lines still reach the
#: console): their retention is then that system's to set (docs/security.md, "Retention").
SECURITY_LOG_FILE = env.str("SECURITY_LOG_FILE", default=str(LOG_DIR / "security.log"))

LOGGING: dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
if SECURITY_LOG_FILE:
    LOGGING["handlers"]["security_file"] = {
        # Shared by every gunicorn worker and the Celery worker (backend/log_files.py).
        "class": "backend.log_files.SharedTimedRotatingFileHandler",
        "formatter": "plain",
        "filename": SECURITY_LOG_FILE,
        "when": "midnight",
        "backupCount": SECURITY_LOG_RETENTION_DAYS,
        "delay": True,
        "encoding": "utf-8",
    }
    # Propagates too: the console (and whatever collects it) still gets every line.
    LOGGING["loggers"] = {"kindred.security": {"handlers": ["security_file"], "level": "INFO"}}
