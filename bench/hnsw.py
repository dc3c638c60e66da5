"""The HNSW indexes on product and sequence vectors: rebuilt after bulk loads, present before any
search."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models
from pgvector.django import HnswIndex

from .progress import log

# The graph of 100,000 384-d vectors needs about 300 MB; with less the build spills to disk.
INDEX_BUILD_MEMORY = "1GB"


def hnsw_index(model: type[models.Model]) -> HnswIndex:
    """The model's HNSW index as the model (and so the migration) defines it."""
    return next(index for index in model._meta.indexes if isinstance(index, HnswIndex))


@contextmanager
def hnsw_index_dropped(model: type[models.Model]) -> Iterator[None]:
    """Building the graph once after loading is much faster than growing it row by row."""
    with connection.schema_editor() as editor:
        editor.remove_index(model, hnsw_index(model))
    try:
        yield
    finally:
        hnsw_index_ensure(model)


def hnsw_index_ensure(model: type[models.Model]) -> None:
    """Build the index if it is missing, as after a run killed while it was dropped."""
    index = hnsw_index(model)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [index.name])
        if cursor.fetchone():
            return
        log(f"hnsw: building the index {index.name}")
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, false)", [INDEX_BUILD_MEMORY])
        with connection.schema_editor() as editor:
            editor.add_index(model, index)
        cursor.execute("RESET maintenance_work_mem")


def tables_settle(*tables: type[models.Model]) -> None:
    """VACUUM ANALYZE: vacuum away the rows bulk writes replaced and refresh planner statistics,
    as autovacuum would in a running shop, so the searches measure settled tables."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"VACUUM ANALYZE {quote(model._meta.db_table)}")
