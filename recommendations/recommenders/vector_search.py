"""The one SQL query behind every vector recommendation: filters and vector order together.

The HNSW index is searched with pgvector's iterative scans (set per connection, see
`connection_setup`), so a filter that matches 1% of the catalog still yields k rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models
from django.db.models import Expression, Value
from pgvector.django import CosineDistance

from ..conf import app_settings

VECTOR = "recommendation_embedding__vector"
# Rows read from the graph beyond those wanted (see `nearest`).
RELAXED_MARGIN = 10


def connection_setup(sender, connection, **kwargs) -> None:
    """Session settings for HNSW scans; connected to `connection_created`."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('hnsw.ef_search', %s, false),"
            " set_config('hnsw.iterative_scan', %s, false),"
            " set_config('hnsw.max_scan_tuples', %s, false)",
            [
                str(app_settings.HNSW_EF_SEARCH),
                app_settings.HNSW_ITERATIVE_SCAN,
                str(app_settings.HNSW_MAX_SCAN_TUPLES),
            ],
        )


def ordered(
    queryset: models.QuerySet, vector: Expression | list[float], limit: int, *, exact: bool
) -> models.QuerySet:
    """The first `limit` rows of `queryset` by distance to `vector`, each with a `distance`.
    `exact`: ordered by an expression the index cannot serve, so every row is compared."""
    distance = CosineDistance(VECTOR, vector)
    if exact:
        distance = distance + Value(0.0)
    found = queryset.filter(**{f"{VECTOR}__isnull": False}).annotate(distance=distance)
    return found.order_by("distance")[:limit]


# (exact, limit) → rows with a `distance`: `ordered`'s rows, however the caller runs it.
Search = Callable[[bool, int], Iterable[models.Model]]


def nearest(
    queryset: models.QuerySet, vector: Expression | list[float], *, n: int, narrow: bool
) -> list[models.Model]:
    """The n products of `queryset` closest to `vector`, each with a `distance`, closest first.

    `narrow`: the caller filters beyond availability, so the matches may be few.
    """
    few = narrow and few_with_vectors(queryset)
    return nearest_by(
        lambda exact, limit: ordered(queryset, vector, limit, exact=exact), n=n, few=few
    )


def nearest_by(search: Search, *, n: int, few: bool = False) -> list[models.Model]:
    """`nearest`, with its queries run by `search`.

    `few`: so few rows match that sorting them exactly is faster than walking the graph for
    them, and never misses one (their neighbours in the graph are other products).
    """
    if few:
        return _closest(search(True, n))
    # A few rows beyond n: the nearest n are then right even where the relaxed order was not.
    rows = _closest(search(False, n + RELAXED_MARGIN))
    if len(rows) < n + RELAXED_MARGIN:
        # The graph came up short: few rows match (a selective filter, a small catalog), or
        # the search gave up among rows deleted since the last vacuum (seen in the test
        # database, where it missed live rows). Ordering by an expression the index cannot
        # serve makes it exact, and cheap, since few rows match.
        rows = _closest(search(True, n))
    return rows[:n]


def _closest(found: Iterable[models.Model]) -> list[models.Model]:
    """relaxed_order iterative scans may return a farther row before a nearer one, so the
    order is put right here."""
    return sorted((p for p in found if p.distance is not None), key=lambda p: (p.distance, p.pk))


def few_with_vectors(queryset: models.QuerySet) -> bool:
    """Whether at most EXACT_SEARCH_MAX_ROWS rows of `queryset` have a vector (see
    `nearest_by`'s `few`)."""
    cap = app_settings.EXACT_SEARCH_MAX_ROWS
    return queryset.filter(**{f"{VECTOR}__isnull": False})[: cap + 1].count() <= cap
