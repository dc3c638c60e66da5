"""Anonymous bench shoppers: a session in a test client, and a vector under its shopper key."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from recommendations.embeddings.base import normalise
from recommendations.factories import get_encoder
from recommendations.models import ProductEmbedding, ShopperEmbedding
from recommendations.receivers import ANONYMOUS_KEY
from recommendations.shoppers import session_shopper_key

# A shopper vector is the mean of the vectors of products the shopper interacted with.
HISTORY_PRODUCTS = 5


@dataclass(frozen=True)
class Shopper:
    key: str
    client: Client
    vector: np.ndarray


def shoppers_create(count: int, product_ids: list[int], rng: random.Random) -> list[Shopper]:
    """Replaces the shoppers of earlier runs, so the bench database does not grow."""
    ShopperEmbedding.objects.filter(shopper__startswith="s:").delete()
    Session.objects.all().delete()
    picked = [rng.sample(product_ids, HISTORY_PRODUCTS) for _ in range(count)]
    stored = dict(
        ProductEmbedding.objects.filter(
            product_id__in={pk for ids in picked for pk in ids}
        ).values_list("product_id", "vector")
    )
    shoppers = []
    for ids in picked:
        client = Client()
        session = client.session
        # What the shopper middleware stores on a visitor's first request; set here so that no
        # timed request is the first one and pays for the session write.
        session[ANONYMOUS_KEY] = session.session_key
        session.save()
        key = session_shopper_key(session.session_key)
        vector = normalise(np.mean([stored[pk] for pk in ids], axis=0, keepdims=True))[0]
        shoppers.append(Shopper(key=key, client=client, vector=vector))
    ShopperEmbedding.objects.bulk_create(
        [
            ShopperEmbedding(
                shopper=s.key,
                vector=s.vector,
                model_name=get_encoder().name,
                interaction_count=HISTORY_PRODUCTS,
                updated_at=timezone.now(),
            )
            for s in shoppers
        ]
    )
    return shoppers
