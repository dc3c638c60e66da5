"""What the page being rendered has shown so far, so that no widget repeats another.

Widgets on one page are served in template order and each leaves out the products shown before
it: by earlier widgets and by the shop's own shelves, which a template announces with
``{% page_products_shown %}``. The set lives on the request, so it ends with the page view.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.http import HttpRequest

ATTRIBUTE = "recommendations_page_shown"


def page_shown_ids(request: HttpRequest | None) -> set[int]:
    """The ids shown on this request's page so far; without a request, nothing is known."""
    if request is None:
        return set()
    shown = getattr(request, ATTRIBUTE, None)
    if shown is None:
        shown = set()
        setattr(request, ATTRIBUTE, shown)
    return shown


def page_shown_add(request: HttpRequest | None, products: Iterable[models.Model | int]) -> None:
    """Products (or ids) now on the page; later widgets leave them out."""
    page_shown_ids(request).update(getattr(p, "pk", p) for p in products if p is not None)
