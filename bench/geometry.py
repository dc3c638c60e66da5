"""How close synthetic vectors come to real ones, in the similarities that HNSW search sees.

Both kinds are compared on random samples of the same size, since how near the nearest
neighbour is depends on how many vectors there are.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from recommendations.models import ProductEmbedding

from .vectors import IS_SYNTHETIC

SAMPLE = 2000


@dataclass(frozen=True)
class Geometry:
    vectors: str
    sampled: int
    # Mean cosine similarity of pairs in one category, in different ones, and of each vector
    # to its nearest and tenth-nearest neighbour in the sample.
    same_category: float
    other_category: float
    nearest: float
    tenth_nearest: float


def geometry_compare(rng: random.Random) -> list[Geometry]:
    """Real against synthetic vectors; nothing when the catalog has only one kind."""
    kinds = {"real": ~IS_SYNTHETIC, "synthetic": IS_SYNTHETIC}
    ids = {
        name: list(
            ProductEmbedding.objects.filter(condition, vector__isnull=False).values_list(
                "product_id", flat=True
            )
        )
        for name, condition in kinds.items()
    }
    size = min(SAMPLE, *map(len, ids.values()))
    if size < 11:
        return []
    return [geometry_measure(name, rng.sample(pks, size)) for name, pks in ids.items()]


def geometry_measure(name: str, product_ids: list[int]) -> Geometry:
    rows = ProductEmbedding.objects.filter(product_id__in=product_ids).values_list(
        "product__category_id", "vector"
    )
    categories = np.array([category_id for category_id, _ in rows])
    vectors = np.stack([vector for _, vector in rows])
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, np.nan)
    same = categories[:, None] == categories[None, :]
    ranked = np.sort(np.nan_to_num(similarity, nan=-2.0), axis=1)
    return Geometry(
        vectors=name,
        sampled=len(product_ids),
        same_category=round(float(np.nanmean(similarity[same])), 3),
        other_category=round(float(np.nanmean(similarity[~same])), 3),
        nearest=round(float(ranked[:, -1].mean()), 3),
        tenth_nearest=round(float(ranked[:, -10].mean()), 3),
    )
