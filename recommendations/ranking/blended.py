"""Strategies that blend recommenders: "for you", "collaborative", "content" and "popular".

Each recommender proposes candidates under the same SQL rules and scores the candidates the
others proposed; the one blend (`blend.py`) scales each by its best candidate and weighs them.
Batch scoring blends the same recommenders' batch scores the same way, so evaluation and export
rank as these do.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..conf import app_settings
from ..reasons.evidence import Basis
from ..recommenders import Shopper, get_recommender, hybrid_weights, recommender_names
from ..recommenders.history import shopper_history
from ..recommenders.versions import active_version_id
from .base import Recommendation, RecommendationRequest, Strategy
from .blend import blend
from .candidates import Allowed, product_queryset
from .products import recommendations_load
from .registry import get_strategy

# The signal a reason speaks of, by recommender name.
SIGNALS = {"popularity": "popular"}


def shopper_read(key: str | None) -> Shopper:
    return Shopper(key=key, history=shopper_history(key), version=active_version_id())


class BlendedStrategy(Strategy):
    # `recommenders` empty: every configured recommender.
    # Answered instead when no personal recommender knows anything of the shopper.
    fallback: str | None = None

    def weights(self) -> dict[str, float]:
        names = list(self.recommenders) or recommender_names()
        if len(names) == 1:
            return {names[0]: 1.0}
        weights = hybrid_weights()
        return {name: weights[name] for name in names if weights[name] > 0}

    def batch_signals(self) -> list[str]:
        return list(self.weights())

    def score_batch(self, signals: dict[str, np.ndarray]) -> np.ndarray:
        return blend(signals, self.weights())

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        weights = self.weights()
        shopper = shopper_read(request.shopper)
        allowed = Allowed(request, self.name)
        n = max(request.k * app_settings.HYBRID_CANDIDATES, 50)
        proposed = {name: get_recommender(name).propose(shopper, allowed, n=n) for name in weights}
        if self.fallback and not any(
            proposed[name] for name in weights if get_recommender(name).personal
        ):
            return get_strategy(self.fallback).recommend(request)
        candidates = sorted(set().union(*proposed.values()))
        scores = {
            name: found
            | get_recommender(name).score(shopper, [pk for pk in candidates if pk not in found])
            for name, found in proposed.items()
        }
        matrix = {
            name: np.array([[values.get(pk, 0.0) for pk in candidates]])
            for name, values in scores.items()
        }
        total = blend(matrix, weights)[0] if candidates else np.zeros(0)
        ranked = sorted(
            ((pk, float(t)) for pk, t in zip(candidates, total, strict=True) if t > 0),
            key=lambda item: (-item[1], item[0]),
        )[: request.k]
        details = {
            pk: {name: round(values.get(pk, 0.0), 6) for name, values in scores.items()}
            for pk, _ in ranked
        }
        bases = blended_bases(shopper, [pk for pk, _ in ranked], matrix, candidates, weights)
        return recommendations_load(dict(ranked), self.name, details=details, bases=bases)


def blended_bases(
    shopper: Shopper, ids: list[int], matrix: dict[str, np.ndarray], candidates: list[int],
    weights: dict[str, float],
) -> dict[int, Basis]:  # fmt: skip
    """Each product's largest weighted term names its signal; the recommender behind it says
    which of the shopper's products led there (one query per kind of explanation)."""
    column = {pk: i for i, pk in enumerate(candidates)}
    shares = {
        name: weights[name] * values[0] / top
        for name, values in matrix.items()
        if len(values[0]) and (top := values[0].max()) > 0
    }
    leading = {pk: max(shares, key=lambda name: (shares[name][column[pk]], name)) for pk in ids}
    by_explainer: dict[object, tuple[str, list[int]]] = {}
    for pk, name in leading.items():
        recommender = get_recommender(name)
        if recommender.personal:
            key = type(recommender).explain
            by_explainer.setdefault(key, (name, []))[1].append(pk)
    anchors: dict[int, int] = {}
    for name, pks in by_explainer.values():
        anchors |= get_recommender(name).explain(shopper, pks)
    return {
        pk: Basis(
            signal=SIGNALS.get(name, name),
            anchors=(anchors[pk],) if pk in anchors else (),
        )
        for pk, name in leading.items()
    }


class ForYouStrategy(BlendedStrategy):
    """Every recommender, weighted by HYBRID_WEIGHTS; "popular" for a shopper we know nothing of.

    A new product reaches shoppers through content before anyone has touched it; a new visitor
    sees popular products, then, from the first click on, neighbours of what they clicked (read
    live) and the shopper vector (updated within seconds).
    """

    fallback = "popular"


class CollaborativeStrategy(BlendedStrategy):
    """What shoppers did together: item-to-item neighbours and ALS factors."""

    recommenders = ("neighbours", "factors")


class ContentStrategy(BlendedStrategy):
    """Nearest products to the shopper vector alone; empty for a shopper with none."""

    recommenders = ("content",)


class PopularStrategy(BlendedStrategy):
    """Most shoppers first, then what is trending, then the newest: what a shopper we know
    nothing of sees. Before the first training that is the trend, not a copy of the shop's own
    "new arrivals" shelf."""

    recommenders = ("popularity",)

    def recommend(self, request: RecommendationRequest) -> list[Recommendation]:
        results = super().recommend(request)
        if len(results) < request.k:
            seen = request.exclude_ids | {r.product.pk for r in results}
            trending = get_strategy("trending").recommend(
                replace(request, k=request.k - len(results), exclude_ids=seen)
            )
            results += trending
        if len(results) < request.k:
            seen = [r.product.pk for r in results]
            newest = (
                product_queryset(request, strategy=self.name)
                .exclude(pk__in=seen)
                .order_by("-pk")[: request.k - len(results)]
            )
            results += [Recommendation(product=p, score=0.0, strategy=self.name) for p in newest]
        return results


class SequentialStrategy(BlendedStrategy):
    """What comes next after the shopper's latest actions (the sequence model). A shopper it
    knows nothing of, or a version whose sequence model cannot be read, gets "for you" instead,
    which then blends the other recommenders."""

    recommenders = ("sequential",)
    fallback = "for_you"
