"""Anonymous bench shoppers: a session in a test client, a history of views, and a vector under
the shopper key."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from recommendations.embeddings.base import normalise
from recommendations.factories import get_encoder
from recommendations.models import Interaction, ProductEmbedding, ShopperEmbedding
from recommendations.receivers import ANONYMOUS_KEY
from recommendations.services.interactions import interaction_weight
from recommendations.shoppers import session_shopper_key

from .hnsw import tables_settle

# Views per shopper, each of another product: the sequence model's default window, so the
# sequential strategy encodes a full history.
HISTORY_ACTIONS = 50
# A shopper vector is the mean of the vectors of the products the shopper viewed last.
HISTORY_PRODUCTS = 5


@dataclass(frozen=True)
class Shopper:
    key: str
    client: Client


def shoppers_create(count: int, product_ids: list[int], rng: random.Random) -> list[Shopper]:
    """Replaces the shoppers of earlier runs, so the bench database does not grow."""
    ShopperEmbedding.objects.filter(shopper__startswith="s:").delete()
    Interaction.objects.filter(shopper__startswith="s:").delete()
    Session.objects.all().delete()
    # Oldest first: the last HISTORY_PRODUCTS are the latest views.
    viewed = [rng.sample(product_ids, HISTORY_ACTIONS) for _ in range(count)]
    stored = dict(
        ProductEmbedding.objects.filter(
            product_id__in={pk for ids in viewed for pk in ids[-HISTORY_PRODUCTS:]}
        ).values_list("product_id", "vector")
    )
    shoppers, vectors = [], []
    for ids in viewed:
        client = Client()
        session = client.session
        # What the shopper middleware stores on a visitor's first request; set here so that no
        # timed request is the first one and pays for the session write.
        session[ANONYMOUS_KEY] = session.session_key
        session.save()
        key = session_shopper_key(session.session_key)
        latest = [stored[pk] for pk in ids[-HISTORY_PRODUCTS:]]
        vectors.append(normalise(np.mean(latest, axis=0, keepdims=True))[0])
        shoppers.append(Shopper(key=key, client=client))
    ShopperEmbedding.objects.bulk_create(
        [
            ShopperEmbedding(
                shopper=s.key,
                vector=vector,
                model_name=get_encoder().name,
                interaction_count=HISTORY_ACTIONS,
                updated_at=timezone.now(),
            )
            for s, vector in zip(shoppers, vectors, strict=True)
        ]
    )
    history_create(shoppers, viewed)
    return shoppers


def history_create(shoppers: list[Shopper], viewed: list[list[int]]) -> None:
    """One view a second, ending now; signals are not sent (bulk), so no shopper vector update
    is queued. Analyzed at once, as autovacuum soon would, so the planner knows the rows."""
    now = timezone.now()
    weight = interaction_weight(Interaction.Kind.VIEW)
    Interaction.objects.bulk_create(
        [
            Interaction(
                shopper=s.key,
                product_id=pk,
                kind=Interaction.Kind.VIEW,
                weight=weight,
                created_at=now - timedelta(seconds=len(ids) - position),
            )
            for s, ids in zip(shoppers, viewed, strict=True)
            for position, pk in enumerate(ids, start=1)
        ],
        batch_size=5000,
    )
    tables_settle(Interaction)
