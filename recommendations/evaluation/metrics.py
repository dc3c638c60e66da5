"""Ranking metrics with one relevant product per shopper (leave-last-out)."""

from __future__ import annotations

import math
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

    def add(self, ranked: np.ndarray, target: int, vectors: np.ndarray | None) -> None:
        self.users += 1
        positions = np.flatnonzero(ranked == target)
        if positions.size:
            rank = int(positions[0]) + 1
            self.reciprocal += 1.0 / rank
            if rank <= self.k:
                self.hits += 1
                self.dcg += 1.0 / math.log2(rank + 1)
        top = ranked[: self.k]
        self.recommended.update(top.tolist())
        if vectors is not None and len(top) > 1:
            chosen = vectors[top]
            if np.all(np.linalg.norm(chosen, axis=1) > 0):
                similarity = chosen @ chosen.T
                n = len(top)
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
