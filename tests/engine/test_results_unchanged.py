"""Speed work changes no result: every strategy's ids, order and scores for a sample of shoppers,
products and requests, against a record taken before the work (`data/strategy_results.json`).

The catalog and behaviour are built from a fixed seed with explicit names (the fake encoder reads
them), and products are recorded by creation position, not id, so the record holds whatever the
test database's sequences are. To re-record after a change that is meant to change results, run
this file with RECORD_STRATEGY_RESULTS=1 (under `--ds=tests.engine.settings`). Scores are
compared within SCORE_TOLERANCE, and two products may trade places only where their recorded
scores were that close.
"""

import json
import os
import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from recommendations import selectors, services
from recommendations.models import Interaction
from recommendations.ranking import Filters, strategy_names
from recommendations.recommenders.versions import version_train
from tests.engine.factories import BrandFactory, CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db
Kind = Interaction.Kind
RECORD = Path(__file__).parent / "data" / "strategy_results.json"
WORDS = ["trail", "tent", "stove", "shoe", "gel", "watch", "lamp", "mat", "pack", "jacket"]
MORE_WORDS = ["warm", "light", "steel", "wool", "camp", "river", "summit", "night", "rain", "kit"]
QUERIES = ["trail shoe", "tent under 30", "warm jacket in stock", "lamp", "stove for camping"]
# The learned models (ALS factors, the sequence network) come out of floating-point kernels that
# differ between CPUs in the fourth decimal; a real change moves scores by far more.
SCORE_TOLERANCE = 0.002


@pytest.fixture
def world():
    """Sixty products in four categories and three brands (a few inactive or sold out), hardly
    two equally close to a third (a tie at the k-th place would be the index's choice); forty
    shoppers who view, click, cart, buy, search and review with tastes of their own, over a
    week, so every recommender and "trending" have something to say."""
    rng = random.Random(13)
    categories = [CategoryFactory(name=f"Department {i}") for i in range(4)]
    brands = [BrandFactory(name=f"Maker {i}") for i in range(3)]
    products = [
        ProductFactory(
            title=" ".join(rng.sample(WORDS, 3)),
            # Words repeated a varying number of times: few products are equally close.
            description=" ".join(rng.choices(WORDS + MORE_WORDS, k=rng.randint(4, 12))),
            category=categories[i % 4],
            brand=brands[i % 3],
            price=Decimal(10 + (i * 7) % 50),
            stock=0 if i % 17 == 5 else 10,
            is_active=i % 23 != 7,
        )
        for i in range(60)
    ]
    services.products_embed([p.pk for p in products])
    now = timezone.now()
    shoppers = [f"s:shopper{n:02d}" for n in range(40)]
    for n, shopper in enumerate(shoppers):
        taste = [p for p in products if p.category_id == categories[n % 4].pk]
        steps = 4 + n % 11
        for step in range(steps):
            pool = taste if rng.random() < 0.75 else products
            kind = rng.choice([Kind.VIEW, Kind.VIEW, Kind.CLICK, Kind.CART, Kind.PURCHASE])
            at = now - timedelta(hours=160 - step * (150 // steps), minutes=n)
            services.interaction_record(
                shopper=shopper, kind=kind, product_id=rng.choice(pool).pk, created_at=at
            )
        if n % 3 == 0:
            services.interaction_record(
                shopper=shopper, kind=Kind.SEARCH, text=" ".join(rng.sample(WORDS, 2)),
                created_at=now - timedelta(minutes=n),
            )  # fmt: skip
        if n % 5 == 0:
            services.interaction_record(
                shopper=shopper, kind=Kind.REVIEW, product_id=rng.choice(taste).pk,
                value=rng.choice([1, 4, 5]), text="good for the trail",
                created_at=now - timedelta(minutes=n, seconds=30),
            )  # fmt: skip
    # A burst in the last hours: what "trending" finds.
    for n, shopper in enumerate(shoppers[:12]):
        for pk in (products[2 + n % 3].pk, products[9 + n % 2].pk):
            services.interaction_record(
                shopper=shopper, kind=Kind.VIEW, product_id=pk, created_at=now - timedelta(hours=n)
            )
    version_train()
    for shopper in shoppers:
        services.shopper_vector_update(shopper)
    services.product_stats_refresh()
    return products, shoppers, categories, brands


def requests(products, shoppers, categories, brands):
    """(label, strategy, keyword arguments) for every strategy: each with a sample of shoppers,
    products, carts or queries, plain and with filters."""
    position = {p.pk: i for i, p in enumerate(products)}
    sample_shoppers = [*shoppers[::4], "s:nobody", None]
    sample_products = [p.pk for p in products[::6]]
    narrow = Filters(category_ids=(categories[1].pk,), max_price=Decimal(40))
    branded = Filters(brand_ids=(brands[2].pk,), include_out_of_stock=True)
    for name in strategy_names():
        variants: list[tuple[str, dict]] = []
        if name == "search":
            variants += [(f"q={q}", {"query": q}) for q in QUERIES]
            variants += [(f"q={q} narrow", {"query": q, "filters": narrow}) for q in QUERIES[:2]]
        elif name in ("similar", "fbt"):
            variants += [(f"p={position[pk]}", {"product_id": pk}) for pk in sample_products]
            variants += [
                (f"p={position[pk]} branded", {"product_id": pk, "filters": branded})
                for pk in sample_products[:3]
            ]
            if name == "fbt":
                basket = tuple(p.pk for p in products[1:4])
                variants.append(("basket 1-3", {"basket_ids": basket, "shopper": shoppers[1]}))
        else:
            variants += [(f"s={key}", {"shopper": key}) for key in sample_shoppers]
            variants += [
                (f"s={key} narrow", {"shopper": key, "filters": narrow})
                for key in sample_shoppers[:4]
            ]
            variants.append(
                (
                    "s=1 excluding",
                    {"shopper": shoppers[1], "exclude_ids": [p.pk for p in products[:8]]},
                )
            )
        for label, kwargs in variants:
            yield f"{name} {label}", name, kwargs


def results_read(products, shoppers, categories, brands) -> dict[str, list]:
    """Per request: [creation position, score to 4 places, the reason's signal] best first."""
    position = {p.pk: i for i, p in enumerate(products)}
    found = {}
    for label, name, kwargs in requests(products, shoppers, categories, brands):
        served = selectors.recommend(name, k=8, **kwargs)
        found[label] = [
            [position[r.product.pk], round(r.score, 4), r.basis.signal if r.basis else ""]
            for r in served
        ]
    return found


def test_every_strategy_serves_what_it_served_before_the_speed_work(world):
    found = results_read(*world)
    if os.environ.get("RECORD_STRATEGY_RESULTS"):
        lines = [f"{json.dumps(label)}: {json.dumps(rows)}" for label, rows in found.items()]
        RECORD.write_text("{\n" + ",\n".join(lines) + "\n}\n")
    recorded = json.loads(RECORD.read_text())
    assert set(found) == set(recorded)
    # Most requests find something: a record of empty lists would prove nothing.
    assert sum(bool(rows) for rows in recorded.values()) > 0.8 * len(recorded)
    assert set(strategy_names()) <= {label.split()[0] for label, rows in recorded.items() if rows}
    changed = [
        f"{label}\n  was {recorded[label]}\n  now {rows}"
        for label, rows in found.items()
        if not rows_match(recorded[label], rows)
    ]
    assert not changed, "\n".join(changed)


def rows_match(recorded: list, found: list) -> bool:
    """Same length, each place's score within SCORE_TOLERANCE, and the same product in each
    place unless the one found there was recorded with (nearly) that place's score."""
    if len(recorded) != len(found):
        return False
    recorded_score = {position: score for position, score, _ in recorded}
    for (was, was_score, was_signal), (now, now_score, now_signal) in zip(
        recorded, found, strict=True
    ):
        if abs(now_score - was_score) > SCORE_TOLERANCE:
            return False
        if now == was and now_signal != was_signal:
            return False
        if now != was and abs(recorded_score.get(now, now_score) - was_score) > SCORE_TOLERANCE:
            return False
    return True
