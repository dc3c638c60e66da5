"""The contract every recommender implements: fit in training, score online and in batch.

A recommender learns an artifact from the interaction dataset (`fit`), keeps it with a model
version (`write`, `load`), and scores products for one shopper online (`propose`, `score`: SQL
against the active version's tables) or for a whole batch of shoppers (`score_batch`: numpy
against the artifact). Online and batch compute the same numbers, so evaluation and export
measure exactly what is served. Strategies (`ranking/`) blend recommenders; they never reach
into one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp
from django.db import models

from ..prepared import Slots
from .dataset import InteractionData
from .history import nearest_history

# A query over the allowed products, reading its own values from the slots by name.
OverAllowed = Callable[[models.QuerySet, Slots], models.QuerySet]


class Allowed(Protocol):
    """The products a request may recommend (`ranking.candidates.Allowed`). Queries over them
    go through `rows` or `objects`, which compile each once per shape and process where they
    can (see `prepared.py`): `build(allowed products, slots)` takes every value of its own from
    `slots` (`slots.integer("version")`), which `rows` is given by name; `key` names the query
    and whatever else changes its SQL (a LIMIT). `queryset` is for a query built per request,
    `sql` for a statement written in SQL."""

    @property
    def queryset(self) -> models.QuerySet: ...

    def rows(self, key: Hashable, build: OverAllowed, **values: Any) -> list[tuple]: ...

    def objects(self, key: Hashable, build: OverAllowed, **values: Any) -> list[models.Model]: ...

    def sql(self) -> tuple[str, list[Any]]: ...


@dataclass(frozen=True)
class Shopper:
    """What online scoring knows of one shopper or session, read once per request."""

    key: str | None
    # Product id → decayed weight, most recent first (see `history.py`).
    history: dict[int, float]
    # The active model version, None before the first training.
    version: int | None
    # What a recommender computed for this shopper in `propose` and reuses in `score` within
    # the same request (the sequence model's encoding of their latest actions).
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Batch:
    """A batch of the dataset's shoppers, scored against every product column at once."""

    data: InteractionData
    rows: list[int]
    history: sp.csr_matrix


class Recommender(ABC):
    """One model. Name and class go in `RECOMMENDERS`; `for_you` blends every one of them."""

    # Set from the RECOMMENDERS key.
    name: str = ""
    # Weight in "for you" when HYBRID_WEIGHTS does not name this recommender.
    default_weight: float = 0.0
    # Whether it knows something about this shopper (popularity does not): "for you" answers as
    # "popular" when no personal recommender has anything to say.
    personal: bool = True
    # Whether `fit` runs at training time and its artifact is stored with the version.
    learned: bool = True

    @abstractmethod
    def fit(self, data: InteractionData) -> Any:
        """Pure computation, no writes: what training stores and evaluation scores with; None
        when the data is too little to learn from (the version then has nothing of this one,
        and the strategies serve without it)."""

    def write(self, artifact: Any, *, version: int, data: InteractionData) -> None:
        """Store the artifact with a model version that is not active yet; by default there is
        nothing to store (the recommender reads what other pipelines keep)."""
        return None

    def load(self, data: InteractionData, *, version: int | None) -> Any:
        """The artifact as served (stored with `version`), in `data`'s rows and columns."""
        return self.fit(data)

    @abstractmethod
    def propose(self, shopper: Shopper, allowed: Allowed, *, n: int) -> dict[int, float]:
        """Online: the n best allowed products with their scores (positive), in SQL."""

    @abstractmethod
    def score(self, shopper: Shopper, ids: list[int]) -> dict[int, float]:
        """Online: the scores of products another recommender proposed; absent means 0."""

    def explain(self, shopper: Shopper, ids: list[int]) -> dict[int, int]:
        """Online: for each product, the shopper's recent product that most led to it, which a
        reason names. By default the closest in meaning; a recommender that sums over the
        history says which term was largest."""
        return nearest_history(shopper.history, ids)

    def warm_up(self, version: int | None) -> None:
        """Load what online scoring keeps in the process for `version`, before a web process
        takes its first request (`warmup.py`), so that no shopper waits for it; by default
        nothing is kept."""
        return None

    @abstractmethod
    def score_batch(self, artifact: Any, batch: Batch) -> np.ndarray:
        """Batch: rows × product columns, the same numbers `score` gives online."""
