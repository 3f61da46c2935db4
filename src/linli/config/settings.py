"""Django settings, derived from the one validated `LinliSettings` object (see env.py)."""

from __future__ import annotations

import warnings
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.utils.csp import CSP

from linli.config.env import DEV_DATA_KEY, DEV_INDEX_KEY, DEV_SECRET_KEY, load

ENV = load()
BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = ENV.data_dir.resolve()

DEBUG = ENV.debug
SECRET_KEY = ENV.secret_key
ALLOWED_HOSTS = ENV.host_list()
CSRF_TRUSTED_ORIGINS = [o.strip() for o in ENV.csrf_trusted_origins.split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "linli.core",
    "linli.accounts",
    "linli.areas",
    "linli.residents",
    "linli.workdays",
    "linli.service_desk",
    "linli.grid_events",
    "linli.facilities",
    "linli.partners",
    "linli.volunteers",
    "linli.timebank",
    "linli.ventures",
    "linli.charity",
    "linli.welfare",
    "linli.care",
    "linli.mediation",
    "linli.consultation",
    "linli.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "linli.core.middleware.RequestLogMiddleware",
    "linli.core.middleware.PublicReadCorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "linli.accounts.middleware.IdleTimeoutMiddleware",
    "linli.accounts.middleware.ActorMiddleware",
    "linli.accounts.middleware.AccountGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "linli.portal.web.errors.DomainErrorMiddleware",
]

ROOT_URLCONF = "linli.config.urls"
WSGI_APPLICATION = "linli.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "portal:staff-login"
LOGIN_REDIRECT_URL = "portal:staff-home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "linli.portal.web.context.shell",
            ],
        },
    }
]


def database_from_url(url: str, data_dir: Path) -> dict:
    """Turn LINLI_DATABASE_URL into a DATABASES entry; empty means the embedded SQLite file."""
    if not url:
        return sqlite_database(data_dir / "linli.sqlite3")
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return sqlite_database(Path(unquote(parts.path.removeprefix("/")) or ":memory:"))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        # JIT compiles plans the planner thinks costly; for our short OLTP queries the compile
        # cost more than it saved (53 of 67 ms of the overdue list at 3 million cases).
        # connect_timeout: while the server is unreachable a request (and /healthz) answers 503
        # within seconds instead of hanging on the operating system's TCP time-out.
        "OPTIONS": {"options": "-c jit=off", "connect_timeout": 5},
    }


def sqlite_database(path: Path) -> dict:
    # The embedded database is the zero-set-up default: make its folder on first use.
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # Keep connections: opening the file and running the PRAGMAs on every request cost
        # more than the query (docs/benchmarks.md).
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            # WAL lets the web server read while the worker writes; IMMEDIATE makes writers
            # queue on the lock instead of failing half-way with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": database_from_url(ENV.database_url, DATA_DIR)}
# The case queues' covering indexes (INCLUDE columns) are for PostgreSQL; SQLite builds them
# without the extra columns, which is fine. Its warning printed on every command told a new user
# nothing they could act on.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if ENV.redis_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": ENV.redis_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASK_BACKENDS = {
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    "redis": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
}
TASKS = {"default": TASK_BACKENDS[ENV.task_backend]}
RQ_QUEUES = {"default": {"URL": ENV.redis_url or "redis://127.0.0.1:6379/0"}}

# Password rules (等保 level 3, ASVS V2.1): at least 10 characters, not a common password, not
# like the username or display name, not digits only. Django's own messages, in Chinese.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = ENV.language
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "uploads"
# Until `collectstatic` has run, WhiteNoise serves from the app folders and would warn about
# the empty STATIC_ROOT on every start.
warnings.filterwarnings("ignore", message="No directory at")
# Serve straight from the app folders so a fresh clone needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if ENV.secure_https:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LINLI_DATA_KEYS = ENV.keyring()
LINLI_DATA_KEY_ID = ENV.data_key_id
LINLI_INDEX_KEY = ENV.index_key_bytes()
LINLI_TOKEN_TTL_HOURS = ENV.token_ttl_hours
LINLI_POOL_STATS_MINUTES = ENV.pool_stats_minutes
LINLI_IMPORT_RETENTION_DAYS = ENV.import_retention_days
LINLI_TRUST_X_FORWARDED_FOR = ENV.trust_x_forwarded_for
LINLI_NOTIFY_CHANNELS = [c.strip() for c in ENV.notify_channels.split(",") if c.strip()]
LINLI_SMS_GATEWAY_URL = ENV.sms_gateway_url
LINLI_WECHAT_GATEWAY_URL = ENV.wechat_gateway_url
LINLI_RECTIFICATION_WORKING_DAYS = ENV.rectification_working_days
LINLI_WELFARE_DESK_ITEMS = ENV.welfare_desk_item_map()
LINLI_OFFICE_HOURS = ENV.office_hours
LINLI_CITY_BOUNDS = ENV.city_bounds
LINLI_DUPLICATE_RADIUS_M = ENV.duplicate_radius_m
LINLI_DUPLICATE_WINDOW_HOURS = ENV.duplicate_window_hours
LINLI_ROUTER_MIN_CONFIDENCE = ENV.router_min_confidence
LINLI_ROUTER_DIR = Path(ENV.router_dir).resolve() if ENV.router_dir else DATA_DIR / "router"
LINLI_MAP_TILES_URL = ENV.map_tiles_url
LINLI_MAP_TILES_ATTRIBUTION = ENV.map_tiles_attribution
# CORS for the public Open311 reads only (django-cors-headers, decision 0014): GET/HEAD under
# /open311/v2/ and their preflight, from the origins of LINLI_OPEN311_CORS_ORIGINS ("*": any site;
# empty, the default: none). Never credentials, never a POST, never a staff or API path.
CORS_URLS_REGEX = r"^/open311/v2/"
CORS_ALLOW_ALL_ORIGINS = ENV.open311_cors_origin_list() == ["*"]
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else ENV.open311_cors_origin_list()
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language"]
CORS_ALLOW_CREDENTIALS = False
# Log-in throttling (django-axes, decision 0015): N failures for an account, or from an address,
# lock further attempts for the cool-off period. The failures are counted in the database (it
# holds across processes and servers); the events go to the audit log.
AXES_FAILURE_LIMIT = ENV.login_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=ENV.login_cooloff_minutes)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "linli.core.net.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # successful log-ins are in the audit log already
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # the operator's page (/staff/security/) shows and lifts lock-outs, audited
SILENCED_SYSTEM_CHECKS.append("axes.W002")  # no AxesMiddleware: our log-in pages answer a lock-out themselves
OTP_TOTP_ISSUER = "Linli 邻里"
LINLI_STAFF_IDLE_MINUTES = ENV.staff_idle_minutes
LINLI_RESIDENT_IDLE_MINUTES = ENV.resident_idle_minutes
# A second factor for accounts that can reveal personal data, edit the catalogue, grant roles or
# read the audit log (accounts.domain.SECOND_FACTOR_PERMISSIONS). Not an operator setting.
LINLI_SECOND_FACTOR_ENFORCED = True
LINLI_DEV_SECRETS = {"secret_key": DEV_SECRET_KEY, "data_key": DEV_DATA_KEY, "index_key": DEV_INDEX_KEY}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "linli.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"redact": {"()": "linli.core.logs.RedactFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": ENV.log_format, "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": ENV.log_level},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # django-axes logs every failure as a warning; they are in the audit log already
        "axes": {"level": "ERROR"},
        # numexpr (under OpenFisca) announces its thread count at import: not an operator's concern
        "numexpr": {"level": "WARNING"},
    },
}

# Periodic jobs run by `linli tick` (each idempotent, each returns a short result line).
LINLI_TICK_JOBS = [
    "linli.core.services.sessions_clear",
    "linli.core.services.idempotency_keys_prune",
    "linli.core.services.tasks_recover",
    "linli.accounts.services.tokens_prune",
    "linli.accounts.services.login_attempts_prune",
    "linli.residents.services.pool_stats_refresh",
    "linli.residents.imports.import_files_prune",
    "linli.service_desk.services.deadlines_check",
    "linli.service_desk.services.archive_retention_purge",
    "linli.service_desk.services.rating_invites_send",
    "linli.service_desk.services.desk_figures_refresh",
    "linli.grid_events.services.grid_deadlines_check",
    "linli.timebank.services.expiry_run",
    "linli.care.services.orders.visits_mark_missed",
    "linli.care.services.statements.bed_visits_tick",
    "linli.mediation.services.safety.four_zero_tick",
    "linli.mediation.services.reasoning.reasoning_lapse_tick",
    "linli.consultation.services.topics.topics_lapse_tick",
    "linli.consultation.services.voting.voting_close_tick",
]
if ENV.task_backend == "redis":
    INSTALLED_APPS.append("django_rq")
