"""The search every front end uses: the request's limits as filters, then full text, vectors
and the kind of product named, fused by reciprocal rank; related products when nothing matches."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db import models
from django.utils.translation import gettext as _

from ..conf import app_settings
from ..factories import get_adapter, get_encoder
from ..ranking.base import Filters
from ..recommenders.vector_search import nearest
from ..shopping_requests import ParsedRequest, request_parse
from .fulltext import (
    fulltext_matching,
    fulltext_ranked,
    kind_ranked,
    searchable,
    without_excluded,
)
from .fusion import rrf_fuse
from .query import has_operators, head_word, plain_words
from .typos import typos_correct


@dataclass
class SearchRanking:
    """Product ids with their scores, best first, and how the request was read."""

    ranked: list[tuple[int, float]]
    filters: Filters
    parsed: ParsedRequest
    # The words searched for, after typo correction ("" when the request was only limits).
    text: str = ""
    # Set when a typo was corrected: the shopper is told what was searched instead.
    corrected: bool = False
    # No product matched: these are the closest ones by meaning.
    related: bool = False
    # The request had nothing to search for: no words and no limits.
    empty: bool = False
    # Parts of the request that could not be used (an impossible price), in words.
    problems: list[str] = field(default_factory=list)


def search_filters(query: str, filters: Filters) -> tuple[Filters, ParsedRequest]:
    """The caller's filters tightened by what the request says; the stricter bound wins."""
    parsed = request_parse(query)
    combined = replace(
        filters,
        min_price=_tighter(filters.min_price, parsed.min_price, max),
        max_price=_tighter(filters.max_price, parsed.max_price, min),
        category_ids=filters.category_ids or tuple(parsed.category_ids),
        brand_ids=filters.brand_ids or tuple(parsed.brand_ids),
        include_out_of_stock=filters.include_out_of_stock and not parsed.in_stock,
    )
    return combined, parsed


def search_problems(query: str, filters: Filters | None = None) -> list[str]:
    """Why a request cannot be searched as written, in words; [] when it can. An API answers
    these with a 400; pages search what they can and show them."""
    combined, parsed = search_filters(query, filters or Filters())
    problems = list(parsed.problems)
    if not problems and not combined.narrows() and not searchable(parsed.semantic_text):
        problems.append(
            _("“%(query)s” has only very common words: name the kind of product you want.")
            % {"query": query}
        )
    return problems


def search_rank(
    query: str,
    *,
    filters: Filters | None = None,
    limit: int,
    queryset: models.QuerySet | None = None,
) -> SearchRanking:
    """Up to `limit` products for a request in the shopper's words.

    `queryset`: the products the caller may show (default: all the adapter's), narrowed here
    by the filters and the request's limits.
    """
    combined, parsed = search_filters(query, filters or Filters())
    candidates = (queryset if queryset is not None else get_adapter().queryset()).filter(
        combined.q()
    )
    result = SearchRanking(ranked=[], filters=combined, parsed=parsed, problems=parsed.problems)
    words = parsed.semantic_text
    if not searchable(words):
        if combined.narrows():
            result.ranked = _by_price(candidates, limit)
        else:
            result.empty = True
        return result
    result.text = typos_correct(words)
    result.corrected = result.text != words
    vector = get_encoder().encode([" ".join(plain_words(result.text))])[0].tolist()
    result.ranked = _hybrid(candidates, result.text, vector, limit=limit, narrow=combined.narrows())
    if not result.ranked:
        # Within limits the shopper set, the closest products are worth showing however far;
        # without any, only those reasonably close.
        minimum = -1.0 if combined.narrows() else app_settings.SEARCH["RELATED_MIN_SIMILARITY"]
        related = without_excluded(candidates, result.text)
        result.ranked = _vector_ranked(
            related, vector, limit=limit, minimum=minimum, narrow=combined.narrows()
        )
        result.related = bool(result.ranked)
    return result


def _hybrid(
    candidates: models.QuerySet, text: str, vector: list[float], *, limit: int, narrow: bool
) -> list[tuple[int, float]]:
    settings = app_settings.SEARCH
    depth = max(limit, settings["CANDIDATES"])
    if has_operators(text):
        # "a phrase", -word, either or other: the shopper says exactly what matches; meaning
        # only orders those products.
        candidates = fulltext_matching(candidates, text)
    rankings = {"fulltext": fulltext_ranked(candidates, text, limit=depth)}
    kind = head_word(plain_words(text))
    if kind:
        rankings["kind"] = kind_ranked(candidates, kind, text, limit=depth)
    close = _vector_ranked(
        without_excluded(candidates, text), vector, limit=depth,
        minimum=settings["MIN_SIMILARITY"], narrow=narrow,
    )  # fmt: skip
    rankings["vector"] = [pk for pk, _ in close]
    fused = rrf_fuse(rankings, weights=settings["WEIGHTS"], k=settings["RRF_K"])
    return fused[:limit]


def _vector_ranked(
    candidates: models.QuerySet, vector: list[float], *, limit: int, minimum: float, narrow: bool
) -> list[tuple[int, float]]:
    """Products at least `minimum` similar to the words' vector, closest first."""
    found = nearest(candidates, vector, n=limit, narrow=narrow)
    return [(p.pk, round(1.0 - p.distance, 6)) for p in found if 1.0 - p.distance >= minimum]


def _by_price(candidates: models.QuerySet, limit: int) -> list[tuple[int, float]]:
    """A request of limits only ("under 50"): what meets them, cheapest first, scored by
    position as a fused ranking is."""
    price = get_adapter().price_field
    ids = candidates.order_by(price, "pk").values_list("pk", flat=True)[:limit]
    k = app_settings.SEARCH["RRF_K"]
    return [(pk, 1.0 / (k + position)) for position, pk in enumerate(ids, start=1)]


def _tighter(a, b, pick):
    if a is None:
        return b
    if b is None:
        return a
    return pick(a, b)
