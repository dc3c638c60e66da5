"""Writes of interactions: record an event once, and merge an anonymous history into an account."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from .. import signals
from ..conf import app_settings
from ..models import Interaction, ShopperEmbedding, ShopperPreference
from ..placements.tracking import placement_events_merge
from ..privacy import personalisation_known, preference_merge
from ..reasons.collect import searches_key
from ..request_memo import memo_forget
from .embeddings import chunked

Kind = Interaction.Kind
# Texts are kept short enough for the uniqueness index (a btree entry holds ~2.7 kB).
TEXT_LIMIT = 500
LOAD_BATCH = 20000
# The event unless the same one was recorded within the window (the unique constraint catches
# two at once), then the shopper's vector marked pending: true in the second column only when
# this event flipped it, so one update is asked for per burst (see `shopper_update_schedule`).
# The third column is the shopper's choice on personalisation, which the widgets of the page
# that recorded the event ask next: read in the same round trip.
RECORD_SQL = f"""
WITH recorded AS (
    INSERT INTO {Interaction._meta.db_table}
        (shopper, kind, product_id, text, value, weight, source, created_at)
    SELECT %(shopper)s::varchar, %(kind)s::varchar, %(product_id)s::bigint, %(text)s::text,
        %(value)s::float8, %(weight)s::float8, %(source)s::varchar, %(created_at)s::timestamptz
    WHERE NOT EXISTS (
        SELECT 1 FROM {Interaction._meta.db_table}
        WHERE shopper = %(shopper)s AND kind = %(kind)s
            AND product_id IS NOT DISTINCT FROM %(product_id)s AND text = %(text)s
            AND created_at BETWEEN %(earliest)s AND %(latest)s
    )
    ON CONFLICT DO NOTHING
    RETURNING id
), flipped AS (
    INSERT INTO {ShopperEmbedding._meta.db_table}
        (shopper, model_name, interaction_count, update_pending)
    SELECT %(shopper)s::varchar, '', 0, true FROM recorded
    ON CONFLICT (shopper) DO UPDATE SET update_pending = true
    WHERE NOT {ShopperEmbedding._meta.db_table}.update_pending
    RETURNING 1
)
SELECT (SELECT id FROM recorded), EXISTS (SELECT 1 FROM flipped), NOT EXISTS (
    SELECT 1 FROM {ShopperPreference._meta.db_table}
    WHERE shopper = %(shopper)s AND NOT personalised
)
"""


@dataclass(frozen=True)
class InteractionRow:
    shopper: str
    kind: str
    created_at: datetime
    product_id: int | None = None
    text: str = ""
    value: float | None = None


def interaction_weight(kind: str) -> float:
    return float(app_settings.INTERACTION_WEIGHTS.get(kind, 0.0))


def interaction_record(
    *,
    shopper: str,
    kind: str,
    product_id: int | None = None,
    text: str = "",
    value: float | None = None,
    weight: float | None = None,
    source: str = Interaction.Source.SIGNAL,
    created_at: datetime | None = None,
) -> Interaction | None:
    """Store one event; the same shopper, product and kind again within the window counts once.

    Returns None for a collapsed duplicate. Schedules a shopper-vector update after commit.
    One statement: it runs on every product page, and the duplicate check, the insert and the
    pending flag were four round trips.
    """
    created_at = created_at or timezone.now()
    window = timedelta(seconds=app_settings.DUPLICATE_EVENT_WINDOW)
    fields = {
        "shopper": shopper,
        "kind": kind,
        "product_id": product_id,
        "text": text[:TEXT_LIMIT],
        "value": value,
        "weight": interaction_weight(kind) if weight is None else weight,
        "source": source,
        "created_at": created_at,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            RECORD_SQL,
            {**fields, "earliest": created_at - window, "latest": created_at + window},
        )
        interaction_id, flipped, personalised = cursor.fetchone()
    personalisation_known(shopper, enabled=personalised)
    if flipped:
        signals.shopper_stale.send(sender=None, shopper=shopper)
    if interaction_id is not None and kind == Kind.SEARCH:
        memo_forget(searches_key(shopper))
    return None if interaction_id is None else Interaction(id=interaction_id, **fields)


def shopper_update_schedule(shopper: str) -> None:
    """One update per burst: only the call that flips `update_pending` asks for one."""
    ShopperEmbedding.objects.get_or_create(shopper=shopper)
    flipped = ShopperEmbedding.objects.filter(shopper=shopper, update_pending=False).update(
        update_pending=True
    )
    if flipped:
        signals.shopper_stale.send(sender=None, shopper=shopper)


def shopper_history_merge(*, source: str, target: str) -> int:
    """Move an anonymous visitor's history to their account when they log in."""
    if source == target:
        return 0
    with transaction.atomic():
        moved = Interaction.objects.filter(shopper=source).update(shopper=target)
        ShopperEmbedding.objects.filter(shopper=source).delete()
        placement_events_merge(source=source, target=target)
        preference_merge(source=source, target=target)
        if moved:
            shopper_update_schedule(target)
    return moved


def shopper_forget(shopper: str) -> None:
    """Delete everything known about a shopper (account deleted)."""
    Interaction.objects.filter(shopper=shopper).delete()
    ShopperEmbedding.objects.filter(shopper=shopper).delete()


def interactions_load(
    rows: Iterable[InteractionRow], *, source: str = Interaction.Source.IMPORT
) -> int:
    """Bulk-load past events (imports, demo history); returns how many were new.

    COPY into a temporary table, then one INSERT that skips events already stored (the unique
    constraint), so loading the same file again adds nothing. Shopper vectors are not scheduled
    here: the caller refreshes them once, after loading.
    """
    table = Interaction._meta.db_table
    columns = "shopper, kind, product_id, text, value, weight, source, created_at"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE interaction_load (LIKE {table} INCLUDING DEFAULTS)")
        cursor.execute("ALTER TABLE interaction_load DROP COLUMN id")
        # Rows are drawn in batches outside COPY: a generator that reads the database (the
        # demo history does) would otherwise wait on the connection the COPY holds.
        for batch in chunked(rows, LOAD_BATCH):
            with cursor.copy(f"COPY interaction_load ({columns}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(
                        (
                            row.shopper, row.kind, row.product_id, row.text[:TEXT_LIMIT],
                            row.value, interaction_weight(row.kind), source, row.created_at,
                        )
                    )  # fmt: skip
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM interaction_load"
            " ON CONFLICT DO NOTHING"
        )
        created = cursor.rowcount
        cursor.execute("DROP TABLE interaction_load")
        return created
