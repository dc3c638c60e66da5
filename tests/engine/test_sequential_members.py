"""Several sequence networks serve as one: their scores add up in one inner product, a model
stored before there were members still serves, they share the time budget, and widening the
vector column keeps every stored vector's scores."""

import io
import logging

import numpy as np
import pytest
import torch
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from recommendations.conf import DEFAULTS
from recommendations.models import CollaborativeModel, SequentialItem
from recommendations.recommenders.sequential import served as served_code
from recommendations.recommenders.sequential.network import ItemSide, SequenceNetwork, Shape
from recommendations.recommenders.sequential.served import Served, archive_read, archive_write
from recommendations.recommenders.sequential.training import Params, Sequences, members_train
from tests.engine.factories import ProductFactory

SHAPE = Shape(
    items=12, kinds=3, tokens=0, text_width=0, dimensions=8, blocks=1, heads=2, max_length=6,
    dropout=0.0,
)  # fmt: skip
KINDS = ["view", "cart", "purchase"]
PRODUCTS = np.arange(101, 101 + SHAPE.items)
ACTIONS = [(101, "view"), (105, "cart"), (103, "view")]


def served(members: int) -> Served:
    torch.manual_seed(0)
    networks = [SequenceNetwork(SHAPE).eval() for _ in range(members)]
    side = ItemSide(SHAPE, None, [[] for _ in PRODUCTS])
    with torch.inference_mode():
        tables = [network.item_table(side) for network in networks]
    return Served(networks, tables, PRODUCTS, KINDS)


def logits(model: Served) -> np.ndarray:
    return model.states([ACTIONS])[0] @ model.vectors.T


def test_the_members_scores_add_up_in_one_inner_product():
    model = served(2)
    alone = [
        Served([network], [table], PRODUCTS, KINDS)
        for network, table in zip(model.networks, model.tables, strict=True)
    ]

    assert model.width == 2 * SHAPE.dimensions
    assert not np.allclose(logits(alone[0]), logits(alone[1]))
    np.testing.assert_allclose(logits(model), logits(alone[0]) + logits(alone[1]), atol=1e-6)
    expected = np.log(np.exp(logits(model)).sum())
    # Summed over bfloat16 vectors where they are fast (see the next test).
    assert model.log_normaliser(model.states([ACTIONS])[0]) == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize("native", [True, False], ids=["bfloat16 native", "emulated"])
def test_the_normaliser_reads_bfloat16_vectors_where_the_processor_multiplies_them(
    monkeypatch, native
):
    monkeypatch.setattr(served_code, "low_precision_fast", lambda device: native)
    model = served(2)
    state = model.states([ACTIONS])[0]
    vectors = model.vectors.astype(np.float64)
    exact = np.logaddexp.reduce(vectors @ state.astype(np.float64))
    assert model.log_normaliser(state) == pytest.approx(exact, abs=1e-3 if native else 1e-5)
    # Far beyond float16's range (65,504), within bfloat16's (float32's).
    exact = np.logaddexp.reduce(vectors @ (state * 1e5).astype(np.float64))
    assert model.log_normaliser(state * 1e5) == pytest.approx(exact, rel=1e-2 if native else 1e-5)
    assert model._normaliser_vectors.dtype == (torch.bfloat16 if native else torch.float32)


def test_an_archive_keeps_every_member():
    model = served(2)
    read = archive_read(archive_write(model))
    assert len(read.networks) == 2
    np.testing.assert_allclose(logits(read), logits(model), atol=1e-6)


def test_an_archive_of_one_network_from_before_members_still_serves():
    model = served(1)
    buffer = io.BytesIO()
    torch.save(
        {
            "shape": SHAPE.as_dict(),
            "network": model.networks[0].state_dict(),
            "table": model.tables[0],
            "product_ids": torch.from_numpy(PRODUCTS),
            "kinds": KINDS,
        },
        buffer,
    )
    read = archive_read(buffer.getvalue())
    assert read.width == SHAPE.dimensions
    np.testing.assert_allclose(logits(read), logits(model), atol=1e-6)


def params(**values) -> Params:
    return Params(**(DEFAULTS["SEQUENTIAL"] | {"dimensions": 8, "device": "cpu"} | values))


def sequences() -> Sequences:
    rng = np.random.default_rng(0)
    items = [rng.integers(1, SHAPE.items + 1, size=5) for _ in range(40)]
    return Sequences(items, [np.ones(5, dtype=np.int64) for _ in items])


def test_each_member_trains_with_a_seed_of_its_own():
    side = ItemSide(SHAPE, None, [[] for _ in PRODUCTS])
    trained = members_train(sequences(), SHAPE, side, params(members=2, epochs=2))
    assert [t.epochs for t in trained] == [2, 2]
    first, second = (t.network.item_ids.weight for t in trained)
    assert not torch.equal(first, second)


def test_members_the_budget_has_no_time_left_for_are_not_trained(caplog):
    side = ItemSide(SHAPE, None, [[] for _ in PRODUCTS])
    with caplog.at_level(logging.INFO):
        trained = members_train(
            sequences(), SHAPE, side, params(members=3, epochs=5, time_budget_seconds=1e-6)
        )
    # The first network stops after its first batch; a half-trained second would add noise.
    assert len(trained) == 1
    assert "the time budget allowed 1 of 3 networks" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_widening_the_vector_column_keeps_every_score():
    executor = MigrationExecutor(connection)
    before, after = (
        ("recommendations", "0011_trigram"),
        ("recommendations", "0012_sequential_members"),
    )
    version = CollaborativeModel.objects.create(params={}, products=1)
    product = ProductFactory()
    executor.migrate([before])
    try:
        stored = np.arange(1, 129, dtype=np.float32) / 128
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO recommendations_sequentialitem (model_id, product_id, vector) "
                "VALUES (%s, %s, %s::vector)",
                [version.pk, product.pk, str(stored.tolist())],
            )
        executor = MigrationExecutor(connection)
        executor.migrate([after])

        widened = np.asarray(SequentialItem.objects.get(product=product).vector)
        assert len(widened) == 256
        np.testing.assert_array_equal(widened[:128], stored)
        assert not widened[128:].any()

        # A vector that uses the extra width cannot go back without losing its scores.
        SequentialItem.objects.filter(product=product).update(vector=np.ones(256))
        executor = MigrationExecutor(connection)
        with pytest.raises(DatabaseError, match="wider than 128"):
            executor.migrate([before])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate([after])
