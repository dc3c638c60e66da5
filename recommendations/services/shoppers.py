"""Writes of shopper vectors: what a shopper did and said, as one point in product space."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone

from ..conf import app_settings
from ..factories import get_encoder
from ..models import Interaction, ShopperEmbedding
from ..recommenders.content import product_vectors_of, shopper_vector_from, text_vectors_of
from ..recommenders.dataset import Event


def shopper_vector_compute(shopper: str) -> tuple[np.ndarray | None, int]:
    """The shopper's latest interactions through the content recommender's own function."""
    events = [
        Event(shopper, *row)
        for row in Interaction.objects.filter(shopper=shopper)
        .order_by("-created_at", "-pk")
        .values_list("product_id", "weight", "created_at", "kind", "value", "text")[
            : app_settings.SHOPPER_HISTORY_LIMIT
        ]
    ]
    products = product_vectors_of([e.product_id for e in events if e.product_id is not None])
    return shopper_vector_from(events, products, text_vectors_of(events)), len(events)


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
