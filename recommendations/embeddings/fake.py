"""A deterministic encoder for fast tests: hashed bag of words, no model, no torch.

Texts that share words get similar vectors, so ranking tests still mean something.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence

import numpy as np

from .base import Encoder, normalise

WORD = re.compile(r"\w+", re.UNICODE)


class FakeEncoder(Encoder):
    def __init__(
        self, *, dimensions: int = 384, delay: float = 0.0, name: str = "", **ignored
    ) -> None:
        self.dimensions = dimensions
        self.delay = delay
        self.name = name or f"fake-{dimensions}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self.delay:
            time.sleep(self.delay)
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in WORD.findall(text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dimensions
                out[row, bucket] += 1.0 if digest[4] & 1 else -1.0
            if not out[row].any():
                out[row, 0] = 1.0
        return normalise(out)
