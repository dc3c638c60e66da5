"""Merchandising rules of a placement: pins first, bans never, diversity caps, no repurchases.

Strategies know nothing of placements; these rules wrap whatever a strategy returns, so every
strategy, present or future, obeys them the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import models

from ..factories import get_adapter
from ..models import Interaction, Placement
from ..ranking import Recommendation

# The strategy name of pinned cards; they have no score of their own and get 1.0.
PINNED = "pinned"
# Candidates asked of the strategy per card when caps may skip some, so k usually remain.
CAP_OVERFETCH = 3


def pinned_products(pin_ids: Iterable[int], *, exclude: set[int]) -> list[models.Model]:
    """The pins in position order, leaving out excluded ones and those a shopper can't buy now;
    no query when nothing is pinned."""
    wanted = [pk for pk in pin_ids if pk not in exclude]
    if not wanted:
        return []
    adapter = get_adapter()
    products = adapter.queryset().filter(adapter.available_q()).in_bulk(wanted)
    return [products[pk] for pk in wanted if pk in products]


def purchased_ids(shopper: str | None) -> set[int]:
    if not shopper:
        return set()
    return set(
        Interaction.objects.filter(
            shopper=shopper, kind=Interaction.Kind.PURCHASE, product__isnull=False
        ).values_list("product_id", flat=True)
    )


def candidates_wanted(placement: Placement, k: int) -> int:
    """How many products to ask the strategy for, so that k usually survive the caps."""
    capped = placement.max_per_brand is not None or placement.max_per_category is not None
    return k * CAP_OVERFETCH if capped else k


def results_merge(
    pins: Iterable[models.Model],
    candidates: Iterable[Recommendation],
    *,
    k: int,
    exclude_ids: set[int],
    max_per_brand: int | None = None,
    max_per_category: int | None = None,
) -> list[Recommendation]:
    """Pins, then candidates, in order: none excluded or repeated, none over a cap; at most k.

    Exclusions (bans, the current product, purchases) apply to pins too. Pins count towards the
    caps but are never skipped for them: a merchandiser chose them.
    """
    adapter = get_adapter()
    caps = {
        f"{field}_id": cap
        for field, cap in (
            (adapter.brand_field, max_per_brand),
            (adapter.category_field, max_per_category),
        )
        if field and cap is not None
    }
    counts: Counter[tuple[str, object]] = Counter()
    seen = set(exclude_ids)
    merged: list[Recommendation] = []
    pinned = [Recommendation(product=p, score=1.0, strategy=PINNED) for p in pins]
    for recommendation in [*pinned, *candidates]:
        if len(merged) == k:
            break
        product = recommendation.product
        if product.pk in seen:
            continue
        groups = [
            (attname, value)
            for attname in caps
            if (value := getattr(product, attname, None)) is not None
        ]
        if recommendation.strategy != PINNED and any(counts[g] >= caps[g[0]] for g in groups):
            continue
        seen.add(product.pk)
        counts.update(groups)
        merged.append(recommendation)
    return merged
