"""Every strategy as a score matrix over (shoppers × products), for evaluation and export.

The online strategies read the same ingredients from tables one shopper at a time; here they
are numpy arrays so that tens of thousands of shoppers are scored in minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..collaborative.dataset import history_weights
from ..collaborative.training import TrainedModel
from ..models import ProductEmbedding

SIGNALS = ("content", "neighbours", "factors", "popularity")
STRATEGIES = ("popular", "content", "collaborative", "for_you")


@dataclass
class BatchScorer:
    model: TrainedModel
    # Unit product vectors in the model's column order; zero rows for products without one.
    product_vectors: np.ndarray
    popularity: np.ndarray

    @classmethod
    def build(cls, model: TrainedModel) -> BatchScorer:
        ids = model.data.product_ids
        vectors = np.zeros((len(ids), 1), dtype=np.float32)
        found = ProductEmbedding.objects.filter(
            product_id__in=ids.tolist(), vector__isnull=False
        ).values_list("product_id", "vector")
        index = model.data.product_index
        for pk, vector in found.iterator(chunk_size=5000):
            if vectors.shape[1] == 1:
                vectors = np.zeros((len(ids), len(vector)), dtype=np.float32)
            vectors[index[pk]] = vector
        popularity = np.asarray(model.data.matrix.sum(axis=0), dtype=np.float32).ravel()
        return cls(model=model, product_vectors=vectors, popularity=popularity)

    def history_matrix(self, rows: list[int]) -> sp.csr_matrix:
        """Decayed kind weights of each shopper's recent products (rows of the batch)."""
        data, indices, indptr = [], [], [0]
        for row in rows:
            history = self.model.data.histories[row]
            weights = history_weights(w for _, w in history)
            indices.extend(i for i, _ in history)
            data.extend(weights.tolist())
            indptr.append(len(indices))
        return sp.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices), np.asarray(indptr)),
            shape=(len(rows), len(self.model.data.product_ids)),
        )

    def signals(self, rows: list[int]) -> dict[str, np.ndarray]:
        history = self.history_matrix(rows)
        shopper_vectors = history @ self.product_vectors
        norms = np.linalg.norm(shopper_vectors, axis=1, keepdims=True)
        shopper_vectors = shopper_vectors / np.maximum(norms, 1e-9)
        return {
            "content": shopper_vectors @ self.product_vectors.T,
            "neighbours": (history @ self.model.neighbours).toarray(),
            "factors": self.model.shopper_factors[rows] @ self.model.product_factors.T,
            "popularity": np.broadcast_to(self.popularity, (len(rows), len(self.popularity))),
        }

    def scores(self, strategy: str, rows: list[int], weights: dict[str, float]) -> np.ndarray:
        return strategy_scores(strategy, self.signals(rows), weights)


def strategy_scores(
    strategy: str, signals: dict[str, np.ndarray], weights: dict[str, float]
) -> np.ndarray:
    if strategy == "popular":
        return np.array(signals["popularity"], dtype=np.float32)
    if strategy == "content":
        return signals["content"]
    if strategy == "collaborative":
        return blend(signals, {"neighbours": weights["neighbours"], "factors": weights["factors"]})
    if strategy == "for_you":
        return blend(signals, weights)
    raise ValueError(f"unknown strategy {strategy!r}; valid: {', '.join(STRATEGIES)}")


def blend(signals: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """As the online blend: each signal scaled by its row maximum, weighted, summed."""
    total = None
    for name, weight in weights.items():
        if weight <= 0 or name not in signals:
            continue
        values = np.maximum(signals[name], 0.0)
        top = values.max(axis=1, keepdims=True)
        scaled = np.divide(values, top, out=np.zeros_like(values, dtype=np.float32), where=top > 0)
        total = weight * scaled if total is None else total + weight * scaled
    if total is None:
        return np.zeros_like(signals["popularity"], dtype=np.float32)
    return total


def top_k(
    scores: np.ndarray, k: int, exclude: sp.csr_matrix
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Per row: the k best columns (best first) and their scores, excluded columns never."""
    scores = np.array(scores, dtype=np.float32)
    scores[exclude.nonzero()] = -np.inf
    k = min(k, scores.shape[1])
    best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    for row in range(scores.shape[0]):
        columns = best[row][np.argsort(-scores[row, best[row]], kind="stable")]
        values = scores[row, columns]
        keep = np.isfinite(values)
        yield columns[keep], values[keep]
