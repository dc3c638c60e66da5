"""The embedding pipeline through a real broker and real worker processes, including a crash."""

import os
import signal
from unittest import mock

import pytest

from recommendations.documents import content_hash, document_for
from recommendations.models import ProductEmbedding
from recommendations.tasks import embed_products
from tests.engine.factories import ProductFactory
from tests.worker import WorkerProcess

pytestmark = pytest.mark.slow


def test_saving_a_product_gets_it_embedded_by_the_worker_with_the_real_model(
    transactional_db, tmp_path
):
    with WorkerProcess(tmp_path, extra_env={"TEST_REAL_ENCODER": "1"}) as worker:
        product = ProductFactory(title="Ultralight trekking poles")

        def embedded() -> bool:
            return ProductEmbedding.objects.filter(product=product, vector__isnull=False).exists()

        worker.wait_for(embedded, timeout=180)
    row = ProductEmbedding.objects.get(product=product)
    assert row.model_name == "all-MiniLM-L6-v2" and not row.stale
    assert row.content_hash == content_hash(document_for(product), "all-MiniLM-L6-v2")
    assert len(row.vector) == 384


def test_a_worker_killed_mid_batch_leaves_every_product_embedded_exactly_once(
    transactional_db, tmp_path
):
    with mock.patch.object(embed_products, "delay"):
        products = ProductFactory.create_batch(40)
    ids = [p.pk for p in products]
    env = {
        "TEST_ENCODER_DELAY": "0.4",
        "TEST_EMBED_CHUNK_SIZE": "8",
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }
    first = WorkerProcess(tmp_path / "first", extra_env=env)
    (tmp_path / "first").mkdir()
    with first:
        embed_products.delay(ids)

        def some_written() -> bool:
            return ProductEmbedding.objects.filter(vector__isnull=False).count() >= 8

        first.wait_for(some_written)
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=10)
    written_before = dict(
        ProductEmbedding.objects.filter(vector__isnull=False).values_list(
            "product_id", "embedded_at"
        )
    )
    assert 8 <= len(written_before) < 40, "the kill must land in the middle of the batch"

    (tmp_path / "second").mkdir()
    with WorkerProcess(tmp_path / "second", extra_env=env, purge=False) as second:

        def all_written() -> bool:
            return ProductEmbedding.objects.filter(vector__isnull=False).count() == 40

        second.wait_for(all_written, timeout=120)
        rows = {row.product_id: row for row in ProductEmbedding.objects.all()}
    assert sorted(rows) == sorted(ids)
    for product in products:
        row = rows[product.pk]
        assert row.content_hash == content_hash(document_for(product), "fake-384")
        assert not row.stale
    # Products written before the crash were not encoded a second time.
    assert {pk: rows[pk].embedded_at for pk in written_before} == written_before
