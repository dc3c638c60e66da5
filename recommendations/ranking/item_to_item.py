"""Strategies for a product page or a cart: similar products, and what goes with them."""

from __future__ import annotations

from django.db.models import Subquery
from pgvector.django import VectorField

from ..models import ProductEmbedding
from ..reasons.evidence import Basis
from ..recommenders import get_recommender
from ..recommenders.vector_search import nearest
from ..recommenders.versions import active_version_id
from .base import Recommendation, RecommendationRequest, Strategy
from .candidates import product_queryset
from .products import recommendations_load
from .registry import get_strategy


class SimilarProductsStrategy(Strategy):
    """Closest product vectors: substitutes for the product on the page."""

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        if request.product_id is None:
            return []
        target = Subquery(
            ProductEmbedding.objects.filter(product_id=request.product_id).values("vector")[:1],
            output_field=VectorField(),
        )
        found = nearest(
            product_queryset(request, strategy=self.name), target, n=request.k,
            narrow=request.filters.narrows(),
        )  # fmt: skip
        basis = Basis(signal="similar", page_product=request.product_id)
        return [
            Recommendation(
                product=p, score=round(1.0 - p.distance, 6), strategy=self.name, basis=basis
            )
            for p in found
        ]


class FrequentlyBoughtTogetherStrategy(Strategy):
    """Bought together, else viewed together, else similar."""

    # Item-to-item recommenders in order of preference.
    recommenders = ("bought_together", "neighbours")

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        items = {pk: 1.0 for pk in (*request.basket_ids, request.product_id) if pk is not None}
        if not items:
            return []
        version = active_version_id()
        allowed = product_queryset(request, strategy=self.name)
        scores: dict[int, float] = {}
        for rank, name in enumerate(self.recommenders):
            recommender = get_recommender(name)
            more = recommender.related(items, allowed, version=version, n=request.k)
            # Bought-together pairs rank above anything only viewed together.
            offset = float(len(self.recommenders) - 1 - rank)
            for pk, score in more.items():
                scores.setdefault(pk, offset + score)
            if len(scores) >= request.k:
                break
        best = dict(sorted(scores.items(), key=lambda item: (-item[1], item[0]))[: request.k])
        basis = Basis(signal="bought_together", related=tuple(items))
        results = recommendations_load(best, self.name, bases=basis)
        if len(results) < request.k and request.product_id is not None:
            seen = {r.product.pk for r in results}
            similar = get_strategy("similar").recommend(request)
            results += [r for r in similar if r.product.pk not in seen][: request.k - len(results)]
        return results
