"""Interactions as a shopper × product matrix, plus each shopper's recent history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import scipy.sparse as sp

from ..conf import app_settings
from ..models import Interaction


@dataclass(frozen=True)
class Event:
    shopper: str
    product_id: int
    weight: float
    created_at: datetime
    kind: str = ""


@dataclass
class InteractionData:
    shoppers: list[str]
    product_ids: np.ndarray
    events: int
    # Binary: did the shopper interact with the product at all (positively).
    matrix: sp.csr_matrix
    # Each shopper's products, most recent first, with the kind weight of the latest event.
    histories: list[list[tuple[int, float]]] = field(repr=False)
    shopper_index: dict[str, int] = field(default_factory=dict, repr=False)
    product_index: dict[int, int] = field(default_factory=dict, repr=False)


def events_from_db(*, exclude_ids: Iterable[int] = ()) -> Iterable[Event]:
    """Positive interactions with a product, oldest first; `exclude_ids` leaves rows out."""
    queryset = (
        Interaction.objects.filter(product__isnull=False, weight__gt=0)
        .exclude(pk__in=list(exclude_ids))
        .order_by("created_at", "pk")
        .values_list("shopper", "product_id", "weight", "created_at", "kind")
    )
    for shopper, product_id, weight, created_at, kind in queryset.iterator(chunk_size=20000):
        yield Event(shopper, product_id, weight, created_at, kind)


def interaction_data(events: Iterable[Event], product_ids: Iterable[int] = ()) -> InteractionData:
    """Build the matrix; `product_ids` adds products nobody touched yet (columns of zeros)."""
    shopper_index: dict[str, int] = {}
    product_index: dict[int, int] = {pk: i for i, pk in enumerate(product_ids)}
    rows, cols = [], []
    latest: dict[int, dict[int, tuple[datetime, float]]] = {}
    count = 0
    for event in events:
        count += 1
        u = shopper_index.setdefault(event.shopper, len(shopper_index))
        i = product_index.setdefault(event.product_id, len(product_index))
        rows.append(u)
        cols.append(i)
        latest.setdefault(u, {})[i] = (event.created_at, event.weight)
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)),
        shape=(len(shopper_index), len(product_index)),
    )
    matrix.data[:] = 1.0  # duplicates summed: back to "interacted"
    limit = app_settings.CF_HISTORY_LIMIT
    histories = [
        [
            (i, weight)
            for i, (_, weight) in sorted(
                latest[u].items(), key=lambda item: item[1][0], reverse=True
            )
        ][:limit]
        for u in range(len(shopper_index))
    ]
    ids = np.empty(len(product_index), dtype=np.int64)
    for pk, i in product_index.items():
        ids[i] = pk
    return InteractionData(
        shoppers=list(shopper_index),
        product_ids=ids,
        events=count,
        matrix=matrix,
        histories=histories,
        shopper_index=shopper_index,
        product_index=product_index,
    )


def history_weights(kind_weights: Iterable[float]) -> np.ndarray:
    """Most recent first: each older item counts CF_HISTORY_DECAY times the one after it.

    Position, not clock time, so imported logs with odd timestamps weigh the same way.
    """
    weights = np.asarray(list(kind_weights), dtype=np.float64)
    decay = app_settings.CF_HISTORY_DECAY ** np.arange(len(weights))
    return weights * decay
