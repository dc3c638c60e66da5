"""`python -m bench.demo`: for-you in process on demo-size data, for the p99 target.

The target is set for the demo shop (`seed_demo`'s defaults: its products, its shoppers with their
own histories), not the 100,000-product bench catalog, so it runs on a database of its own
(``bench_demo``, kept between runs) in a process of its own: the settings name one database.
The rows go to stdout as JSON for the bench to read; progress to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING

from .__main__ import at_least, django_setup

if TYPE_CHECKING:
    from .latency import Latency

DEMO_EMBED_SAMPLE = 200
# Shoppers measured, each asked ROUNDS times: a p99 needs a few hundred calls, and a shopper's
# vector is computed once per bench database (seconds each, for now).
DEMO_SHOPPERS = 100
ROUNDS = 3


def demo_measure(*, k: int, seed: int) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from recommendations.factories import get_encoder
    from recommendations.models import Interaction, ProductEmbedding, ShopperEmbedding
    from recommendations.services.shoppers import shopper_vector_update
    from shop.demo import demo_history_load
    from shop.store.demo.service import DEFAULT_PRODUCTS, DEFAULT_USERS
    from shop.store.models import Product

    from .catalog import catalog_ensure, database_check, database_migrate
    from .hnsw import hnsw_index_ensure, tables_settle
    from .latency import FLOOR, api_probe, floor_probe, latency_measure
    from .progress import log
    from .vectors import real_seed, synthetic_fill

    rng = random.Random(seed)
    database_check()
    database_migrate()
    catalog_ensure(DEFAULT_PRODUCTS, users=DEFAULT_USERS)
    # As `rundemo` does, less training: no model version, so no learned signal is blended.
    demo_history_load()
    real_seed(DEMO_EMBED_SAMPLE, rng)
    synthetic_fill(model_name=get_encoder().name, seed=seed)
    hnsw_index_ensure(ProductEmbedding)

    active = Interaction.objects.filter(shopper__startswith="u:").values_list("shopper")
    keys = sorted({key for (key,) in active})[:DEMO_SHOPPERS]
    has_vector = set(
        ShopperEmbedding.objects.filter(shopper__in=keys, vector__isnull=False).values_list(
            "shopper", flat=True
        )
    )
    missing = [key for key in keys if key not in has_vector]
    if missing:
        log(f"demo: computing {len(missing)} shopper vectors")
    for key in missing:
        shopper_vector_update(key)
    tables_settle(ProductEmbedding, Product, Interaction, ShopperEmbedding)

    url = reverse("recommendations_api:for-you")
    cases = []
    for user in get_user_model().objects.filter(pk__in=[int(key[2:]) for key in keys]):
        client = Client()
        client.force_login(user)
        cases.append({"HTTP API": api_probe(client, url, {"k": k}), FLOOR: floor_probe(client)})
    rows = latency_measure("for-you, demo", cases * ROUNDS, rng)
    return [asdict(row) for row in rows]


def demo_latency(*, k: int, seed: int) -> list[Latency]:
    """Run in a child process, from the bench's own process."""
    from .catalog import BenchError
    from .latency import Latency

    command = [sys.executable, "-m", "bench.demo", f"--k={k}", f"--seed={seed}"]
    child = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    if child.returncode:
        raise BenchError(f"python -m bench.demo failed with status {child.returncode} (see above)")
    return [Latency(**row) for row in json.loads(child.stdout)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.demo",
        description="For-you in process on demo data (database bench_demo); `python -m bench` "
        "runs it. The rows go to stdout as JSON.",
    )
    parser.add_argument("--k", type=at_least(1), default=10, help="results per call (10)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (42)")
    options = parser.parse_args(argv)
    os.environ["SHOP_DB_NAME"] = "bench_demo"
    django_setup()
    print(json.dumps(demo_measure(k=options.k, seed=options.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
