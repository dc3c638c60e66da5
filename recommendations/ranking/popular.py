"""Popular and trending products, read from the periodically refreshed product statistics."""

from __future__ import annotations

from .base import Recommendation, RecommendationRequest, Strategy
from .candidates import product_queryset


def ranked_by_stat(
    request: RecommendationRequest, *, field: str, strategy: str, k: int | None = None
) -> list[Recommendation]:
    stat = f"recommendation_stats__{field}"
    ranked = (
        product_queryset(request, strategy=strategy)
        .filter(**{f"{stat}__gt": 0})
        .select_related("recommendation_stats")
        .order_by(f"-{stat}", "pk")[: k or request.k]
    )
    return [
        Recommendation(
            product=p, score=float(getattr(p.recommendation_stats, field)), strategy=strategy
        )
        for p in ranked
    ]


class PopularStrategy(Strategy):
    """Recently popular products, then the newest: what a shopper we know nothing of sees."""

    name = "popular"

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        results = ranked_by_stat(request, field="popularity", strategy=self.name)
        if len(results) < request.k:
            seen = [r.product.pk for r in results]
            newest = (
                product_queryset(request, strategy=self.name)
                .exclude(pk__in=seen)
                .order_by("-pk")[: request.k - len(results)]
            )
            results += [Recommendation(product=p, score=0.0, strategy=self.name) for p in newest]
        return results


class TrendingStrategy(Strategy):
    """Products whose recent interactions outpace their usual rate."""

    name = "trending"

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        return ranked_by_stat(request, field="trending", strategy=self.name)
