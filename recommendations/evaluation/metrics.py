"""Ranking metrics with one relevant product per shopper (leave-last-out)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# MRR is computed over this many ranks: a target beyond it counts as rank infinity.
MRR_DEPTH = 100


@dataclass
class MetricTotals:
    k: int
    users: int = 0
    hits: int = 0
    dcg: float = 0.0
    reciprocal: float = 0.0
    recommended: set[int] = field(default_factory=set)
    diversity: float = 0.0
    diversity_lists: int = 0

    def add(self, ranked: np.ndarray, targets: np.ndarray, vectors: np.ndarray | None) -> None:
        """A batch: rows of ranked product columns (best first, -1 padding), one target each."""
        self.users += len(targets)
        match = ranked == targets[:, np.newaxis]
        found = match.any(axis=1)
        ranks = match.argmax(axis=1)[found] + 1
        self.reciprocal += float((1.0 / ranks).sum())
        inside = ranks[ranks <= self.k]
        self.hits += len(inside)
        self.dcg += float((1.0 / np.log2(inside + 1)).sum())
        top = ranked[:, : self.k]
        self.recommended.update(np.unique(top[top >= 0]).tolist())
        if vectors is None:
            return
        for row in top:
            chosen = vectors[row[row >= 0]]
            n = len(chosen)
            if n > 1 and np.all(np.linalg.norm(chosen, axis=1) > 0):
                similarity = chosen @ chosen.T
                mean = (similarity.sum() - np.trace(similarity)) / (n * (n - 1))
                self.diversity += 1.0 - float(mean)
                self.diversity_lists += 1

    def row(self, catalog_size: int) -> dict[str, float | None]:
        n = max(self.users, 1)
        return {
            f"HR@{self.k}": self.hits / n,
            f"NDCG@{self.k}": self.dcg / n,
            # One relevant product per shopper: recall equals the hit rate.
            f"Recall@{self.k}": self.hits / n,
            f"MRR@{MRR_DEPTH}": self.reciprocal / n,
            "coverage": len(self.recommended) / max(catalog_size, 1),
            "diversity": (self.diversity / self.diversity_lists if self.diversity_lists else None),
        }
