"""Writes: embedding products and shoppers, recording interactions."""

from .embeddings import (
    EmbedReport,
    products_changed,
    products_embed,
    products_embedding_enqueue,
    products_mark_stale,
    products_needing_embedding_ids,
)
from .interactions import (
    interaction_record,
    shopper_forget,
    shopper_history_merge,
    shopper_update_schedule,
)
from .shoppers import shopper_vector_compute, shopper_vector_update

__all__ = [
    "EmbedReport",
    "interaction_record",
    "products_changed",
    "products_embed",
    "products_embedding_enqueue",
    "products_mark_stale",
    "products_needing_embedding_ids",
    "shopper_forget",
    "shopper_history_merge",
    "shopper_update_schedule",
    "shopper_vector_compute",
    "shopper_vector_update",
]
