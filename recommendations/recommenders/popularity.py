"""Popularity: how many distinct shoppers interacted with a product, as of the last training.

Distinct shoppers, not events, so one visitor clicking a hundred times counts once.
"""

from __future__ import annotations

import numpy as np
from django.db import models

from ..models import ItemPopularity
from ..prepared import AnyOf, Slots, prepared
from .base import Allowed, Batch, Recommender, Shopper
from .dataset import InteractionData
from .tables import rows_copy


class PopularityRecommender(Recommender):
    default_weight = 0.05
    personal = False

    def fit(self, data: InteractionData) -> np.ndarray:
        return np.asarray(data.matrix.sum(axis=0), dtype=np.float64).ravel()

    def write(self, artifact: np.ndarray, *, version: int, data: InteractionData) -> None:
        rows_copy(
            ItemPopularity._meta.db_table,
            "model_id, product_id, score",
            (
                (version, int(pk), float(score))
                for pk, score in zip(data.product_ids, artifact, strict=True)
                if score > 0
            ),
        )

    def load(self, data: InteractionData, *, version: int | None) -> np.ndarray:
        scores = np.zeros(len(data.product_ids))
        stored = ItemPopularity.objects.filter(model_id=version).values_list("product_id", "score")
        for pk, score in stored.iterator(chunk_size=50000):
            if pk in data.product_index:
                scores[data.product_index[pk]] = score
        return scores

    def propose(self, shopper: Shopper, allowed: Allowed, *, n: int) -> dict[int, float]:
        if shopper.version is None:
            return {}

        def query(products: models.QuerySet, slots: Slots) -> models.QuerySet:
            return (
                ItemPopularity.objects.filter(model_id=slots.integer("version"), score__gt=0)
                .filter(product_id__in=products.values("pk"))
                .order_by("-score", "product_id")
                .values_list("product_id", "score")[:n]
            )

        return dict(allowed.rows(("popularity", n), query, version=shopper.version))

    def score(self, shopper: Shopper, ids: list[int]) -> dict[int, float]:
        if shopper.version is None or not ids:
            return {}
        query = prepared(
            "popularity.score",
            lambda slots: (
                ItemPopularity.objects.filter(model_id=slots.integer("version"), score__gt=0)
                .filter(AnyOf("product_id", slots.integers("ids")))
                .values_list("product_id", "score")
            ),
        )
        return dict(query.rows(version=shopper.version, ids=ids))

    def score_batch(self, artifact: np.ndarray, batch: Batch) -> np.ndarray:
        return np.broadcast_to(artifact, (len(batch.rows), len(artifact))).copy()
