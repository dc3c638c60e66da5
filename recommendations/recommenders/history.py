"""A shopper's recent products with decaying weights: one definition, read online and in batch.

Online it is read live from the interactions table, so a click changes the next page at once;
in batch it comes from the dataset. Both order products by their last interaction, weigh each by
its strongest kind (view < cart < purchase) and let each older one count `CF_HISTORY_DECAY`
times the one after it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from django.db import connection
from django.db.models import Max

from ..conf import app_settings
from ..models import Interaction
from ..prepared import prepared
from .dataset import InteractionData


def history_weights(kind_weights: Iterable[float], *, decay: float | None = None) -> np.ndarray:
    """Position, not clock time, so imported logs with odd timestamps weigh the same way."""
    weights = np.asarray(list(kind_weights), dtype=np.float64)
    decay = app_settings.CF_HISTORY_DECAY if decay is None else decay
    return weights * decay ** np.arange(len(weights))


def shopper_history(shopper: str | None) -> dict[int, float]:
    """Product id → decayed weight, most recent first; empty for an unknown visitor."""
    if not shopper:
        return {}
    limit = app_settings.CF_HISTORY_LIMIT
    query = prepared(
        ("shopper_history", limit),
        lambda slots: (
            Interaction.objects.filter(
                shopper=slots.text("shopper"), product__isnull=False, weight__gt=0
            )
            .values("product_id")
            .annotate(last=Max("created_at"), weight=Max("weight"))
            .order_by("-last", "-product_id")[:limit]
        ),
    )
    # (product id, last, weight): the values' and then the annotations' columns.
    rows = query.rows(shopper=shopper)
    weights = history_weights(weight for _, _, weight in rows)
    return {pk: float(w) for (pk, _, _), w in zip(rows, weights, strict=True)}


def history_matrix(
    data: InteractionData, rows: list[int], *, decay: float | None = None
) -> sp.csr_matrix:
    """The same weights for a batch of the dataset's shoppers (rows × product columns)."""
    values, indices, indptr = [], [], [0]
    for row in rows:
        history = data.histories[row]
        values.extend(history_weights((w for _, w in history), decay=decay).tolist())
        indices.extend(data.product_index[pk] for pk, _ in history)
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.asarray(values, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
        shape=(len(rows), len(data.product_ids)),
    )


NEAREST_SQL = """
SELECT DISTINCT ON (r.product_id) r.product_id, h.product_id
FROM recommendations_productembedding r
JOIN recommendations_productembedding h ON h.product_id = ANY(%s) AND h.vector IS NOT NULL
WHERE r.product_id = ANY(%s) AND r.vector IS NOT NULL
ORDER BY r.product_id, r.vector <=> h.vector, h.product_id
"""


def nearest_history(history: dict[int, float], ids: list[int]) -> dict[int, int]:
    """For each product, the shopper's recent product closest in meaning (product vectors):
    what a reason names as the one it relates to."""
    if not history or not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(NEAREST_SQL, [list(history), list(ids)])
        return dict(cursor.fetchall())
