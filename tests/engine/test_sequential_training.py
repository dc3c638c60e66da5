"""The sequence model's training: the sliced full-softmax loss gives torch's cross-entropy and
its gradients whatever the number of positions, and the epochs planned follow the time budget."""

import pytest
import torch
import torch.nn.functional as F

from recommendations.recommenders.sequential import softmax
from recommendations.recommenders.sequential.softmax import full_softmax_loss
from recommendations.recommenders.sequential.training import epochs_planned


@pytest.mark.parametrize(
    "positions", [1, softmax.SLICE_POSITIONS, 2 * softmax.SLICE_POSITIONS + 37]
)
def test_loss_and_gradients_are_torchs_cross_entropy(positions):
    generator = torch.Generator().manual_seed(positions)
    states = torch.randn(positions, 16, generator=generator, requires_grad=True)
    table = torch.randn(300, 16, generator=generator, requires_grad=True)
    targets = torch.randint(0, 300, (positions,), generator=generator)

    expected = F.cross_entropy(states @ table.T, targets)
    expected_grads = torch.autograd.grad(3.0 * expected, (states, table))
    loss = full_softmax_loss(states, table, targets)
    grads = torch.autograd.grad(3.0 * loss, (states, table))

    torch.testing.assert_close(loss, expected)
    for got, want in zip(grads, expected_grads, strict=True):
        torch.testing.assert_close(got, want)


def test_large_logits_do_not_overflow():
    states = torch.full((4, 2), 60.0, requires_grad=True)
    table = torch.tensor([[1.0, 1.0], [0.0, 0.0], [-1.0, 1.0]], requires_grad=True)
    targets = torch.tensor([0, 1, 2, 0])

    loss = full_softmax_loss(states, table, targets)

    assert torch.isfinite(loss)
    torch.testing.assert_close(loss, F.cross_entropy(states @ table.T, targets))


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
