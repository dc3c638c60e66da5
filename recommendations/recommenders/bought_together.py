"""Frequently bought together: products bought by one shopper within BASKET_HOURS."""

from __future__ import annotations

from datetime import datetime, timedelta

import scipy.sparse as sp

from ..conf import app_settings
from ..models import ItemNeighbour
from .dataset import InteractionData
from .neighbours import ItemNeighbourRecommender
from .similarity import basket_matrix, cosine_neighbours


def baskets(purchases: list[list[tuple[datetime, int]]]) -> list[list[int]]:
    """Each shopper's purchases within BASKET_HOURS of the basket's first purchase."""
    window = timedelta(hours=app_settings.BASKET_HOURS)
    done: list[list[int]] = []
    for bought in purchases:
        started, items = None, []
        for created_at, column in bought:
            if items and created_at - started > window:
                done.append(items)
                items = []
            if not items:
                started = created_at
            items.append(column)
        done.append(items)
    return [items for items in done if len(items) > 1]


class BoughtTogetherRecommender(ItemNeighbourRecommender):
    """Not a signal of "for you" by default: it answers "what goes with this", for carts."""

    kind = ItemNeighbour.Kind.BOUGHT_TOGETHER

    def fit(self, data: InteractionData) -> sp.csr_matrix:
        rows = basket_matrix(baskets(data.purchases), len(data.product_ids))
        return cosine_neighbours(rows, shrink=1.0, top_n=app_settings.CF_NEIGHBOURS)
