"""SQL statements behind one product page with its recommendation widgets, for a known shopper."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop.store.models import Product

from .shoppers import Shopper

WRITES = ("INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True)
class PageQueries:
    url: str
    queries: int
    writes: int


def product_page_url(product_id: int) -> str:
    return reverse("store:product", args=[Product.objects.get(pk=product_id).slug])


def page_queries(shopper: Shopper, url: str) -> PageQueries:
    """Counted on the second visit: the first may fill per-process caches, which a running shop
    has long filled."""
    shopper.client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = shopper.client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    statements = [query["sql"].lstrip().upper() for query in captured.captured_queries]
    return PageQueries(
        url=url,
        queries=len(statements),
        writes=sum(sql.startswith(WRITES) for sql in statements),
    )
