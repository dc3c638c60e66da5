"""Strategies scored for many shoppers at once, through the same contract that serves them.

Each recommender scores a batch of shoppers against every product (`score_batch`); the strategy
blends those scores exactly as it blends its candidates online. Products a shopper may not be
shown are zeroed before the blend, as the online SQL rules leave them out before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..conf import app_settings
from ..ranking import Strategy
from ..recommenders import Batch, get_recommender
from ..recommenders.dataset import InteractionData, purchased_matrix
from ..recommenders.history import history_matrix

BATCH_BYTES = 24_000_000


@dataclass
class BatchScorer:
    data: InteractionData
    artifacts: dict[str, object]
    # Per product column: may it be recommended at all (active, in stock unless asked).
    available: np.ndarray
    # Evaluation also leaves out everything a shopper touched, as the protocol demands.
    exclude_seen: bool = False

    def signals(
        self, rows: list[int], names: list[str], excluded: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Each recommender's scores, zero where `excluded`, as the online SQL rules leave
        those products out before anything is scaled."""
        batch = Batch(self.data, rows, history_matrix(self.data, rows))
        # Few products are excluded per shopper: their positions, not a pass over every score.
        positions = np.nonzero(excluded)
        signals = {}
        for name in names:
            scores = get_recommender(name).score_batch(self.artifacts[name], batch)
            scores[positions] = 0.0
            signals[name] = scores
        return signals

    def excluded(self, strategy: Strategy, rows: list[int]) -> np.ndarray:
        """Rows × products: True where the strategy may not recommend the product."""
        mask = np.broadcast_to(~self.available, (len(rows), len(self.available))).copy()
        if self.exclude_seen:
            mask |= self.data.matrix[rows].toarray() > 0
        elif strategy.name in app_settings.EXCLUDE_PURCHASED:
            mask |= purchased_matrix(self.data, rows).toarray() > 0
        return mask

    def scores(
        self, strategy: Strategy, rows: list[int],
        signals: dict[str, np.ndarray] | None = None, excluded: np.ndarray | None = None,
    ) -> np.ndarray:  # fmt: skip
        """Rows × products, -inf where the strategy recommends nothing.
        `excluded` and the `signals` masked with it may come from the caller, computed once
        for several rankings."""
        if excluded is None:
            excluded = self.excluded(strategy, rows)
        if signals is None:
            signals = self.signals(rows, strategy.batch_signals(), excluded)
        scores = strategy.score_batch(signals)
        # Excluded products have zero in every signal, so nothing positive.
        scores[scores <= 0] = -np.inf
        return scores


def rows_per_batch(products: int) -> int:
    """Shoppers scored at once: each array stays small enough for the allocator to reuse its
    memory (larger ones are mapped and unmapped each time, and page faults dominate)."""
    return max(16, BATCH_BYTES // (8 * max(products, 1)))


def top_k_matrix(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the k best columns, best first; ties go to the lower column (the lower id), as
    online; columns scored -inf never. Rows × k arrays, padded with -1 and -inf."""
    k = min(k, scores.shape[1])
    if k == 0:
        return np.full((len(scores), 0), -1, dtype=np.int64), np.full((len(scores), 0), -np.inf)
    columns = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(scores, columns, axis=1)
    kth = values.min(axis=1)
    # A tie at the k-th place may have left a lower column out: those rows are redone exactly.
    tied = np.flatnonzero(np.isfinite(kth) & ((scores >= kth[:, np.newaxis]).sum(axis=1) > k))
    for row in tied:
        above = np.flatnonzero(scores[row] > kth[row])
        equal = np.flatnonzero(scores[row] == kth[row])[: k - len(above)]
        columns[row] = np.concatenate([above, equal])
        values[row] = scores[row, columns[row]]
    order = np.lexsort((columns, -values), axis=1)
    columns = np.take_along_axis(columns, order, axis=1)
    values = np.take_along_axis(values, order, axis=1)
    columns[~np.isfinite(values)] = -1
    return columns, values


def top_k(scores: np.ndarray, k: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """`top_k_matrix` row by row, without the padding."""
    columns, values = top_k_matrix(scores, k)
    for row_columns, row_values in zip(columns, values, strict=True):
        keep = row_columns >= 0
        yield row_columns[keep], row_values[keep]
