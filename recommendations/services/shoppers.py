"""Writes of shopper vectors: what a shopper did and said, as one point in product space."""

from __future__ import annotations

import math

import numpy as np
from django.db import transaction
from django.utils import timezone

from ..conf import app_settings
from ..factories import get_encoder
from ..models import Interaction, ProductEmbedding, ShopperEmbedding

Kind = Interaction.Kind


def _signed_weight(interaction: Interaction) -> float:
    """A review's rating turns its weight negative for 1-2 stars, neutral for 3."""
    if interaction.kind == Kind.REVIEW and interaction.value is not None:
        return interaction.weight * (interaction.value - 3.0) / 2.0
    return interaction.weight


def shopper_vector_compute(shopper: str) -> tuple[np.ndarray | None, int]:
    """Recency- and kind-weighted mean of product vectors and of the shopper's own words."""
    now = timezone.now()
    half_life = app_settings.RECENCY_HALF_LIFE_DAYS
    history = list(
        Interaction.objects.filter(shopper=shopper).order_by("-created_at")[
            : app_settings.SHOPPER_HISTORY_LIMIT
        ]
    )
    if not history:
        return None, 0

    def decay(interaction: Interaction) -> float:
        age_days = max((now - interaction.created_at).total_seconds(), 0.0) / 86400.0
        return math.pow(0.5, age_days / half_life)

    product_weights: dict[int, float] = {}
    texts: list[tuple[str, float]] = []
    for interaction in history:
        weight = _signed_weight(interaction) * decay(interaction)
        if interaction.product_id is not None:
            product_weights[interaction.product_id] = (
                product_weights.get(interaction.product_id, 0.0) + weight
            )
        if interaction.text and (interaction.value is None or interaction.value >= 3):
            texts.append((interaction.text, abs(weight)))

    encoder = get_encoder()
    total = np.zeros(encoder.dimensions, dtype=np.float64)
    vectors = dict(
        ProductEmbedding.objects.filter(
            product_id__in=list(product_weights), vector__isnull=False
        ).values_list("product_id", "vector")
    )
    for product_id, weight in product_weights.items():
        if product_id in vectors:
            total += weight * np.asarray(vectors[product_id], dtype=np.float64)
    if texts:
        encoded = encoder.encode([text for text, _ in texts])
        for (_, weight), vector in zip(texts, encoded, strict=True):
            total += weight * vector
    norm = float(np.linalg.norm(total))
    if norm < 1e-9:
        return None, len(history)
    return (total / norm).astype(np.float32), len(history)


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


def shoppers_refresh_enqueue(*, missing_only: bool = True) -> int:
    """Queue vector updates for shoppers known only from loaded history (imports, demo data)."""
    from ..tasks import update_shopper_vector

    shoppers = Interaction.objects.values_list("shopper", flat=True).distinct()
    if missing_only:
        shoppers = shoppers.exclude(
            shopper__in=ShopperEmbedding.objects.filter(vector__isnull=False).values("shopper")
        )
    keys = list(shoppers)
    for key in keys:
        transaction.on_commit(lambda key=key: update_shopper_vector.delay(key))
    return len(keys)
