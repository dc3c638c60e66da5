"""Interactions as a shopper × product matrix, each shopper's recent history, and their events.

One dataset feeds every recommender's `fit` and every batch score, in training, evaluation and
export alike; the online path reads the same definitions from tables (see `history.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import scipy.sparse as sp

from ..conf import app_settings
from ..models import Interaction
from ..shoppers import SIMULATED_PREFIX


@dataclass(frozen=True)
class Event:
    shopper: str
    product_id: int | None
    weight: float
    created_at: datetime
    kind: str = ""
    value: float | None = None
    text: str = ""


@dataclass
class InteractionData:
    shoppers: list[str]
    product_ids: np.ndarray
    # Positive interactions with a product.
    events: int
    # Binary: did the shopper interact with the product at all (positively).
    matrix: sp.csr_matrix
    # Each shopper's products, most recent first, with their strongest kind weight.
    histories: list[list[tuple[int, float]]] = field(repr=False)
    # Each shopper's latest events of any kind (searches and reviews too), most recent first.
    recent_events: list[list[Event]] = field(repr=False)
    # Each shopper's purchases in time order: (time, column).
    purchases: list[list[tuple[datetime, int]]] = field(repr=False)
    # Each shopper's actions on products in time order, as (column, kind); see `sequence_add`.
    sequences: list[list[tuple[int, str]]] = field(repr=False)
    shopper_index: dict[str, int] = field(default_factory=dict, repr=False)
    product_index: dict[int, int] = field(default_factory=dict, repr=False)


def events_from_db(*, exclude_ids: Iterable[int] = ()) -> Iterable[Event]:
    """Every interaction, oldest first; `exclude_ids` leaves rows out. Simulated shoppers (a
    demo's experiment traffic) are never learned from."""
    queryset = (
        Interaction.objects.exclude(pk__in=list(exclude_ids))
        .exclude(shopper__startswith=SIMULATED_PREFIX)
        .order_by("created_at", "pk")
        .values_list("shopper", "product_id", "weight", "created_at", "kind", "value", "text")
    )
    for row in queryset.iterator(chunk_size=20000):
        yield Event(*row)


def is_positive(event: Event) -> bool:
    """What behaviour models learn from: a positive interaction with a product."""
    return event.product_id is not None and event.weight > 0


def interaction_data(events: Iterable[Event], product_ids: Iterable[int] = ()) -> InteractionData:
    """Build the matrix; `product_ids` adds products nobody touched yet (columns of zeros)."""
    shopper_index: dict[str, int] = {}
    product_index: dict[int, int] = {pk: i for i, pk in enumerate(product_ids)}
    rows, cols = [], []
    # Per shopper and product: (time of the last interaction, strongest kind weight).
    touched: list[dict[int, tuple[datetime, float]]] = []
    recent: list[list[Event]] = []
    purchases: list[list[tuple[datetime, int]]] = []
    sequences: list[list[tuple[int, str, float]]] = []
    count = 0
    for event in events:
        u = shopper_index.setdefault(event.shopper, len(shopper_index))
        if u == len(touched):
            touched.append({})
            recent.append([])
            purchases.append([])
            sequences.append([])
        recent[u].append(event)
        if not is_positive(event):
            continue
        count += 1
        column = product_index.setdefault(event.product_id, len(product_index))
        rows.append(u)
        cols.append(column)
        sequence_add(sequences[u], column, event.kind, event.weight)
        if event.kind == Interaction.Kind.PURCHASE:
            purchases[u].append((event.created_at, column))
        last, weight = touched[u].get(event.product_id, (event.created_at, 0.0))
        touched[u][event.product_id] = (max(last, event.created_at), max(weight, event.weight))
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)),
        shape=(len(shopper_index), len(product_index)),
    )
    matrix.data[:] = 1.0  # duplicates summed: back to "interacted"
    ids = np.empty(len(product_index), dtype=np.int64)
    for pk, i in product_index.items():
        ids[i] = pk
    keep = app_settings.SHOPPER_HISTORY_LIMIT
    return InteractionData(
        shoppers=list(shopper_index),
        product_ids=ids,
        events=count,
        matrix=matrix,
        histories=[history_order(products) for products in touched],
        recent_events=[events[::-1][:keep] for events in recent],
        purchases=purchases,
        sequences=[[(column, kind) for column, kind, _ in steps] for steps in sequences],
        shopper_index=shopper_index,
        product_index=product_index,
    )


def sequence_add(
    steps: list[tuple[object, str, float]], item: object, kind: str, weight: float
) -> None:
    """Consecutive actions on one product are one step of the sequence, of their strongest kind
    (viewed, carted, bought: one step, "bought"), so the next step is always another product."""
    if steps and steps[-1][0] == item:
        if weight > steps[-1][2]:
            steps[-1] = (item, kind, weight)
        return
    steps.append((item, kind, weight))


def purchased_matrix(data: InteractionData, rows: list[int]) -> sp.csr_matrix:
    """Rows × product columns: 1 where the shopper bought the product."""
    pairs = [(r, column) for r, row in enumerate(rows) for _, column in data.purchases[row]]
    return sp.csr_matrix(
        (np.ones(len(pairs), dtype=np.float32), ([r for r, _ in pairs], [c for _, c in pairs])),
        shape=(len(rows), len(data.product_ids)),
    )


def history_order(touched: dict[int, tuple[datetime, float]]) -> list[tuple[int, float]]:
    """Most recently touched first (ties: higher id first, as the online query orders them)."""
    ordered = sorted(touched.items(), key=lambda item: (item[1][0], item[0]), reverse=True)
    return [(pk, weight) for pk, (_, weight) in ordered[: app_settings.CF_HISTORY_LIMIT]]
