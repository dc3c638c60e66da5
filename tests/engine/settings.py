"""Settings of the engine's tests: a host that is not the demo shop.

A small Django project with the engine set up as the README's "Using the app in another shop"
says, the product model of `tests.engine.testapp`, and the same database server, broker and fake
encoder as the store's tests. Nothing of `shop.store` is installed, so a test that still needs the
store cannot pass here.
"""

import os

# The shared test settings read the demo project's, whose production defaults need a key.
os.environ.setdefault("DJANGO_SECRET_KEY", "engine-tests-only")

from tests.common_settings import *  # noqa: F403
from tests.common_settings import DATABASES, SHARED_CACHES, TEST_RECOMMENDATIONS

# Django's default, client-side parameter binding, as most hosts have it: the store's tests run
# the demo's server-side binding with prepared statements, so the engine's SQL meets both.
for option in ("server_side_binding", "prepare_threshold"):
    DATABASES["default"]["OPTIONS"].pop(option, None)

SECRET_KEY = "engine-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "recommendations",
    "tests.engine.testapp",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "recommendations.middleware.ShopperSessionMiddleware",
    "recommendations.middleware.RequestMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.engine.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
USE_TZ = True
# The engine's widgets and reasons follow the active language; it carries its own catalogue.
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = (
    SHARED_CACHES
    if os.environ.get("TEST_SHARED_CACHE")
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)
# The API's OpenAPI schema and the rate of its event endpoint.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"recommendation_events": "120/min"},
    "NUM_PROXIES": 0,
}

# What the engine's promise "embedded exactly once, even when a worker dies" needs of a host.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 3600))
}

RECOMMENDATIONS_PRODUCT_MODEL = "testapp.Product"
RECOMMENDATIONS = {
    "PRODUCT_ADAPTER": "tests.engine.testapp.adapters.CatalogAdapter",
    **TEST_RECOMMENDATIONS,
}
