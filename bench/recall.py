"""HNSW recall@k: the indexed query against the same query with index scans disabled (exact).

Each search runs twice on the same connection: as the engine runs it (HNSW with the session's
ef_search and iterative scan), and inside a transaction with ``SET LOCAL enable_indexscan = off``,
where PostgreSQL must compute every distance and sort. Recall is the share of the exact top k
that the indexed search found; the plan check says whether the indexed search used HNSW at all
(for a selective filter the planner may prefer an exact scan of the matching rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from recommendations.models import ProductEmbedding
from recommendations.ranking import Filters
from recommendations.selectors import similar_products

from .hnsw import hnsw_index
from .progress import bar
from .vectors import vector_text

# Product id in, ids of the k nearest products out.
Search = Callable[[int], list[int]]

BARE_SQL = (
    f"SELECT product_id FROM {ProductEmbedding._meta.db_table} WHERE product_id <> %s"
    " ORDER BY vector <=> %s::vector LIMIT %s"
)


@dataclass(frozen=True)
class Recall:
    search: str
    matches_percent: float
    queries: int
    recall: float
    results: float
    exact_results: float
    uses_hnsw: bool


def bare_search(product_ids: list[int], k: int) -> Search:
    """The query vector is the product's own; the product is excluded, as the selector does."""
    vectors = {
        pk: vector_text(vector)
        for pk, vector in ProductEmbedding.objects.filter(product_id__in=product_ids).values_list(
            "product_id", "vector"
        )
    }

    def search(pk: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(BARE_SQL, [pk, vectors[pk], k])
            return [row[0] for row in cursor.fetchall()]

    return search


def selector_search(k: int, filters: Filters) -> Search:
    def search(pk: int) -> list[int]:
        return [r.product.pk for r in similar_products(pk, k=k, filters=filters)]

    return search


@contextmanager
def index_scans_off() -> Iterator[None]:
    """For this transaction only: the planner must scan and sort, which is exact."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        yield


def plan_uses_hnsw(search: Search, pk: int) -> bool:
    """EXPLAIN of the last vector search the search ran, as it ran it: the queries after it
    (the rows of the final k) touch no vector."""
    with CaptureQueriesContext(connection) as captured:
        search(pk)
    nearest = [query["sql"] for query in captured.captured_queries if "<=>" in query["sql"]]
    if not nearest:
        raise RuntimeError("the search ran no cosine-distance query")
    name = hnsw_index(ProductEmbedding).name
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + nearest[-1])
        return any(name in row[0] for row in cursor.fetchall())


def recall_measure(
    name: str, search: Search, product_ids: list[int], *, filter_share: float
) -> Recall:
    with index_scans_off():
        if plan_uses_hnsw(search, product_ids[0]):
            raise RuntimeError(f"{name}: the exact query still used the HNSW index")
    recalls, found, expected = [], [], []
    with bar(len(product_ids), f"recall {name}") as progress:
        for pk in product_ids:
            approximate = search(pk)
            with index_scans_off():
                truth = search(pk)
            if truth:
                recalls.append(len(set(approximate) & set(truth)) / len(truth))
            found.append(len(approximate))
            expected.append(len(truth))
            progress.update()
    return Recall(
        search=name,
        matches_percent=round(filter_share * 100, 2),
        queries=len(product_ids),
        recall=round(float(np.mean(recalls)), 4) if recalls else 0.0,
        results=round(float(np.mean(found)), 2),
        exact_results=round(float(np.mean(expected)), 2),
        uses_hnsw=plan_uses_hnsw(search, product_ids[0]),
    )
