"""Test settings: the project's, with a broker database of their own and fast hashing."""

from shop.settings import *  # noqa: F403
from shop.settings import EMBEDDED_REDIS_DIR, embedded_redis

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL") or embedded_redis.broker_url(  # noqa: F405
    EMBEDDED_REDIS_DIR, db=15
)
