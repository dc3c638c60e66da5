"""Leave-last-out: each shopper's last product is what the model must find."""

from __future__ import annotations

from dataclasses import dataclass

from ..recommenders.dataset import Event, is_positive


@dataclass
class Split:
    train: list[Event]
    held_out: dict[str, int]


def leave_last_out(events: list[Event]) -> Split:
    """Events must be in time order. The target is the last product a shopper interacted with
    positively; shoppers with a single product keep it for training; every event of a held-out
    product by its shopper leaves the training set, not only the last."""
    by_shopper: dict[str, list[int]] = {}
    for index, event in enumerate(events):
        if is_positive(event):
            by_shopper.setdefault(event.shopper, []).append(index)
    held_out: dict[str, int] = {}
    for shopper, indices in by_shopper.items():
        target = events[indices[-1]].product_id
        if all(events[i].product_id == target for i in indices):
            continue
        held_out[shopper] = target
    targets = {(shopper, product) for shopper, product in held_out.items()}
    train = [event for event in events if (event.shopper, event.product_id) not in targets]
    return Split(train=train, held_out=held_out)
