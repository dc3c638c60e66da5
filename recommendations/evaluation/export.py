"""Batch recommendations for every (or every listed) shopper: e-mail and CRM campaigns."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import TextIO

import numpy as np
import scipy.sparse as sp
from django.contrib.auth import get_user_model

from ..collaborative.dataset import events_from_db
from ..collaborative.training import model_fit
from ..conf import app_settings
from ..factories import get_adapter
from .scoring import BatchScorer, top_k

BATCH = 500


def shopper_label_map(shoppers: Iterable[str]) -> dict[str, str]:
    """How shoppers are named in the file: external ids as they came, accounts by username.
    Anonymous sessions have nobody to write to and are left out."""
    labels: dict[str, str] = {}
    account_ids: dict[int, str] = {}
    for key in shoppers:
        if key.startswith("x:"):
            labels[key] = key[2:]
        elif key.startswith("u:") and key[2:].isdigit():
            account_ids[int(key[2:])] = key
    usernames = get_user_model()._default_manager.filter(pk__in=list(account_ids))
    for pk, username in usernames.values_list("pk", "username"):
        labels[account_ids[pk]] = username
    return labels


def product_labels(
    product_ids: np.ndarray, *, include_out_of_stock: bool
) -> tuple[list[str], np.ndarray]:
    """Each column's label (external id, else primary key) and whether it may be recommended."""
    adapter = get_adapter()
    manager = adapter.model._default_manager
    has_external = any(f.name == "external_id" for f in adapter.model._meta.fields)
    fields = ["pk", "external_id"] if has_external else ["pk", "pk"]
    external = dict(manager.filter(pk__in=product_ids.tolist()).values_list(*fields))
    allowed = adapter.active_q() if include_out_of_stock else adapter.available_q()
    available = set(manager.filter(allowed).values_list("pk", flat=True))
    labels = [str(external.get(int(pk)) or pk) for pk in product_ids]
    mask = np.array([int(pk) in available for pk in product_ids])
    return labels, mask


def recommendations_export(
    *, strategy: str, k: int, output: TextIO, users: list[str] | None = None,
    include_out_of_stock: bool = False, progress: Callable[[int], None] | None = None,
) -> int:  # fmt: skip
    """Write `user,rank,item,score`; items a shopper already interacted with are left out,
    and inactive products always (out-of-stock ones unless asked to include them).

    Listed users the engine has never seen get the popular list.
    """
    model = model_fit(list(events_from_db()))
    scorer = BatchScorer.build(model)
    data = model.data
    labels = shopper_label_map(data.shoppers)
    by_label = {label: key for key, label in labels.items()}
    wanted = (
        [by_label.get(user, user) for user in users]
        if users is not None
        else sorted(labels, key=labels.get)
    )
    items, available = product_labels(data.product_ids, include_out_of_stock=include_out_of_stock)
    unavailable = sp.csr_matrix(~available[np.newaxis, :]).astype(np.float32)
    writer = csv.writer(output)
    writer.writerow(["user", "rank", "item", "score"])
    weights = dict(app_settings.HYBRID_WEIGHTS)
    written = 0
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        known = [key for key in batch if key in data.shopper_index]
        rows = [data.shopper_index[key] for key in known]
        if rows:
            scores = scorer.scores(strategy, rows, weights)
            exclude = data.matrix[rows] + sp.vstack([unavailable] * len(rows))
            for key, (columns, values) in zip(known, top_k(scores, k, exclude), strict=True):
                label = labels.get(key, key)
                for rank, (column, score) in enumerate(zip(columns, values, strict=True), 1):
                    writer.writerow([label, rank, items[column], f"{score:.6f}"])
                    written += 1
        unknown = [key for key in batch if key not in data.shopper_index]
        if unknown:
            popular = np.where(available, scorer.popularity, -np.inf)
            order = [c for c in np.argsort(-popular, kind="stable")[:k] if np.isfinite(popular[c])]
            for key in unknown:
                for rank, column in enumerate(order, 1):
                    writer.writerow(
                        [labels.get(key, key), rank, items[column], f"{popular[column]:.6f}"]
                    )
                    written += 1
        if progress:
            progress(len(batch))
    return written
