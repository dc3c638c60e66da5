"""Full-softmax cross-entropy over the item table, computed a slice of positions at a time.

The plain way builds a positions × items logit matrix (about 110 MB for a batch of 1,500
positions over 18,000 items), then reads and writes it half a dozen times between the matrix
products, the log-softmax and their backward passes: on a CPU that is memory traffic, not
arithmetic. Here each slice's logits stay small enough to live in the processor's cache, and
its gradients are taken in the same pass (softmax minus the one-hot target is the gradient of
the logits), so the full matrix never exists. Same loss and gradients, up to summation order.
"""

from __future__ import annotations

import torch

# Positions per slice: their logits over a catalogue of 20,000 items take about 10 MB.
SLICE_POSITIONS = 256


class _FullSoftmaxLoss(torch.autograd.Function):
    @staticmethod
    def forward(ctx, states: torch.Tensor, table: torch.Tensor, targets: torch.Tensor):
        count = len(targets)
        states_grad = torch.empty_like(states)
        table_grad = torch.zeros_like(table)
        # One buffer for every slice: a fresh 10 MB tensor per slice costs more in page faults
        # than the arithmetic it holds. Items × positions, the layout in which these products
        # run fastest on a CPU.
        logits = states.new_empty((len(table), min(count, SLICE_POSITIONS)))
        total = states.new_zeros(())
        for start in range(0, count, SLICE_POSITIONS):
            rows = slice(start, start + SLICE_POSITIONS)
            chosen, wanted = states[rows], targets[rows]
            at = torch.arange(len(wanted), device=states.device)
            scores = logits[:, : len(wanted)]
            torch.mm(table, chosen.T, out=scores)
            # The softmax in place, where torch's own would allocate its intermediates.
            top = scores.amax(dim=0, keepdim=True)
            total += (top.squeeze(0) - scores[wanted, at]).sum()
            scores.sub_(top).exp_()
            sums = scores.sum(dim=0, keepdim=True)
            total += sums.log().sum()
            # Turned into its own gradient: softmax − one-hot.
            scores.div_(sums)
            scores[wanted, at] -= 1.0
            torch.mm(scores.T, table, out=states_grad[rows])
            table_grad.addmm_(scores, chosen)
        ctx.save_for_backward(states_grad, table_grad)
        ctx.count = count
        return total / count

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        states_grad, table_grad = ctx.saved_tensors
        scale = grad / ctx.count
        return states_grad * scale, table_grad * scale, None


def full_softmax_loss(states: torch.Tensor, table: torch.Tensor, targets: torch.Tensor):
    """Mean cross-entropy of `targets` (row numbers of `table`) given positions' `states`,
    scored against every row of `table`."""
    return _FullSoftmaxLoss.apply(states, table, targets)
