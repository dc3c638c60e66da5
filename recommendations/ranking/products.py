"""Ids and scores in, recommendations out: product rows are loaded once, for the final list."""

from __future__ import annotations

from ..product_rows import products_known, products_listed, products_unread
from ..reasons.evidence import Basis
from .base import Recommendation


def recommendations_load(
    scores: dict[int, float], strategy: str, *, details: dict[int, dict] | None = None,
    bases: dict[int, Basis] | Basis | None = None,
) -> list[Recommendation]:  # fmt: skip
    """Best first (ties: lower id first, as batch scoring breaks them). The products the bases
    name (the shopper's, the page's) are read by the same query, for the evidence."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    listed = [pk for pk, _ in ranked]
    named = products_unread(_named(bases) - set(listed))
    products = products_listed([*listed, *named])
    products_known(products[pk] for pk in named if pk in products)
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


def _named(bases: dict[int, Basis] | Basis | None) -> set[int]:
    found = bases.values() if isinstance(bases, dict) else [bases] if bases else []
    return {
        pk
        for basis in found
        for pk in (*basis.anchors, *basis.related, basis.page_product)
        if pk is not None
    }
