"""Template helpers of the store: product images, prices and rating stars."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import images
from ..models import Product

register = template.Library()

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@register.filter
def image_src(product: Product) -> str:
    return images.product_image_src(product)


@register.filter
def money(amount: Decimal | None, currency: str = "EUR") -> str:
    if amount is None:
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency}"


@register.simple_tag
def stars(rating: float | None) -> str:
    """Stars for sighted users, the number for screen readers."""
    if rating is None:
        return mark_safe('<span class="stars stars--none">No ratings yet</span>')
    full = round(rating)
    return format_html(
        '<span class="stars" role="img" aria-label="Rated {} out of 5">{}{}</span>',
        f"{rating:.1f}",
        "★" * full,
        "☆" * (5 - full),
    )
