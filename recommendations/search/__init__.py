"""One search for the store's box, the API and "describe what you want": full text, vectors and
the request's limits, fused by reciprocal rank."""

from .query import query_clean
from .service import SearchRanking, search_filters, search_problems, search_rank

__all__ = ["SearchRanking", "query_clean", "search_filters", "search_problems", "search_rank"]
