"""The code that serves is the code that is evaluated: online and batch answers agree in order."""

import random
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from recommendations import selectors, services
from recommendations.evaluation.batch import top_k
from recommendations.evaluation.export import scorer_build
from recommendations.evaluation.service import batchable_strategies
from recommendations.models import Interaction
from recommendations.ranking import get_strategy
from recommendations.recommenders.versions import version_train
from tests.engine.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db
Kind = Interaction.Kind
WORDS = ["trail", "tent", "stove", "shoe", "gel", "watch", "lamp", "mat", "pack", "jacket"]


@pytest.fixture
def behaviour():
    """Forty products in four categories; thirty shoppers who view, cart, buy, search and review
    with tastes of their own, so every recommender has something to say."""
    rng = random.Random(7)
    categories = [CategoryFactory(name=f"Department {i}") for i in range(4)]
    products = [
        ProductFactory(
            title=" ".join(rng.sample(WORDS, 3)), category=categories[i % 4], price=10 + i
        )
        for i in range(40)
    ]
    services.products_embed([p.pk for p in products])
    now = timezone.now()
    shoppers = [f"s:shopper{n:02d}" for n in range(30)]
    for n, shopper in enumerate(shoppers):
        taste = [p for p in products if p.category_id == categories[n % 4].pk]
        for step in range(12):
            pool = taste if rng.random() < 0.8 else products
            kind = rng.choice([Kind.VIEW, Kind.VIEW, Kind.CART, Kind.PURCHASE])
            at = now - timedelta(hours=100 - step * 7, minutes=n)
            services.interaction_record(
                shopper=shopper, kind=kind, product_id=rng.choice(pool).pk, created_at=at
            )
        services.interaction_record(
            shopper=shopper, kind=Kind.SEARCH, text=" ".join(rng.sample(WORDS, 2)),
            created_at=now - timedelta(minutes=n),
        )  # fmt: skip
    version_train()
    for shopper in shoppers:
        services.shopper_vector_update(shopper)
    return shoppers


def test_every_batch_strategy_ranks_as_it_serves(behaviour):
    scorer = scorer_build(refit=False, include_out_of_stock=False)
    data = scorer.data
    names, _ = batchable_strategies()
    assert {"for_you", "collaborative", "content", "popular", "sequential"} <= set(names)
    sample = behaviour[::3]
    compared = 0
    for name in names:
        strategy = get_strategy(name)
        rows = [data.shopper_index[key] for key in sample]
        ranked = top_k(scorer.scores(strategy, rows), 10)
        for key, (columns, values) in zip(sample, ranked, strict=True):
            batch = [int(data.product_ids[c]) for c in columns]
            served = selectors.recommend(name, shopper=key, k=10)
            online = [r.product.pk for r in served]
            online_scores = [r.score for r in served]
            assert online[: len(batch)] == batch, (name, key)
            assert np.allclose(online_scores[: len(batch)], values, atol=1e-4), (name, key)
            compared += len(batch)
    assert compared > 100
