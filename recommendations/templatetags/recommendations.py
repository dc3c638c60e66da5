"""Widgets a shop drops into its templates: similar products, for you, "describe what you want".

Every widget renders nothing when the engine has nothing to show, and an engine failure (database
error, bad input) is logged, not raised: a product page must never break because of the engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django import template
from django.db import DatabaseError, models, transaction

from .. import selectors
from ..factories import get_adapter
from ..ranking import Recommendation
from ..shoppers import shopper_key_for_request

logger = logging.getLogger(__name__)
register = template.Library()

QUERY_MAX_LENGTH = 500
DESCRIBE_PLACEHOLDER = "a gift for a runner under 50 EUR"


def read_or_empty(read: Callable[..., list], *args: Any, **kwargs: Any) -> list:
    """The read's list, or [] after a warning; a savepoint keeps the page's transaction usable."""
    try:
        with transaction.atomic():
            return read(*args, **kwargs)
    except (DatabaseError, ValueError):
        logger.warning("Recommendations: %s failed, showing nothing", read.__name__, exc_info=True)
        return []


def recommendation_cards(recommendations: Iterable[Recommendation]) -> list[dict[str, Any]]:
    """What a card shows: the adapter's summary, and how the product was ranked."""
    adapter = get_adapter()
    return [
        {
            **adapter.summary(r.product),
            "score": r.score,
            "strategy": r.strategy,
            "details": r.details,
        }
        for r in recommendations
    ]


@register.inclusion_tag("recommendations/similar_products.html")
def similar_products(product: models.Model | int | None, k: int = 6) -> dict[str, Any]:
    """``{% similar_products product k=6 %}``: a product instance or its id."""
    product_id = getattr(product, "pk", product)
    if product_id is None:
        return {"cards": []}
    found = read_or_empty(selectors.similar_products, product_id, k=k)
    return {"cards": recommendation_cards(found)}


@register.inclusion_tag("recommendations/for_you.html", takes_context=True)
def recommended_for_you(context: template.Context, k: int = 8) -> dict[str, Any]:
    """``{% recommended_for_you k=8 %}``: the visitor's picks, or popular ones for a newcomer."""
    request = context.get("request")
    shopper = shopper_key_for_request(request) if request is not None else None
    found = read_or_empty(selectors.for_you, shopper, k=k)
    return {"cards": recommendation_cards(found)}


@register.inclusion_tag("recommendations/describe_box.html")
def describe_what_you_want(query: str = "") -> dict[str, Any]:
    """``{% describe_what_you_want %}``: a search form for requests in plain words."""
    return {
        "query": query,
        "max_length": QUERY_MAX_LENGTH,
        "placeholder": DESCRIBE_PLACEHOLDER,
    }
