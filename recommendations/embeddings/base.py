"""The contract every encoder keeps."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np


class Encoder(ABC):
    """Turns texts into L2-normalised float32 vectors of a fixed width.

    ``name`` is stored next to every vector: when it changes, everything is re-embedded.
    """

    name: str
    dimensions: int

    @abstractmethod
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an array of shape (len(texts), dimensions), each row of unit length."""


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
