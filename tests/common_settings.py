"""What the test settings of both halves share: the checkout's database server with a test database
per run, a broker queue of the tests' own, fast hashing, and the fake encoder."""

import os
from copy import deepcopy

from shop.infra import embedded_redis
from shop.settings import DATABASES as PROJECT_DATABASES
from shop.settings import EMBEDDED_REDIS_DIR

__all__ = [
    "CELERY_BROKER_URL",
    "DATABASES",
    "EMBEDDED_REDIS_DIR",
    "FAKE_ENCODER",
    "PASSWORD_HASHERS",
    "REAL_ENCODER",
    "SHARED_CACHES",
    "TEST_RECOMMENDATIONS",
]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL") or embedded_redis.broker_url(
    EMBEDDED_REDIS_DIR, db=15
)
DATABASES = deepcopy(PROJECT_DATABASES)
# A test database per run, so that two runs at once (two developers, CI) never collide.
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
# A process started by a test (a worker, `manage.py check`) connects to the test database.
if os.environ.get("TEST_WORKER_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["TEST_WORKER_DB_NAME"]

# Each half's tests keep a cache per process. A test whose worker must reach the test's own
# process through the cache, as a deployment's Redis carries a change from one process to the
# next, gives both this one (`settings.CACHES`, and TEST_SHARED_CACHE=1 in the worker's
# environment): the test Redis, under the test database's name, whose keys alone `clear()` removes.
_broker = os.environ.get("TEST_CELERY_BROKER_URL", "")
SHARED_CACHES = {
    "default": {
        "BACKEND": "shop.infra.cache.FailOpenRedisCache",
        "LOCATION": _broker
        if _broker.startswith(("redis://", "rediss://"))
        else f"unix://{embedded_redis.socket_path(EMBEDDED_REDIS_DIR)}?db=15",
        "KEY_PREFIX": os.environ.get("TEST_WORKER_DB_NAME") or DATABASES["default"]["TEST"]["NAME"],
    }
}

# Fast tests use the deterministic fake encoder; tests marked `slow` switch to the real model.
FAKE_ENCODER = {
    "ENCODER": "recommendations.embeddings.fake.FakeEncoder",
    "ENCODER_OPTIONS": {"delay": float(os.environ.get("TEST_ENCODER_DELAY", 0))},
}
REAL_ENCODER = {"ENCODER": "recommendations.embeddings.transformer.TransformerEncoder"}
# Merged into each half's RECOMMENDATIONS. The sequence model trains briefly: tests about what
# it learns ask for more epochs. float32 products, so that recorded results do not depend on
# whether the CPU runs bfloat16 (tests about what it learns use "auto").
TEST_RECOMMENDATIONS = {
    **(REAL_ENCODER if os.environ.get("TEST_REAL_ENCODER") else FAKE_ENCODER),
    "SEQUENTIAL": {
        "epochs": 5,
        "dimensions": 32,
        "blocks": 1,
        "device": "cpu",
        "loss_precision": "float32",
    },
    # Template sentences unless a test asks for a model: no test waits for one by accident.
    "REASONS": {"GENERATOR": os.environ.get("TEST_REASONS_GENERATOR", "template")},
}
if os.environ.get("TEST_EMBED_CHUNK_SIZE"):
    TEST_RECOMMENDATIONS["EMBED_CHUNK_SIZE"] = int(os.environ["TEST_EMBED_CHUNK_SIZE"])
