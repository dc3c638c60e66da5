""" "For you": content, item-to-item neighbours, ALS factors and popularity, blended.

Each signal proposes candidates under the same SQL rules; the blend scales each signal by its best
candidate and weighs them by HYBRID_WEIGHTS. A new product reaches shoppers through content before
anyone has touched it; a new visitor sees popular products, then, from the first click on,
neighbours of what they clicked (read live) and the shopper vector (updated within seconds).
"""

from __future__ import annotations

from pgvector.django import CosineDistance

from ..conf import app_settings
from ..models import ItemNeighbour, ProductStats
from .base import Recommendation, RecommendationRequest, Strategy
from .behaviour import (
    active_model_id,
    as_recommendations,
    blend,
    factor_scores,
    neighbour_scores,
    shopper_history,
)
from .candidates import product_queryset
from .content import shopper_vector
from .popular import PopularStrategy, ranked_by_stat
from .vector_search import VECTOR, nearest_products


class HybridStrategy(Strategy):
    name = "for_you"

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        signals = hybrid_signals(request, strategy=self.name)
        if not (signals["content"] or signals["neighbours"] or signals["factors"]):
            # Nothing known about this shopper yet: say so by answering as "popular".
            return PopularStrategy().recommend(request)
        scores = blend(signals, app_settings.HYBRID_WEIGHTS)
        top = dict(sorted(scores.items(), key=lambda item: (-item[1], item[0]))[: request.k])
        results = as_recommendations(top, self.name)
        for result in results:
            result.details = {
                name: round(values.get(result.product.pk, 0.0), 6)
                for name, values in signals.items()
            }
        return results


def hybrid_signals(request: RecommendationRequest, *, strategy: str) -> dict[str, dict]:
    """Every signal's score for the union of all candidates (0 where a signal has nothing)."""
    n = max(request.k * app_settings.HYBRID_CANDIDATES, 50)
    model_id = active_model_id()
    history = shopper_history(request.shopper)
    neighbours = neighbour_scores(
        request, history, kind=ItemNeighbour.Kind.COOCCURRENCE, strategy=strategy, k=n,
        model_id=model_id,
    )  # fmt: skip
    factors = factor_scores(request, strategy=strategy, k=n, model_id=model_id)
    content: dict[int, float] = {}
    if request.shopper:
        target = shopper_vector(request.shopper)
        content = {
            r.product.pk: r.score for r in nearest_products(target, request, strategy=strategy, k=n)
        }
    popular = {
        r.product.pk: r.score
        for r in ranked_by_stat(request, field="popularity", strategy=strategy, k=n)
    }
    candidates = set(neighbours) | set(factors) | set(content) | set(popular)
    if request.shopper and content:
        content = _content_for(request, candidates - set(content), strategy) | content
    popularity = dict(
        ProductStats.objects.filter(product_id__in=candidates).values_list(
            "product_id", "popularity"
        )
    )
    return {
        "content": content,
        "neighbours": neighbours,
        "factors": factors,
        "popularity": popularity,
    }


def _content_for(request: RecommendationRequest, ids: set[int], strategy: str) -> dict[int, float]:
    """Content scores of candidates that another signal proposed, in one query."""
    if not ids:
        return {}
    rows = (
        product_queryset(request, strategy=strategy)
        .filter(pk__in=ids, **{f"{VECTOR}__isnull": False})
        .annotate(distance=CosineDistance(VECTOR, shopper_vector(request.shopper)))
        .values_list("pk", "distance")
    )
    return {pk: 1.0 - distance for pk, distance in rows if distance is not None}
