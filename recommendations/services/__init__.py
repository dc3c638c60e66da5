"""Writes: embedding products and shoppers, recording interactions."""

from .embeddings import (
    EmbedReport,
    products_changed,
    products_embed,
    products_mark_stale,
    products_needing_embedding_ids,
    products_top_up,
)
from .interactions import (
    InteractionRow,
    interaction_record,
    interactions_load,
    shopper_forget,
    shopper_history_merge,
    shopper_update_schedule,
)
from .shoppers import (
    shopper_vector_compute,
    shopper_vector_update,
    shoppers_update_lost,
    shoppers_without_vector,
)
from .stats import product_stats_refresh

__all__ = [
    "EmbedReport",
    "InteractionRow",
    "interaction_record",
    "interactions_load",
    "product_stats_refresh",
    "products_changed",
    "products_embed",
    "products_mark_stale",
    "products_needing_embedding_ids",
    "products_top_up",
    "shopper_forget",
    "shopper_history_merge",
    "shopper_update_schedule",
    "shopper_vector_compute",
    "shopper_vector_update",
    "shoppers_update_lost",
    "shoppers_without_vector",
]
