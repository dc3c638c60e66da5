"""Shared fixtures. The embedded PostgreSQL is started once per run by the first connection."""

import pytest
from django.core.cache import cache

from tests.worker import WorkerProcess


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real `celery worker` process on the test database and the test broker."""
    with WorkerProcess(tmp_path) as worker:
        yield worker


@pytest.fixture(autouse=True)
def _clear_cache():
    """Name lists and throttle counters live in the cache; no test should see another's."""
    cache.clear()
    yield
    cache.clear()
