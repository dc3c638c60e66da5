"""Strategies: compositions of recommenders, one blend and the rules, served and batch-scored."""

from .base import Filters, NotBatchable, Recommendation, RecommendationRequest, Strategy
from .registry import get_strategy, strategy_names

__all__ = [
    "Filters",
    "NotBatchable",
    "Recommendation",
    "RecommendationRequest",
    "Strategy",
    "get_strategy",
    "strategy_names",
]
