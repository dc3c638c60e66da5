"""Behaviour strategies: what shoppers did together ("collaborative", "fbt") and recently viewed.

Scores come from the active collaborative model's tables, read in one query per signal, so a
new click changes the next page at once: the model is retrained periodically, but a shopper's
recent products are read live.
"""

from __future__ import annotations

from django.db.models import Case, F, FloatField, Max, Sum, Value, When
from pgvector.django import MaxInnerProduct

from ..collaborative.dataset import history_weights
from ..conf import app_settings
from ..factories import get_adapter
from ..models import CollaborativeModel, Interaction, ItemFactor, ItemNeighbour, ShopperFactor
from .base import Recommendation, RecommendationRequest, Strategy
from .candidates import product_queryset


def active_model_id() -> int | None:
    return CollaborativeModel.objects.filter(is_active=True).values_list("pk", flat=True).first()


def shopper_history(shopper: str | None) -> dict[int, float]:
    """The shopper's recent products with decaying weights, most recent weighing most."""
    if not shopper:
        return {}
    recent = (
        Interaction.objects.filter(shopper=shopper, product__isnull=False, weight__gt=0)
        .values("product_id")
        .annotate(last=Max("created_at"), weight=Max("weight"))
        .order_by("-last")[: app_settings.CF_HISTORY_LIMIT]
    )
    rows = list(recent)
    weights = history_weights(row["weight"] for row in rows)
    return {row["product_id"]: float(w) for row, w in zip(rows, weights, strict=True)}


def neighbour_scores(
    request: RecommendationRequest,
    sources: dict[int, float],
    *,
    kind: str,
    strategy: str,
    k: int,
    model_id: int | None,
) -> dict[int, float]:
    """Σ over source products of weight × similarity, for allowed neighbours, best first."""
    if not sources or model_id is None:
        return {}
    weight = Case(
        *(When(product_id=pk, then=Value(w)) for pk, w in sources.items()),
        output_field=FloatField(),
    )
    allowed = product_queryset(request, strategy=strategy).values("pk")
    rows = (
        ItemNeighbour.objects.filter(
            model_id=model_id, kind=kind, product_id__in=list(sources), neighbour_id__in=allowed
        )
        .exclude(neighbour_id__in=list(sources))
        .values("neighbour_id")
        .annotate(total=Sum(F("score") * weight))
        .order_by("-total", "neighbour_id")[:k]
    )
    return {row["neighbour_id"]: row["total"] for row in rows}


def factor_scores(
    request: RecommendationRequest, *, strategy: str, k: int, model_id: int | None
) -> dict[int, float]:
    """ALS: shoppers the model was trained on; others rely on neighbours until retraining."""
    if not request.shopper or model_id is None:
        return {}
    vector = (
        ShopperFactor.objects.filter(model_id=model_id, shopper=request.shopper)
        .values_list("vector", flat=True)
        .first()
    )
    if vector is None:
        return {}
    allowed = product_queryset(request, strategy=strategy).values("pk")
    rows = (
        ItemFactor.objects.filter(model_id=model_id, product_id__in=allowed)
        .annotate(distance=MaxInnerProduct("vector", list(vector)))
        .order_by("distance")
        .values_list("product_id", "distance")[:k]
    )
    # pgvector's <#> is the negative inner product, so that ascending order is best first.
    return {pk: -distance for pk, distance in rows}


def as_recommendations(scores: dict[int, float], strategy: str) -> list[Recommendation]:
    products = get_adapter().queryset().in_bulk(list(scores))
    return [
        Recommendation(product=products[pk], score=round(score, 6), strategy=strategy)
        for pk, score in sorted(scores.items(), key=lambda item: -item[1])
        if pk in products
    ]


class CollaborativeStrategy(Strategy):
    """Item-to-item neighbours of the shopper's recent products, plus ALS factors."""

    name = "collaborative"

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        model_id = active_model_id()
        weights = app_settings.HYBRID_WEIGHTS
        neighbours = neighbour_scores(
            request, shopper_history(request.shopper), kind=ItemNeighbour.Kind.COOCCURRENCE,
            strategy=self.name, k=request.k * 3, model_id=model_id,
        )  # fmt: skip
        factors = factor_scores(request, strategy=self.name, k=request.k * 3, model_id=model_id)
        blended = blend(
            {"neighbours": neighbours, "factors": factors},
            {"neighbours": weights["neighbours"], "factors": weights["factors"]},
        )
        top = dict(sorted(blended.items(), key=lambda item: -item[1])[: request.k])
        return as_recommendations(top, self.name)


class FrequentlyBoughtTogetherStrategy(Strategy):
    """For a product page or a cart: bought together, else viewed together, else similar."""

    name = "fbt"

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        sources = {pk: 1.0 for pk in (*request.basket_ids, request.product_id) if pk is not None}
        if not sources:
            return []
        model_id = active_model_id()
        scores: dict[int, float] = {}
        for kind in (ItemNeighbour.Kind.BOUGHT_TOGETHER, ItemNeighbour.Kind.COOCCURRENCE):
            more = neighbour_scores(
                request, sources, kind=kind, strategy=self.name, k=request.k, model_id=model_id
            )
            # Bought-together pairs rank above anything only viewed together.
            offset = 1.0 if kind == ItemNeighbour.Kind.BOUGHT_TOGETHER else 0.0
            for pk, score in more.items():
                scores.setdefault(pk, offset + score)
            if len(scores) >= request.k:
                break
        results = as_recommendations(
            dict(sorted(scores.items(), key=lambda item: -item[1])[: request.k]), self.name
        )
        if len(results) < request.k and request.product_id is not None:
            from .registry import get_strategy

            seen = {r.product.pk for r in results}
            similar = get_strategy("similar").recommend(request)
            results += [r for r in similar if r.product.pk not in seen][: request.k - len(results)]
        return results


class RecentlyViewedStrategy(Strategy):
    name = "recently_viewed"

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
        return as_recommendations(scores, self.name)


def blend(signals: dict[str, dict[int, float]], weights: dict[str, float]) -> dict[int, float]:
    """Each signal scaled to [0, 1] by its best candidate, then weighted and summed."""
    total: dict[int, float] = {}
    for name, scores in signals.items():
        weight = weights.get(name, 0.0)
        if not scores or weight <= 0:
            continue
        top = max(scores.values())
        if top <= 0:
            continue
        for pk, score in scores.items():
            total[pk] = total.get(pk, 0.0) + weight * max(score, 0.0) / top
    return total
