"""The one SQL query behind every vector recommendation: filters and vector order together.

The HNSW index is searched with pgvector's iterative scans (set per connection, see
`connection_setup`), so a filter that matches 1% of the catalog still yields k rows.
"""

from __future__ import annotations

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


def _closest(queryset, distance, limit: int) -> list:
    """Up to `limit` rows, nearest first. relaxed_order iterative scans may return a farther row
    before a nearer one, so the order is put right here."""
    found = queryset.annotate(distance=distance).order_by("distance")[:limit]
    return sorted((p for p in found if p.distance is not None), key=lambda p: (p.distance, p.pk))


def nearest(
    queryset: models.QuerySet, vector: Expression | list[float], *, n: int, narrow: bool
) -> list[models.Model]:
    """The n products of `queryset` closest to `vector`, each with a `distance`, closest first.

    `narrow`: the caller filters beyond availability, so the matches may be few.
    """
    queryset = queryset.filter(**{f"{VECTOR}__isnull": False})
    distance = CosineDistance(VECTOR, vector)
    if narrow and _few(queryset):
        # A selective filter: sorting its few matches exactly is faster than walking the graph
        # for them, and never misses one (their neighbours in the graph are other products).
        return _closest(queryset, distance + Value(0.0), n)
    # A few rows beyond n: the nearest n are then right even where the relaxed order was not.
    rows = _closest(queryset, distance, n + RELAXED_MARGIN)
    if len(rows) < n + RELAXED_MARGIN:
        # The graph came up short: few rows match (a selective filter, a small catalog), or
        # the search gave up among rows deleted since the last vacuum (seen in the test
        # database, where it missed live rows). Ordering by an expression the index cannot
        # serve makes it exact, and cheap, since few rows match.
        rows = _closest(queryset, distance + Value(0.0), n)
    return rows[:n]


def _few(queryset) -> bool:
    cap = app_settings.EXACT_SEARCH_MAX_ROWS
    return queryset[: cap + 1].count() <= cap
