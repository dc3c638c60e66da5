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
# Rows read beyond those wanted, among which a relaxed scan's order is put right.
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
    """relaxed_order iterative scans may return a farther row before a nearer one (the graph
    holds dead rows until a vacuum): a few more are read, and the nearest kept."""
    found = queryset.annotate(distance=distance).order_by("distance")[: limit + RELAXED_MARGIN]
    rows = sorted((p for p in found if p.distance is not None), key=lambda p: (p.distance, p.pk))
    return rows[:limit]


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
        rows = _closest(queryset, distance + Value(0.0), n)
    else:
        rows = _closest(queryset, distance, n)
        if len(rows) < n:
            # A selective filter can leave the graph search short of n (its matches lie far
            # apart in the graph); ordering by an expression the index cannot serve makes it
            # exact, and cheap, since few rows match.
            rows = _closest(queryset, distance + Value(0.0), n)
    return rows


def _few(queryset) -> bool:
    cap = app_settings.EXACT_SEARCH_MAX_ROWS
    return queryset[: cap + 1].count() <= cap
