"""Offline evaluation: hold out each shopper's last product, train on the rest, rank the catalog."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from ..collaborative.dataset import Event, events_from_db
from ..collaborative.training import NoInteractions, model_fit
from ..conf import app_settings
from .metrics import MRR_DEPTH, MetricTotals
from .scoring import SIGNALS, STRATEGIES, BatchScorer, strategy_scores, top_k
from .split import leave_last_out

BATCH = 500
TUNING_GRID = {
    "content": (0.0, 0.1, 0.3, 0.6),
    "neighbours": (1.0,),
    "factors": (0.0, 0.2, 0.5),
    "popularity": (0.0, 0.05, 0.2),
}


@dataclass
class Evaluation:
    k: int
    users: int
    products: int
    weights: dict[str, float]
    table: dict[str, dict[str, float | None]]


@dataclass
class Prepared:
    """A model trained on everything but the held-out products, and who is evaluated."""

    scorer: BatchScorer
    evaluated: list[tuple[int, int]]

    @classmethod
    def from_events(cls, events: list[Event]) -> Prepared:
        split = leave_last_out(events)
        if not split.held_out:
            raise NoInteractions("No shopper has two or more products to hold one out.")
        model = model_fit(split.train)
        data = model.data
        evaluated = [
            (data.shopper_index[s], data.product_index[p])
            for s, p in split.held_out.items()
            if s in data.shopper_index and p in data.product_index
        ]
        return cls(scorer=BatchScorer.build(model), evaluated=evaluated)

    def run(
        self, variants: dict[str, tuple[str, dict[str, float]]], *, k: int,
        progress: Callable[[int], None] | None = None,
    ) -> dict[str, dict[str, float | None]]:  # fmt: skip
        """Metrics per variant name → (strategy, weights); signals computed once per batch."""
        scorer = self.scorer
        data = scorer.model.data
        vectors = scorer.product_vectors if scorer.product_vectors.any() else None
        totals = {name: MetricTotals(k=k) for name in variants}
        depth = max(k, MRR_DEPTH)
        for start in range(0, len(self.evaluated), BATCH):
            batch = self.evaluated[start : start + BATCH]
            rows = [row for row, _ in batch]
            exclude = data.matrix[rows]
            signals = scorer.signals(rows)
            for name, (strategy, weights) in variants.items():
                ranked = top_k(strategy_scores(strategy, signals, weights), depth, exclude)
                for (columns, _), (_, target) in zip(ranked, batch, strict=True):
                    totals[name].add(columns, target, vectors)
            if progress:
                progress(len(batch))
        return {name: totals[name].row(len(data.product_ids)) for name in variants}


def recommendations_evaluate(
    *, k: int = 10, weights: dict[str, float] | None = None, progress=None
) -> Evaluation:
    """Every strategy on the recorded interactions, leave-last-out."""
    weights = weights or dict(app_settings.HYBRID_WEIGHTS)
    prepared = Prepared.from_events(list(events_from_db()))
    table = prepared.run({name: (name, weights) for name in STRATEGIES}, k=k, progress=progress)
    return Evaluation(
        k=k,
        users=len(prepared.evaluated),
        products=len(prepared.scorer.model.data.product_ids),
        weights=weights,
        table=table,
    )


def hybrid_weights_tune(*, k: int = 10, progress=None) -> tuple[dict[str, float], float]:
    """Grid search on a validation split: the training data with each shopper's last product
    held out again, so the test product is never looked at."""
    prepared = Prepared.from_events(leave_last_out(list(events_from_db())).train)
    grid = [
        dict(zip(SIGNALS, values, strict=True))
        for values in itertools.product(*(TUNING_GRID[name] for name in SIGNALS))
    ]
    variants = {str(i): ("for_you", weights) for i, weights in enumerate(grid)}
    table = prepared.run(variants, k=k, progress=progress)
    best = max(variants, key=lambda name: (table[name][f"NDCG@{k}"], -int(name)))
    return grid[int(best)], table[best][f"NDCG@{k}"]
