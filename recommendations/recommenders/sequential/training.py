"""Training the sequence network: next action at every position, full softmax over the items
shoppers touched (cross-entropy), within a time budget.

Deterministic for a given seed on a given device and thread count, unless the time budget
limits the epochs (the learning rate's schedule then follows the clock).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace

import numpy as np
import torch

from .network import PAD, ItemSide, SequenceNetwork, Shape
from .softmax import full_softmax_loss, low_precision_fast

logger = logging.getLogger(__name__)
# Batches whose examples are sorted by length together (see `batches_by_length`).
BATCHES_PER_SORT = 50
# Positions a batch may hold, per sequence of batch_size: enough for typical shoppers' histories.
POSITIONS_PER_SEQUENCE = 12


@dataclass(frozen=True)
class Params:
    """RECOMMENDATIONS["SEQUENTIAL"]; conf.py documents each and its default."""

    members: int
    dimensions: int
    blocks: int
    heads: int
    max_length: int
    dropout: float
    epochs: int
    batch_size: int
    learning_rate: float
    weight_decay: float
    time_budget_seconds: float
    seed: int
    device: str
    threads: int | None
    text: bool
    attributes: bool
    loss_precision: str


@dataclass
class Sequences:
    """Per shopper, their actions in time order: 1-based item indices and kind codes."""

    items: list[np.ndarray]
    kinds: list[np.ndarray]


@dataclass
class Trained:
    network: SequenceNetwork
    side: ItemSide
    epochs: int
    seconds: float
    loss: float


def device_of(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def loss_low_precision(setting: str, device: torch.device) -> bool:
    return setting == "bfloat16" or (setting == "auto" and low_precision_fast(device))


def padded(
    items: list[np.ndarray], kinds: list[np.ndarray], device: torch.device
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Right-padded batch tensors and the true lengths."""
    lengths = np.array([len(s) for s in items], dtype=np.int64)
    width = int(lengths.max())
    item_rows = np.zeros((len(items), width), dtype=np.int64)
    kind_rows = np.zeros((len(items), width), dtype=np.int64)
    for row, (seq, kind) in enumerate(zip(items, kinds, strict=True)):
        item_rows[row, : len(seq)] = seq
        kind_rows[row, : len(kind)] = kind
    return (
        torch.from_numpy(item_rows).to(device),
        torch.from_numpy(kind_rows).to(device),
        torch.from_numpy(lengths).to(device),
    )


def batches_by_length(lengths: np.ndarray, size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar lengths: a batch is as wide as its longest sequence, and one
    long history among short ones would multiply the attention's work several times over. A
    batch of long histories holds fewer of them, so that its logits (positions × items) stay
    the size of a typical batch's."""
    order = rng.permutation(len(lengths))
    batches = []
    for start in range(0, len(order), size * BATCHES_PER_SORT):
        pool = order[start : start + size * BATCHES_PER_SORT]
        pool = pool[np.argsort(lengths[pool], kind="stable")]
        batch: list[int] = []
        for index in pool:
            # Sorted by length: this one sets the batch's width.
            grown = len(batch) + 1
            if batch and (grown > size or grown * lengths[index] > size * POSITIONS_PER_SEQUENCE):
                batches.append(np.array(batch))
                batch = []
            batch.append(index)
        if batch:
            batches.append(np.array(batch))
    return [batches[i] for i in rng.permutation(len(batches))]


def epochs_planned(*, wanted: int, done: int, elapsed: float, left: float) -> int:
    """All the epochs wanted, or as many as the time left allows at the pace so far."""
    per_epoch = max(elapsed / done, 1e-9)
    return min(wanted, done + int(max(left, 0.0) / per_epoch))


def members_train(
    sequences: Sequences, shape: Shape, side: ItemSide, params: Params
) -> list[Trained]:
    """`params.members` networks, one after the other, each with a seed of its own and an equal
    share of the time budget left. Trained one at a time, each gets every core; side by side
    they would contend for them and for memory bandwidth."""
    started = time.perf_counter()
    trained: list[Trained] = []
    for member in range(params.members):
        left = params.time_budget_seconds - (time.perf_counter() - started)
        if trained and left <= 0:
            logger.info("sequential: the time budget allowed %d of %d networks", member,
                        params.members)  # fmt: skip
            break
        share = replace(
            params, seed=params.seed + member, time_budget_seconds=left / (params.members - member)
        )
        trained.append(network_train(sequences, shape, side, share))
    return trained


def network_train(sequences: Sequences, shape: Shape, side: ItemSide, params: Params) -> Trained:
    started = time.perf_counter()
    device = device_of(params.device)
    torch.manual_seed(params.seed)
    rng = np.random.default_rng(params.seed)
    if params.threads:
        torch.set_num_threads(params.threads)
    window = params.max_length + 1
    examples = [
        (items[-window:], kinds[-window:])
        for items, kinds in zip(sequences.items, sequences.kinds, strict=True)
        if len(items) >= 2
    ]
    network = SequenceNetwork(shape).to(device)
    side = side.to(device)
    # Items nobody touched stay out of the softmax: pushed down as negatives, their (content)
    # representation would learn "never chosen", and a new product could never come up.
    touched = np.unique(np.concatenate([items for items, _ in examples]))
    known = torch.from_numpy(touched).to(device)
    column = torch.full((shape.items + 1,), -1, dtype=torch.int64, device=device)
    column[known] = torch.arange(len(known), device=device)
    low_precision = loss_low_precision(params.loss_precision, device)
    # Fused: one pass over the parameters instead of one per operation of the update.
    optimiser = torch.optim.AdamW(
        network.parameters(), lr=params.learning_rate, weight_decay=params.weight_decay,
        fused=True,
    )  # fmt: skip
    setup_seconds = time.perf_counter() - started
    epochs, loss_value = 0, float("nan")
    lengths = np.array([len(items) for items, _ in examples])
    # The learning rate falls linearly to zero over the epochs that will run: all of them, or
    # as many as the time budget allows, estimated as epochs go by. A model stopped by its
    # budget is then as settled as one trained to the end.
    planned = params.epochs
    for epoch in range(params.epochs):
        total, count = 0.0, 0
        network.train()
        batches = batches_by_length(lengths, params.batch_size, rng)
        for step, batch in enumerate(batches):
            progress = (epoch + step / len(batches)) / planned
            for group in optimiser.param_groups:
                group["lr"] = params.learning_rate * (1.0 - progress)
            chosen = [examples[i] for i in batch]
            items, kinds, _ = padded(
                [s[:-1] for s, _ in chosen], [k[:-1] for _, k in chosen], device
            )
            targets, _, _ = padded([s[1:] for s, _ in chosen], [k[1:] for _, k in chosen], device)
            table = network.item_table(side)
            states = network.encode(table, items, kinds)
            mask = targets != PAD
            # index_select, not table[known]: its backward adds rows in place where indexing's
            # sorts the indices first.
            loss = full_softmax_loss(
                states[mask], table.index_select(0, known), column[targets[mask]],
                low_precision=low_precision,
            )  # fmt: skip
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * int(mask.sum())
            count += int(mask.sum())
            if time.perf_counter() - started > params.time_budget_seconds:
                break
        epochs = epoch + 1
        loss_value = total / max(count, 1)
        logger.debug("sequential epoch %d: loss %.4f", epochs, loss_value)
        elapsed = time.perf_counter() - started
        if elapsed > params.time_budget_seconds:
            logger.info("sequential training stopped by its time budget after %d epochs", epochs)
            break
        planned = epochs_planned(
            wanted=params.epochs, done=epochs, elapsed=elapsed - setup_seconds,
            left=params.time_budget_seconds - elapsed,
        )  # fmt: skip
        if epochs >= planned:
            if planned < params.epochs:
                logger.info("sequential training: %d epochs fit its time budget", epochs)
            break
    network.eval()
    return Trained(network.cpu(), side.cpu(), epochs, time.perf_counter() - started, loss_value)
