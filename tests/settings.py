"""Settings of the store's tests: the demo project's, with the test database, broker and encoder."""

import os

# The project's production defaults (debug off) need a key; the tests bring their own, which
# processes they start inherit.
os.environ.setdefault("DJANGO_SECRET_KEY", "store-tests-only")

from shop.settings import *  # noqa: F403
from tests.common_settings import *  # noqa: F403

RECOMMENDATIONS = {**RECOMMENDATIONS, **TEST_RECOMMENDATIONS}  # noqa: F405
# Each run counts its own rate limits: parallel runs must not share them through Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The test client speaks plain http: no redirect to https, cookies sent without it. HSTS and the
# CSP stay as a deployment has them.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
