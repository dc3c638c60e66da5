"""Recommendation strategies and the vector query they share."""

from .base import Filters, Recommendation, RecommendationRequest, Strategy
from .registry import get_strategy, strategy_names

__all__ = [
    "Filters",
    "Recommendation",
    "RecommendationRequest",
    "Strategy",
    "get_strategy",
    "strategy_names",
]
