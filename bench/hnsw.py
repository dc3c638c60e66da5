"""The HNSW index on product vectors: rebuilt after bulk loads, present before any search."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Index

from recommendations.models import ProductEmbedding
from shop.store.models import Product

from .progress import log

HNSW_INDEX = "product_embedding_hnsw"
# The graph of 100,000 384-d vectors needs about 300 MB; with less the build spills to disk.
INDEX_BUILD_MEMORY = "1GB"


def hnsw_index() -> Index:
    """As the model (and so the migration) defines it."""
    return next(index for index in ProductEmbedding._meta.indexes if index.name == HNSW_INDEX)


@contextmanager
def hnsw_index_dropped() -> Iterator[None]:
    """Building the graph once after loading is much faster than growing it row by row."""
    with connection.schema_editor() as editor:
        editor.remove_index(ProductEmbedding, hnsw_index())
    try:
        yield
    finally:
        hnsw_index_ensure()


def hnsw_index_ensure() -> None:
    """Build the index if it is missing, as after a run killed while it was dropped."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [HNSW_INDEX])
        if cursor.fetchone():
            return
        log("hnsw: building the index")
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, false)", [INDEX_BUILD_MEMORY])
        with connection.schema_editor() as editor:
            editor.add_index(ProductEmbedding, hnsw_index())
        cursor.execute("RESET maintenance_work_mem")


def tables_settle() -> None:
    """Vacuum away the rows the throughput run replaced and refresh planner statistics, as
    autovacuum would in a running shop, so the searches measure a settled table."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {quote(ProductEmbedding._meta.db_table)}")
        cursor.execute(f"ANALYZE {quote(Product._meta.db_table)}")
