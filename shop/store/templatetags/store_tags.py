"""Template helpers of the store: product images, prices, rating stars and the engine's cards."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import catalog, images
from ..models import Product

register = template.Library()

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@register.filter
def image_src(product: Product) -> str:
    return images.product_image_src(product)


@register.filter
def money(amount: Decimal | None, currency: str = "EUR") -> str:
    """The amount with the active language's separators; the symbol before it where known."""
    if amount is None:
        return ""
    number = number_format(amount, 2, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


@register.simple_tag
def stars(rating: float | None) -> str:
    """Stars for sighted users, the number for screen readers."""
    if rating is None:
        return format_html('<span class="stars stars--none">{}</span>', _("No ratings yet"))
    full = round(rating)
    return format_html(
        '<span class="stars" role="img" aria-label="{}">{}{}</span>',
        _("Rated %(rating)s out of 5") % {"rating": f"{rating:.1f}"},
        "★" * full,
        "☆" * (5 - full),
    )


@register.simple_tag
def store_cards(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine's cards, each with the store's product (rating included) for the store's card
    template: the engine's own row where it was loaded with the rating (the store's adapter
    loads lists so), else the whole list in one query."""
    loaded = {
        card["id"]: card["instance"]
        for card in cards
        if hasattr(card.get("instance"), "review_count")
    }
    missing = [card["id"] for card in cards if card["id"] not in loaded]
    products = {**loaded, **(catalog.visible_products().in_bulk(missing) if missing else {})}
    return [{**card, "product": products.get(card["id"])} for card in cards]
