"""Celery tasks: take primitive ids, call one service, and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

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
    ids = services.products_needing_embedding_ids()
    return services.products_embedding_enqueue(ids)


@shared_task(acks_late=True, max_retries=3, default_retry_delay=5)
def update_shopper_vector(shopper: str) -> bool:
    return services.shopper_vector_update(shopper)


@shared_task(acks_late=True)
def train_collaborative_model() -> int | None:
    """Periodic retraining; with no interactions yet it logs why and the content strategies
    keep serving."""
    from .collaborative.training import NoInteractions, collaborative_model_train

    try:
        return collaborative_model_train().pk
    except NoInteractions as exc:
        logger.warning("collaborative model not trained: %s", exc)
        return None


@shared_task(acks_late=True)
def refresh_product_stats() -> int:
    return services.product_stats_refresh()
