"""Ids and scores in, recommendations out: product rows are loaded once, for the final list."""

from __future__ import annotations

from ..factories import get_adapter
from ..reasons.evidence import Basis
from .base import Recommendation


def recommendations_load(
    scores: dict[int, float], strategy: str, *, details: dict[int, dict] | None = None,
    bases: dict[int, Basis] | Basis | None = None,
) -> list[Recommendation]:  # fmt: skip
    """Best first (ties: lower id first, as batch scoring breaks them)."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    products = get_adapter().listing_queryset().in_bulk([pk for pk, _ in ranked])
    return [
        Recommendation(
            product=products[pk],
            score=round(score, 6),
            strategy=strategy,
            details=(details or {}).get(pk, {}),
            basis=bases.get(pk) if isinstance(bases, dict) else bases,
        )
        for pk, score in ranked
        if pk in products
    ]
