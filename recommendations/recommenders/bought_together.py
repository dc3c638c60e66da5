"""Frequently bought together: products bought by one shopper within BASKET_HOURS.

A product nobody has bought with anything yet gets products of the categories that baskets
show go with its own (category pairs bought together more often than chance; for a category
too rare to tell, its department's), never more of its own category: those are substitutes,
which "similar products" shows already.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations, groupby
from operator import itemgetter

import scipy.sparse as sp
from django.core.cache import cache
from django.db import models
from django.db.models import F, FloatField, OuterRef, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from ..conf import app_settings
from ..factories import get_adapter
from ..models import Interaction, ItemNeighbour, ItemPopularity
from ..product_rows import products_read
from ..shoppers import SIMULATED_PREFIX
from .dataset import InteractionData
from .neighbours import ItemNeighbourRecommender
from .similarity import basket_matrix, cosine_neighbours

# Category pairs seen together in fewer baskets than this are chance, not a pattern.
COMPLEMENT_MIN_BASKETS = 2
# Complements are recomputed at most this often per model version (they change slowly).
COMPLEMENT_CACHE_SECONDS = 600


def baskets(purchases: list[list[tuple[datetime, int]]]) -> list[list[int]]:
    """Each shopper's purchases within BASKET_HOURS of the basket's first purchase."""
    window = timedelta(hours=app_settings.BASKET_HOURS)
    done: list[list[int]] = []
    for bought in purchases:
        started, items = None, []
        for created_at, column in bought:
            if items and created_at - started > window:
                done.append(items)
                items = []
            if not items:
                started = created_at
            items.append(column)
        done.append(items)
    return [items for items in done if len(items) > 1]


class BoughtTogetherRecommender(ItemNeighbourRecommender):
    """Not a signal of "for you" by default: it answers "what goes with this", for carts."""

    kind = ItemNeighbour.Kind.BOUGHT_TOGETHER

    def fit(self, data: InteractionData) -> sp.csr_matrix:
        rows = basket_matrix(baskets(data.purchases), len(data.product_ids))
        return cosine_neighbours(rows, shrink=1.0, top_n=app_settings.CF_NEIGHBOURS)


@dataclass(frozen=True)
class Complements:
    """Category → other categories bought with it more often than chance, with the lift; the
    same between top-level categories (departments), for a category too rare to say; and each
    category's department."""

    categories: dict[int, dict[int, float]]
    departments: dict[int, dict[int, float]]
    department_of: dict[int, int]

    def of(self, own: set[int]) -> dict[int, float]:
        """Complementary categories of `own` (none of them), by lift: those learned for the
        categories themselves, else every category of the complementary departments."""
        lifts: Counter[int] = Counter()
        for category in own:
            lifts.update(self.categories.get(category, {}))
        if not lifts:
            departments: Counter[int] = Counter()
            for department in {self.department_of.get(c, c) for c in own}:
                departments.update(self.departments.get(department, {}))
            lifts.update(
                {c: departments[d] for c, d in self.department_of.items() if d in departments}
            )
        return {category: lift for category, lift in lifts.items() if category not in own}


def category_complements(*, version: int | None) -> Complements:
    """Lift is P(both in a basket) / (P(one) × P(other)) over every basket of two or more
    purchases. The tables are small (categories squared) and cached per model version."""
    key = f"recommendations:category-complements:{version}"
    found = cache.get(key)
    if found is None:
        found = _complements_learn()
        cache.set(key, found, COMPLEMENT_CACHE_SECONDS)
    return found


def _departments() -> dict[int, int]:
    adapter = get_adapter()
    parent_field = adapter.category_parent_field
    model = adapter.category_model()
    if not parent_field:
        return {pk: pk for pk in model._default_manager.values_list("pk", flat=True)}
    parents = dict(model._default_manager.values_list("pk", f"{parent_field}_id"))
    departments = {}
    for category in parents:
        top, seen = category, {category}
        while parents.get(top) is not None and parents[top] not in seen:
            top = parents[top]
            seen.add(top)
        departments[category] = top
    return departments


def _complements_learn() -> Complements:
    adapter = get_adapter()
    if not adapter.category_field:
        return Complements({}, {}, {})
    rows = (
        Interaction.objects.filter(kind=Interaction.Kind.PURCHASE, product__isnull=False)
        .exclude(shopper__startswith=SIMULATED_PREFIX)
        .order_by("shopper", "created_at", "pk")
        .values_list("shopper", "created_at", f"product__{adapter.category_field}")
    )
    purchases = [
        [(created_at, category) for _, created_at, category in bought if category is not None]
        for _, bought in groupby(rows.iterator(chunk_size=10000), key=itemgetter(0))
    ]
    found = [set(items) for items in baskets(purchases)]
    department_of = _departments()
    return Complements(
        categories=_lifts(found),
        departments=_lifts([{department_of.get(c, c) for c in basket} for basket in found]),
        department_of=department_of,
    )


def _lifts(found: list[set[int]]) -> dict[int, dict[int, float]]:
    single: Counter[int] = Counter()
    pairs: Counter[tuple[int, int]] = Counter()
    for groups in found:
        single.update(groups)
        pairs.update(combinations(sorted(groups), 2))
    lifts: dict[int, dict[int, float]] = {}
    for (a, b), both in pairs.items():
        lift = both * len(found) / (single[a] * single[b])
        if both >= COMPLEMENT_MIN_BASKETS and lift > 1.0:
            lifts.setdefault(a, {})[b] = lift
            lifts.setdefault(b, {})[a] = lift
    return lifts


def complementary_products(
    items: list[int], allowed: models.QuerySet, *, version: int | None, n: int
) -> dict[int, float]:
    """Products of the categories complementary to the items' own, taken in turn (the best
    category's first product, the next category's first, ...), each category's most popular
    first; none of the items' own categories. Empty without basket data."""
    adapter = get_adapter()
    if not items or not adapter.category_field:
        return {}
    category = f"{adapter.category_field}_id"
    own = {getattr(row, category) for row in products_read(items).values()}
    lifts = category_complements(version=version).of(own)
    if not lifts:
        return {}
    popularity = ItemPopularity.objects.filter(model_id=version, product_id=OuterRef("pk"))
    ranked = (
        allowed.filter(**{f"{category}__in": list(lifts)})
        .annotate(
            popularity=Coalesce(
                Subquery(popularity.values("score")[:1]), Value(0.0), output_field=FloatField()
            ),
            place=Window(
                RowNumber(), partition_by=F(category), order_by=[F("popularity").desc(), "pk"]
            ),
        )
        .filter(place__lte=n)
        .values_list("pk", category, "place")
    )
    order = sorted(ranked, key=lambda row: (row[2], -lifts[row[1]], row[0]))[:n]
    # Scores in (0, 1] that keep this order: below anything actually bought together.
    return {pk: 1.0 - i / len(order) for i, (pk, _, _) in enumerate(order)}
