"""Recommenders: one contract (`base.Recommender`), one module per model, chosen in settings."""

from .base import Allowed, Batch, Recommender, Shopper
from .registry import UnknownRecommender, get_recommender, hybrid_weights, recommender_names

__all__ = [
    "Allowed",
    "Batch",
    "Recommender",
    "Shopper",
    "UnknownRecommender",
    "get_recommender",
    "hybrid_weights",
    "recommender_names",
]
