"""Admin of the engine: embeddings, shoppers' rows, a widget preview, placements, experiments,
reasons.

Importing the package registers every model admin; `RecommendationAdminMixin` is for the host's
own product admin. Pages only call selectors, services and `presentation`. Vectors are never
shown: they mean nothing to a person and are large.
"""

from . import experiments, placements, reasons, shoppers  # noqa: F401  (they register their admins)
from .embeddings import EmbeddingStateFilter, RecommendationAdminMixin

__all__ = ["EmbeddingStateFilter", "RecommendationAdminMixin"]
