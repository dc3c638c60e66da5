"""Fixtures of both halves, and which half a run collects.

The engine's tests (`tests/engine/`) install the engine into a small catalog of their own; the rest
run against the demo store. The product model is fixed when migrations run, so each half is its own
pytest run under its own settings (`make test` runs both), and a run collects only the half whose
catalog its settings install. The embedded PostgreSQL is started once per run by the first
connection.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from pgvector.django import HnswIndex

from tests.worker import WorkerProcess

ENGINE_TESTS = Path(__file__).resolve().parent / "engine"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leaves out the other half when a run walks `tests/`; a path named on the command line is
    always collected (`tests/engine/conftest.py` refuses the wrong settings)."""
    if collection_path in ENGINE_TESTS.parents:
        return None
    in_engine = collection_path.is_relative_to(ENGINE_TESTS)
    return True if in_engine != apps.is_installed("tests.engine.testapp") else None


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


@pytest.fixture(scope="module", autouse=True)
def _vector_graphs_vacuumed(django_db_setup, django_db_blocker):
    """Tests roll back their rows, but not the HNSW graph entries those rows made: after a few
    hundred tests a graph is mostly dead entries, and a search may give up among them and miss
    live products (a similar-products test did, in whichever module ran late enough). A vacuum
    before each module removes them."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if any(isinstance(index, HnswIndex) for index in model._meta.indexes)
        }
    )
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"VACUUM {', '.join(tables)}")
