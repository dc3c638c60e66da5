"""Recently popular products: the fallback for a shopper the engine knows nothing about."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from ..conf import app_settings
from ..factories import get_adapter
from ..models import Interaction
from .base import Recommendation, RecommendationRequest, Strategy


class PopularStrategy(Strategy):
    name = "popular"

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        adapter = get_adapter()
        available = adapter.model._default_manager.filter(request.filters.q())
        since = timezone.now() - timedelta(days=app_settings.POPULAR_WINDOW_DAYS)
        scores = list(
            Interaction.objects.filter(
                created_at__gte=since, product__in=available.values("pk"), weight__gt=0
            )
            .exclude(product_id__in=request.exclude_ids)
            .values("product_id")
            .annotate(score=Sum("weight"))
            .order_by("-score", "product_id")[: request.k]
        )
        products = adapter.queryset().in_bulk([row["product_id"] for row in scores])
        results = [
            Recommendation(
                product=products[row["product_id"]], score=row["score"], strategy=self.name
            )
            for row in scores
            if row["product_id"] in products
        ]
        if len(results) < request.k:
            # A shop with no history yet shows its newest products.
            seen = {r.product.pk for r in results} | set(request.exclude_ids)
            newest = (
                adapter.queryset()
                .filter(request.filters.q())
                .exclude(pk__in=seen)
                .order_by("-pk")[: request.k - len(results)]
            )
            results += [Recommendation(product=p, score=0.0, strategy=self.name) for p in newest]
        return results
