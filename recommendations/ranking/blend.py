"""The one blend: online over a request's candidates, in batch over the whole catalog."""

from __future__ import annotations

import numpy as np


def blend(signals: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Each signal scaled to [0, 1] by its best product in the row, weighted and summed.

    Arrays are shoppers × products; negative scores count as nothing. Batch scoring blends
    thousands of rows at once, so the arithmetic is in place: one new array besides the result.
    """
    total: np.ndarray | None = None
    scratch: np.ndarray | None = None
    for name, weight in weights.items():
        if weight <= 0 or name not in signals:
            continue
        values = np.asarray(signals[name], dtype=np.float64)
        top = values.max(axis=1) if values.shape[1] else np.zeros(len(values))
        factor = np.divide(weight, top, out=np.zeros_like(top), where=top > 0)
        if not factor.any():
            continue
        if total is None:
            total = np.maximum(values, 0.0)
            total *= factor[:, np.newaxis]
            continue
        if scratch is None:
            scratch = np.empty(values.shape)
        np.maximum(values, 0.0, out=scratch)
        scratch *= factor[:, np.newaxis]
        total += scratch
    if total is None:
        shape = next(iter(signals.values())).shape if signals else (0, 0)
        return np.zeros(shape)
    return total
