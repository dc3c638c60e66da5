"""A trained sequence model as it scores: the network, every item's vector, and the archive it
is kept in with its model version."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch

from .network import SequenceNetwork, Shape
from .training import Trained, padded

# Sequences encoded at once in batch scoring.
ENCODE_BATCH = 512


@dataclass
class Served:
    network: SequenceNetwork
    # (items + 1) × dimensions, row 0 padding: the input embeddings and the output vectors.
    table: torch.Tensor
    product_ids: np.ndarray
    # Interaction kinds in code order (code = position + 1).
    kinds: list[str]
    # How it was trained, when it was just fitted (not kept in the archive).
    training: Trained | None = None

    def __post_init__(self) -> None:
        self.row_of = {int(pk): row for row, pk in enumerate(self.product_ids, start=1)}
        self.kind_code = {kind: code for code, kind in enumerate(self.kinds, start=1)}
        self.vectors = self.table[1:].numpy()

    @property
    def uniform(self) -> float:
        """The score of a product newer than the model: the mean probability, so that the
        model neither pushes it down nor up (other recommenders, content first, place it)."""
        return 1.0 / len(self.product_ids)

    @property
    def width(self) -> int:
        return self.network.shape.dimensions

    def steps(self, actions: Sequence[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray]:
        """(product id, kind) actions as the network's rows and kind codes, the latest
        `max_length`; products the model does not know (newer than it) are left out."""
        known = [(self.row_of[pk], self.kind_code.get(kind, 0)) for pk, kind in actions
                 if pk in self.row_of]  # fmt: skip
        known = known[-self.network.shape.max_length :]
        return (
            np.array([row for row, _ in known], dtype=np.int64),
            np.array([code for _, code in known], dtype=np.int64),
        )

    @torch.inference_mode()
    def log_normaliser(self, state: np.ndarray) -> float:
        """log Σ exp(item · state) over every item. In torch, on the thread count the caller
        set: numpy's product spread over busy cores took three times as long at 100,000 items."""
        return float(torch.logsumexp(self.table[1:] @ torch.from_numpy(state), dim=0))

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
            found = self.network.last_states(self.table, items, kinds, lengths)
            result[chosen] = found.numpy()
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
            "shape": served.network.shape.as_dict(),
            "network": served.network.state_dict(),
            "table": served.table,
            "product_ids": torch.from_numpy(np.asarray(served.product_ids, dtype=np.int64)),
            "kinds": served.kinds,
        },
        buffer,
    )
    return buffer.getvalue()


def archive_read(archive: bytes) -> Served:
    """Raises on anything that is not an archive this code wrote (weights only, never code)."""
    stored = torch.load(io.BytesIO(archive), map_location="cpu", weights_only=True)
    network = SequenceNetwork(Shape(**stored["shape"]))
    network.load_state_dict(stored["network"])
    network.eval()
    return Served(network, stored["table"], stored["product_ids"].numpy(), list(stored["kinds"]))
