"""The engine's own tables, one concept a module.

Shoppers are identified by a key, not a foreign key, so that accounts (``u:<id>``), anonymous
sessions (``s:<session key>``) and external ids from imports (``x:<id>``) share one code path.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if not getattr(settings, "RECOMMENDATIONS_PRODUCT_MODEL", None):
    raise ImproperlyConfigured(
        "Set RECOMMENDATIONS_PRODUCT_MODEL = 'app_label.ModelName' (your product model)."
    )

from .collaborative import (
    CollaborativeModel,
    ItemFactor,
    ItemNeighbour,
    ProductStats,
    ShopperFactor,
)
from .embeddings import EmbeddingState, ProductEmbedding, ShopperEmbedding
from .interactions import Interaction
from .placements import *  # noqa: F403

__all__ = [
    "CollaborativeModel",
    "EmbeddingState",
    "Interaction",
    "ItemFactor",
    "ItemNeighbour",
    "ProductEmbedding",
    "ProductStats",
    "ShopperEmbedding",
    "ShopperFactor",
]
