"""Train a collaborative model version, write it while inactive, then switch it on atomically."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import scipy.sparse as sp
from django.db import connection, transaction
from django.utils import timezone

from ..conf import app_settings
from ..models import CollaborativeModel, ItemFactor, ItemNeighbour, ShopperFactor
from .dataset import Event, InteractionData, events_from_db, interaction_data
from .factors import als_factors
from .neighbours import basket_matrix, cosine_neighbours

logger = logging.getLogger(__name__)
Kind = ItemNeighbour.Kind


class NoInteractions(Exception):
    """Nothing to learn from; content-based recommendations keep serving."""


@dataclass
class TrainedModel:
    data: InteractionData
    neighbours: sp.csr_matrix
    bought_together: sp.csr_matrix
    shopper_factors: np.ndarray
    product_factors: np.ndarray


def baskets(events: Iterable[Event], product_index: dict[int, int]) -> list[list[int]]:
    """Purchases of one shopper within BASKET_HOURS of the basket's first purchase."""
    window = timedelta(hours=app_settings.BASKET_HOURS)
    open_baskets: dict[str, tuple[object, list[int]]] = {}
    done: list[list[int]] = []
    for event in events:
        if event.kind != "purchase":
            continue
        started, items = open_baskets.get(event.shopper, (None, None))
        if items is None or event.created_at - started > window:
            if items and len(items) > 1:
                done.append(items)
            open_baskets[event.shopper] = (event.created_at, [product_index[event.product_id]])
        else:
            items.append(product_index[event.product_id])
    done.extend(items for _, items in open_baskets.values() if len(items) > 1)
    return done


def catalog_ids() -> list[int]:
    """Every product, so untouched ones can still be ranked (through content)."""
    from ..factories import get_adapter

    return list(get_adapter().model._default_manager.order_by("pk").values_list("pk", flat=True))


def model_fit(events: list[Event], product_ids: list[int] | None = None) -> TrainedModel:
    """Pure computation, no writes: also what offline evaluation trains."""
    if not events:
        raise NoInteractions("No interactions with products are recorded yet.")
    data = interaction_data(events, product_ids if product_ids is not None else catalog_ids())
    neighbours = cosine_neighbours(
        data.matrix, shrink=app_settings.CF_SHRINK, top_n=app_settings.CF_NEIGHBOURS
    )
    basket_rows = basket_matrix(baskets(events, data.product_index), len(data.product_ids))
    bought_together = cosine_neighbours(basket_rows, shrink=1.0, top_n=app_settings.CF_NEIGHBOURS)
    shopper_factors, product_factors = als_factors(
        data.matrix,
        factors=app_settings.CF_FACTORS,
        threads=app_settings.CF_THREADS,
        **app_settings.CF_ALS,
    )
    return TrainedModel(data, neighbours, bought_together, shopper_factors, product_factors)


def _vector_text(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.6g}" for x in vector) + "]"


def _neighbour_rows(model_id: int, kind: str, matrix: sp.csr_matrix, ids: np.ndarray) -> Iterator:
    coo = matrix.tocoo()
    for i, j, score in zip(coo.row, coo.col, coo.data, strict=True):
        yield (model_id, kind, int(ids[i]), int(ids[j]), float(score))


def _copy(table: str, columns: str, rows: Iterable[tuple]) -> None:
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def model_write(model: CollaborativeModel, trained: TrainedModel) -> None:
    ids = trained.data.product_ids
    neighbour_table = ItemNeighbour._meta.db_table
    columns = "model_id, kind, product_id, neighbour_id, score"
    _copy(
        neighbour_table,
        columns,
        _neighbour_rows(model.pk, Kind.COOCCURRENCE, trained.neighbours, ids),
    )
    _copy(
        neighbour_table, columns,
        _neighbour_rows(model.pk, Kind.BOUGHT_TOGETHER, trained.bought_together, ids),
    )  # fmt: skip
    _copy(
        ItemFactor._meta.db_table,
        "model_id, product_id, vector",
        (
            (model.pk, int(pk), _vector_text(v))
            for pk, v in zip(ids, trained.product_factors, strict=True)
        ),
    )
    _copy(
        ShopperFactor._meta.db_table,
        "model_id, shopper, vector",
        (
            (model.pk, shopper, _vector_text(v))
            for shopper, v in zip(trained.data.shoppers, trained.shopper_factors, strict=True)
        ),
    )


def model_activate(model: CollaborativeModel) -> None:
    """One transaction: readers see the old version or the new one, never a mix."""
    with transaction.atomic():
        CollaborativeModel.objects.filter(is_active=True).update(
            is_active=False, status=CollaborativeModel.Status.RETIRED
        )
        model.is_active = True
        model.status = CollaborativeModel.Status.ACTIVE
        model.activated_at = timezone.now()
        model.save(update_fields=["is_active", "status", "activated_at"])
    # Keep the previous version for a quick look back; older ones go.
    retired = CollaborativeModel.objects.filter(is_active=False).exclude(
        status=CollaborativeModel.Status.TRAINING
    )
    for old in retired.order_by("-created_at")[1:]:
        old.delete()


def collaborative_model_train() -> CollaborativeModel:
    """Fit on every recorded interaction and activate; raises NoInteractions on an empty log."""
    started = time.perf_counter()
    events = list(events_from_db())
    trained = model_fit(events)
    model = CollaborativeModel.objects.create(
        params={
            "neighbours": app_settings.CF_NEIGHBOURS,
            "shrink": app_settings.CF_SHRINK,
            "factors": app_settings.CF_FACTORS,
            **app_settings.CF_ALS,
        },
        interactions=trained.data.events,
        shoppers=len(trained.data.shoppers),
        products=len(trained.data.product_ids),
    )
    try:
        with transaction.atomic():
            model_write(model, trained)
    except Exception as exc:
        CollaborativeModel.objects.filter(pk=model.pk).update(
            status=CollaborativeModel.Status.FAILED, error=str(exc)[:2000]
        )
        raise
    model.train_seconds = time.perf_counter() - started
    model.save(update_fields=["train_seconds"])
    model_activate(model)
    logger.info("collaborative model %s active after %.1fs", model.pk, model.train_seconds)
    return model
