"""The strategy contract: a request in, ranked products with scores out; the same in batch."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import models
from django.db.models import Q

from ..factories import get_adapter
from ..reasons.evidence import Basis, Evidence


@dataclass(frozen=True)
class Filters:
    """Hard constraints: every recommended product meets all of them."""

    min_price: Decimal | None = None
    max_price: Decimal | None = None
    category_ids: tuple[int, ...] = ()
    brand_ids: tuple[int, ...] = ()
    include_out_of_stock: bool = False

    def narrows(self) -> bool:
        """Whether the filter goes beyond availability (and may match few products)."""
        return bool(
            self.category_ids
            or self.brand_ids
            or self.min_price is not None
            or self.max_price is not None
        )

    def q(self) -> Q:
        """Inactive products are never recommended; out-of-stock ones only when asked for."""
        adapter = get_adapter()
        q = adapter.active_q() if self.include_out_of_stock else adapter.available_q()
        if self.min_price is not None:
            q &= Q(**{f"{adapter.price_field}__gte": self.min_price})
        if self.max_price is not None:
            q &= Q(**{f"{adapter.price_field}__lte": self.max_price})
        if self.category_ids:
            q &= Q(**{f"{adapter.category_field}_id__in": self.category_ids})
        if self.brand_ids:
            q &= Q(**{f"{adapter.brand_field}_id__in": self.brand_ids})
        return q


@dataclass(frozen=True)
class RecommendationRequest:
    k: int
    shopper: str | None = None
    product_id: int | None = None
    # Products in the shopper's cart, for "frequently bought together".
    basket_ids: tuple[int, ...] = ()
    query: str | None = None
    filters: Filters = field(default_factory=Filters)
    exclude_ids: frozenset[int] = frozenset()
    # Leave out what the shopper bought: None = as EXCLUDE_PURCHASED says for the strategy;
    # a placement's own rule says True or False.
    exclude_purchased: bool | None = None


@dataclass
class Recommendation:
    product: models.Model
    score: float
    strategy: str
    details: dict[str, Any] = field(default_factory=dict)
    # Set by the strategy that ranked it; turned into evidence for the final list, and the
    # evidence into the reason a shopper reads (see `reasons/`).
    basis: Basis | None = None
    evidence: Evidence | None = None
    reason: str = ""
    # "generated" (a model's sentence that passed the verifier) or "template".
    reason_source: str = ""


class NotBatchable(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"strategy {name!r} cannot score in batch")


class Strategy(ABC):
    """One way of recommending; named in settings so a shop can add or replace strategies."""

    # Set from the STRATEGIES key.
    name: str = ""
    # Recommenders it composes, by RECOMMENDERS name (checked at start-up).
    recommenders: tuple[str, ...] = ()

    @abstractmethod
    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        """Up to ``request.k`` products, best first, meeting ``request.filters``."""

    def batch_signals(self) -> list[str]:
        """The recommenders whose batch scores `score_batch` needs; raises NotBatchable."""
        raise NotBatchable(self.name)

    def score_batch(self, signals: dict[str, np.ndarray]) -> np.ndarray:
        """Shoppers × products, in the order `recommend` would rank them; what is not positive
        is not recommended. `signals` are already zero where a product may not be recommended
        to that shopper."""
        raise NotBatchable(self.name)
