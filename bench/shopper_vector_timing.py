"""Milliseconds to recompute a shopper vector: the SQL aggregate that serves against the Python
computation over fetched product vectors that it replaced (kept as the content recommender's
batch function), on the same shoppers, each timed warm."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

import numpy as np

from recommendations.conf import app_settings
from recommendations.models import Interaction
from recommendations.recommenders.content import (
    product_vectors_of,
    shopper_vector_from,
    text_vectors_of,
)
from recommendations.recommenders.dataset import Event
from recommendations.services import shopper_vector_compute


def shopper_vector_in_python(shopper: str) -> np.ndarray | None:
    """The computation before the SQL aggregate: every recent product vector fetched, every text
    encoded again, summed in numpy."""
    events = [
        Event(shopper, *row)
        for row in Interaction.objects.filter(shopper=shopper)
        .order_by("-created_at", "-pk")
        .values_list("product_id", "weight", "created_at", "kind", "value", "text")[
            : app_settings.SHOPPER_HISTORY_LIMIT
        ]
    ]
    products = product_vectors_of([e.product_id for e in events if e.product_id is not None])
    return shopper_vector_from(events, products, text_vectors_of(events))


def _median_ms(function: Callable[[str], object], shoppers: Sequence[str]) -> float:
    times = []
    for shopper in shoppers:
        started = time.perf_counter()
        function(shopper)
        times.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(times)


def shopper_vector_timing(shoppers: Sequence[str]) -> dict[str, float]:
    """Median ms per shopper, before ("python") and now ("sql"); one untimed pass first loads the
    encoder and fills the text-vector memo, as in a worker that has been running a while."""
    for shopper in shoppers:
        shopper_vector_compute(shopper)
    return {
        "python": _median_ms(shopper_vector_in_python, shoppers),
        "sql": _median_ms(lambda s: shopper_vector_compute(s)[0], shoppers),
    }
