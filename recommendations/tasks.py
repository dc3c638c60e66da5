"""Celery tasks: take primitive ids, call one service, and are safe to run twice.

Enqueueing lives here too, through `queueing.enqueue` (after the commit; a broker outage is logged,
and the sweepers below catch up); services never import this module (receivers connect the engine's
own signals to the functions below).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import shared_task

from . import services
from .conf import app_settings
from .privacy import events_purge
from .queueing import enqueue
from .reasons.evidence import Evidence
from .reasons.prepare import reasons_prepare
from .reasons.service import reasons_generate
from .recommenders.versions import NoInteractions, version_train
from .services.embeddings import chunked

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, max_retries=3, default_retry_delay=10)
def embed_products(product_ids: list[int], force: bool = False) -> dict:
    """A small task tops itself up with other stale products, so that a burst of single saves
    (an admin import saving row by row) is encoded in full batches; later tasks find their
    products fresh and return at once."""
    product_ids = services.products_top_up(product_ids)
    report = services.products_embed(product_ids, force=force)
    return {"encoded": report.encoded, "unchanged": report.unchanged, "missing": report.missing}


@shared_task(acks_late=True)
def embed_stale_products() -> int:
    """The sweeper: catches products whose task was lost or that changed without a signal."""
    return products_embedding_enqueue(services.products_needing_embedding_ids())


@shared_task(acks_late=True, max_retries=3, default_retry_delay=5)
def update_shopper_vector(shopper: str) -> bool:
    return services.shopper_vector_update(shopper)


@shared_task(acks_late=True)
def update_pending_shoppers() -> int:
    """The sweeper: a shopper whose update could not be queued would otherwise stay pending, and
    their recommendations would never change again."""
    keys = services.shoppers_update_lost(quiet_seconds=app_settings.SHOPPER_UPDATE_SWEEP_SECONDS)
    for key in keys:
        enqueue(update_shopper_vector, key)
    return len(keys)


@shared_task(acks_late=True)
def train_model_version() -> int | None:
    """Periodic retraining of every recommender; with no interactions yet it logs why and the
    content strategies keep serving."""
    try:
        return version_train().pk
    except NoInteractions as exc:
        logger.warning("model version not trained: %s", exc)
        return None


@shared_task(acks_late=True)
def refresh_product_stats() -> int:
    return services.product_stats_refresh()


@shared_task(acks_late=True)
def generate_reasons(items: list[dict], language: str) -> int:
    """Evidence travels whole (it is the cache key); already stored reasons are skipped."""
    evidence = [Evidence.from_dict(item) for item in items]
    return len(reasons_generate(evidence, language=language))


@shared_task(acks_late=True)
def prepare_reasons() -> int:
    """Ahead of need: every placement's list and recent shoppers' "for you", in each language."""
    return reasons_prepare()


@shared_task(acks_late=True)
def purge_old_events() -> int:
    """Retention: events older than `EVENT_RETENTION_DAYS` go; a second run finds none."""
    return events_purge()


def products_embedding_enqueue(product_ids: Iterable[int], *, force: bool = False) -> int:
    """Queue embedding tasks once the current transaction commits; returns the task count."""
    chunks = list(chunked(sorted(set(product_ids)), app_settings.EMBED_TASK_SIZE))
    for chunk in chunks:
        enqueue(embed_products, chunk, force=force)
    return len(chunks)


def reasons_enqueue(items: list[Evidence], language: str) -> None:
    """Queued after the commit, in batches; a broker outage costs only the generated sentence
    (the template one is already on the page), so it is logged, never raised."""
    size = app_settings.REASONS["batch_size"]
    for start in range(0, len(items), size):
        enqueue(generate_reasons, [e.as_dict() for e in items[start : start + size]], language)


def shopper_update_enqueue(shopper: str) -> None:
    """After a short delay, so that a burst of events is one update."""
    enqueue(update_shopper_vector, shopper, countdown=app_settings.SHOPPER_UPDATE_DELAY)


def shoppers_refresh_enqueue(*, missing_only: bool = True) -> int:
    """Queue vector updates for shoppers known only from loaded history (imports, demo data)."""
    keys = services.shoppers_without_vector(missing_only=missing_only)
    for key in keys:
        enqueue(update_shopper_vector, key)
    return len(keys)
