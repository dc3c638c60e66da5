"""Full-softmax cross-entropy over the item table, computed a slice of positions at a time.

The plain way builds a positions × items logit matrix (about 110 MB for a batch of 1,500
positions over 18,000 items), then reads and writes it half a dozen times between the matrix
products, the log-softmax and their backward passes: on a CPU that is memory traffic, not
arithmetic. Here each slice's logits stay small enough to live in the processor's cache, and
its gradients are taken in the same pass (softmax minus the one-hot target is the gradient of
the logits), so the full matrix never exists. Same loss and gradients, up to summation order.

The three matrix products may run in bfloat16 (`low_precision`): where the processor multiplies
bfloat16 natively they take a fraction of the float32 time, and they are most of a training
step. The softmax itself, the loss and the accumulated gradients stay float32.
"""

from __future__ import annotations

import torch

# Positions per slice: their logits over a catalogue of 20,000 items take about 10 MB.
SLICE_POSITIONS = 256


class _FullSoftmaxLoss(torch.autograd.Function):
    @staticmethod
    def forward(ctx, states: torch.Tensor, table: torch.Tensor, targets: torch.Tensor, low: bool):
        count = len(targets)
        states_grad = torch.empty_like(states)
        table_grad = torch.zeros_like(table)
        # One buffer for every slice: a fresh 10 MB tensor per slice costs more in page faults
        # than the arithmetic it holds. Positions × items, so that the softmax runs along
        # contiguous memory, in place.
        logits = states.new_empty((min(count, SLICE_POSITIONS), len(table)))
        if low:
            # bfloat16 slices are always SLICE_POSITIONS long, padded with zeros: oneDNN keeps
            # working memory for every shape it has multiplied, and slices of every length
            # grew it by gigabytes in one training.
            table_low = table.to(torch.bfloat16)
            chosen_low = table_low.new_zeros((SLICE_POSITIONS, table.shape[1]))
            products = table_low.new_empty((SLICE_POSITIONS, len(table)))
        total = states.new_zeros(())
        for start in range(0, count, SLICE_POSITIONS):
            rows = slice(start, start + SLICE_POSITIONS)
            chosen, wanted = states[rows], targets[rows]
            at = torch.arange(len(wanted), device=states.device)
            scores = logits[: len(wanted)]
            if low:
                chosen_low[: len(wanted)] = chosen
                chosen_low[len(wanted) :] = 0.0
                torch.mm(chosen_low, table_low.T, out=products)
                scores.copy_(products[: len(wanted)])
            else:
                torch.mm(chosen, table.T, out=scores)
            torch.ops.aten._log_softmax.out(scores, 1, False, out=scores)
            total -= scores[at, wanted].sum()
            # Turned into its own gradient: softmax − one-hot.
            scores.exp_()
            scores[at, wanted] -= 1.0
            if low:
                products[: len(wanted)] = scores
                products[len(wanted) :] = 0.0
                states_grad[rows] = torch.mm(products, table_low)[: len(wanted)]
                table_grad.add_(torch.mm(products.T, chosen_low))
            else:
                torch.mm(scores, table, out=states_grad[rows])
                table_grad.addmm_(scores.T, chosen)
        ctx.save_for_backward(states_grad, table_grad)
        ctx.count = count
        return total / count

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        states_grad, table_grad = ctx.saved_tensors
        scale = grad / ctx.count
        return states_grad * scale, table_grad * scale, None, None


def full_softmax_loss(
    states: torch.Tensor, table: torch.Tensor, targets: torch.Tensor, *, low_precision: bool = False
) -> torch.Tensor:
    """Mean cross-entropy of `targets` (row numbers of `table`) given positions' `states`,
    scored against every row of `table`."""
    return _FullSoftmaxLoss.apply(states, table, targets, low_precision)


def low_precision_fast(device: torch.device) -> bool:
    """Whether bfloat16 products are faster than float32 ones here: on GPUs that support it,
    and on CPUs where oneDNN runs bfloat16 (AVX-512 and newer); elsewhere it is emulated."""
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    return device.type == "cpu" and torch.ops.mkldnn._is_mkldnn_bf16_supported()
