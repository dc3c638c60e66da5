"""Offline evaluation: hold out each shopper's last product, train on the rest, rank the catalog
with every configured strategy, through the code that serves them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..conf import app_settings
from ..ranking import NotBatchable, get_strategy, strategy_names
from ..recommenders import hybrid_weights, recommender_names
from ..recommenders.dataset import Event, events_from_db
from ..recommenders.versions import NoInteractions, artifacts_fit, dataset_build
from .batch import BatchScorer, rows_per_batch, top_k_matrix
from .metrics import MRR_DEPTH, MetricTotals
from .split import leave_last_out

logger = logging.getLogger(__name__)
# Weights tried for each recommender (only their ratios matter).
WEIGHT_GRID = (0.0, 0.1, 0.3, 0.6, 1.0)
POPULARITY_GRID = (0.0, 0.05, 0.2, 0.5)
DECAY_GRID = (0.5, 0.7, 0.85, 1.0)
NEIGHBOURS_GRID = (50, 100, 200)
# Validation shoppers tuning looks at, at most: enough to rank settings, not all of a big log.
TUNE_SHOPPERS = 10000


@dataclass
class Evaluation:
    k: int
    users: int
    products: int
    weights: dict[str, float]
    table: dict[str, dict[str, float | None]]
    skipped: list[str] = field(default_factory=list)


@dataclass
class Prepared:
    """Artifacts fitted on everything but the held-out products, and who is evaluated."""

    scorer: BatchScorer
    evaluated: list[tuple[int, int]]

    @classmethod
    def from_events(
        cls, events: list[Event], *, limit: int | None = None, names: list[str] | None = None
    ) -> Prepared:
        split = leave_last_out(events)
        if not split.held_out:
            raise NoInteractions("No shopper has two or more products to hold one out.")
        data = dataset_build(split.train)
        evaluated = [
            (data.shopper_index[s], data.product_index[p])
            for s, p in split.held_out.items()
            if s in data.shopper_index and p in data.product_index
        ]
        if limit is not None and len(evaluated) > limit:
            picks = np.random.default_rng(0).choice(len(evaluated), limit, replace=False)
            evaluated = [evaluated[i] for i in sorted(picks)]
        scorer = BatchScorer(
            data=data,
            artifacts=artifacts_fit(data, names=names),
            available=np.ones(len(data.product_ids), dtype=bool),
            exclude_seen=True,
        )
        return cls(scorer=scorer, evaluated=evaluated)

    def refit(self, names: list[str]) -> None:
        data = self.scorer.data
        for name in names:
            self.scorer.artifacts[name] = artifacts_fit(data, names=[name])[name]

    def run(
        self, variants: dict[str, tuple[str, dict]], *, k: int,
        progress: Callable[[int], None] | None = None,
    ) -> dict[str, dict[str, float | None]]:  # fmt: skip
        """Metrics per variant name → (strategy, settings overridden while it ranks)."""
        data = self.scorer.data
        vectors = self.scorer.artifacts.get("content")
        vectors = vectors.products if vectors is not None and vectors.products.any() else None
        totals = {name: MetricTotals(k=k) for name in variants}
        depth = max(k, MRR_DEPTH)
        strategies = {name: get_strategy(strategy) for name, (strategy, _) in variants.items()}
        needed = set()
        for name, (_, overrides) in variants.items():
            with app_settings.overridden(**overrides):
                needed.update(strategies[name].batch_signals())
        size = rows_per_batch(len(data.product_ids))
        for start in range(0, len(self.evaluated), size):
            batch = self.evaluated[start : start + size]
            rows = [row for row, _ in batch]
            targets = np.array([target for _, target in batch])
            # The protocol leaves out everything seen, whatever the strategy: one mask a batch.
            excluded = self.scorer.excluded(strategies[next(iter(variants))], rows)
            # Signals depend on the history decay only; computed once per batch for each value.
            signals: dict[float, dict[str, np.ndarray]] = {}
            for name, (_, overrides) in variants.items():
                with app_settings.overridden(**overrides):
                    decay = app_settings.CF_HISTORY_DECAY
                    if decay not in signals:
                        signals[decay] = self.scorer.signals(rows, sorted(needed), excluded)
                    scores = self.scorer.scores(strategies[name], rows, signals[decay], excluded)
                    ranked, _ = top_k_matrix(scores, depth)
                    totals[name].add(ranked, targets, vectors)
            if progress:
                progress(len(batch))
        return {name: totals[name].row(len(data.product_ids)) for name in variants}


def batchable_strategies() -> tuple[list[str], list[str]]:
    """(strategies that can score in batch, those that cannot), by name."""
    able, unable = [], []
    for name in strategy_names():
        try:
            get_strategy(name).batch_signals()
            able.append(name)
        except NotBatchable:
            unable.append(name)
    return able, unable


def recommendations_evaluate(*, k: int = 10, progress=None) -> Evaluation:
    """Every configured strategy on the recorded interactions, leave-last-out."""
    able, unable = batchable_strategies()
    needed = sorted({name for s in able for name in get_strategy(s).batch_signals()})
    prepared = Prepared.from_events(list(events_from_db()), names=needed)
    for name in unable:
        logger.info("evaluation skips %s: it cannot score in batch", name)
    table = prepared.run({name: (name, {}) for name in able}, k=k, progress=progress)
    return Evaluation(
        k=k,
        users=len(prepared.evaluated),
        products=len(prepared.scorer.data.product_ids),
        weights=hybrid_weights(),
        table=table,
        skipped=unable,
    )


@dataclass
class Tuned:
    settings: dict
    score: float
    baseline: float


def weight_axis(name: str) -> tuple[float, ...]:
    return POPULARITY_GRID if name == "popularity" else WEIGHT_GRID


def for_you_tune(*, k: int = 10, report: Callable[[str], None] | None = None) -> Tuned:
    """Pick "for you" settings on a validation split: the training data with each shopper's last
    product held out again, so the test product is never looked at.

    Coordinate ascent, so the search grows with the number of recommenders, not exponentially:
    each recommender's weight in turn, twice over, then the history decay with each number of
    neighbours kept per product.
    """
    key = f"NDCG@{k}"
    prepared = Prepared.from_events(
        leave_last_out(list(events_from_db())).train, limit=TUNE_SHOPPERS
    )
    best = {
        "HYBRID_WEIGHTS": hybrid_weights(),
        "CF_HISTORY_DECAY": app_settings.CF_HISTORY_DECAY,
        "CF_NEIGHBOURS": app_settings.CF_NEIGHBOURS,
    }
    score = baseline = prepared.run({"0": ("for_you", best)}, k=k)["0"][key]
    if report:
        report(f"{key} {score:.4f}  {_describe(best)} (current)")
    for _ in range(2):
        for name in recommender_names():
            grid = [
                best | {"HYBRID_WEIGHTS": best["HYBRID_WEIGHTS"] | {name: value}}
                for value in weight_axis(name)
                if value != best["HYBRID_WEIGHTS"][name]
            ]
            best, score = _best(prepared, grid, (best, score), key=key, k=k, report=report)
    for neighbours in NEIGHBOURS_GRID:
        with app_settings.overridden(CF_NEIGHBOURS=neighbours):
            prepared.refit(["neighbours"])
        grid = [best | {"CF_NEIGHBOURS": neighbours, "CF_HISTORY_DECAY": d} for d in DECAY_GRID]
        best, score = _best(prepared, grid, (best, score), key=key, k=k, report=report)
    return Tuned(settings=best, score=score, baseline=baseline)


def _best(
    prepared: Prepared, grid: list[dict], incumbent: tuple[dict, float], *, key: str, k: int,
    report: Callable[[str], None] | None,
) -> tuple[dict, float]:  # fmt: skip
    """The best of the grid, or the incumbent unless something beats it."""
    table = prepared.run({str(i): ("for_you", s) for i, s in enumerate(grid)}, k=k)
    best, score = incumbent
    for i, settings in enumerate(grid):
        found = table[str(i)][key]
        if report:
            report(f"{key} {found:.4f}  {_describe(settings)}")
        if found > score:
            best, score = settings, found
    return best, score


def _describe(settings: dict) -> str:
    weights = " ".join(f"{n}={w:g}" for n, w in settings["HYBRID_WEIGHTS"].items() if w)
    return (
        f"weights {weights}; decay {settings['CF_HISTORY_DECAY']:g}; "
        f"neighbours {settings['CF_NEIGHBOURS']}"
    )
