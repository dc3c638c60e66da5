"""Content: products whose Transformer vectors lie closest to the shopper's vector.

The shopper vector is a recency- and kind-weighted mean of the vectors of what they viewed and
bought plus the shopper's own words (searches, reviews). Workers keep it in `ShopperEmbedding`
for online use; batch scoring computes it with the same function from the dataset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from django.db import models
from django.db.models import Subquery
from pgvector.django import CosineDistance, VectorField

from ..conf import app_settings
from ..factories import get_encoder
from ..models import Interaction, ProductEmbedding, ShopperEmbedding
from ..prepared import AnyOf, Slots, prepared
from .base import Allowed, Batch, Recommender, Shopper
from .dataset import Event, InteractionData
from .tables import vectors_matrix
from .vector_search import nearest_by, ordered


def signed_weight(event: Event) -> float:
    """A review's rating turns its weight negative for 1-2 stars, neutral for 3."""
    if event.kind == Interaction.Kind.REVIEW and event.value is not None:
        return event.weight * (event.value - 3.0) / 2.0
    return event.weight


def shopper_vector_from(
    events: Sequence[Event],
    product_vectors: Mapping[int, np.ndarray],
    text_vectors: Mapping[str, np.ndarray],
) -> np.ndarray | None:
    """Events most recent first. Each halves in weight every RECENCY_HALF_LIFE_DAYS before the
    newest one; only the ratio matters once the sum is normalised, so no clock is needed."""
    if not events:
        return None
    newest = events[0].created_at
    half_life = app_settings.RECENCY_HALF_LIFE_DAYS
    total: np.ndarray | None = None
    for event in events:
        age_days = max((newest - event.created_at).total_seconds(), 0.0) / 86400.0
        weight = signed_weight(event) * 0.5 ** (age_days / half_life)
        parts = []
        if event.product_id in product_vectors:
            parts.append((weight, product_vectors[event.product_id]))
        if event.text and (event.value is None or event.value >= 3):
            parts.append((abs(weight), text_vectors[event.text]))
        for w, vector in parts:
            contribution = w * np.asarray(vector, dtype=np.float64)
            total = contribution if total is None else total + contribution
    if total is None:
        return None
    norm = float(np.linalg.norm(total))
    return (total / norm).astype(np.float32) if norm >= 1e-9 else None


def product_vectors_of(ids) -> dict[int, np.ndarray]:
    rows = ProductEmbedding.objects.filter(product_id__in=ids, vector__isnull=False)
    return dict(rows.values_list("product_id", "vector").iterator(chunk_size=5000))


def text_vectors_of(events: Sequence[Event]) -> dict[str, np.ndarray]:
    texts = sorted({e.text for e in events if e.text and (e.value is None or e.value >= 3)})
    if not texts:
        return {}
    return dict(zip(texts, get_encoder().encode(texts), strict=True))


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


@dataclass
class ContentVectors:
    # Unit vectors; zero rows for shoppers or products without one.
    shoppers: np.ndarray
    products: np.ndarray


class ContentRecommender(Recommender):
    """Learns nothing at training time: product vectors come from the embedding pipeline."""

    default_weight = 0.3
    learned = False

    def _products(self, data: InteractionData) -> np.ndarray:
        pairs = product_vectors_of(data.product_ids.tolist()).items()
        return vectors_matrix(pairs, data.product_index, len(data.product_ids)).astype(np.float64)

    def fit(self, data: InteractionData) -> ContentVectors:
        products = self._products(data)
        by_id = {
            int(pk): products[i]
            for i, pk in enumerate(data.product_ids)
            if products.shape[1] and products[i].any()
        }
        words = text_vectors_of([e for events in data.recent_events for e in events])
        vectors = [shopper_vector_from(events, by_id, words) for events in data.recent_events]
        width = products.shape[1]
        shoppers = np.zeros((len(vectors), width))
        for row, vector in enumerate(vectors):
            if vector is not None and width:
                shoppers[row] = vector
        return ContentVectors(_unit_rows(shoppers), _unit_rows(products))

    def load(self, data: InteractionData, *, version: int | None) -> ContentVectors:
        stored = ShopperEmbedding.objects.filter(vector__isnull=False).values_list(
            "shopper", "vector"
        )
        shoppers = vectors_matrix(stored.iterator(5000), data.shopper_index, len(data.shoppers))
        shoppers = _unit_rows(shoppers.astype(np.float64))
        return ContentVectors(shoppers, _unit_rows(self._products(data)))

    def _target(self, key: str) -> Subquery:
        return Subquery(
            ShopperEmbedding.objects.filter(shopper=key).values("vector")[:1],
            output_field=VectorField(),
        )

    def propose(self, shopper: Shopper, allowed: Allowed, *, n: int) -> dict[int, float]:
        if not shopper.key:
            return {}

        def search(exact: bool, limit: int) -> list[models.Model]:
            def query(products: models.QuerySet, slots: Slots) -> models.QuerySet:
                target = self._target(slots.text("shopper_key"))
                return ordered(products.select_related(None).only("pk"), target, limit, exact=exact)

            return allowed.objects(("content", exact, limit), query, shopper_key=shopper.key)

        return {p.pk: 1.0 - p.distance for p in nearest_by(search, n=n)}

    def score(self, shopper: Shopper, ids: list[int]) -> dict[int, float]:
        if not shopper.key or not ids:
            return {}
        query = prepared(
            "content.score",
            lambda slots: (
                ProductEmbedding.objects.filter(AnyOf("product_id", slots.integers("ids")))
                .filter(vector__isnull=False)
                .annotate(
                    distance=CosineDistance("vector", self._target(slots.text("shopper_key")))
                )
                .values_list("product_id", "distance")
            ),
        )
        rows = query.rows(ids=ids, shopper_key=shopper.key)
        return {pk: 1.0 - d for pk, d in rows if d is not None}

    def score_batch(self, artifact: ContentVectors, batch: Batch) -> np.ndarray:
        if artifact.products.shape[1] == 0 or artifact.shoppers.shape[1] == 0:
            return np.zeros(batch.history.shape)
        return artifact.shoppers[batch.rows] @ artifact.products.T
