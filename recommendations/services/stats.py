"""Trend per product, recomputed in one statement so requests read one row.

Trend counts shoppers, not events: each shopper counts once per product, with the weight of
their strongest action (a view, a purchase), and a product needs `TRENDING_MIN_SHOPPERS` recent
shoppers to trend. So one visitor clicking a product a hundred times, or one script replaying a
request, moves nothing.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ..conf import app_settings
from ..models import Interaction, ProductStats

REFRESH_SQL = """
WITH shoppers AS (
    SELECT product_id, shopper,
           MAX(weight) FILTER (WHERE created_at > %(now)s - make_interval(hours => %(hours)s))
               AS recent,
           MAX(weight) FILTER (WHERE created_at <= %(now)s - make_interval(hours => %(hours)s))
               AS before
    FROM recommendations_interaction
    WHERE product_id IS NOT NULL AND weight > 0
      AND created_at > %(now)s - make_interval(days => 7, hours => %(hours)s)
      AND created_at <= %(now)s
    GROUP BY product_id, shopper
), scored AS (
    SELECT product_id, SUM(recent) AS recent, COUNT(recent) AS recent_shoppers,
           SUM(before) AS before
    FROM shoppers GROUP BY product_id
)
INSERT INTO recommendations_productstats (product_id, trending, updated_at)
SELECT product_id,
       -- Recent rate against the week before, in units of that week's noise: a jump from 0 to 3
       -- matters, a bestseller's steady 100 does not.
       CASE WHEN recent_shoppers >= %(min_shoppers)s
            THEN (COALESCE(recent, 0) - COALESCE(before, 0) * %(hours)s / 168.0)
                 / sqrt(COALESCE(before, 0) * %(hours)s / 168.0 + 1)
            ELSE 0 END,
       %(updated)s
FROM scored
"""


def reference_time():
    """Now, or the newest event when the log is older (an imported history)."""
    newest = Interaction.objects.aggregate(newest=Max("created_at"))["newest"]
    now = timezone.now()
    return min(now, newest) if newest else now


def product_stats_refresh() -> int:
    """Replace every row in one transaction; readers see the old table or the new one."""
    params = {
        "now": reference_time(),
        "hours": app_settings.TRENDING_HOURS,
        "min_shoppers": app_settings.TRENDING_MIN_SHOPPERS,
        "updated": timezone.now(),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        ProductStats.objects.all().delete()
        cursor.execute(REFRESH_SQL, params)
        return cursor.rowcount
