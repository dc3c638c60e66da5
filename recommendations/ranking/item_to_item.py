"""Strategies for a product page or a cart: similar products, and what goes with them."""

from __future__ import annotations

from django.db import models
from django.db.models import Subquery
from pgvector.django import VectorField

from ..models import ProductEmbedding
from ..prepared import Slots
from ..reasons.evidence import Basis
from ..recommenders import get_recommender
from ..recommenders.bought_together import complementary_products
from ..recommenders.vector_search import few_with_vectors, nearest_by, ordered
from ..recommenders.versions import active_version_id
from .base import Recommendation, RecommendationRequest, Strategy
from .candidates import Allowed
from .products import recommendations_load


class SimilarProductsStrategy(Strategy):
    """Closest product vectors: substitutes for the product on the page."""

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        if request.product_id is None:
            return []
        allowed = Allowed(request, self.name, listing=True)

        def search(exact: bool, limit: int) -> list[models.Model]:
            def query(products: models.QuerySet, slots: Slots) -> models.QuerySet:
                target = _vector_of(slots.integer("page_product"))
                return ordered(products, target, limit, exact=exact)

            key = (self.name, exact, limit)
            return allowed.objects(key, query, page_product=request.product_id)

        few = request.filters.narrows() and few_with_vectors(allowed.queryset)
        found = nearest_by(search, n=request.k, few=few)
        basis = Basis(signal="similar", page_product=request.product_id)
        return [
            Recommendation(
                product=p, score=round(1.0 - p.distance, 6), strategy=self.name, basis=basis
            )
            for p in found
        ]


def _vector_of(product_id: int) -> Subquery:
    return Subquery(
        ProductEmbedding.objects.filter(product_id=product_id).values("vector")[:1],
        output_field=VectorField(),
    )


class FrequentlyBoughtTogetherStrategy(Strategy):
    """Bought together, else products of the categories that baskets pair with the item's, else
    nothing: never substitutes, which "similar" shows on the same page."""

    recommenders = ("bought_together",)

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        items = {pk: 1.0 for pk in (*request.basket_ids, request.product_id) if pk is not None}
        if not items:
            return []
        version = active_version_id()
        allowed = Allowed(request, self.name)
        together = get_recommender("bought_together").related(
            items, allowed, version=version, n=request.k
        )
        # Complements score at most 1: pairs actually bought together rank first.
        scores = {pk: 1.0 + score for pk, score in together.items()}
        if len(scores) < request.k:
            scores |= complementary_products(
                list(items),
                allowed.queryset.exclude(pk__in=list(scores)),
                version=version,
                n=request.k - len(scores),
            )
        basis = Basis(signal="bought_together", related=tuple(items))
        return recommendations_load(scores, self.name, bases=basis)
