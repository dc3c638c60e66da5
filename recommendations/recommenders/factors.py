"""Latent factors by alternating least squares (`implicit`), for shoppers seen in training.

Shoppers who arrived after the last training have no factors and rely on the other
recommenders until the next one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from django.db import models
from django.db.models import Q
from pgvector.django import MaxInnerProduct
from threadpoolctl import threadpool_limits

from ..conf import app_settings
from ..models import ItemFactor, ShopperFactor
from ..prepared import AnyOf, Slots, prepared
from .base import Allowed, Batch, Recommender, Shopper
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

    def _inner_products(self, slots: Slots, products: Q | AnyOf) -> models.QuerySet:
        # pgvector's <#> is the negative inner product, so that ascending order is best first.
        return (
            ItemFactor.objects.filter(products, model_id=slots.integer("version"))
            .annotate(distance=MaxInnerProduct("vector", slots.vector("factors")))
            .order_by("distance", "product_id")
            .values_list("product_id", "distance")
        )

    def propose(self, shopper: Shopper, allowed: Allowed, *, n: int) -> dict[int, float]:
        vector = self._vector(shopper)
        if vector is None:
            return {}

        def query(products: models.QuerySet, slots: Slots) -> models.QuerySet:
            return self._inner_products(slots, Q(product_id__in=products.values("pk")))[:n]

        rows = allowed.rows(("factors", n), query, version=shopper.version, factors=vector)
        return {pk: -distance for pk, distance in rows if distance < 0}

    def score(self, shopper: Shopper, ids: list[int]) -> dict[int, float]:
        vector = self._vector(shopper) if ids else None
        if vector is None:
            return {}
        query = prepared(
            "factors.score",
            lambda slots: self._inner_products(slots, AnyOf("product_id", slots.integers("ids"))),
        )
        rows = query.rows(version=shopper.version, factors=vector, ids=ids)
        return {pk: -distance for pk, distance in rows if distance < 0}

    def score_batch(self, artifact: Factors, batch: Batch) -> np.ndarray:
        if artifact.shoppers.shape[1] == 0 or artifact.products.shape[1] == 0:
            return np.zeros(batch.history.shape)
        shoppers = artifact.shoppers[batch.rows].astype(np.float64)
        return shoppers @ artifact.products.astype(np.float64).T
