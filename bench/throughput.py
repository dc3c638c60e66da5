"""Embedding throughput: the whole pipeline against the bare model on the same products.

The pipeline (`products_embed`) reads products, builds documents, hashes them, encodes and
upserts, one chunk of `EMBED_CHUNK_SIZE` per transaction. The bare run hands the encoder the same
texts in the same chunks, so both pad the same batches and the ratio is the pipeline's overhead.
The first chunk is encoded once beforehand: loading the model is not throughput.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from recommendations.conf import app_settings
from recommendations.documents import document_for
from recommendations.factories import get_adapter, get_encoder
from recommendations.services.embeddings import chunked, products_embed

from .progress import bar, log


@dataclass(frozen=True)
class Throughput:
    products: int
    chunk_size: int
    batch_size: int
    pipeline_seconds: float
    pipeline_encode_seconds: float
    bare_seconds: float
    pipeline_per_second: float
    bare_per_second: float
    ratio: float


def throughput_measure(product_ids: list[int]) -> Throughput:
    """Writes real vectors for `product_ids` as a side effect (the catalog keeps them).

    Pipeline and bare model take turns chunk by chunk, so that a change in other load on the
    machine slows both alike instead of whichever ran second.
    """
    adapter, encoder = get_adapter(), get_encoder()
    size = app_settings.EMBED_CHUNK_SIZE
    chunks = list(chunked(product_ids, size))
    encoder.encode([document_for(p) for p in adapter.queryset().filter(pk__in=chunks[0])])

    log(f"throughput: products_embed(force=True) and encoder.encode, {len(chunks)} chunks each")
    pipeline_seconds = bare_seconds = encode_seconds = 0.0
    with bar(len(product_ids), "throughput") as progress:
        for chunk in chunks:
            started = time.perf_counter()
            report = products_embed(chunk, force=True)
            pipeline_seconds += time.perf_counter() - started
            encode_seconds += report.encode_seconds
            if report.encoded != len(chunk):
                raise RuntimeError(f"the pipeline encoded {report.encoded} of {len(chunk)}")

            texts = [document_for(p) for p in adapter.queryset().filter(pk__in=chunk)]
            started = time.perf_counter()
            encoder.encode(texts)
            bare_seconds += time.perf_counter() - started
            progress.update(len(chunk))

    pipeline_rate = len(product_ids) / pipeline_seconds
    bare_rate = len(product_ids) / bare_seconds
    return Throughput(
        products=len(product_ids),
        chunk_size=size,
        batch_size=getattr(encoder, "batch_size", 0),
        pipeline_seconds=round(pipeline_seconds, 2),
        pipeline_encode_seconds=round(encode_seconds, 2),
        bare_seconds=round(bare_seconds, 2),
        pipeline_per_second=round(pipeline_rate, 1),
        bare_per_second=round(bare_rate, 1),
        ratio=round(pipeline_rate / bare_rate, 3),
    )
