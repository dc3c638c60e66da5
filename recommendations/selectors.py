"""Reads: what widgets, the API and the admin ask the engine. Views call these and nothing else."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Count, Q

from .conf import app_settings
from .factories import get_adapter, get_encoder
from .models import EmbeddingState, ProductEmbedding, ShopperEmbedding
from .prepared import prepared
from .privacy import strategy_personal
from .ranking import Filters, Recommendation, RecommendationRequest, get_strategy
from .reasons.collect import evidence_attach


def k_clamp(k: int | None) -> int:
    if k is None:
        return app_settings.DEFAULT_K
    return max(1, min(int(k), app_settings.MAX_K))


def recommend(
    strategy: str,
    *,
    k: int | None = None,
    shopper: str | None = None,
    product_id: int | None = None,
    basket_ids: Iterable[int] = (),
    query: str | None = None,
    filters: Filters | None = None,
    exclude_ids: Iterable[int] = (),
    exclude_purchased: bool | None = None,
    explained: bool = True,
    choice_applied: bool = False,
) -> list[Recommendation]:
    """Run the named strategy; raises `UnknownStrategy` (a ValueError) for a bad name.

    `explained`: each result carries its evidence (a few queries for the whole list); a caller
    that trims or merges the list first says False and explains the final one itself. A shopper
    who switched personalisation off is served as nobody in particular (`choice_applied`: the
    caller, a placement, has served them so already)."""
    if not choice_applied:
        strategy, shopper = strategy_personal(strategy, shopper)
    request = RecommendationRequest(
        k=k_clamp(k),
        shopper=shopper,
        product_id=product_id,
        basket_ids=tuple(basket_ids),
        query=query,
        filters=filters or Filters(),
        exclude_ids=frozenset(exclude_ids),
        exclude_purchased=exclude_purchased,
    )
    results = get_strategy(strategy).recommend(request)
    if explained:
        evidence_attach(results, shopper=shopper)
    return results


def similar_products(product_id: int, *, k: int | None = None, **kwargs) -> list[Recommendation]:
    return recommend("similar", product_id=product_id, k=k, **kwargs)


def for_you(shopper: str | None, *, k: int | None = None, **kwargs) -> list[Recommendation]:
    return recommend("for_you", shopper=shopper, k=k, **kwargs)


def search_products(query: str, *, k: int | None = None, **kwargs) -> list[Recommendation]:
    return recommend("search", query=query, k=k, **kwargs)


def search_constraints(query: str, filters: Filters | None = None) -> dict:
    """The hard constraints a search applies, also when it finds nothing."""
    from .ranking.search import search_constraints as constraints
    from .ranking.search import search_filters

    combined, parsed = search_filters(query, filters or Filters())
    return constraints(combined, parsed)


def products_active():
    """The host's products that the shop shows, for listings outside any strategy."""
    adapter = get_adapter()
    return adapter.queryset().filter(adapter.active_q())


# The largest id a bigint column holds.
ID_MAX = 2**63 - 1


def product_shown(pk: object) -> models.Model | None:
    """The product the shop shows with this id; None for another id or none at all. Every
    product page asks, so compiled once (see `prepared.py`)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk <= ID_MAX:
        return None
    query = prepared(
        "product_shown",
        lambda slots: products_active().filter(pk=slots.integer("product")),
    )
    found = query.objects(product=pk)
    return found[0] if found else None


def embedding_states(product_ids: Iterable[int]) -> dict[int, EmbeddingState]:
    """State of each product's vector; a product with no row is missing."""
    ids = list(product_ids)
    model_name = get_encoder().name
    rows = ProductEmbedding.objects.filter(product_id__in=ids).only(
        "product_id", "vector", "stale", "model_name"
    )
    states = {row.product_id: row.state(model_name) for row in rows}
    return {pk: states.get(pk, EmbeddingState.MISSING) for pk in ids}


def embedding_state_counts() -> dict[str, int]:
    """Fresh, stale and missing counts over the whole catalog, for the admin."""
    model_name = get_encoder().name
    has_vector = Q(vector__isnull=False)
    counts = ProductEmbedding.objects.aggregate(
        fresh=Count("pk", filter=has_vector & Q(stale=False, model_name=model_name)),
        stale=Count("pk", filter=has_vector & (Q(stale=True) | ~Q(model_name=model_name))),
    )
    counts["missing"] = get_adapter().model._default_manager.count() - sum(counts.values())
    return counts


def shopper_has_vector(shopper: str) -> bool:
    return ShopperEmbedding.objects.filter(shopper=shopper, vector__isnull=False).exists()
