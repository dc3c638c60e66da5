"""The placement widget: ``{% recommendation_placement "home" k=8 product=product %}``.

``basket=`` takes the cart's products (or ids) for a cart placement. Placements on one page never
repeat each other's products, nor those of the shop's own shelves announced before them with
``{% page_products_shown new_arrivals %}``.

Like the other widgets it never raises: an unknown placement or an engine failure is logged and
renders nothing. Each card shown is recorded as an impression.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.db import models
from django.urls import NoReverseMatch, reverse

from ..placements import PlacementResult, placement_serve
from ..placements.page import page_shown_add, page_shown_ids
from ..presentation import read_or_empty, recommendation_cards
from ..product_rows import products_known
from ..shoppers import shopper_key_for_request

register = template.Library()


def placement_shown(name: str, **kwargs: Any) -> list[PlacementResult]:
    """`placement_serve` as a list, so that `read_or_empty` can stand in for a failure."""
    return [placement_serve(name, **kwargs)]


def click_url(name: str) -> str:
    """Where the widget's script reports clicks; empty when the host doesn't include the API."""
    try:
        return reverse("recommendations_api:placement-click", args=[name])
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def page_products_shown(context: template.Context, *shelves: Iterable[models.Model | int]) -> str:
    """``{% page_products_shown new_arrivals more %}``: the shop's own shelves on this page, which
    the placements after it leave out. Renders nothing."""
    for shelf in shelves:
        page_shown_add(context.get("request"), shelf or ())
    return ""


@register.inclusion_tag("recommendations/placement.html", takes_context=True)
def recommendation_placement(
    context: template.Context,
    name: str,
    k: int | None = None,
    product: models.Model | int | None = None,
    basket: Iterable[models.Model | int] | None = (),
) -> dict[str, Any]:
    """The placement's products for the visitor; ``product`` for product-page placements."""
    request = context.get("request")
    # A visitor's variant must be stable from the first page on: start their session.
    shopper = shopper_key_for_request(request, create_session=True) if request else None
    products_known([product])
    shown = read_or_empty(
        placement_shown,
        name,
        k=k,
        shopper=shopper,
        product_id=getattr(product, "pk", product),
        basket_ids=[getattr(item, "pk", item) for item in basket or ()],
        exclude_ids=set(page_shown_ids(request)),
    )
    if not shown or not shown[0].results:
        return {"cards": []}
    page_shown_add(request, (r.product for r in shown[0].results))
    return {
        "cards": recommendation_cards(shown[0].results, reasons=shown[0].show_reasons),
        "placement": shown[0].placement,
        "click_url": click_url(name),
        "impression": shown[0].impression,
    }
