"""Evidence: the facts a recommendation was ranked on, as typed data.

A reason may say only what its evidence holds. Evidence is produced where the ranking is
(strategies and recommenders), stored with each reason, returned by the API and hashed into the
reason cache's key, so a change to the product or to the facts retires the reason said about it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, Literal

# What the shopper did with one of their products (or a search they made).
Action = Literal["viewed", "carted", "bought", "searched"]
# When, in the words a reason may use; the bucket (not the clock) is hashed, so a reason that
# said "yesterday" is retired the day it no longer is.
When = Literal["today", "yesterday", "this_week", "last_week", "this_month", "earlier"]
# How another product relates: shoppers bought both within a basket, bought this one after it,
# or viewed both.
Relation = Literal["bought_together", "bought_next", "viewed_together"]
# What a free-text request asked for.
ConstraintKind = Literal["max_price", "min_price", "brand", "category", "in_stock", "word"]
# The signal that ranked the product first.
Signal = Literal[
    "similar", "bought_together", "neighbours", "content", "factors", "sequential",
    "popular", "trending", "search", "recently_viewed", "catalog",
]  # fmt: skip


@dataclass(frozen=True)
class ProductFacts:
    """The recommended product as the shop describes it; None where the shop has no value."""

    id: int
    name: str
    brand: str | None = None
    category: str | None = None
    price: str | None = None
    currency: str | None = None
    in_stock: bool | None = None
    rating: float | None = None
    # Attribute name → value as the shop writes it ("colour": "red"), strings only.
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HistoryLink:
    """One of the shopper's own products (or searches) the recommendation is closest to."""

    name: str
    action: Action
    when: When
    product_id: int | None = None
    # Values the two products share: brand, category or attribute values.
    shared: tuple[str, ...] = ()


@dataclass(frozen=True)
class Together:
    """Another product (the shopper's, or the one on the page) and how many shoppers did both."""

    name: str
    relation: Relation
    shoppers: int
    product_id: int | None = None


@dataclass(frozen=True)
class Constraint:
    """One limit of a free-text request, and whether the product meets it."""

    kind: ConstraintKind
    value: str
    met: bool = True


@dataclass(frozen=True)
class Evidence:
    product: ProductFacts
    signal: Signal
    history: tuple[HistoryLink, ...] = ()
    together: tuple[Together, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    # The product on the page, for "similar" (a substitute for it), with the values both share.
    page_product: str | None = None
    shared_with_page: tuple[str, ...] = ()
    # Distinct shoppers in the popularity window; how many times its usual rate it is bought now.
    shoppers: int | None = None
    trend: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The same dict on every call (the digest and the card both ask): read, don't change."""
        return self._as_dict

    @cached_property
    def _as_dict(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(
            product=ProductFacts(**data["product"]),
            signal=data["signal"],
            history=tuple(
                HistoryLink(**{**link, "shared": tuple(link.get("shared", ()))})
                for link in data.get("history", ())
            ),
            together=tuple(Together(**item) for item in data.get("together", ())),
            constraints=tuple(Constraint(**item) for item in data.get("constraints", ())),
            page_product=data.get("page_product"),
            shared_with_page=tuple(data.get("shared_with_page", ())),
            shoppers=data.get("shoppers"),
            trend=data.get("trend"),
        )

    def digest(self) -> str:
        """Same facts, same digest: the reason cache's key (with product and language)."""
        text = json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    """`dataclasses.asdict` without its deep copies of every leaf (1.5 times as fast): a list's
    evidence is turned into dicts on every response."""
    names = getattr(type(value), "__dataclass_fields__", None)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, (tuple, list)):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def when_bucket(moment: datetime | date, today: date) -> When:
    day = moment.date() if isinstance(moment, datetime) else moment
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < today.isoweekday():
        return "this_week"
    if days < today.isoweekday() + 7:
        return "last_week"
    if days < 31:
        return "this_month"
    return "earlier"


@dataclass(frozen=True)
class Basis:
    """What a strategy knows when it ranks a product, before any name or count is read: the
    signal that ranked it, the shopper's products that led to it, the products on the page or
    in the basket it goes with, and the limits of a request it meets. `collect.py` turns it
    into evidence for the final list only."""

    signal: Signal
    anchors: tuple[int, ...] = ()
    related: tuple[int, ...] = ()
    page_product: int | None = None
    constraints: tuple[Constraint, ...] = ()
