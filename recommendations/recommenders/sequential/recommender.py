"""The sequential recommender: what a shopper is likely to want next, from the order of their
latest actions, read live so the click a visitor made a second ago changes the next page."""

from __future__ import annotations

import logging
import threading
import time
from typing import NamedTuple

import numpy as np
import psycopg
import torch
from django.db import DatabaseError, connection, connections, models
from pgvector.django import MaxInnerProduct
from scipy.special import softmax

from ...conf import app_settings
from ...models import Interaction, SequentialItem, SequentialModel
from ...models.sequential import SEQUENTIAL_WIDTH
from ...prepared import Slots, prepared
from ..base import Allowed, Batch, Recommender, Shopper
from ..dataset import InteractionData, sequence_add
from ..tables import rows_copy, vector_text
from .items import attribute_tokens, text_matrix
from .network import ItemSide, Shape
from .served import Served, archive_read, archive_write, one_thread
from .training import Params, Sequences, members_train

logger = logging.getLogger(__name__)


def params() -> Params:
    return Params(**app_settings.SEQUENTIAL)


class Loaded(NamedTuple):
    version: int
    # None: the version has no sequence model, or it cannot be read.
    served: Served | None


class Encoded(NamedTuple):
    """A shopper's state under the model of `version`, and its softmax denominator."""

    version: int
    served: Served
    state: np.ndarray
    normaliser: float


class SequentialRecommender(Recommender):
    default_weight = 0.3

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # One per process, swapped when the active version changes.
        self._loaded: Loaded | None = None
        # Set by `warm_up`: the process serves shoppers, who should not wait while it reads a
        # new version; `_reading` is the version a thread reads meanwhile.
        self._in_background = False
        self._reading: int | None = None

    def fit(self, data: InteractionData) -> Served | None:
        """None, with one log line, when no shopper has two actions to learn an order from."""
        settings = params()
        kinds = [kind.value for kind in Interaction.Kind]
        code = {kind: i for i, kind in enumerate(kinds, start=1)}
        sequences = Sequences(
            [np.array([c + 1 for c, _ in steps], dtype=np.int64) for steps in data.sequences],
            [np.array([code[k] for _, k in steps], dtype=np.int64) for steps in data.sequences],
        )
        if not any(len(items) >= 2 for items in sequences.items):
            logger.warning("sequential: not trained, no shopper has acted on two products yet")
            return None
        text = text_matrix(data.product_ids) if settings.text else None
        tokens, vocabulary = (
            attribute_tokens(data.product_ids) if settings.attributes
            else ([[] for _ in data.product_ids], 0)
        )  # fmt: skip
        shape = Shape(
            items=len(data.product_ids),
            kinds=len(kinds),
            tokens=vocabulary,
            text_width=0 if text is None else text.shape[1],
            dimensions=settings.dimensions,
            blocks=settings.blocks,
            heads=settings.heads,
            max_length=settings.max_length,
            dropout=settings.dropout,
        )
        trained = members_train(sequences, shape, ItemSide(shape, text, tokens), settings)
        for member, network in enumerate(trained, start=1):
            logger.info(
                "sequential: network %d of %d, %d epochs in %.0fs, loss %.4f", member,
                len(trained), network.epochs, network.seconds, network.loss,
            )  # fmt: skip
        with torch.inference_mode():
            tables = [t.network.item_table(t.side) for t in trained]
        return Served(
            [t.network for t in trained], tables, data.product_ids.copy(), kinds, training=trained
        )

    def write(self, artifact: Served, *, version: int, data: InteractionData) -> None:
        trained = artifact.training or []
        SequentialModel.objects.create(
            model_id=version,
            archive=archive_write(artifact),
            # Per network: the fewest epochs any ran, their mean final loss; seconds in all.
            epochs=min((t.epochs for t in trained), default=0),
            loss=float(np.mean([t.loss for t in trained])) if trained else None,
            train_seconds=sum(t.seconds for t in trained),
        )
        padding = np.zeros(SEQUENTIAL_WIDTH - artifact.width, dtype=np.float32)
        rows_copy(
            SequentialItem._meta.db_table,
            "model_id, product_id, vector",
            (
                (version, int(pk), vector_text(np.concatenate([vector, padding])))
                for pk, vector in zip(artifact.product_ids, artifact.vectors, strict=True)
            ),
        )

    def load(self, data: InteractionData, *, version: int | None) -> Served | None:
        return self.served(version)

    def served(self, version: int | None) -> Served | None:
        """The version's model, read once per process; None (logged once) when it has none or
        it cannot be read, and the strategies then serve without it."""
        if version is None:
            return None
        loaded = self._loaded
        if loaded is not None and loaded.version == version:
            return loaded.served
        with self._lock:
            if self._loaded is None or self._loaded.version != version:
                self._loaded = Loaded(version, self._read(version))
            return self._loaded.served

    def serving(self, version: int | None) -> Loaded | None:
        """The model a request scores with. Once the process has warmed up, a version it has
        not read yet (one trained since it started) is read by a thread, a second or two at
        100,000 products, and requests meanwhile score with the version read before, whose
        rows the previous version keeps (see `version_activate`), or without the model before
        the first; elsewhere (workers, commands, tests) the request reads it."""
        if version is None:
            return None
        loaded = self._loaded
        if loaded is None or loaded.version != version:
            if not self._in_background:
                self.served(version)
            else:
                self._read_started(version)
            loaded = self._loaded
        return loaded if loaded is not None and loaded.served is not None else None

    def _read_started(self, version: int) -> None:
        with self._lock:
            if self._reading is not None:
                return
            self._reading = version
        threading.Thread(
            target=self._read_in_background, args=(version,), name="sequential-read", daemon=True
        ).start()

    def _read_in_background(self, version: int) -> None:
        """A database error is logged and the next request tries again."""
        try:
            started = time.perf_counter()
            served = self._read(version)
            with self._lock:
                self._loaded = Loaded(version, served)
            logger.info(
                "sequential: model version %s read in %.1f s, while serving the one before",
                version, time.perf_counter() - started,
            )  # fmt: skip
        except DatabaseError:
            logger.exception("sequential: model version %s could not be read", version)
        finally:
            self._reading = None
            connections.close_all()

    def warm_up(self, version: int | None) -> None:
        """Reading the archive takes a second or two at 100,000 products. A warmed-up process
        serves shoppers: from now on it reads a new version in the background (see
        `serving`)."""
        self._in_background = True
        self.served(version)

    def _read(self, version: int) -> Served | None:
        """With its first normaliser computed, which makes its copy of the item vectors."""
        archive = archive_fetch(version)
        if archive is None:
            logger.info("sequential: model version %s has no sequence model", version)
            return None
        try:
            served = archive_read(archive)
        except Exception as exc:
            logger.warning("sequential: model version %s cannot be loaded: %s", version, exc)
            return None
        served.log_normaliser(np.zeros(served.width, dtype=np.float32))
        return served

    def _state(self, shopper: Shopper) -> Encoded | None:
        """The shopper's encoded latest actions, once per request (kept in `shopper.memo`)."""
        if "sequential" not in shopper.memo:
            shopper.memo["sequential"] = self._encode(shopper)
        return shopper.memo["sequential"]

    def _encode(self, shopper: Shopper) -> Encoded | None:
        loaded = self.serving(shopper.version) if shopper.key else None
        if loaded is None:
            return None
        served = loaded.served
        actions = shopper_actions(shopper.key, served.max_length)
        if not actions:
            return None
        with one_thread():
            states = served.states([actions])
            if not np.any(states):
                return None
            # The softmax denominator over every item: scores are the model's probability of
            # each item coming next, positive and comparable.
            normaliser = served.log_normaliser(states[0])
        return Encoded(loaded.version, served, states[0], normaliser)

    def propose(self, shopper: Shopper, allowed: Allowed, *, n: int) -> dict[int, float]:
        state = self._state(shopper)
        if state is None:
            return {}
        version, served, vector, normaliser = state
        padding = np.zeros(SEQUENTIAL_WIDTH - served.width, dtype=np.float32)

        def query(products: models.QuerySet, slots: Slots) -> models.QuerySet:
            return (
                SequentialItem.objects.filter(model_id=slots.integer("version"))
                .filter(product_id__in=products.values("pk"))
                .annotate(distance=MaxInnerProduct("vector", slots.vector("state")))
                .order_by("distance")
                .values_list("product_id", "distance")[:n]
            )

        rows = allowed.rows(
            ("sequential", n), query, version=version, state=np.concatenate([vector, padding])
        )
        # pgvector's <#> is the negative inner product.
        return {pk: float(np.exp(-distance - normaliser)) for pk, distance in rows}

    def score(self, shopper: Shopper, ids: list[int]) -> dict[int, float]:
        state = self._state(shopper) if ids else None
        if state is None:
            return {}
        _, served, vector, normaliser = state
        known = [pk for pk in ids if pk in served.row_of]
        rows = [served.row_of[pk] - 1 for pk in known]
        logits = served.vectors[rows] @ vector
        scores = dict.fromkeys(ids, served.uniform)
        scores.update(zip(known, np.exp(logits - normaliser).tolist(), strict=True))
        return scores

    def score_batch(self, artifact: Served | None, batch: Batch) -> np.ndarray:
        data = batch.data
        scores = np.zeros((len(batch.rows), len(data.product_ids)))
        if artifact is None:
            return scores
        actions = [
            [(int(data.product_ids[column]), kind) for column, kind in data.sequences[row]]
            for row in batch.rows
        ]
        states = artifact.states(actions)
        probabilities = softmax(states @ artifact.vectors.T, axis=1)
        encoded = states.any(axis=1)
        probabilities[~encoded] = 0.0
        scores[encoded] = artifact.uniform
        columns = [data.product_index.get(int(pk)) for pk in artifact.product_ids]
        present = [i for i, c in enumerate(columns) if c is not None]
        scores[:, [columns[i] for i in present]] = probabilities[:, present]
        return scores


ARCHIVE_SQL = (
    f"SELECT archive FROM {SequentialModel._meta.db_table} WHERE model_id = %s ORDER BY id LIMIT 1"
)


def archive_fetch(version: int) -> bytes | None:
    """In PostgreSQL's binary format: as text, bytea travels hex-encoded, twice its size, and
    decoding it took 2-4 s of the 5 s a web process spent loading a model of 100,000 products
    (209 MB; 0.7 s in binary). Django's cursors may bind on the client, which reads text only:
    a cursor of the connection's own, in its transaction, with Django's errors."""
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(ARCHIVE_SQL, [version], binary=True)
        row = cursor.fetchone()
    return None if row is None else bytes(row[0])


def shopper_actions(key: str, limit: int) -> list[tuple[int, str]]:
    """The shopper's latest actions on products, oldest first, as the dataset's sequences have
    them (consecutive actions on one product are one step)."""
    query = prepared(
        ("shopper_actions", limit),
        lambda slots: (
            Interaction.objects.filter(
                shopper=slots.text("shopper"), product__isnull=False, weight__gt=0
            )
            .order_by("-created_at", "-pk")
            .values_list("product_id", "kind", "weight")[: limit * 4]
        ),
    )
    rows = query.rows(shopper=key)
    steps: list[tuple[int, str, float]] = []
    for pk, kind, weight in reversed(list(rows)):
        sequence_add(steps, pk, kind, weight)
    return [(pk, kind) for pk, kind, _ in steps[-limit:]]
