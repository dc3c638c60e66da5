"""Latent factors by alternating least squares (`implicit`), for shoppers seen in training.

Shoppers who arrived after the last training have no factors and rely on the other
recommenders until the next one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from django.db import models
from pgvector.django import MaxInnerProduct
from threadpoolctl import threadpool_limits

from ..conf import app_settings
from ..models import ItemFactor, ShopperFactor
from .base import Batch, Recommender, Shopper
from .dataset import InteractionData
from .tables import rows_copy, vector_text, vectors_matrix


@dataclass
class Factors:
    shoppers: np.ndarray
    products: np.ndarray


def als_factors(
    matrix: sp.csr_matrix, *, factors: int, iterations: int, regularization: float, alpha: float,
    threads: int, seed: int = 0,
) -> Factors:  # fmt: skip
    """BLAS stays single-threaded: implicit parallelises."""
    from implicit.cpu.als import AlternatingLeastSquares

    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(
            factors=factors,
            iterations=iterations,
            regularization=regularization,
            alpha=alpha,
            random_state=seed,
            num_threads=threads,
        )
        model.fit(matrix.astype(np.float32), show_progress=False)
    return Factors(np.asarray(model.user_factors), np.asarray(model.item_factors))


class FactorsRecommender(Recommender):
    default_weight = 0.2

    def fit(self, data: InteractionData) -> Factors:
        return als_factors(
            data.matrix,
            factors=app_settings.CF_FACTORS,
            threads=app_settings.CF_THREADS,
            **app_settings.CF_ALS,
        )

    def write(self, artifact: Factors, *, version: int, data: InteractionData) -> None:
        rows_copy(
            ItemFactor._meta.db_table,
            "model_id, product_id, vector",
            (
                (version, int(pk), vector_text(v))
                for pk, v in zip(data.product_ids, artifact.products, strict=True)
            ),
        )
        rows_copy(
            ShopperFactor._meta.db_table,
            "model_id, shopper, vector",
            (
                (version, shopper, vector_text(v))
                for shopper, v in zip(data.shoppers, artifact.shoppers, strict=True)
            ),
        )

    def load(self, data: InteractionData, *, version: int | None) -> Factors:
        shoppers = ShopperFactor.objects.filter(model_id=version).values_list("shopper", "vector")
        products = ItemFactor.objects.filter(model_id=version).values_list("product_id", "vector")
        return Factors(
            vectors_matrix(shoppers.iterator(5000), data.shopper_index, len(data.shoppers)),
            vectors_matrix(products.iterator(5000), data.product_index, len(data.product_ids)),
        )

    def _vector(self, shopper: Shopper) -> list[float] | None:
        """Read once per request (kept in `shopper.memo`): `propose` and `score` both need it."""
        if not shopper.key or shopper.version is None:
            return None
        if "factors" not in shopper.memo:
            vector = (
                ShopperFactor.objects.filter(model_id=shopper.version, shopper=shopper.key)
                .values_list("vector", flat=True)
                .first()
            )
            shopper.memo["factors"] = None if vector is None else [float(x) for x in vector]
        return shopper.memo["factors"]

    def _inner_products(self, shopper: Shopper, products, n: int | None) -> dict[int, float]:
        vector = self._vector(shopper)
        if vector is None:
            return {}
        rows = (
            ItemFactor.objects.filter(model_id=shopper.version, product_id__in=products)
            .annotate(distance=MaxInnerProduct("vector", vector))
            .order_by("distance", "product_id")
            .values_list("product_id", "distance")
        )
        # pgvector's <#> is the negative inner product, so that ascending order is best first.
        found = rows[:n] if n is not None else rows
        return {pk: -distance for pk, distance in found if distance < 0}

    def propose(self, shopper: Shopper, allowed: models.QuerySet, *, n: int) -> dict[int, float]:
        return self._inner_products(shopper, allowed.values("pk"), n)

    def score(self, shopper: Shopper, ids: list[int]) -> dict[int, float]:
        return self._inner_products(shopper, ids, None) if ids else {}

    def score_batch(self, artifact: Factors, batch: Batch) -> np.ndarray:
        if artifact.shoppers.shape[1] == 0 or artifact.products.shape[1] == 0:
            return np.zeros(batch.history.shape)
        shoppers = artifact.shoppers[batch.rows].astype(np.float64)
        return shoppers @ artifact.products.astype(np.float64).T
