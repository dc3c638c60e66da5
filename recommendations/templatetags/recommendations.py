"""Widgets a shop drops into its templates: similar products, for you, "describe what you want".

Every widget renders nothing when the engine has nothing to show, and an engine failure (database
error, bad input) is logged, not raised: a product page must never break because of the engine.
Like placements, a widget leaves out what the page has shown already (`placements.page`).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from .. import selectors
from ..placements.page import page_shown_add, page_shown_ids
from ..presentation import (
    DESCRIBE_PLACEHOLDER,
    QUERY_MAX_LENGTH,
    read_or_empty,
    recommendation_cards,
)
from ..product_rows import products_known
from ..shoppers import shopper_key_for_request

register = template.Library()


@register.inclusion_tag("recommendations/similar_products.html", takes_context=True)
def similar_products(
    context: template.Context, product: models.Model | int | None, k: int = 6
) -> dict[str, Any]:
    """``{% similar_products product k=6 %}``: a product instance or its id."""
    product_id = getattr(product, "pk", product)
    if product_id is None:
        return {"cards": []}
    request = context.get("request")
    products_known([product])
    found = read_or_empty(
        selectors.similar_products, product_id, k=k, exclude_ids=page_shown_ids(request)
    )
    page_shown_add(request, (r.product for r in found))
    return {"cards": recommendation_cards(found)}


@register.inclusion_tag("recommendations/for_you.html", takes_context=True)
def recommended_for_you(context: template.Context, k: int = 8) -> dict[str, Any]:
    """``{% recommended_for_you k=8 %}``: the visitor's picks, or popular ones for a newcomer."""
    request = context.get("request")
    shopper = shopper_key_for_request(request) if request is not None else None
    found = read_or_empty(selectors.for_you, shopper, k=k, exclude_ids=page_shown_ids(request))
    page_shown_add(request, (r.product for r in found))
    return {"cards": recommendation_cards(found)}


@register.inclusion_tag("recommendations/describe_box.html")
def describe_what_you_want(query: str = "") -> dict[str, Any]:
    """``{% describe_what_you_want %}``: a search form for requests in plain words."""
    return {
        "query": query,
        "max_length": QUERY_MAX_LENGTH,
        "placeholder": DESCRIBE_PLACEHOLDER,
    }
