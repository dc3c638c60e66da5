"""One cleaned product of a catalog import: what the check pass hands the writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class ProductRow:
    """None is "not given": an existing product keeps what it has, a new one gets the default (no
    description, the default category, no brand, price `new_product_price`, the model's defaults
    for the rest). `extra` holds the cleaned values of the columns an adapter adds to the
    engine's (`import_fields`), by column; a missing column is not given either."""

    title: str
    external_id: str | None = None
    description: str | None = None
    category: tuple[str, ...] | None = None
    brand: str | None = None
    price: Decimal | None = None
    currency: str | None = None
    stock: int | None = None
    attributes: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# The columns whose value is stored as it is, in the product field the adapter names.
PLAIN_COLUMNS = ("external_id", "title", "description", "price", "currency", "stock", "attributes")
