"""A trained sequence model as it scores: the network, every item's vector, and the archive it
is kept in with its model version."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import torch

from .network import SequenceNetwork, Shape
from .softmax import low_precision_fast
from .training import Trained, padded

# Sequences encoded at once in batch scoring.
ENCODE_BATCH = 512


@dataclass
class Served:
    """One network or several (members) whose scores add up: a member's logit for an item is
    the inner product of its state and its item vector, so the members' states side by side,
    and their item vectors side by side, give the sum in one inner product. Search, the
    normaliser and batch scoring then treat the model as one network, members × width wide."""

    networks: list[SequenceNetwork]
    # Per network, (items + 1) × dimensions, row 0 padding: its input embeddings and its output
    # vectors.
    tables: list[torch.Tensor]
    product_ids: np.ndarray
    # Interaction kinds in code order (code = position + 1).
    kinds: list[str]
    # How each network was trained, when it was just fitted (not kept in the archive).
    training: list[Trained] | None = None

    def __post_init__(self) -> None:
        self.row_of = {int(pk): row for row, pk in enumerate(self.product_ids, start=1)}
        self.kind_code = {kind: code for code, kind in enumerate(self.kinds, start=1)}
        self.table = torch.cat(self.tables, dim=1)
        # Each network's columns of the joint table, not a second copy of them.
        self.tables = list(self.table.split([t.shape[1] for t in self.tables], dim=1))
        self.vectors = self.table[1:].numpy()

    @property
    def uniform(self) -> float:
        """The score of a product newer than the model: the mean probability, so that the
        model neither pushes it down nor up (other recommenders, content first, place it)."""
        return 1.0 / len(self.product_ids)

    @property
    def width(self) -> int:
        return self.table.shape[1]

    @property
    def max_length(self) -> int:
        return self.networks[0].shape.max_length

    def steps(self, actions: Sequence[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray]:
        """(product id, kind) actions as the network's rows and kind codes, the latest
        `max_length`; products the model does not know (newer than it) are left out."""
        known = [(self.row_of[pk], self.kind_code.get(kind, 0)) for pk, kind in actions
                 if pk in self.row_of]  # fmt: skip
        known = known[-self.max_length :]
        return (
            np.array([row for row, _ in known], dtype=np.int64),
            np.array([code for _, code in known], dtype=np.int64),
        )

    @torch.inference_mode()
    def log_normaliser(self, state: np.ndarray) -> float:
        """log Σ exp(item · state) over every item. In torch, on the thread count the caller
        set: numpy's product spread over busy cores took three times as long at 100,000 items.

        A pass over every item's vector on each request, as fast as memory hands them over:
        where the processor multiplies bfloat16 natively, over a bfloat16 copy, half the bytes
        (at 100,000 items × 256 on one core of a Xeon with AMX: 3.5 ms, against 5.9 in float32
        and 9.4 in float16). Its error (below 1e-3) scales every probability alike, so no order
        changes, and the blend of "for you" divides it out. Elsewhere bfloat16 is emulated,
        slower than float32, which answers."""
        vectors = self._normaliser_vectors
        logits = vectors @ torch.from_numpy(state).to(vectors.dtype)
        return float(torch.logsumexp(logits.float(), dim=0))

    @cached_property
    def _normaliser_vectors(self) -> torch.Tensor:
        """Made when a web process warms up (`SequentialRecommender.warm_up`), not when a model
        is fitted or scores in batch."""
        items = self.table[1:]
        return items.to(torch.bfloat16) if low_precision_fast(torch.device("cpu")) else items

    @torch.inference_mode()
    def states(self, sequences: Sequence[Sequence[tuple[int, str]]]) -> np.ndarray:
        """Sequences × dimensions: each shopper's state after their latest action; zero for an
        empty sequence."""
        result = np.zeros((len(sequences), self.width), dtype=np.float32)
        steps = [self.steps(actions) for actions in sequences]
        present = [i for i, (rows, _) in enumerate(steps) if len(rows)]
        for start in range(0, len(present), ENCODE_BATCH):
            chosen = present[start : start + ENCODE_BATCH]
            items, kinds, lengths = padded(
                [steps[i][0] for i in chosen], [steps[i][1] for i in chosen], torch.device("cpu")
            )
            found = [
                network.last_states(table, items, kinds, lengths)
                for network, table in zip(self.networks, self.tables, strict=True)
            ]
            result[chosen] = torch.cat(found, dim=1).numpy()
        return result


@contextmanager
def one_thread() -> Iterator[None]:
    """One shopper's encoding is too small to share out: a second thread only waits for a core,
    which on a busy web server costs a hundred times the work (measured: 0.7 ms on one thread,
    200 ms on two with the cores taken)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def archive_write(served: Served) -> bytes:
    buffer = io.BytesIO()
    torch.save(
        {
            "shape": served.networks[0].shape.as_dict(),
            "networks": [network.state_dict() for network in served.networks],
            "tables": served.tables,
            "product_ids": torch.from_numpy(np.asarray(served.product_ids, dtype=np.int64)),
            "kinds": served.kinds,
        },
        buffer,
    )
    return buffer.getvalue()


def archive_read(archive: bytes) -> Served:
    """Raises on anything that is not an archive this code wrote (weights only, never code).
    Archives of one network from before members ("network", "table") still read."""
    stored = torch.load(io.BytesIO(archive), map_location="cpu", weights_only=True)
    shape = Shape(**stored["shape"])
    weights, tables = (
        (stored["networks"], stored["tables"]) if "networks" in stored
        else ([stored["network"]], [stored["table"]])
    )  # fmt: skip
    networks = []
    for state in weights:
        network = SequenceNetwork(shape)
        network.load_state_dict(state)
        network.eval()
        networks.append(network)
    return Served(networks, list(tables), stored["product_ids"].numpy(), list(stored["kinds"]))
