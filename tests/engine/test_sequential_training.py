"""The sequence model's training: the sliced full-softmax loss gives torch's cross-entropy and
its gradients whatever the number of positions (to bfloat16's precision when its products run
in it), the epochs planned follow the time budget, and the faster stand-ins for torch's dropout
and embedding bag compute what those do."""

import pytest
import torch
import torch.nn.functional as F

from recommendations.recommenders.sequential import softmax
from recommendations.recommenders.sequential.network import Dropout, ItemSide, Shape
from recommendations.recommenders.sequential.softmax import full_softmax_loss, low_precision_fast
from recommendations.recommenders.sequential.training import epochs_planned, loss_low_precision

# bfloat16 keeps 8 bits of mantissa: products agree with float32 to about 1%.
TOLERANCE = {False: {}, True: {"rtol": 2e-2, "atol": 2e-3}}


@pytest.mark.parametrize("low_precision", [False, True])
@pytest.mark.parametrize(
    "positions", [1, softmax.SLICE_POSITIONS, 2 * softmax.SLICE_POSITIONS + 37]
)
def test_loss_and_gradients_are_torchs_cross_entropy(positions, low_precision):
    generator = torch.Generator().manual_seed(positions)
    states = torch.randn(positions, 16, generator=generator, requires_grad=True)
    table = torch.randn(300, 16, generator=generator, requires_grad=True)
    targets = torch.randint(0, 300, (positions,), generator=generator)

    expected = F.cross_entropy(states @ table.T, targets)
    expected_grads = torch.autograd.grad(3.0 * expected, (states, table))
    loss = full_softmax_loss(states, table, targets, low_precision=low_precision)
    grads = torch.autograd.grad(3.0 * loss, (states, table))

    torch.testing.assert_close(loss, expected, **TOLERANCE[low_precision])
    for got, want in zip(grads, expected_grads, strict=True):
        assert got.dtype == torch.float32
        torch.testing.assert_close(got, want, **TOLERANCE[low_precision])


@pytest.mark.parametrize("low_precision", [False, True])
def test_large_logits_do_not_overflow(low_precision):
    states = torch.full((4, 2), 60.0, requires_grad=True)
    table = torch.tensor([[1.0, 1.0], [0.0, 0.0], [-1.0, 1.0]], requires_grad=True)
    targets = torch.tensor([0, 1, 2, 0])

    loss = full_softmax_loss(states, table, targets, low_precision=low_precision)

    assert torch.isfinite(loss)
    torch.testing.assert_close(
        loss, F.cross_entropy(states @ table.T, targets), **TOLERANCE[low_precision]
    )


def test_the_loss_precision_setting_chooses_the_products_type():
    cpu = torch.device("cpu")
    assert loss_low_precision("bfloat16", cpu)
    assert not loss_low_precision("float32", cpu)
    assert loss_low_precision("auto", cpu) == torch.ops.mkldnn._is_mkldnn_bf16_supported()
    assert low_precision_fast(torch.device("meta")) is False


@pytest.mark.parametrize(
    ("done", "elapsed", "left", "planned"),
    [
        (1, 10.0, 1000.0, 20),  # the budget allows more than wanted
        (1, 60.0, 660.0, 12),  # 11 more epochs fit at a minute each
        (5, 300.0, 30.0, 5),  # not one more fits
        (3, 30.0, -5.0, 3),  # already over
    ],
)
def test_the_epochs_planned_follow_the_budget(done, elapsed, left, planned):
    assert epochs_planned(wanted=20, done=done, elapsed=elapsed, left=left) == planned


def test_dropout_drops_at_its_rate_and_keeps_the_expected_value():
    dropout = Dropout(0.3)
    torch.manual_seed(0)
    kept = dropout(torch.ones(200_000))
    assert (kept == 0).float().mean().item() == pytest.approx(0.3, abs=0.01)
    assert kept.mean().item() == pytest.approx(1.0, abs=0.01)
    assert torch.equal(dropout.eval()(kept), kept)


def test_each_items_attributes_are_the_mean_of_its_tokens_embeddings():
    tokens = [[1, 3], [], [2], [3, 2, 1]]
    shape = Shape(
        items=4, kinds=3, tokens=3, text_width=0, dimensions=4, blocks=1, heads=1,
        max_length=5, dropout=0.0,
    )  # fmt: skip
    side = ItemSide(shape, None, tokens)
    embeddings = torch.randn(4, 4, generator=torch.Generator().manual_seed(0))
    expected = torch.stack(
        [torch.zeros(4)] + [embeddings[t].mean(0) if t else torch.zeros(4) for t in tokens]
    )
    torch.testing.assert_close(side.attribute_mean @ embeddings, expected)
