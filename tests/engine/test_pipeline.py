"""Product vectors: stale marking, hashing, re-embedding on model change, sweeping, checks."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings

from recommendations import services
from recommendations.checks import check_encoder
from recommendations.documents import product_document
from recommendations.models import EmbeddingState, ProductEmbedding
from recommendations.selectors import embedding_state_counts, embedding_states
from recommendations.tasks import embed_products, embed_stale_products
from tests.engine.factories import BrandFactory, CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_saving_a_product_marks_it_stale_and_enqueues_after_commit(
    django_capture_on_commit_callbacks,
):
    with mock.patch.object(embed_products, "apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            product = ProductFactory()
            assert apply_async.call_count == 0
        assert len(callbacks) >= 1
    apply_async.assert_called_with(([product.pk],), {"force": False}, countdown=None)
    assert ProductEmbedding.objects.get(product=product).stale


def test_unchanged_product_is_not_reembedded_and_changed_one_is():
    product = ProductFactory(title="Alpine tent")
    first = services.products_embed([product.pk])
    assert first.encoded == 1
    embedded_at = ProductEmbedding.objects.get(product=product).embedded_at

    product.stock = 3  # not part of the text
    product.save()
    again = services.products_embed([product.pk])
    row = ProductEmbedding.objects.get(product=product)
    assert (again.encoded, again.unchanged) == (0, 1)
    assert row.embedded_at == embedded_at and not row.stale

    product.title = "Alpine tent, four season"
    product.save()
    changed = services.products_embed([product.pk])
    row.refresh_from_db()
    assert changed.encoded == 1 and row.embedded_at > embedded_at


def test_a_change_of_model_reembeds_everything():
    products = ProductFactory.create_batch(3)
    services.products_embed([p.pk for p in products])
    new_model = {
        "ENCODER": "recommendations.embeddings.fake.FakeEncoder",
        "ENCODER_OPTIONS": {"name": "fake-v2"},
    }
    with override_settings(RECOMMENDATIONS=new_model):
        assert set(services.products_needing_embedding_ids()) == {p.pk for p in products}
        assert set(embedding_states([p.pk for p in products]).values()) == {EmbeddingState.STALE}
        report = services.products_embed(services.products_needing_embedding_ids())
        assert report.encoded == 3
        assert set(ProductEmbedding.objects.values_list("model_name", flat=True)) == {"fake-v2"}


def test_deleting_a_product_deletes_its_vector():
    product = ProductFactory()
    services.products_embed([product.pk])
    product.delete()
    assert not ProductEmbedding.objects.exists()


def test_embed_task_is_safe_to_run_twice():
    products = ProductFactory.create_batch(4)
    ids = [p.pk for p in products]
    assert embed_products(ids) == {"encoded": 4, "unchanged": 0, "missing": 0}
    assert embed_products(ids) == {"encoded": 0, "unchanged": 4, "missing": 0}
    assert ProductEmbedding.objects.filter(vector__isnull=False).count() == 4


def test_embed_task_ignores_products_deleted_meanwhile():
    product = ProductFactory()
    assert embed_products([product.pk, 987654]) == {"encoded": 1, "unchanged": 0, "missing": 1}


def test_sweeper_enqueues_missing_and_stale_products(django_capture_on_commit_callbacks):
    fresh, stale, missing = ProductFactory.create_batch(3)
    services.products_embed([fresh.pk, stale.pk])
    services.products_mark_stale([stale.pk])
    ProductEmbedding.objects.filter(product=missing).delete()
    with (
        mock.patch.object(embed_products, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert embed_stale_products() == 1
    apply_async.assert_called_once_with(
        (sorted([stale.pk, missing.pk]),), {"force": False}, countdown=None
    )


def test_state_counts_for_the_admin():
    fresh, stale, _missing = ProductFactory.create_batch(3)
    services.products_embed([fresh.pk, stale.pk])
    services.products_mark_stale([stale.pk])
    assert embedding_state_counts() == {"fresh": 1, "stale": 1, "missing": 1}


def test_document_puts_identity_first_and_is_truncated():
    category = CategoryFactory(name="Trail running shoes", parent=CategoryFactory(name="Running"))
    product = ProductFactory(
        title="Trailblaze GTX",
        brand=BrandFactory(name="Summit"),
        category=category,
        attributes={"use": "trail running", "colour": "red", "sizes": [40, 41]},
        description="word " * 1000,
    )
    document = product_document(product)
    assert document.startswith("Trailblaze GTX Brand: Summit. Category: Running > Trail running")
    assert "use: trail running" in document and "sizes: 40, 41" in document
    assert len(document) <= 1200 and not document.endswith("wor")


def test_embed_products_command_reports_throughput():
    ProductFactory.create_batch(5)
    out = StringIO()
    call_command("embed_products", "--no-progress", stdout=out)
    assert "Encoded 5" in out.getvalue() and "products/s" in out.getvalue()
    out = StringIO()
    call_command("embed_products", "--no-progress", stdout=out)
    assert "Nothing to embed" in out.getvalue()


def test_check_reports_encoder_width_mismatch():
    narrow = {
        "ENCODER": "recommendations.embeddings.fake.FakeEncoder",
        "ENCODER_OPTIONS": {"dimensions": 8},
    }
    with override_settings(RECOMMENDATIONS=narrow):
        errors = check_encoder()
    assert [e.id for e in errors] == ["recommendations.E006"]
    assert "8-dimensional" in errors[0].msg


def test_check_reports_missing_model_files(tmp_path):
    missing = {
        "ENCODER": "recommendations.embeddings.transformer.TransformerEncoder",
        "ENCODER_OPTIONS": {"model_path": str(tmp_path / "nowhere")},
    }
    with override_settings(RECOMMENDATIONS=missing):
        errors = check_encoder()
    assert [e.id for e in errors] == ["recommendations.E005"]


def test_check_reports_an_unimportable_encoder():
    with override_settings(RECOMMENDATIONS={"ENCODER": "nowhere.Encoder"}):
        errors = check_encoder()
    assert [e.id for e in errors] == ["recommendations.E004"]


def test_a_small_task_tops_itself_up_with_other_stale_products():
    first, *others = ProductFactory.create_batch(3)  # each save marks its product stale
    assert embed_products([first.pk]) == {"encoded": 3, "unchanged": 0, "missing": 0}
    assert embed_products([others[0].pk]) == {"encoded": 0, "unchanged": 1, "missing": 0}
