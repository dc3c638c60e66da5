"""Item-to-item neighbours: "shoppers who interacted with your products also interacted with".

Scores are Σ over the shopper's recent products of history weight × similarity; the shopper's
own recent products are never proposed. The same table serves "frequently bought together"
(see `bought_together.py`), which differs only in how similarity is learned.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from django.db import connection

from ..conf import app_settings
from ..models import ItemNeighbour
from .base import Allowed, Batch, Recommender, Shopper
from .dataset import InteractionData
from .similarity import cosine_neighbours
from .tables import rows_copy

RELATED_SQL = """
SELECT n.neighbour_id, SUM(n.score * h.weight) AS total
FROM recommendations_itemneighbour n
JOIN unnest(%s::bigint[], %s::float8[]) AS h(product_id, weight) ON h.product_id = n.product_id
WHERE n.model_id = %s AND n.kind = %s AND n.neighbour_id <> ALL(%s::bigint[])
  AND n.neighbour_id {among}
GROUP BY n.neighbour_id
ORDER BY total DESC, n.neighbour_id
{limit}
"""

CONTRIBUTION_SQL = """
SELECT DISTINCT ON (n.neighbour_id) n.neighbour_id, n.product_id
FROM recommendations_itemneighbour n
JOIN unnest(%s::bigint[], %s::float8[]) AS h(product_id, weight) ON h.product_id = n.product_id
WHERE n.model_id = %s AND n.kind = %s AND n.neighbour_id = ANY(%s)
ORDER BY n.neighbour_id, n.score * h.weight DESC, n.product_id
"""


class ItemNeighbourRecommender(Recommender):
    kind: str = ItemNeighbour.Kind.COOCCURRENCE

    def write(self, artifact: sp.csr_matrix, *, version: int, data: InteractionData) -> None:
        ids = data.product_ids
        coo = artifact.tocoo()
        rows_copy(
            ItemNeighbour._meta.db_table,
            "model_id, kind, product_id, neighbour_id, score",
            (
                (version, self.kind, int(ids[i]), int(ids[j]), float(s))
                for i, j, s in zip(coo.row, coo.col, coo.data, strict=True)
            ),
        )

    def load(self, data: InteractionData, *, version: int | None) -> sp.csr_matrix:
        """Millions of rows: read as plain tuples, mapped to columns in numpy."""
        stored = ItemNeighbour.objects.filter(model_id=version, kind=self.kind).values_list(
            "product_id", "neighbour_id", "score"
        )
        with connection.cursor() as cursor:
            cursor.execute(*stored.query.sql_with_params())
            found = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, 3)
        column = np.full(int(data.product_ids.max(initial=0)) + 1, -1)
        column[data.product_ids] = np.arange(len(data.product_ids))
        ids = found[:, :2].astype(np.int64)
        known = (ids < len(column)).all(axis=1)
        rows, cols = column[ids[known, 0]], column[ids[known, 1]]
        keep = (rows >= 0) & (cols >= 0)
        size = len(data.product_ids)
        return sp.csr_matrix((found[known, 2][keep], (rows[keep], cols[keep])), shape=(size, size))

    def related(
        self, sources: dict[int, float], allowed: Allowed | None, *, version: int | None,
        n: int | None = None, ids: list[int] | None = None,
    ) -> dict[int, float]:  # fmt: skip
        """Σ weight × similarity over `sources`, for allowed (or the given) products: one
        statement, the weights passed as arrays whatever the history's length."""
        if not sources or version is None:
            return {}
        if ids is None:
            subquery, subparams = allowed.sql()
            among, among_params = f"IN ({subquery})", list(subparams)
        else:
            among, among_params = "= ANY(%s::bigint[])", [list(ids)]
        sql = RELATED_SQL.format(among=among, limit="LIMIT %s" if n is not None else "")
        history = list(sources)
        params = [history, list(sources.values()), version, self.kind, history, *among_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params + ([n] if n is not None else []))
            return {pk: total for pk, total in cursor.fetchall() if total > 0}

    def propose(self, shopper: Shopper, allowed: Allowed, *, n: int) -> dict[int, float]:
        return self.related(shopper.history, allowed, version=shopper.version, n=n)

    def score(self, shopper: Shopper, ids: list[int]) -> dict[int, float]:
        if not ids:
            return {}
        return self.related(shopper.history, None, version=shopper.version, ids=ids)

    def explain(self, shopper: Shopper, ids: list[int]) -> dict[int, int]:
        """The history product whose weight × similarity added most to each product's score."""
        if not shopper.history or not ids or shopper.version is None:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                CONTRIBUTION_SQL,
                [list(shopper.history), list(shopper.history.values()), shopper.version,
                 self.kind, list(ids)],
            )  # fmt: skip
            return dict(cursor.fetchall())

    def score_batch(self, artifact: sp.csr_matrix, batch: Batch) -> np.ndarray:
        scores = (batch.history @ artifact).toarray()
        # As online: a shopper's own recent products are not their neighbours' suggestions.
        scores[batch.history.nonzero()] = 0.0
        return scores


class NeighboursRecommender(ItemNeighbourRecommender):
    """Cosine co-occurrence over everything shoppers did, damped by shrinkage."""

    default_weight = 1.0

    def fit(self, data: InteractionData) -> sp.csr_matrix:
        return cosine_neighbours(
            data.matrix, shrink=app_settings.CF_SHRINK, top_n=app_settings.CF_NEIGHBOURS
        )
