"""The engine's own tables, one concept a module.

Shoppers are identified by a key, not a foreign key, so that accounts (``u:<id>``), anonymous
sessions (``s:<session key>``) and external ids from imports (``x:<id>``) share one code path.
"""

from django.conf import settings

if not getattr(settings, "RECOMMENDATIONS_PRODUCT_MODEL", None):
    # The relations below need a model to name, and failing here would come before Django's checks
    # could say why: they name a placeholder instead, and check E001 reports the missing setting.
    settings.RECOMMENDATIONS_PRODUCT_MODEL = "recommendations.ProductModelNotSet"

from .collaborative import (
    CollaborativeModel,
    ItemFactor,
    ItemNeighbour,
    ItemPopularity,
    ProductStats,
    ShopperFactor,
)
from .embeddings import EmbeddingState, ProductEmbedding, ShopperEmbedding
from .interactions import Interaction
from .placements import *  # noqa: F403
from .privacy import ShopperPreference
from .reasons import Reason
from .sequential import SequentialItem, SequentialModel

__all__ = [
    "CollaborativeModel",
    "EmbeddingState",
    "Interaction",
    "ItemFactor",
    "ItemNeighbour",
    "ItemPopularity",
    "ProductEmbedding",
    "ProductStats",
    "Reason",
    "SequentialItem",
    "SequentialModel",
    "ShopperEmbedding",
    "ShopperFactor",
    "ShopperPreference",
]
