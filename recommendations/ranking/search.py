"""Free-text shopping requests as a strategy: the search service's ranking, and the limits each
result meets (for its reason)."""

from __future__ import annotations

import re

from ..factories import get_adapter
from ..reasons.evidence import Basis, Constraint
from ..search import search_filters, search_rank
from ..search.query import COMMON_WORDS
from ..shopping_requests import ParsedRequest
from .base import Filters, Recommendation, RecommendationRequest, Strategy
from .candidates import product_queryset

__all__ = ["NaturalLanguageStrategy", "constraints_met", "search_constraints", "search_filters"]


class NaturalLanguageStrategy(Strategy):
    """The search service's ranking as recommendations: "related" in their details when
    nothing matched and these are the closest products instead."""

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        if not request.query or not request.query.strip():
            return []
        ranking = search_rank(
            request.query,
            filters=request.filters,
            limit=request.k,
            queryset=product_queryset(request, strategy=self.name),
        )
        products = get_adapter().queryset().in_bulk([pk for pk, _ in ranking.ranked])
        constraints = search_constraints(ranking.filters, ranking.parsed)
        details = {"constraints": constraints, "related": ranking.related}
        if ranking.corrected:
            details["searched_for"] = ranking.text
        return [
            Recommendation(
                product=products[pk],
                score=round(score, 6),
                strategy=self.name,
                details=details,
                basis=Basis(
                    signal="search",
                    constraints=constraints_met(products[pk], ranking.filters, ranking.parsed),
                ),
            )
            for pk, score in ranking.ranked
            if pk in products
        ]


def search_constraints(filters: Filters, parsed: ParsedRequest) -> dict:
    """The hard constraints applied, as shown to callers."""
    return {
        "min_price": str(filters.min_price) if filters.min_price is not None else None,
        "max_price": str(filters.max_price) if filters.max_price is not None else None,
        "category_ids": list(filters.category_ids),
        "brand_ids": list(filters.brand_ids),
        "in_stock": not filters.include_out_of_stock,
        "matched": parsed.matched,
    }


def constraints_met(product, filters: Filters, parsed: ParsedRequest) -> tuple[Constraint, ...]:
    """The request's limits this product meets, as a reason may repeat them: prices and stock
    from the filters (which every result meets), and the request's words that the product's
    own name, brand, category or attributes contain."""
    adapter = get_adapter()
    found: list[Constraint] = []
    if filters.max_price is not None:
        found.append(Constraint(kind="max_price", value=str(filters.max_price)))
    if filters.min_price is not None:
        found.append(Constraint(kind="min_price", value=str(filters.min_price)))
    if filters.brand_ids and (brand := adapter.brand_name(product)):
        found.append(Constraint(kind="brand", value=brand))
    if filters.category_ids and (path := adapter.category_path(product)):
        found.append(Constraint(kind="category", value=path[-1]))
    if parsed.in_stock:
        found.append(Constraint(kind="in_stock", value=""))
    text = " ".join(
        [
            str(getattr(product, adapter.title_field, "")),
            " ".join(adapter.category_path(product)),
            " ".join(str(v) for v in adapter.attributes(product).values()),
        ]
    ).lower()
    words = re.findall(r"[a-z][a-z-]{3,}", parsed.semantic_text.lower())
    found += [
        Constraint(kind="word", value=word)
        for word in dict.fromkeys(words)
        if word not in COMMON_WORDS and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
    ]
    return tuple(found)
