"""PostgreSQL full-text ranking over the document the product adapter defines."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, models
from django.db.models import F

from ..factories import get_adapter
from .query import has_operators, negated_words, plain_words, product_words

DOCUMENT = "search_document"


def fulltext_query(text: str) -> SearchQuery | None:
    """websearch syntax when the shopper used it; otherwise any of the words that may name a
    product, so "hiking jacket" finds jackets and hiking gear (the rank puts products with both
    first) and "a gift for a runner" does not find every description that says "gift"."""
    config = get_adapter().search_config
    if has_operators(text):
        return SearchQuery(text, search_type="websearch", config=config)
    words = product_words(text)
    if not words:
        return None
    return SearchQuery(" or ".join(words), search_type="websearch", config=config)


def searchable(text: str) -> bool:
    """Whether the text has a word full-text search can use (not only stop words)."""
    words = plain_words(text)
    if not words:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(plainto_tsquery(%s::regconfig, %s)) > 0",
            [get_adapter().search_config, " ".join(words)],
        )
        return cursor.fetchone()[0]


def with_document(queryset: models.QuerySet) -> models.QuerySet:
    return queryset.alias(**{DOCUMENT: get_adapter().search_document()})


def fulltext_ranked(queryset: models.QuerySet, text: str, *, limit: int) -> list[int]:
    """Ids of the products matching the text, best ranked first."""
    query = fulltext_query(text)
    if query is None:
        return []
    return list(
        with_document(queryset)
        .filter(**{DOCUMENT: query})
        .annotate(text_rank=SearchRank(F(DOCUMENT), query))
        .order_by("-text_rank", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def kind_ranked(queryset: models.QuerySet, kind: str, text: str, *, limit: int) -> list[int]:
    """Ids of the products matching the text whose title (weight A) names the kind of product
    asked for, those matching more of the text first."""
    query = fulltext_query(text)
    if query is None:
        return []
    in_title = SearchQuery(f"{kind}:A", search_type="raw", config=get_adapter().search_config)
    return list(
        with_document(queryset)
        .filter(**{DOCUMENT: query})
        .filter(**{DOCUMENT: in_title})
        .annotate(text_rank=SearchRank(F(DOCUMENT), query))
        .order_by("-text_rank", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def fulltext_matching(queryset: models.QuerySet, text: str) -> models.QuerySet:
    query = fulltext_query(text)
    return with_document(queryset).filter(**{DOCUMENT: query}) if query else queryset.none()


def without_excluded(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """Leaves out products with a word the shopper excluded ("jacket -leather"), so the other
    rankings honour it too."""
    excluded = negated_words(text)
    if not excluded:
        return queryset
    query = SearchQuery(
        " or ".join(excluded), search_type="websearch", config=get_adapter().search_config
    )
    return with_document(queryset).exclude(**{DOCUMENT: query})
