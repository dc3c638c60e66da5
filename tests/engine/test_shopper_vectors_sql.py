"""Shopper vectors summed by PostgreSQL equal the content recommender's Python computation."""

import random
from datetime import timedelta
from unittest import mock

import numpy as np
import pytest
from django.test import override_settings
from django.utils import timezone

from bench.shopper_vector_timing import shopper_vector_in_python, shopper_vector_timing
from recommendations import services
from recommendations.conf import app_settings
from recommendations.embeddings.fake import FakeEncoder
from recommendations.models import Interaction, ProductEmbedding
from tests.engine.factories import ProductFactory

pytestmark = pytest.mark.django_db
Kind = Interaction.Kind
WORDS = [
    "tent",
    "jacket",
    "waterproof",
    "trail",
    "shoes",
    "kettle",
    "pan",
    "wool",
    "socks",
    "lamp",
    "rope",
]


def _sample_shoppers(rng: random.Random, *, shoppers: int = 12) -> list[str]:
    products = [
        ProductFactory(title=" ".join(rng.sample(WORDS, 3)), description=rng.choice(WORDS))
        for _ in range(25)
    ]
    services.products_embed([p.pk for p in products[:22]])
    # Three products keep no vector: their events count only through any text.
    ProductEmbedding.objects.filter(product_id__in=[p.pk for p in products[22:]]).update(
        vector=None
    )
    weights = app_settings.INTERACTION_WEIGHTS
    now = timezone.now()
    rows, keys = [], []
    for number in range(shoppers):
        key = f"u:{number}"
        keys.append(key)
        # One shopper with more events than SHOPPER_HISTORY_LIMIT, so the cut-off counts.
        count = 130 if number == 0 else rng.randint(1, 40)
        for event in range(count):
            kind = rng.choice([Kind.VIEW, Kind.CART, Kind.PURCHASE, Kind.REVIEW, Kind.SEARCH])
            product = None if kind == Kind.SEARCH else rng.choice(products)
            rating = float(rng.randint(1, 5)) if kind == Kind.REVIEW else None
            text = " ".join(rng.sample(WORDS, 2)) if kind in (Kind.SEARCH, Kind.REVIEW) else ""
            rows.append(
                Interaction(
                    shopper=key,
                    kind=kind,
                    product_id=product.pk if product else None,
                    weight=weights[kind],
                    value=rating,
                    text=text if rng.random() < 0.8 else "",
                    created_at=now - timedelta(hours=rng.uniform(0, 24 * 90), seconds=event),
                )
            )
    Interaction.objects.bulk_create(rows)
    return keys


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_the_sql_vector_equals_the_python_computation_on_a_sample():
    shoppers = _sample_shoppers(random.Random(13))
    for shopper in shoppers:
        vector, count = services.shopper_vector_compute(shopper)
        expected = shopper_vector_in_python(shopper)
        assert count == min(
            Interaction.objects.filter(shopper=shopper).count(), app_settings.SHOPPER_HISTORY_LIMIT
        )
        assert (vector is None) == (expected is None), shopper
        if vector is not None:
            assert _cosine(vector, expected) >= 0.9999, shopper
            assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_a_shopper_with_no_vector_inputs_gets_none():
    product = ProductFactory()
    services.interaction_record(shopper="u:bare", kind=Kind.VIEW, product_id=product.pk)
    assert services.shopper_vector_compute("u:bare") == (None, 1)
    assert services.shopper_vector_compute("u:nobody") == (None, 0)


def test_events_older_than_the_float_range_weigh_nothing_instead_of_failing():
    old, new = ProductFactory(title="tent"), ProductFactory(title="kettle")
    services.products_embed([old.pk, new.pk])
    now = timezone.now()
    services.interaction_record(
        shopper="u:old", kind=Kind.VIEW, product_id=old.pk, created_at=now - timedelta(days=40000)
    )
    services.interaction_record(shopper="u:old", kind=Kind.VIEW, product_id=new.pk, created_at=now)
    vector, _ = services.shopper_vector_compute("u:old")
    new_vector = np.asarray(ProductEmbedding.objects.get(product=new).vector)
    assert _cosine(vector, new_vector) > 0.99999


def test_one_query_and_only_unseen_texts_are_encoded(django_assert_num_queries):
    product = ProductFactory(title="tent")
    services.products_embed([product.pk])
    now = timezone.now()
    services.interaction_record(shopper="u:w", kind=Kind.VIEW, product_id=product.pk)
    services.interaction_record(shopper="u:w", kind=Kind.SEARCH, text="rain jacket")
    encoder = FakeEncoder(name="counting")
    with (
        override_settings(RECOMMENDATIONS={"ENCODER_OPTIONS": {"name": "counting"}}),
        mock.patch("recommendations.embeddings.cache.get_encoder", return_value=encoder),
        mock.patch.object(encoder, "encode", wraps=encoder.encode) as encode,
    ):
        with django_assert_num_queries(1):
            services.shopper_vector_compute("u:w")
        services.interaction_record(
            shopper="u:w", kind=Kind.SEARCH, text="wool socks", created_at=now + timedelta(1)
        )
        services.shopper_vector_compute("u:w")
        assert [call.args[0] for call in encode.call_args_list] == [
            ["rain jacket"],
            ["wool socks"],
        ]


def test_the_timing_helper_reports_both_computations():
    shoppers = _sample_shoppers(random.Random(5), shoppers=3)
    timing = shopper_vector_timing(shoppers)
    assert set(timing) == {"python", "sql"} and all(ms > 0 for ms in timing.values())
