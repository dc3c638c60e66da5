"""Free-text shopping requests: hard constraints as SQL filters, the rest as a query vector."""

from __future__ import annotations

import re
from dataclasses import replace

from ..factories import get_adapter, get_encoder
from ..reasons.evidence import Basis, Constraint
from ..recommenders.vector_search import nearest
from ..shopping_requests import ParsedRequest, request_parse
from .base import Filters, Recommendation, RecommendationRequest, Strategy
from .candidates import product_queryset


class NaturalLanguageStrategy(Strategy):
    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        if not request.query or not request.query.strip():
            return []
        filters, parsed = search_filters(request.query, request.filters)
        vector = get_encoder().encode([parsed.semantic_text])[0].tolist()
        found = nearest(
            product_queryset(replace(request, filters=filters), strategy=self.name), vector,
            n=request.k, narrow=filters.narrows(),
        )  # fmt: skip
        constraints = search_constraints(filters, parsed)
        return [
            Recommendation(
                product=p,
                score=round(1.0 - p.distance, 6),
                strategy=self.name,
                details={"constraints": constraints},
                basis=Basis(signal="search", constraints=constraints_met(p, filters, parsed)),
            )
            for p in found
        ]


def search_filters(query: str, filters: Filters) -> tuple[Filters, ParsedRequest]:
    """The caller's filters tightened by what the request says; the stricter bound wins."""
    parsed = request_parse(query)
    combined = replace(
        filters,
        min_price=_tighter(filters.min_price, parsed.min_price, max),
        max_price=_tighter(filters.max_price, parsed.max_price, min),
        category_ids=filters.category_ids or tuple(parsed.category_ids),
        brand_ids=filters.brand_ids or tuple(parsed.brand_ids),
        include_out_of_stock=filters.include_out_of_stock and not parsed.in_stock,
    )
    return combined, parsed


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


# Words of a request too common to be a constraint a product "meets".
COMMON_WORDS = frozenset(
    {
        "a", "an", "and", "for", "the", "with", "from", "that", "this", "gift", "gifts",
        "something", "anything", "good", "nice", "best", "some", "under", "over", "less",
        "more", "than", "cheap", "new",
    }
)  # fmt: skip


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


def _tighter(a, b, pick):
    if a is None:
        return b
    if b is None:
        return a
    return pick(a, b)
