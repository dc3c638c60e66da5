"""Product vectors for the products the real model did not embed.

Embedding 100,000 products with the real model takes most of an hour on two cores, so by default
only a sample (`--embed-sample`, kept between runs) is embedded for real and every other product
gets a *synthetic* vector: a random mix of the real vectors of two really-embedded products of its
category, plus Gaussian noise, normalised. Mixing fills the space between real products rather
than piling copies of each one around it (tight clusters of near-duplicates are a known hard case
for HNSW that real catalogs do not have to this degree).
Synthetic rows carry SYNTHETIC_HASH as their content hash, so they are labelled in the table
itself, the pipeline re-embeds them like any changed product, and a change of NOISE_SIGMA
replaces them on the next run.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from recommendations.embeddings.base import normalise
from recommendations.models import ProductEmbedding
from recommendations.services.embeddings import products_embed
from shop.store.models import Product

from .hnsw import hnsw_index_dropped
from .progress import bar, log

# Per dimension (noise of length 0.39 on a unit vector). Chosen so that synthetic vectors are
# about as similar within a category, across categories and to their nearest neighbour as real
# ones (the report compares both); 0.05 halves every similarity and doubles the dimensions the
# vectors spread over, unlike any real catalog.
NOISE_SIGMA = 0.02
SYNTHETIC = "synthetic"
SYNTHETIC_HASH = f"{SYNTHETIC} mix of 2, sigma={NOISE_SIGMA}"
IS_SYNTHETIC = Q(content_hash__startswith=SYNTHETIC)


@dataclass(frozen=True)
class VectorOrigins:
    real: int
    synthetic: int


def vector_origins() -> VectorOrigins:
    counts = ProductEmbedding.objects.filter(vector__isnull=False).aggregate(
        real=Count("pk", filter=~IS_SYNTHETIC), synthetic=Count("pk", filter=IS_SYNTHETIC)
    )
    return VectorOrigins(real=counts["real"], synthetic=counts["synthetic"])


def origins_note(origins: VectorOrigins, model_name: str) -> str:
    total = origins.real + origins.synthetic
    if not origins.synthetic:
        return f"all {total:,} product vectors come from the real model ({model_name})."
    return (
        f"{origins.synthetic:,} of {total:,} product vectors are SYNTHETIC; {origins.real:,} "
        f"come from the real model ({model_name}). A synthetic vector is a random mix of the "
        f"real vectors of two products of its category plus Gaussian noise (sigma "
        f"{NOISE_SIGMA} per dimension), normalised, bulk-loaded with COPY. Latency and "
        f"recall are measured on this catalog; --full-embed embeds every product for real "
        f"(about 50 minutes per 100,000 products on 2 cores)."
    )


def real_seed(count: int, rng: random.Random) -> int:
    """At least `count` real vectors for the synthetic ones to be mixed from: embedded once per
    catalog and kept, so later runs skip the model entirely."""
    missing = count - vector_origins().real
    if missing <= 0:
        return 0
    candidates = list(
        Product.objects.exclude(
            recommendation_embedding__in=ProductEmbedding.objects.filter(
                vector__isnull=False
            ).exclude(IS_SYNTHETIC)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    product_ids = sorted(rng.sample(candidates, min(missing, len(candidates))))
    log(f"vectors: embedding {len(product_ids)} sample products with the real model")
    with bar(len(product_ids), "real vectors") as progress:
        products_embed(product_ids, progress=progress.update)
    return len(product_ids)


def real_fill() -> int:
    """--full-embed: the real model for every product that has no real vector yet."""
    product_ids = list(
        Product.objects.filter(
            Q(recommendation_embedding=None)
            | Q(recommendation_embedding__vector=None)
            | Q(recommendation_embedding__content_hash__startswith=SYNTHETIC)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if product_ids:
        log(f"vectors: embedding {len(product_ids)} products with the real model")
        with bar(len(product_ids), "real vectors") as progress:
            products_embed(product_ids, progress=progress.update)
    return len(product_ids)


def synthetic_fill(*, model_name: str, seed: int) -> int:
    """A synthetic vector for every product with none, or with one of another NOISE_SIGMA."""
    outdated = ProductEmbedding.objects.filter(
        Q(vector=None) | (IS_SYNTHETIC & ~Q(content_hash=SYNTHETIC_HASH))
    )
    targets = list(
        Product.objects.filter(
            Q(recommendation_embedding=None) | Q(recommendation_embedding__in=outdated)
        )
        .order_by("pk")
        .values_list("pk", "category_id")
    )
    if not targets:
        return 0
    real = list(
        ProductEmbedding.objects.filter(vector__isnull=False)
        .exclude(IS_SYNTHETIC)
        .values_list("product__category_id", "vector")
    )
    if not real:
        raise RuntimeError("no real product vectors to derive synthetic ones from")
    log(f"vectors: deriving {len(targets)} synthetic vectors from {len(real)} real ones")
    vectors = synthetic_vectors(
        [category_id for _, category_id in targets], real, np.random.default_rng(seed)
    )
    with hnsw_index_dropped(ProductEmbedding), transaction.atomic():
        outdated.delete()
        rows_copy([pk for pk, _ in targets], vectors, model_name=model_name)
    return len(targets)


def synthetic_vectors(
    categories: list[int], real: list[tuple[int, np.ndarray]], rng: np.random.Generator
) -> np.ndarray:
    """One vector per entry of `categories`, mixed from real ones of that category (or any)."""
    pools: dict[int, list[int]] = defaultdict(list)
    for row, (category_id, _) in enumerate(real):
        pools[category_id].append(row)
    wanted: dict[int, list[int]] = defaultdict(list)
    for position, category_id in enumerate(categories):
        wanted[category_id].append(position)
    picks = np.empty((len(categories), 2), dtype=int)
    for category_id, positions in wanted.items():
        pool = pools.get(category_id) or range(len(real))
        picks[positions] = rng.choice(pool, size=(len(positions), 2))
    bases = np.stack([vector for _, vector in real])
    weight = rng.uniform(0.0, 1.0, size=(len(categories), 1))
    mixed = weight * bases[picks[:, 0]] + (1.0 - weight) * bases[picks[:, 1]]
    return normalise(mixed + rng.normal(0.0, NOISE_SIGMA, size=mixed.shape))


def vector_text(vector: np.ndarray) -> str:
    """pgvector's text form; six decimals are finer than the model's own precision."""
    return "[" + ",".join(map(str, np.round(vector, 6).tolist())) + "]"


def rows_copy(product_ids: list[int], vectors: np.ndarray, *, model_name: str) -> None:
    """COPY is several times faster than INSERT for 100,000 rows of 384 numbers."""
    now = timezone.now()
    table = connection.ops.quote_name(ProductEmbedding._meta.db_table)
    columns = "product_id, vector, model_name, content_hash, stale, embedded_at, marked_at"
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for pk, vector in zip(product_ids, vectors, strict=True):
            copy.write_row((pk, vector_text(vector), model_name, SYNTHETIC_HASH, False, now, now))
