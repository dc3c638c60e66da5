"""Writes of shopper vectors: what a shopper did and said, as one point in product space."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from ..conf import app_settings
from ..embeddings.cache import text_vectors
from ..factories import get_encoder
from ..models import Interaction, ProductEmbedding, ShopperEmbedding

SHOPPER_VECTOR_SQL = """
WITH recent AS (
    SELECT product_id, weight, created_at, kind, value, text
    FROM {interactions}
    WHERE shopper = %(shopper)s
    ORDER BY created_at DESC, id DESC
    LIMIT %(limit)s
), decayed AS (
    SELECT r.product_id, r.value, r.text,
        CASE WHEN r.kind = %(review)s AND r.value IS NOT NULL
            THEN r.weight * (r.value - 3.0) / 2.0 ELSE r.weight END
        * power(0.5::float8, least(greatest(extract(epoch FROM newest.at - r.created_at), 0)
            / 86400.0 / %(half_life)s, 1000)) AS w
    FROM recent r CROSS JOIN (SELECT max(created_at) AS at FROM recent) newest
), weighted AS (
    -- Relative to the largest weight: only the direction counts, and events 10^20 times
    -- lighter than it are left out rather than underflowing the float4 of the vectors.
    SELECT product_id, value, text, w / nullif(max(abs(w)) OVER (), 0) AS w FROM decayed
)
SELECT
    (SELECT sum(e.vector * array_fill(w.w::real, ARRAY[vector_dims(e.vector)])::vector)::real[]
     FROM weighted w JOIN {embeddings} e ON e.product_id = w.product_id
     WHERE e.vector IS NOT NULL AND abs(w.w) >= 1e-20),
    (SELECT count(*) FROM recent),
    (SELECT array_agg(text) FROM weighted WHERE text <> '' AND (value IS NULL OR value >= 3)),
    (SELECT array_agg(coalesce(abs(w), 0)) FROM weighted
     WHERE text <> '' AND (value IS NULL OR value >= 3))
"""


def shopper_vector_compute(shopper: str) -> tuple[np.ndarray | None, int]:
    """The content recommender's shopper vector (`shopper_vector_from`: the same events, weights
    and recency) with its product part summed by PostgreSQL in one statement, so no product
    vector crosses the wire; only the shopper's own words are added here, from vectors this
    process remembers (`embeddings.cache`)."""
    sql = SHOPPER_VECTOR_SQL.format(
        interactions=Interaction._meta.db_table, embeddings=ProductEmbedding._meta.db_table
    )
    params = {
        "shopper": shopper,
        "limit": app_settings.SHOPPER_HISTORY_LIMIT,
        "review": Interaction.Kind.REVIEW.value,
        "half_life": app_settings.RECENCY_HALF_LIFE_DAYS,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        product_sum, count, texts, text_weights = cursor.fetchone()
    total = None if product_sum is None else np.asarray(product_sum, dtype=np.float64)
    if texts:
        vectors = text_vectors(texts)
        words = sum(
            w * vectors[t].astype(np.float64) for t, w in zip(texts, text_weights, strict=True)
        )
        total = words if total is None else total + words
    if total is None:
        return None, count
    norm = float(np.linalg.norm(total))
    return ((total / norm).astype(np.float32) if norm >= 1e-9 else None), count


def shopper_vector_update(shopper: str) -> bool:
    """Recompute and store; clearing `update_pending` first lets events that arrive meanwhile
    schedule the next update instead of being lost."""
    ShopperEmbedding.objects.filter(shopper=shopper).update(update_pending=False)
    vector, count = shopper_vector_compute(shopper)
    with transaction.atomic():
        ShopperEmbedding.objects.update_or_create(
            shopper=shopper,
            defaults={
                "vector": vector,
                "model_name": get_encoder().name if vector is not None else "",
                "interaction_count": count,
                "updated_at": timezone.now(),
            },
        )
    return vector is not None


def shoppers_without_vector(*, missing_only: bool = True) -> list[str]:
    """Shoppers known only from loaded history (imports, demo data), or every shopper."""
    shoppers = Interaction.objects.values_list("shopper", flat=True).distinct()
    if missing_only:
        shoppers = shoppers.exclude(
            shopper__in=ShopperEmbedding.objects.filter(vector__isnull=False).values("shopper")
        )
    return list(shoppers)


def shoppers_update_lost(*, quiet_seconds: float) -> list[str]:
    """Shoppers still waiting for an update although nothing happened for ``quiet_seconds``: the
    task the last event asked for was lost (the broker was down), since a queued one runs within
    seconds. Safe to queue again: an update recomputes from the interactions."""
    recent = Interaction.objects.filter(
        created_at__gte=timezone.now() - timedelta(seconds=quiet_seconds)
    ).values("shopper")
    return list(
        ShopperEmbedding.objects.filter(update_pending=True)
        .exclude(shopper__in=recent)
        .values_list("shopper", flat=True)
    )
