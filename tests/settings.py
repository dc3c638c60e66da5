"""Test settings: the project's, with a broker database of their own and fast hashing."""

import os

from shop.settings import *  # noqa: F403
from shop.settings import DATABASES, EMBEDDED_REDIS_DIR, embedded_redis

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL") or embedded_redis.broker_url(
    EMBEDDED_REDIS_DIR, db=15
)
# A test database per run, so that two runs at once (two developers, CI) never collide.
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
# A worker process started by a test connects to the test database, not the development one.
if os.environ.get("TEST_WORKER_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["TEST_WORKER_DB_NAME"]

# Fast tests use the deterministic fake encoder; tests marked `slow` switch to the real model.
FAKE_ENCODER = {
    "ENCODER": "recommendations.embeddings.fake.FakeEncoder",
    "ENCODER_OPTIONS": {"delay": float(os.environ.get("TEST_ENCODER_DELAY", 0))},
}
REAL_ENCODER = {"ENCODER": "recommendations.embeddings.transformer.TransformerEncoder"}
RECOMMENDATIONS = {
    **RECOMMENDATIONS,  # noqa: F405
    **(REAL_ENCODER if os.environ.get("TEST_REAL_ENCODER") else FAKE_ENCODER),
}
if os.environ.get("TEST_EMBED_CHUNK_SIZE"):
    RECOMMENDATIONS["EMBED_CHUNK_SIZE"] = int(os.environ["TEST_EMBED_CHUNK_SIZE"])
