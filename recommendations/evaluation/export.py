"""Batch recommendations for every (or every listed) shopper: e-mail and CRM campaigns."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import TextIO

import numpy as np
from django.contrib.auth import get_user_model

from ..factories import get_adapter
from ..models import ShopperPreference
from ..ranking import Filters, get_strategy
from ..recommenders.dataset import events_from_db
from ..recommenders.versions import (
    NoInteractions,
    active_version_id,
    artifacts_fit,
    artifacts_load,
    dataset_build,
)
from .batch import BatchScorer, rows_per_batch, top_k


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


def product_labels(product_ids: np.ndarray) -> list[str]:
    """Each column's label: external id, else primary key."""
    adapter = get_adapter()
    manager = adapter.model._default_manager
    has_external = any(f.name == "external_id" for f in adapter.model._meta.fields)
    fields = ["pk", "external_id"] if has_external else ["pk", "pk"]
    external = dict(manager.filter(pk__in=product_ids.tolist()).values_list(*fields))
    return [str(external.get(int(pk)) or pk) for pk in product_ids]


def product_availability(product_ids: np.ndarray, *, include_out_of_stock: bool) -> np.ndarray:
    """Per column: may it be recommended (the rule `ranking.Filters` applies online)."""
    queryset = (
        get_adapter().queryset().filter(Filters(include_out_of_stock=include_out_of_stock).q())
    )
    available = set(queryset.values_list("pk", flat=True))
    return np.array([int(pk) in available for pk in product_ids], dtype=bool)


def scorer_build(
    *, refit: bool, include_out_of_stock: bool, names: list[str] | None = None
) -> BatchScorer:
    """The active version's artifacts (as served), or freshly fitted ones with `refit`; only
    those of the recommenders `names`, when given."""
    data = dataset_build(list(events_from_db()))
    version = active_version_id()
    if not refit and version is None:
        raise NoInteractions("No trained model version is active yet; train one or use --refit.")
    if refit:
        artifacts = artifacts_fit(data, names=names)
    else:
        artifacts = artifacts_load(data, version, names=names)
    return BatchScorer(
        data=data,
        artifacts=artifacts,
        available=product_availability(data.product_ids, include_out_of_stock=include_out_of_stock),
    )


def recommendations_export(
    *, strategy: str, k: int, output: TextIO, users: list[str] | None = None,
    include_out_of_stock: bool = False, refit: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:  # fmt: skip
    """Write `user,rank,item,score` as the strategy serves them: the same rules leave products
    out (what the shopper bought, where the strategy says so; inactive products always; out of
    stock ones unless asked to include them). Listed users the engine has never seen, and those
    who switched personalisation off, get the popular list. Raises NotBatchable for a strategy
    that cannot score in batch."""
    chosen = get_strategy(strategy)
    # Newcomers get the popular list.
    names = sorted({*chosen.batch_signals(), "popularity"})
    scorer = scorer_build(refit=refit, include_out_of_stock=include_out_of_stock, names=names)
    data = scorer.data
    labels = shopper_label_map(data.shoppers)
    by_label = {label: key for key, label in labels.items()}
    wanted = (
        [by_label.get(user, user) for user in users]
        if users is not None
        else sorted(labels, key=labels.get)
    )
    opted_out = set(
        ShopperPreference.objects.filter(shopper__in=wanted, personalised=False).values_list(
            "shopper", flat=True
        )
    )
    items = product_labels(data.product_ids)
    writer = csv.writer(output)
    writer.writerow(["user", "rank", "item", "score"])
    written = 0
    size = rows_per_batch(len(data.product_ids))
    for start in range(0, len(wanted), size):
        batch = wanted[start : start + size]
        known = [key for key in batch if key in data.shopper_index and key not in opted_out]
        unknown = [key for key in batch if key not in known]
        ranked = []
        if known:
            rows = [data.shopper_index[key] for key in known]
            ranked += zip(known, top_k(scorer.scores(chosen, rows), k), strict=True)
        if unknown:
            popular = _popular(scorer, k)
            ranked += [(key, popular) for key in unknown]
        for key, (columns, values) in ranked:
            label = labels.get(key, key)
            for rank, (column, score) in enumerate(zip(columns, values, strict=True), 1):
                writer.writerow([label, rank, items[column], f"{score:.6f}"])
                written += 1
        if progress:
            progress(len(batch))
    return written


def _popular(scorer: BatchScorer, k: int) -> tuple[np.ndarray, np.ndarray]:
    """What "popular" shows someone it knows nothing of."""
    popular = get_strategy("popular")
    scores = popular.score_batch({"popularity": scorer.artifacts["popularity"][np.newaxis, :]})
    scores[:, ~scorer.available] = -np.inf
    scores[scores <= 0] = -np.inf
    return next(top_k(scores, k))
