"""Writes of product vectors: mark stale, embed in chunks, sweep. Every step is safe to repeat."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import signals
from ..conf import app_settings
from ..documents import content_hash, document_for
from ..factories import get_adapter, get_encoder
from ..models import ProductEmbedding

logger = logging.getLogger(__name__)


@dataclass
class EmbedReport:
    encoded: int = 0
    unchanged: int = 0
    missing: int = 0
    seconds: float = 0.0
    encode_seconds: float = 0.0
    encoded_ids: list[int] = field(default_factory=list, repr=False)

    def add(self, other: EmbedReport) -> None:
        self.encoded += other.encoded
        self.unchanged += other.unchanged
        self.missing += other.missing
        self.seconds += other.seconds
        self.encode_seconds += other.encode_seconds

    @property
    def per_second(self) -> float:
        return self.encoded / self.seconds if self.seconds else 0.0


def chunked(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for value in ids:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def products_mark_stale(product_ids: Iterable[int]) -> int:
    """Flag products for (re)embedding; their current vector keeps serving until then."""
    rows = [ProductEmbedding(product_id=pk, stale=True) for pk in set(product_ids)]
    ProductEmbedding.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["product"],
        update_fields=["stale", "marked_at"],
        batch_size=2000,
    )
    return len(rows)


def _embed_chunk(product_ids: list[int], *, force: bool) -> EmbedReport:
    started = time.perf_counter()
    report = EmbedReport()
    encoder = get_encoder()
    products = {p.pk: p for p in get_adapter().queryset().filter(pk__in=product_ids)}
    report.missing = len(set(product_ids) - set(products))
    documents = {pk: document_for(p) for pk, p in products.items()}
    hashes = {pk: content_hash(doc, encoder.name) for pk, doc in documents.items()}
    with transaction.atomic():
        # Locking the rows makes a task that runs twice at once wait instead of encoding twice.
        current = {
            e.product_id: e
            for e in ProductEmbedding.objects.select_for_update()
            .filter(product_id__in=list(products))
            .only("product_id", "content_hash", "vector", "model_name")
        }
        todo = [
            pk
            for pk in sorted(products)
            if force
            or pk not in current
            or current[pk].vector is None
            or current[pk].content_hash != hashes[pk]
            or current[pk].model_name != encoder.name
        ]
        now = timezone.now()
        if todo:
            encode_started = time.perf_counter()
            vectors = encoder.encode([documents[pk] for pk in todo])
            report.encode_seconds = time.perf_counter() - encode_started
            ProductEmbedding.objects.bulk_create(
                [
                    ProductEmbedding(
                        product_id=pk,
                        vector=vector,
                        model_name=encoder.name,
                        content_hash=hashes[pk],
                        stale=False,
                        embedded_at=now,
                        marked_at=now,
                    )
                    for pk, vector in zip(todo, vectors, strict=True)
                ],
                update_conflicts=True,
                unique_fields=["product"],
                update_fields=["vector", "model_name", "content_hash", "stale", "embedded_at"],
            )
        unchanged = [pk for pk in products if pk not in set(todo)]
        if unchanged:
            ProductEmbedding.objects.filter(product_id__in=unchanged, stale=True).update(
                stale=False
            )
    report.encoded, report.unchanged, report.encoded_ids = len(todo), len(unchanged), todo
    report.seconds = time.perf_counter() - started
    return report


def products_embed(
    product_ids: Iterable[int], *, force: bool = False, progress=None
) -> EmbedReport:
    """Embed products whose text or model changed; each chunk commits on its own.

    A worker killed mid-way loses at most one chunk; the rerun skips chunks already written
    because their content hashes match.
    """
    report = EmbedReport()
    for chunk in chunked(product_ids, app_settings.EMBED_CHUNK_SIZE):
        part = _embed_chunk(chunk, force=force)
        report.add(part)
        if progress is not None:
            progress(len(chunk))
    return report


def products_top_up(product_ids: list[int]) -> list[int]:
    """Fill a short list up to one chunk with the longest-waiting stale products."""
    room = app_settings.EMBED_CHUNK_SIZE - len(product_ids)
    if room <= 0:
        return product_ids
    extra = (
        ProductEmbedding.objects.filter(stale=True)
        .exclude(product_id__in=product_ids)
        .order_by("marked_at")
        .values_list("product_id", flat=True)[:room]
    )
    return [*product_ids, *extra]


def products_needing_embedding_ids(*, everything: bool = False) -> list[int]:
    """Products with no vector, a stale one, or one from another model; or all of them."""
    queryset = get_adapter().model._default_manager.order_by("pk")
    if not everything:
        model_name = get_encoder().name
        queryset = queryset.filter(
            Q(recommendation_embedding__isnull=True)
            | Q(recommendation_embedding__stale=True)
            | Q(recommendation_embedding__vector__isnull=True)
            | ~Q(recommendation_embedding__model_name=model_name)
        )
    return list(queryset.values_list("pk", flat=True))


def products_changed(product_ids: Iterable[int]) -> None:
    """Call after writes (a save, an import): mark stale; receivers queue the embedding."""
    ids = list(product_ids)
    products_mark_stale(ids)
    signals.products_stale.send(sender=None, product_ids=ids)
