"""Content strategies: similar products, the shopper vector, free-text requests."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Subquery
from pgvector.django import VectorField

from ..factories import get_encoder
from ..models import ProductEmbedding, ShopperEmbedding
from ..queries import ParsedRequest, request_parse
from .base import Filters, Recommendation, RecommendationRequest, Strategy
from .vector_search import nearest_products


def shopper_vector(shopper: str) -> Subquery:
    return Subquery(
        ShopperEmbedding.objects.filter(shopper=shopper).values("vector")[:1],
        output_field=VectorField(),
    )


class SimilarProductsStrategy(Strategy):
    name = "similar"

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        if request.product_id is None:
            return []
        target = Subquery(
            ProductEmbedding.objects.filter(product_id=request.product_id).values("vector")[:1],
            output_field=VectorField(),
        )
        return nearest_products(target, request, strategy=self.name)


class ContentStrategy(Strategy):
    """Nearest products to the shopper vector alone; empty for a shopper with none."""

    name = "content"

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        if not request.shopper:
            return []
        return nearest_products(shopper_vector(request.shopper), request, strategy=self.name)


class NaturalLanguageStrategy(Strategy):
    name = "search"

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        if not request.query or not request.query.strip():
            return []
        filters, parsed = search_filters(request.query, request.filters)
        vector = get_encoder().encode([parsed.semantic_text])[0].tolist()
        results = nearest_products(vector, replace(request, filters=filters), strategy=self.name)
        constraints = search_constraints(filters, parsed)
        for result in results:
            result.details["constraints"] = constraints
        return results


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


def _tighter(a, b, pick):
    if a is None:
        return b
    if b is None:
        return a
    return pick(a, b)
