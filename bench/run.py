"""The benchmark from start to end; imported only once Django is set up."""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import asdict
from typing import Any

from recommendations.factories import get_encoder
from recommendations.models import ProductEmbedding, SequentialItem
from recommendations.ranking import Filters
from shop.infra.embedded_redis import ensure_configured
from shop.store.models import Product

from .catalog import (
    active_product_ids,
    brand_near_share,
    catalog_ensure,
    database_check,
    database_migrate,
    filter_share,
    product_ids,
)
from .demo import demo_latency
from .environment import environment_describe
from .geometry import geometry_compare
from .hnsw import hnsw_index_ensure, tables_settle
from .latency import Latency, for_you_cases, latency_measure, sequential_cases, similar_cases
from .page import page_queries, product_page_url
from .progress import log
from .recall import Recall, bare_search, recall_measure, selector_search
from .sequential import SequenceVersion, sequence_model_ensure, sequence_served
from .shoppers import Shopper, shoppers_create
from .targets import (
    demo_target,
    latency_targets,
    page_target,
    recall_targets,
    throughput_target,
    under_load_target,
)
from .throughput import throughput_measure
from .under_load import endpoint_targets, under_load_measure
from .vectors import origins_note, real_fill, real_seed, synthetic_fill, vector_origins

# The share of the catalog the filtered recall searches are restricted to.
FILTER_SHARE = 0.01


def bench_run(options: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    rng = random.Random(options.seed)
    database_check()
    # Process caches keep nothing while the shared cache is down: measure with it up, as served.
    ensure_configured()
    database_migrate()
    catalog_ensure(options.products)
    model_name = get_encoder().name

    throughput = None
    if options.full:
        # Writes real vectors, which the synthetic ones may then be derived from.
        sample = rng.sample(product_ids(), options.throughput_sample)
        throughput = throughput_measure(sorted(sample))
    if options.full_embed:
        real_fill()
    real_seed(options.embed_sample, rng)
    synthetic_fill(model_name=model_name, seed=options.seed)
    hnsw_index_ensure(ProductEmbedding)
    # Before any latency row: once a version is active, for-you blends the sequence model too.
    sequence = sequence_model_ensure(seed=options.seed)
    hnsw_index_ensure(SequentialItem)
    log("hnsw: vacuum and analyze")
    tables_settle(ProductEmbedding, Product, SequentialItem)
    origins = vector_origins()

    queried = rng.sample(active_product_ids(), options.queries)
    shoppers = shoppers_create(len(queried), active_product_ids(), rng)
    latency = latency_all(queried, shoppers, options.k, rng, sequence)
    log("demo data: for-you in process, in a child process on the bench_demo database")
    demo = demo_latency(k=options.k, seed=options.seed)
    page_urls = [product_page_url(pk) for pk in queried]
    page = page_queries(shoppers[0], page_urls[0])
    under_load = under_load_measure(endpoint_targets(shoppers, queried, page_urls, options.k))
    recall = recall_all(queried, options.k, rng) if options.full else []

    targets = [
        *latency_targets(latency),
        demo_target(demo),
        page_target(page, latency),
        under_load_target(under_load),
        *([throughput_target(throughput)] if throughput else []),
        *recall_targets(recall, k=options.k),
    ]
    return {
        "options": vars(options),
        "environment": environment_describe(),
        "vectors": {
            **asdict(origins),
            "method": origins_note(origins, model_name),
            "geometry": [asdict(row) for row in geometry_compare(rng)],
        },
        "sequential": asdict(sequence),
        "throughput": asdict(throughput) if throughput else None,
        "latency": [asdict(row) for row in latency],
        "demo_latency": [asdict(row) for row in demo],
        "page": asdict(page),
        "under_load": [asdict(row) for row in under_load],
        "recall": [asdict(row) for row in recall],
        "targets": [asdict(t) for t in targets],
        "seconds": round(time.perf_counter() - started, 1),
    }


def latency_all(
    queried: list[int],
    shoppers: list[Shopper],
    k: int,
    rng: random.Random,
    sequence: SequenceVersion,
) -> list[Latency]:
    log(f"latency: {len(queried)} products and {len(shoppers)} shoppers")
    served = sequence_served(sequence.version)
    return [
        *latency_measure("similar", similar_cases(queried, k), rng),
        *latency_measure("for-you", for_you_cases(shoppers, k), rng),
        *latency_measure(
            "sequential",
            sequential_cases(shoppers, k, served=served, version=sequence.version),
            rng,
        ),
    ]


def recall_all(queried: list[int], k: int, rng: random.Random) -> list[Recall]:
    log(f"recall: {len(queried)} query products, four searches")
    brand = brand_near_share(FILTER_SHARE)
    by_brand = Filters(brand_ids=(brand.pk,))
    own = active_product_ids(brand=brand)
    own = rng.sample(own, min(len(queried), len(own)))
    return [
        recall_measure("bare SQL, no filter", bare_search(queried, k), queried, filter_share=1.0),
        recall_measure(
            "selector, available products",
            selector_search(k, Filters()),
            queried,
            filter_share=filter_share(Filters()),
        ),
        # A filter unrelated to the query product: its nearest matches are far away.
        recall_measure(
            f"selector, brand {brand.name}, random products",
            selector_search(k, by_brand),
            queried,
            filter_share=filter_share(by_brand),
        ),
        # "More from this brand": the matches are near the query product.
        recall_measure(
            f"selector, brand {brand.name}, its own products",
            selector_search(k, by_brand),
            own,
            filter_share=filter_share(by_brand),
        ),
    ]
