"""Product rows by id, each read at most once per request.

Every widget of a product page names the page's product (its category for "bought together",
its facts for the reasons), and the shop has read that row already: handed over with
`products_known`, it is not read again. Outside a request every call reads afresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from .factories import get_adapter
from .prepared import AnyOf, Standins, prepared
from .request_memo import in_request, memo_get, memo_put

# Where a row keeps its summary (see `product_summary`).
SUMMARY_ATTRIBUTE = "_recommendations_summary"


def _key(pk: int) -> tuple[str, int]:
    return ("product", pk)


def products_known(products: Iterable[models.Model | int | None]) -> None:
    """Rows the shop holds, kept for the request where they carry what the engine reads; ids
    and anything else are passed over."""
    adapter = get_adapter()
    for product in products:
        if isinstance(product, adapter.model) and adapter.loaded(product):
            memo_put(_key(product.pk), product)


def products_unread(ids: Iterable[int]) -> list[int]:
    """Those of the ids this request holds no row of, for a query that reads other rows to read
    them as well; none outside a request, where nothing would keep them."""
    return [pk for pk in ids if memo_get(_key(pk)) is None] if in_request() else []


def products_read(ids: Iterable[int]) -> dict[int, models.Model]:
    """The rows of these ids (as `ProductAdapter.queryset` reads them) that exist, by id."""
    ids = set(ids)
    found = {pk: row for pk in ids if (row := memo_get(_key(pk))) is not None}
    missing = ids - found.keys()
    if missing:
        read = _rows_of(list(missing), listing=False)
        for pk, row in read.items():
            memo_put(_key(pk), row)
        found |= read
    return found


def products_listed(ids: Iterable[int]) -> dict[int, models.Model]:
    """The rows of these ids that exist, as `ProductAdapter.listing_queryset` reads them, by id:
    what every list's final products are read with."""
    return _rows_of(list(ids), listing=True)


def _rows_of(ids: list[int], *, listing: bool) -> dict[int, models.Model]:
    """Read on every page, so compiled once (see `prepared.py`)."""
    if not ids:
        return {}

    def query(slots: Standins) -> models.QuerySet:
        adapter = get_adapter()
        rows = adapter.listing_queryset() if listing else adapter.queryset()
        return rows.filter(AnyOf("pk", slots.integers("ids")))

    return {row.pk: row for row in prepared(("product rows", listing), query).objects(ids=ids)}


def product_summary(product: models.Model) -> dict[str, Any]:
    """The adapter's summary of the row, made once per row: a card and its reason's facts both
    show it, and building its URL and image is most of what a card costs. Rows live for one
    request, so the summary is of the row as read."""
    summary = product.__dict__.get(SUMMARY_ATTRIBUTE)
    if summary is None:
        summary = product.__dict__[SUMMARY_ATTRIBUTE] = get_adapter().summary(product)
    return dict(summary)
