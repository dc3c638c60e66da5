"""Strategies read straight from recent activity: recently viewed and trending."""

from __future__ import annotations

from django.db.models import Max

from ..models import Interaction
from ..reasons.evidence import Basis
from .base import Recommendation, RecommendationRequest, Strategy
from .candidates import product_queryset
from .products import recommendations_load


class RecentlyViewedStrategy(Strategy):
    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        if not request.shopper:
            return []
        recent = (
            Interaction.objects.filter(
                shopper=request.shopper,
                kind__in=[Interaction.Kind.VIEW, Interaction.Kind.CLICK],
                product_id__in=product_queryset(request, strategy=self.name).values("pk"),
            )
            .values("product_id")
            .annotate(last=Max("created_at"))
            .order_by("-last")[: request.k]
        )
        rows = list(recent)
        scores = {row["product_id"]: float(len(rows) - i) for i, row in enumerate(rows)}
        bases = {pk: Basis(signal="recently_viewed", anchors=(pk,)) for pk in scores}
        return recommendations_load(scores, self.name, bases=bases)


class TrendingStrategy(Strategy):
    """Products whose recent interactions outpace their usual rate (refreshed every few
    minutes, see `services.stats`)."""

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        ranked = (
            product_queryset(request, strategy=self.name)
            .filter(recommendation_stats__trending__gt=0)
            .select_related("recommendation_stats")
            .order_by("-recommendation_stats__trending", "pk")[: request.k]
        )
        return [
            Recommendation(
                product=p,
                score=float(p.recommendation_stats.trending),
                strategy=self.name,
                basis=Basis(signal="trending"),
            )
            for p in ranked
        ]
