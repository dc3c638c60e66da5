"""Product images: the shop ships no binary files, so a missing image becomes a generated SVG.

The SVG is served at its own URL (`views.product_image`) rather than inlined as a data URI, so
browsers cache it and API results carry a short URL instead of markup.
"""

from __future__ import annotations

import hashlib
from html import escape

from django.urls import reverse

from .models import Category, Product


def product_image_src(product: Product) -> str:
    return product.image_url or reverse("store:product_image", kwargs={"slug": product.slug})


def placeholder_image_svg(category: Category) -> str:
    """The category's initial on a colour derived from its slug.

    The hue comes from a stable hash so a category keeps its colour across processes; the low
    lightness keeps white text above WCAG AA contrast for every hue.
    """
    hue = int(hashlib.sha1(category.slug.encode()).hexdigest()[:6], 16) % 360
    initial = escape((category.name[:1] or "?").upper())
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300">'
        f'<rect width="400" height="300" fill="hsl({hue},45%,30%)"/>'
        f'<circle cx="200" cy="150" r="90" fill="hsl({hue},45%,38%)"/>'
        '<text x="200" y="150" dy=".35em" text-anchor="middle" fill="#fff" '
        'font-family="system-ui,sans-serif" font-size="110" font-weight="700">'
        f"{initial}</text></svg>"
    )
