"""The placement widget: ``{% recommendation_placement "home" k=8 product=product %}``.

``basket=`` takes the cart's products (or ids) for a cart placement.

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
from ..presentation import read_or_empty, recommendation_cards
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
    shopper = shopper_key_for_request(request) if request is not None else None
    shown = read_or_empty(
        placement_shown,
        name,
        k=k,
        shopper=shopper,
        product_id=getattr(product, "pk", product),
        basket_ids=[getattr(item, "pk", item) for item in basket or ()],
    )
    if not shown or not shown[0].results:
        return {"cards": []}
    return {
        "cards": recommendation_cards(shown[0].results, reasons=shown[0].show_reasons),
        "placement": shown[0].placement,
        "click_url": click_url(name),
    }
