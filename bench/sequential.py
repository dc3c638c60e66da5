"""The sequence model the `sequential` rows serve: an untrained network for every bench product.

What it costs to serve does not depend on what the network learned: the same layers run on any
weights and pgvector walks a graph of as many vectors. So rather than train (the bench has no
behaviour to learn from, and training would spend its whole time budget), the bench writes a
randomly initialised network of the configured shape, through the recommender's own `write`, as
a model version that it activates, and reuses that version on later runs over the same catalog.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
from django.db import transaction

from recommendations.conf import app_settings
from recommendations.models import CollaborativeModel, Interaction, SequentialItem
from recommendations.recommenders import get_recommender
from recommendations.recommenders.dataset import interaction_data
from recommendations.recommenders.sequential.network import ItemSide, SequenceNetwork, Shape
from recommendations.recommenders.sequential.served import Served
from recommendations.recommenders.versions import catalog_ids, version_activate

from .hnsw import hnsw_index_dropped
from .progress import log
from .shoppers import HISTORY_ACTIONS

# Marks the bench's versions in `params`, beside the seed and the network's shape.
UNTRAINED = "bench: untrained sequence network"


@dataclass(frozen=True)
class SequenceVersion:
    version: int
    reused: bool
    shape: dict
    seconds: float
    method: str


def sequence_shape(items: int) -> Shape:
    """The configured network, without text or attribute inputs: they add one matrix product
    per item when the table is built, nothing per request."""
    settings = app_settings.SEQUENTIAL
    return Shape(
        items=items,
        kinds=len(Interaction.Kind),
        tokens=0,
        text_width=0,
        dimensions=settings["dimensions"],
        blocks=settings["blocks"],
        heads=settings["heads"],
        max_length=settings["max_length"],
        dropout=settings["dropout"],
    )


def sequence_model_ensure(*, seed: int) -> SequenceVersion:
    """The active version holds an untrained network over every product of the catalog."""
    started = time.perf_counter()
    product_ids = np.array(catalog_ids(), dtype=np.int64)
    shape = sequence_shape(len(product_ids))
    members = app_settings.SEQUENTIAL["members"]
    params = {
        "recommenders": ["sequential"],
        "bench": UNTRAINED,
        "seed": seed,
        "sequential": shape.as_dict() | {"members": members},
    }
    version = version_reusable(params, items=len(product_ids))
    reused = version is not None
    if version is None:
        log(
            f"sequential: writing {members} untrained networks ({shape.dimensions} dimensions, "
            f"{shape.blocks} blocks, {shape.heads} heads) for {len(product_ids)} products"
        )
        with hnsw_index_dropped(SequentialItem), transaction.atomic():
            version = CollaborativeModel.objects.create(params=params, products=len(product_ids))
            get_recommender("sequential").write(
                served_untrained(shape, product_ids, seed=seed, members=members),
                version=version.pk,
                # Nothing learned: a dataset of the catalog without a single event.
                data=interaction_data([], product_ids.tolist()),
            )
    else:
        log(f"sequential: reusing the untrained network of model version {version.pk}")
    if not version.is_active:
        version_activate(version)
    return SequenceVersion(
        version=version.pk,
        reused=reused,
        shape=shape.as_dict(),
        seconds=round(time.perf_counter() - started, 1),
        method=method_note(shape, members, version.pk, reused=reused),
    )


def sequence_served(version: int) -> Served:
    """As the strategy loads it: once per process, from the version's archive."""
    served = get_recommender("sequential").served(version)
    if served is None:
        raise RuntimeError(f"model version {version}: the sequence model cannot be loaded")
    return served


def version_reusable(params: dict, *, items: int) -> CollaborativeModel | None:
    """A bench version of the same seed and shape with a vector for every product: emptying the
    catalog for another size deletes its vectors (and a shape change does not match)."""
    for version in CollaborativeModel.objects.filter(params=params, sequential__isnull=False):
        if SequentialItem.objects.filter(model_id=version.pk).count() == items:
            return version
    return None


def served_untrained(shape: Shape, product_ids: np.ndarray, *, seed: int, members: int) -> Served:
    torch.manual_seed(seed)
    networks = [SequenceNetwork(shape).eval() for _ in range(members)]
    side = ItemSide(shape, None, [[] for _ in product_ids])
    with torch.inference_mode():
        tables = [network.item_table(side) for network in networks]
    return Served(networks, tables, product_ids, [kind.value for kind in Interaction.Kind])


def method_note(shape: Shape, members: int, version: int, *, reused: bool) -> str:
    return (
        f"the sequential rows, and the sequence signal that for-you blends, serve {members} "
        f"UNTRAINED networks of the configured shape ({shape.dimensions} dimensions, "
        f"{shape.blocks} blocks, {shape.heads} heads, max_length {shape.max_length}; no text "
        f"or attribute inputs) over all {shape.items:,} products, model version {version}"
        f"{' (reused)' if reused else ''}: serving cost does not depend on the weights. "
        f"Each bench shopper has viewed {HISTORY_ACTIONS} random products, one by one."
    )
